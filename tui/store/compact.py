"""`newsdesk compact`: the cache file rewritten without its free pages (VACUUM), its disk space
handed back after big removals (`feeds remove`, retention), when no other newsdesk has it open.

SQLite reuses the pages deleted rows free, but never gives them back to the disk on its own."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tui.store.errors import CacheLocked, translate, translated

IN_USE = "another newsdesk has the cache open (the app, a refresh, a sync): quit it, then compact"


def compact(path: Path) -> tuple[int, int]:
    """VACUUM the cache at `path` (a newsdesk cache, opened once by the `Store` before);
    returns its size in bytes before and after (the file and its write-ahead log). Raises
    `CacheLocked` while another connection holds it: each keeps a shared lock on the file
    while open, which the exclusive lock taken first meets at once (no waiting)."""
    before = _size(path)
    with translated(path):
        conn = sqlite3.connect(path, isolation_level=None, timeout=0)
        try:
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")  # held until closed
            try:
                conn.execute("BEGIN EXCLUSIVE")
            except sqlite3.OperationalError as exc:
                if not isinstance(translate(exc, path), CacheLocked):
                    raise  # a read-only cache, a full disk: said as any write says it
                raise CacheLocked(f"{path}: {IN_USE}") from None
            conn.execute("COMMIT")
            conn.execute("VACUUM")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the log the VACUUM wrote, emptied
        finally:
            conn.close()
    return before, _size(path)


def _size(path: Path) -> int:
    """The cache's bytes on disk: its file and its write-ahead log."""
    log = path.with_name(path.name + "-wal")
    return path.stat().st_size + (log.stat().st_size if log.exists() else 0)
