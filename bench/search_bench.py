"""Search latency over a large cache: p50/p95/max per query class, and the insert rate.

    python bench/search_bench.py [--articles 100000] [--db PATH] [--runs 3] [--limit 100]
                                 [--queries search|import]

Builds the cache with `corpus.build_cache` (through `Store`, FTS triggers included) unless `--db`
already holds that many articles, and reports the build rate. Then each run executes every
query of a fixed list `--repeat` times in one warm process and takes p50/p95/max per class;
the table shows the minimum and the median of those figures over the runs. `count` is the
saved-search unread count of the sources pane (up to its cap). Timings are wall-clock per
call, in ms.
`--queries import` runs queries written for the import corpus (`gen_corpus.py`'s words, no
CJK, no tags) on a cache kept by `import_bench.py --keep`: the 100k and 1M caches of that
corpus are what the 1M growth figures compare.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from corpus import CORPUS_END, build_cache

from tui.store import Store
from tui.text import COUNT_CAP
from tui.ui.widgets.search_bar import RESULT_LIMIT

OUT = Path(__file__).resolve().parent / "out" / "search"

QUERIES: dict[str, list[str]] = {
    "one-word": ["government", "the", "perche", "muller", "inflation", "ukraine", "zentralbank"],
    "two-word": ["government minister", "climate energy", "banca italia", "police the"],
    "phrase": ['"prime minister"', '"central bank"', '"unione europea"', '"according to"'],
    "prefix": ["gov*", "econ*", "pa*", "min*", "tech*"],
    "or/not": ["nato OR brexit", "police -the", "climate -energy -health"],
    "filtered": [
        "source:Reuters government",
        "is:unread the",
        "tag:economy bank",
        "since:30d police",
        "author:müller",
        "title:government",
        'source:"Le Monde" is:unread président',
        "tag:politics minister",
    ],
    "filter-only": ["is:unread", 'source:"Le Monde"', "tag:sport since:90d", "is:saved"],
    "cjk": ["東京", "政府 経済", "円安", "気象庁 発表"],
}
COUNTS = ["government", "nasa OR esa since:30d", "the", "tag:economy", "東京"]
IMPORT_QUERIES: dict[str, list[str]] = {
    "one-word": ["election", "the", "xylophone", "économie", "zephyr", "müller", "kernel"],
    "two-word": ["climate energy", "market election", "kernel the", "forschung universität"],
    "phrase": ['"the of"', '"and to"', '"de la"', '"der die"'],
    "prefix": ["elec*", "econ*", "pa*", "sec*", "ma*"],
    "or/not": ["kernel OR compiler", "policy -market", "climate -energy -market"],
    "filtered": [
        'source:"Feed 0000" the',
        "is:unread election",
        "author:müller",
        "title:kernel",
        "since:7d market",
        'source:"Feed 0000" is:unread policy',
    ],
    "filter-only": ["is:unread", 'source:"Feed 0042"', "since:2d", "is:saved"],
}
IMPORT_COUNTS = ["election", "kernel OR compiler since:7d", "the", "xylophone"]
IMPORT_END = datetime(2024, 1, 1, tzinfo=UTC).timestamp()
"""The import corpus's newest date (`gen_corpus.BASE_TIME`): `since:7d` counts from it."""
QuerySet = tuple[dict[str, list[str]], list[str], float]
"""Queries per class, saved-search counts, and the time relative dates count from."""
QUERY_SETS: dict[str, QuerySet] = {
    "search": (QUERIES, COUNTS, CORPUS_END),
    "import": (IMPORT_QUERIES, IMPORT_COUNTS, IMPORT_END),
}


def _cache(path: Path, articles: int) -> None:
    """Reuse the cache at `path` if it holds `articles` articles, else build it and report."""
    if path.exists():
        with sqlite3.connect(path) as conn:
            have = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        if have == articles:
            print(f"reusing {path} ({have} articles)")
            return
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    started, cpu = time.perf_counter(), time.process_time()
    build_cache(path, articles)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    size = path.stat().st_size / 2**20
    print(f"built {articles} articles in {seconds:.1f} s: {articles / seconds:.0f} articles/s")
    print(f"({cpu:.1f} s CPU: {articles / cpu:.0f} articles per CPU second; text generation incl.)")
    print(f"cache size {size:.0f} MiB")


def _kept(path: Path, articles: int) -> None:
    """An import cache is only read: it must hold `articles` articles already."""
    have = 0
    if path.exists():
        with sqlite3.connect(path) as conn:
            have = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    if have != articles:
        sys.exit(f"search_bench: {path} holds {have} articles, not {articles}: import it first")
    print(f"reading {path} ({have} articles, {path.stat().st_size / 2**20:.0f} MiB)")


def _time(call: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and this thread's CPU time of one call, in ms."""
    wall, cpu = time.perf_counter(), time.thread_time()
    call()
    return (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


Figures = dict[str, tuple[float, float, float]]


def _run(store: Store, limit: int, repeat: int, chosen: QuerySet) -> tuple[Figures, Figures]:
    """One pass over every query class: (p50, p95, max) in ms, wall-clock and CPU."""
    wall: Figures = {}
    cpu: Figures = {}
    queries, counts, now = chosen
    classes: dict[str, list[Callable[[], object]]] = {
        name: [_searcher(store, q, limit, now) for q in group] for name, group in queries.items()
    }
    classes["count"] = [_counter(store, q, now) for q in counts]
    for name, calls in classes.items():
        times = [_time(call) for call in calls for _ in range(repeat)]
        wall[name] = _figures([t[0] for t in times])
        cpu[name] = _figures([t[1] for t in times])
    return wall, cpu


def _figures(times: list[float]) -> tuple[float, float, float]:
    return _percentile(times, 0.5), _percentile(times, 0.95), max(times)


def _searcher(store: Store, query: str, limit: int, now: float) -> Callable[[], object]:
    return lambda: store.search(query, limit=limit, now=now)


def _counter(store: Store, query: str, now: float) -> Callable[[], object]:
    cap = COUNT_CAP + 1  # as the sources pane counts
    return lambda: store.search_count(query, unread_only=True, now=now, limit=cap)


def _report(title: str, runs: list[Figures]) -> None:
    print(f"\n{title}")
    print(f"{'class':<12} {'p50 min/med':>14} {'p95 min/med':>14} {'max min/med':>14}")
    for name in runs[0]:
        cells = []
        for index in range(3):
            values = [run[name][index] for run in runs]
            cells.append(f"{min(values):6.1f}/{statistics.median(values):<6.1f}")
        print(f"{name:<12} " + " ".join(f"{cell:>14}" for cell in cells))


def _hits(store: Store, limit: int, chosen: QuerySet) -> None:
    """How many each query finds (so the figures can be read against the work done)."""
    print(f"\n{'query':<40} {'hits':>6} {'matching':>9}")
    queries, _, now = chosen
    for group in queries.values():
        for query in group:
            found = len(store.search(query, limit=limit, now=now).hits)
            print(f"{query:<40} {found:>6} {store.search_count(query, now=now):>9}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="cache file (default: bench/out/search/)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5, help="calls per query per run")
    parser.add_argument(
        "--limit", type=int, default=RESULT_LIMIT, help="hits per search (the UI's first page)"
    )
    parser.add_argument(
        "--queries",
        choices=QUERY_SETS,
        default="search",
        help="search: this script's own corpus (built if missing); import: a kept import cache",
    )
    args = parser.parse_args(argv)
    path = args.db or OUT / f"cache-{args.articles}.db"
    if args.queries == "import":
        _kept(path, args.articles)
    else:
        _cache(path, args.articles)
    chosen = QUERY_SETS[args.queries]
    load = os.getloadavg()
    store = Store.open(path)
    try:
        _hits(store, args.limit, chosen)
        runs = [_run(store, args.limit, args.repeat, chosen) for _ in range(max(1, args.runs))]
    finally:
        store.close()
    print(f"\n{args.articles} articles, limit {args.limit}, {args.runs} runs x {args.repeat}")
    print(f"load average before: {load[0]:.1f}, after: {os.getloadavg()[0]:.1f}")
    _report("wall-clock ms", [run[0] for run in runs])
    _report(
        "CPU ms (this thread; what the figures are on an idle machine)", [run[1] for run in runs]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
