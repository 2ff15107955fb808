#!/usr/bin/env python3
"""Issue 8 item 3, the comparison: newsdesk search vs newsboat's LIKE scan, same corpus.

    python bench/like_search.py [--feeds 2000 --items 50] [--words w1,w2] [--queries 20]
                                [--nb-queries 5] [--smoke] [--json OUT]

Both caches come from `import_bench.py --keep` (the same generated feeds; built if missing).
newsboat 2.21 searches with (Cache::search_for_items):
  SELECT ... FROM rss_item WHERE (title LIKE '%w%' OR content LIKE '%w%') AND deleted = 0
  ORDER BY pubDate DESC, id DESC
run here on a read-only connection with every row fetched (adapted from the shared reference
harness /work/shared/bench/search_baseline.py). newsdesk runs `Store.search(word)` (FTS5,
first page of 50 hits with snippets) in-process on its cache. The figures for the
whole query language (phrases, prefixes, filters) are bench/search_bench.py's.
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from pathlib import Path

from common import Row, emit, log, newsboat, percentile

NB_SQL = (
    "SELECT guid, title, author, url, pubDate, length(content), unread, feedurl, flags "
    "FROM rss_item WHERE (title LIKE ? OR content LIKE ?) AND deleted = 0 "
    "ORDER BY pubDate DESC, id DESC"
)
# common / medium / rare needle / accented / absent (gen_corpus.py vocabulary)
WORDS = "the,zephyr,xylophone,économie,qwertyuiop"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--feeds", type=int, default=2000)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--words", default=WORDS)
    ap.add_argument("--queries", type=int, default=20, help="newsdesk queries per word")
    ap.add_argument("--nb-queries", type=int, default=5, help="LIKE scans per word (slow)")
    ap.add_argument("--no-newsboat", action="store_true")
    ap.add_argument("--smoke", action="store_true", help="6 feeds x 50 items")
    ap.add_argument("--json", help="write the result rows here (for run_all)")
    a = ap.parse_args(argv)
    if a.smoke:
        a.feeds, a.items, a.queries, a.nb_queries = 6, 50, 5, 5
    return a


def time_newsdesk(db: Path, word: str, n: int) -> tuple[list[float], int]:
    """Milliseconds per `store.search(word)` and the hits on its first page."""
    from tui.store import Store

    store = Store.open(db)
    try:
        hits, times = 0, []
        for _ in range(n):
            t0 = time.perf_counter()
            hits = len(store.search(word).hits)
            times.append((time.perf_counter() - t0) * 1000)
        return times, hits
    finally:
        store.close()


def time_like(db: Path, word: str, n: int) -> tuple[list[float], int]:
    """Milliseconds per newsboat-style LIKE scan and its row count."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        pattern, hits, times = f"%{word}%", 0, []
        for _ in range(n):
            t0 = time.perf_counter()
            hits = len(con.execute(NB_SQL, (pattern, pattern)).fetchall())
            times.append((time.perf_counter() - t0) * 1000)
        return times, hits
    finally:
        con.close()


def word_row(
    item: str, word: str, nd: tuple[list[float], int], nb: tuple[list[float], int] | None
) -> Row:
    ours, nd_hits = nd
    theirs, nb_hits = nb if nb else ([], 0)
    note = f"newsdesk p95 {percentile(ours, 95):.1f} ms, {nd_hits} hits shown"
    if nb:
        note += f"; LIKE p95 {percentile(theirs, 95):.0f} ms, {nb_hits} rows"
    p95 = percentile(ours, 95)
    return Row(item, f"search '{word}' (ms)", ours, theirs, "p95 < 20 ms", p95 < 20, note, 1)


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    from tui_bench import caches  # same kept caches as the TUI bench

    dest = caches(a)
    nd_db, nb_db = dest / "newsdesk" / "cache" / "newsdesk.db", dest / "newsboat" / "cache.db"
    use_nb = not a.no_newsboat and newsboat() is not None and nb_db.exists()
    item = f"3 search {a.feeds * a.items:,} articles"
    rows = []
    for word in a.words.split(","):
        nd = time_newsdesk(nd_db, word, a.queries)
        nb = time_like(nb_db, word, a.nb_queries) if use_nb else None
        rows.append(word_row(item, word, nd, nb))
        log(f"search {word!r}: {rows[-1].note}")
    emit(rows, a.json, "Search: newsdesk FTS5 vs newsboat's LIKE scan, same corpus")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
