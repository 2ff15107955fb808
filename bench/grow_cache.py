"""Grow a kept import cache tenfold by SQL: a synthetic 1M cache in minutes instead of an import.

    python bench/grow_cache.py [--src bench/out/cache-2000x50] [--dest DIR] [--factor 10]

`--src` is a folder kept by `import_bench.py --keep` (newsdesk/feeds.toml and
newsdesk/cache/newsdesk.db); `--dest` gets the same layout, plus newsdesk/tui.toml (every
source disabled, as `tui_bench.py` starts the TUI). Copy k (1 .. factor-1) of source number n
is the source `gen_corpus.py` would number n + k x sources: its name, feed URL, item links and
guids say that number, and its articles' dates are shifted as that generator shifts a later
feed's (7 minutes per feed number), so neighbouring copies overlap in time as the feeds of a
real 20,000-feed import do. Article ids follow the copies in order (as an import's follow its
feeds), stories keep their members, and the derived tables (tag rows, per-source counts, story
outlet counts, the full-text index) and the planner's statistics are built again. The article
text is the original's: every word is 10x as common, as in a corpus 10x as large.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sqlite3
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import OUT, log  # noqa: E402
from tui_bench import tui_config  # noqa: E402

import tui.store.db as db  # noqa: E402
from tui.store.stories import COUNT_OUTLETS  # noqa: E402

MINUTES_PER_FEED = 7
"""`gen_corpus.make_feed`: feed n's items are dated n x 7 minutes before feed 0's."""
NUMBERED = re.compile(r"^Feed (\d+) (.*)$")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", type=Path, default=OUT / "cache-2000x50")
    ap.add_argument("--dest", type=Path, default=Path("/work/bench-shared/cache-1m"))
    ap.add_argument("--factor", type=int, default=10)
    return ap.parse_args(argv)


def copy_database(src: Path, dest: Path) -> None:
    """A consistent copy of `src` (its WAL included) at `dest`."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    for stale in (dest, dest.with_name(dest.name + "-wal"), dest.with_name(dest.name + "-shm")):
        stale.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def source_map(conn: sqlite3.Connection, factor: int) -> list[tuple]:
    """(old id, new id, old number, new number, new name, new location, copy) of every
    copy."""
    rows = conn.execute("SELECT id, name, location FROM sources ORDER BY id").fetchall()
    top = max(i for i, _, _ in rows)
    out = []
    for k in range(1, factor):
        for index, (sid, name, location) in enumerate(rows):
            found = NUMBERED.match(name)
            old = int(found.group(1)) if found else index
            new = old + k * len(rows)
            old_tag, new_tag = f"{old:04d}", f"{new:04d}"
            if found:
                new_name = f"Feed {new_tag} {found.group(2)}"
            else:
                new_name = f"{name} ({k + 1})"
            new_location = location.replace(f"feed_{old_tag}.", f"feed_{new_tag}.")
            if new_location == location:
                new_location = f"{location}#copy{k}"
            out.append((sid, sid + k * top, old_tag, new_tag, new_name, new_location, k))
    return out


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def renumbered(text: str) -> str:
    """SQL renaming feed `m.old` to `m.new` in a guid, link or dedupe key column."""
    return (
        f"replace(replace({text}, 'site' || m.old || '.', 'site' || m.new || '.'), "
        f"'/guid/' || m.old || '-', '/guid/' || m.new || '-')"
    )


def grow(conn: sqlite3.Connection, copies: list[tuple], factor: int) -> None:
    """Add the copies of every source and their articles, then rebuild what derives from them."""
    top_article = int(conn.execute("SELECT max(id) FROM articles").fetchone()[0])
    feeds = int(conn.execute("SELECT count(*) FROM sources").fetchone()[0])
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "CREATE TEMP TABLE m (sid INTEGER, new_sid INTEGER PRIMARY KEY, old TEXT, new TEXT, "
        "name TEXT, location TEXT, k INTEGER)"
    )
    conn.executemany("INSERT INTO m VALUES (?, ?, ?, ?, ?, ?, ?)", copies)
    moved = {
        "id": "m.new_sid",
        "name": "m.name",
        "location": "m.location",
        "configured": "CASE s.configured WHEN s.location THEN m.location ELSE s.configured END",
    }
    source_cols = columns(conn, "sources")
    conn.execute(
        f"INSERT INTO sources ({', '.join(source_cols)}) "
        f"SELECT {', '.join(moved.get(c, 's.' + c) for c in source_cols)} "
        "FROM m JOIN sources s ON s.id = m.sid ORDER BY m.new_sid"
    )
    conn.execute(
        "INSERT INTO source_tags (source_id, tag) "
        "SELECT m.new_sid, t.tag FROM m JOIN source_tags t ON t.source_id = m.sid"
    )
    shift = f"m.k * {feeds * MINUTES_PER_FEED * 60}"
    override = {
        "id": f"a.id + m.k * {top_article}",
        "source_id": "m.new_sid",
        "story": f"a.story + m.k * {top_article}",
        "published": f"a.published - {shift}",
        "updated": f"a.updated - {shift}",
        "sort_ts": f"a.sort_ts - {shift}",
        "guid": renumbered("a.guid"),
        "url": renumbered("a.url"),
        "dedupe_key": renumbered("a.dedupe_key"),
    }
    article_cols = columns(conn, "articles")
    select = ", ".join(override.get(c, f"a.{c}") for c in article_cols)
    started = time.perf_counter()
    for k in range(1, factor):
        conn.execute(
            f"INSERT INTO articles ({', '.join(article_cols)}) SELECT {select} "
            f"FROM m JOIN articles a ON a.source_id = m.sid "
            f"WHERE m.k = ? AND a.id <= {top_article} ORDER BY a.id",
            (k,),
        )
        log(f"grow: copy {k} stored ({time.perf_counter() - started:.0f} s)")
    for table, key in (("remembered_read", "source_id"), ("article_images", "article_id")):
        cols = columns(conn, table)
        if key == "source_id":
            moved = {"source_id": "m.new_sid"}
            join = "JOIN remembered_read a ON a.source_id = m.sid"
        else:
            moved = {"article_id": f"a.article_id + m.k * {top_article}"}
            join = (
                "JOIN articles o ON o.source_id = m.sid "
                "JOIN article_images a ON a.article_id = o.id"
            )
        picked = ", ".join(moved.get(c, f"a.{c}") for c in cols)
        conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {picked} FROM m {join}")
    conn.execute(
        f"INSERT INTO articles_fts (rowid, title, author, body, source, tags) "
        f"SELECT id, title, author, body, source, tags FROM articles_fts_text "
        f"WHERE id > {top_article}"
    )
    log(f"grow: indexed ({time.perf_counter() - started:.0f} s)")
    conn.execute("DELETE FROM source_counts")
    conn.execute(
        "INSERT INTO source_counts (source_id, visible, unread) "
        "SELECT source_id, count(*), sum(read = 0) FROM articles WHERE hidden = 0 "
        "GROUP BY source_id"
    )
    conn.execute("DELETE FROM stories")
    conn.execute(COUNT_OUTLETS)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    log(f"grow: done ({time.perf_counter() - started:.0f} s)")


def write_config(src: Path, dest: Path, copies: list[tuple]) -> None:
    """The source's feeds.toml with every copy appended, and its TUI variant."""
    text = (src / "newsdesk" / "feeds.toml").read_text(encoding="utf-8")
    lines = [text.rstrip("\n"), ""]
    for _, _, _, _, name, location, _ in copies:
        lines += ["[[sources]]", f"name = {quoted(name)}", f"url = {quoted(location)}", ""]
    (dest / "newsdesk" / "feeds.toml").write_text("\n".join(lines), encoding="utf-8")
    tui_config(dest)


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    src_db = a.src / "newsdesk" / "cache" / "newsdesk.db"
    if not src_db.exists():
        sys.exit(f"grow_cache: {src_db} not found (run import_bench.py --keep first)")
    if a.factor < 2:
        sys.exit("grow_cache: --factor must be 2 or more")
    ready = a.dest / "READY"
    ready.unlink(missing_ok=True)
    shutil.rmtree(a.dest / "newsdesk", ignore_errors=True)
    dest_db = a.dest / "newsdesk" / "cache" / "newsdesk.db"
    copy_database(src_db, dest_db)
    conn = db.connect(dest_db)
    try:
        copies = source_map(conn, a.factor)
        grow(conn, copies, a.factor)
        counts = (
            conn.execute("SELECT count(*) FROM sources").fetchone()[0],
            conn.execute("SELECT count(*) FROM articles").fetchone()[0],
        )
    finally:
        conn.close()
    write_config(a.src, a.dest, copies)
    log(f"grow: {counts[0]} sources, {counts[1]} articles in {dest_db}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
