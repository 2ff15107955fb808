#!/usr/bin/env python3
"""Issue 10: rules over the 100k cache, `newsdesk rules apply` and `newsdesk rules test`.

    python bench/rules_bench.py [--feeds 2000 --items 50] [--reps 3] [--smoke] [--json OUT]

Uses the kept import cache (import_bench --keep; built now if missing). Per rep: a fresh copy
of the cache, a config with five typical rules (hide by word, read by source, tag by title,
save by phrase, a filtered one), then `newsdesk rules apply` over every article and
`newsdesk rules test` of one query. newsboat's killfile has no comparable command.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
from pathlib import Path

from common import Row, emit, log, measure, newsdesk_cmd, scratch

RULES = """
[[rules]]
query = "bandwidth"
action = "hide"

[[rules]]
query = "source:\\"Feed 0001\\""
action = "read"

[[rules]]
query = "title:museum"
tag = "culture"

[[rules]]
query = "\\"the latency\\""
action = "save"

[[rules]]
query = "economía since:30d"
action = "read"
"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--feeds", type=int, default=2000)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--smoke", action="store_true", help="6 feeds x 50 items")
    ap.add_argument("--json", help="write the result rows here (for run_all)")
    a = ap.parse_args(argv)
    if a.smoke:
        a.feeds, a.items = 6, 50
    return a


def kept_cache(a: argparse.Namespace) -> Path:
    """The kept newsdesk cache folder of the corpus, built with import_bench if missing."""
    import import_bench

    dest = import_bench.kept_dir(a.feeds, a.items) / "newsdesk"
    if not dest.exists():
        log(f"rules: building the {a.feeds}x{a.items} cache with import_bench --keep")
        args = ["--feeds", str(a.feeds), "--items", str(a.items), "--reps", "1", "--keep"]
        import_bench.main([*args, "--no-newsboat"])
    return dest / "cache"


def one_rep(cache: Path) -> dict:
    work = scratch("rules-")
    shutil.copytree(cache, work / "cache")
    config = work / "feeds.toml"
    config.write_text(RULES, encoding="utf-8")
    base = [*newsdesk_cmd(), "--config", str(config), "--cache", str(work / "cache")]
    apply = measure([*base, "rules", "apply"])
    test = measure([*base, "rules", "test", "title:museum OR bandwidth", "--limit", "50"])
    with sqlite3.connect(work / "cache" / "newsdesk.db") as con:
        total = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    shutil.rmtree(work)
    return {"apply": apply, "test": test, "articles": total}


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    cache = kept_cache(a)
    reps = []
    for rep in range(a.reps):
        reps.append(one_rep(cache))
        apply = reps[-1]["apply"]
        log(f"rules rep {rep}: apply {apply.wall_s:.2f} s, {apply.stdout.strip()}")
    item = f"10 rules {reps[-1]['articles']:,} articles"
    rows = [
        Row(
            item,
            "rules apply, 5 rules (s)",
            [r["apply"].wall_s for r in reps],
            note=reps[-1]["apply"].stdout.strip(),
        ),
        Row(item, "rules test, one query (s)", [r["test"].wall_s for r in reps]),
        Row(
            item,
            "articles kept (never deleted)",
            [float(r["articles"]) for r in reps],
            target=f"= {reps[0]['articles']}",
            met=len({r["articles"] for r in reps}) == 1,
            digits=0,
        ),
    ]
    emit(rows, a.json, f"Rules over {reps[-1]['articles']:,} articles")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
