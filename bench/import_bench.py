#!/usr/bin/env python3
"""Issue 8 item 2: import at scale, 2,000 feeds x 50 items (100,000 articles) into an empty cache.

    python bench/import_bench.py [--reps 3] [--feeds 2000 --items 50] [--nb-reps 1]
                                 [--keep] [--smoke] [--json OUT]

The corpus is served by bench/serve.py on four loopback hosts with no added latency, so the
figure is parsing and storing, not waiting. newsdesk: `newsdesk refresh` on a fresh cache (time,
articles per second, cache size on disk, peak RSS). newsboat: `newsboat -x reload` with
reload-threads 8 on a fresh cache, same corpus and servers.

With --keep the last caches stay in bench/out/cache-FEEDSxITEMS/ (newsdesk: feeds.toml +
cache/newsdesk.db; newsboat: urls, config, cache.db, ANALYZEd) for the search and TUI benches.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import time
from pathlib import Path

from common import (
    OUT,
    Row,
    Run,
    Servers,
    add_setting_arg,
    count_articles,
    dir_bytes,
    emit,
    ensure_corpus,
    log,
    manifest,
    measure,
    newsboat,
    newsboat_env,
    newsboat_reload_cmd,
    newsdesk_cmd,
    scratch,
    write_feeds_config,
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--feeds", type=int, default=2000)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--hosts", type=int, default=4)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--nb-reps", type=int, default=1, help="newsboat runs (144 s each at 100k)")
    ap.add_argument("--no-newsboat", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the caches for search/TUI benches")
    ap.add_argument(
        "--reuse-newsboat",
        action="store_true",
        help="skip newsboat if its kept cache exists; show the figures it was made with",
    )
    ap.add_argument("--smoke", action="store_true", help="6 feeds x 50 items (300 articles)")
    ap.add_argument("--json", help="write the result rows here (for run_all)")
    add_setting_arg(ap)
    a = ap.parse_args(argv)
    if a.smoke:
        a.feeds, a.items, a.nb_reps = 6, 50, 3
    return a


def kept_dir(feeds: int, items: int) -> Path:
    """Where --keep leaves the caches of a corpus."""
    return OUT / f"cache-{feeds}x{items}"


def newsdesk_import(names: list[str], urls: list[str], settings: list[str]) -> tuple[dict, Path]:
    """One cold `newsdesk refresh`: figures and the work folder (config + cache)."""
    work = scratch("import-nd-")
    config = write_feeds_config(work / "feeds.toml", names, urls, settings)
    cache = work / "cache"
    # measure()'s 15 minutes are too short for 20,000 feeds on a shared machine.
    timeout = max(900.0, len(names) * 0.5)
    run = measure(
        [*newsdesk_cmd(), "--config", str(config), "--cache", str(cache), "refresh"],
        timeout=timeout,
    )
    stored = count_articles(cache / "newsdesk.db")
    return {
        "run": run,
        "articles": stored,
        "bytes": dir_bytes(cache),
        "line": run.stdout.strip(),
    }, work


def newsboat_import(urls: list[str]) -> tuple[dict, Path]:
    """One cold `newsboat -x reload` with 8 threads."""
    work = scratch("import-nb-")
    cmd = newsboat_reload_cmd(work, urls, 8)
    run = measure(cmd, env=newsboat_env(work), cwd=work)
    con = sqlite3.connect(work / "cache.db")
    stored = con.execute("SELECT count(*) FROM rss_item").fetchone()[0]
    con.close()
    return {"run": run, "articles": stored, "bytes": (work / "cache.db").stat().st_size}, work


def keep(work: Path, dest: Path) -> None:
    """Move a work folder to its kept place (replacing the previous one)."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(work), str(dest))


def analyze_newsboat(db: Path) -> None:
    """ANALYZE newsboat's cache: with an empty sqlite_stat1 its start-up takes minutes."""
    con = sqlite3.connect(db)
    con.execute("ANALYZE")
    con.close()


def run_reps(a: argparse.Namespace, servers: Servers, feeds: list[dict]) -> tuple[list, list]:
    names = [f["title"] for f in feeds]
    urls = servers.urls([f["file"] for f in feeds])
    dest = kept_dir(a.feeds, a.items)
    nb: list[dict] = []
    if a.reuse_newsboat and (dest / "newsboat" / FIGURES).exists():
        nb = [load_figures(dest / "newsboat")]
        log(f"import: newsboat figures reused from {nb[0]['when']}")
    elif not a.no_newsboat and newsboat() is not None:
        nb = [newsboat_rep(a, urls, dest, rep) for rep in range(a.nb_reps)]
    nd = [newsdesk_rep(a, names, urls, dest, rep) for rep in range(a.reps)]
    return nd, nb


def newsdesk_rep(a: argparse.Namespace, names: list[str], urls: list[str], dest: Path, rep: int):
    res, work = newsdesk_import(names, urls, a.setting)
    log(
        f"import rep {rep}: newsdesk {res['run'].wall_s:.1f} s, {res['articles']} articles, "
        f"{res['run'].peak_rss_mib:.0f} MiB ({res['line']})"
    )
    if a.keep:
        keep(work, dest / "newsdesk")
    else:
        shutil.rmtree(work)
    return res


def newsboat_rep(a: argparse.Namespace, urls: list[str], dest: Path, rep: int) -> dict:
    res, work = newsboat_import(urls)
    log(f"import rep {rep}: newsboat {res['run'].wall_s:.1f} s, {res['articles']} items")
    if a.keep:
        analyze_newsboat(work / "cache.db")
        save_figures(work, res)
        keep(work, dest / "newsboat")
    else:
        shutil.rmtree(work)
    return res


FIGURES = "figures.json"


def save_figures(work: Path, res: dict) -> None:
    """Remember how newsboat's kept cache was made (for --reuse-newsboat)."""
    run = res["run"]
    data = {
        "wall_s": run.wall_s,
        "peak_rss_kb": run.peak_rss_kb,
        "articles": res["articles"],
        "bytes": res["bytes"],
        "when": time.strftime("%Y-%m-%d %H:%M"),
    }
    (work / FIGURES).write_text(json.dumps(data))


def load_figures(kept: Path) -> dict:
    data = json.loads((kept / FIGURES).read_text())
    run = Run(data["wall_s"], data["peak_rss_kb"], 0, "", "")
    return {"run": run, "articles": data["articles"], "bytes": data["bytes"], "when": data["when"]}


def build_rows(a: argparse.Namespace, nd: list[dict], nb: list[dict]) -> list[Row]:
    item = f"2 import {a.feeds}x{a.items}"
    expected = a.feeds * a.items
    walls = ([r["run"].wall_s for r in nd], [r["run"].wall_s for r in nb])
    rate = (
        [r["articles"] / r["run"].wall_s for r in nd],
        [r["articles"] / r["run"].wall_s for r in nb],
    )
    mib = ([r["bytes"] / 2**20 for r in nd], [r["bytes"] / 2**20 for r in nb])
    peak = ([r["run"].peak_rss_mib for r in nd], [r["run"].peak_rss_mib for r in nb])
    cpu = ([r["run"].cpu_s for r in nd], [r["run"].cpu_s for r in nb if r["run"].cpu_s])
    nb_note = f"newsboat: reload-threads 8, {len(nb)} run(s)" if nb else ""
    if nb and "when" in nb[0]:
        nb_note = f"newsboat: reload-threads 8, kept figure from {nb[0]['when']}"
    return [
        Row(item, "wall (s)", *walls, note=nb_note),
        Row(item, "articles per second", *rate, digits=0),
        Row(item, "CPU (s)", *cpu, note="user + system; newsdesk with its parser process"),
        Row(item, "cache on disk (MiB)", *mib, digits=1),
        Row(item, "peak RSS (MiB)", *peak, digits=1),
        Row(
            item,
            "articles stored",
            [float(r["articles"]) for r in nd],
            [float(r["articles"]) for r in nb],
            f"= {expected}",
            met=all(r["articles"] == expected for r in nd),
            note=nd[-1]["line"],
            digits=0,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    corpus = ensure_corpus(a.feeds, a.items)
    feeds = manifest(corpus)["feeds"]
    log(f"import: {a.feeds} feeds x {a.items} items, {a.hosts} hosts, no latency")
    with Servers(Path(corpus), a.hosts, 0) as servers:
        nd, nb = run_reps(a, servers, feeds)
    title = f"Import: {a.feeds} feeds x {a.items} items ({a.feeds * a.items:,} articles), cold"
    emit(build_rows(a, nd, nb), a.json, title)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
