#!/usr/bin/env python3
"""Issue 8 item 6: `newsdesk import` of 10,000 generated plain-text files.

    python bench/files_bench.py [--files 10000] [--reps 3] [--smoke] [--json OUT]

Each file has the shape of a saved article: a title line, a blank line, "By NAME", a blank
line and 3-8 paragraphs (about 1-3 KB, some accented words), in a few sub-folders. Per rep:
a fresh cache, `newsdesk import DIR` (cold), then the same import again (nothing new: the
cost of re-reading and recognising unchanged files). newsboat reads no local files, so there
is no comparison.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

from common import OUT, Row, count_articles, emit, log, measure, newsdesk_cmd, scratch
from gen_corpus import FIRST, LANGS, LAST, sentence, words

SEED = 8


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--smoke", action="store_true", help="50 files")
    ap.add_argument("--json", help="write the result rows here (for run_all)")
    a = ap.parse_args(argv)
    if a.smoke:
        a.files = 50
    return a


def article_text(rng: random.Random, number: int) -> str:
    """Title, blank line, byline, blank line, paragraphs."""
    lang = rng.choice(LANGS)
    title = f"{sentence(rng, lang)[:-1][:80]} ({number})"
    byline = f"By {rng.choice(FIRST)} {rng.choice(LAST)}"
    paras = [
        " ".join(sentence(rng, lang) for _ in range(rng.randint(2, 5)))
        for _ in range(rng.randint(3, 8))
    ]
    if rng.random() < 0.01:
        paras[-1] += " " + " ".join(words(rng, lang, 3))
    return "\n\n".join([title, byline, *paras]) + "\n"


def ensure_files(n: int) -> Path:
    """bench/out/files-N: N .txt files in 10 folders (generated once, then reused)."""
    root = OUT / f"files-{n}"
    if (root / ".done").exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(SEED)
    for i in range(n):
        folder = root / f"section-{i % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"article-{i:05d}.txt").write_text(article_text(rng, i), encoding="utf-8")
    (root / ".done").write_text("")
    return root


def one_rep(root: Path) -> dict:
    """Cold import, then re-import, on a fresh cache."""
    work = scratch("files-")
    config = work / "feeds.toml"
    config.write_text("# no sources: files come in with `newsdesk import`\n")
    base = [*newsdesk_cmd(), "--config", str(config), "--cache", str(work / "cache")]
    cold = measure([*base, "import", str(root), "--name", "Bench files"])
    again = measure([*base, "import", str(root), "--name", "Bench files"])
    stored = count_articles(work / "cache" / "newsdesk.db")
    shutil.rmtree(work)
    return {"cold": cold, "again": again, "articles": stored}


def build_rows(a: argparse.Namespace, reps: list[dict]) -> list[Row]:
    item = f"6 files {a.files:,}"
    cold = [r["cold"].wall_s for r in reps]
    return [
        Row(item, "import wall (s)", cold, note=reps[-1]["cold"].stdout.strip()),
        Row(item, "files per second", [a.files / w for w in cold], digits=0),
        Row(item, "peak RSS (MiB)", [r["cold"].peak_rss_mib for r in reps], digits=1),
        Row(
            item,
            "re-import, unchanged (s)",
            [r["again"].wall_s for r in reps],
            note=reps[-1]["again"].stdout.strip(),
        ),
        Row(
            item,
            "articles stored",
            [float(r["articles"]) for r in reps],
            target=f"= {a.files}",
            met=all(r["articles"] == a.files for r in reps),
            digits=0,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    root = ensure_files(a.files)
    log(f"files: importing {a.files} plain-text files")
    reps = []
    for rep in range(a.reps):
        reps.append(one_rep(root))
        log(f"files rep {rep}: {reps[-1]['cold'].wall_s:.2f} s, {reps[-1]['articles']} articles")
    emit(build_rows(a, reps), a.json, f"Local files: import of {a.files:,} plain-text files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
