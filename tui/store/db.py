"""Connections to the cache database: pragmas, identity check, schema, closing.

WAL mode so a second process (a cron `newsdesk refresh` beside the TUI) can read and write;
a busy timeout instead of "database is locked"; `application_id` so a foreign file is never
mistaken for (or replaced by) a cache. A cache this process may not write (a read-only file
or disk) is opened read-only, so reading commands still work.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from contextlib import suppress
from pathlib import Path

import tui.store.index_schema as index_schema
import tui.store.migrate as migrate
from tui.names import fold
from tui.store import bodies, days, snippets
from tui.store.cjk import segment, segment_v16, segment_v20
from tui.store.errors import (
    ELSEWHERE,
    CorruptDatabase,
    DiskFull,
    ReadOnlyCache,
    StoreError,
    no_room,
    read_only_folder,
    translate,
)
from tui.store.folding import folds_since_v20, may_fold
from tui.store.tx import Connection

APPLICATION_ID = 0x4E574453  # "NWDS"
BUSY_TIMEOUT_MS = 30_000
CACHE_KIB = 16_000
"""SQLite's page cache per connection (`PRAGMA cache_size`), unless `limit_cache` says less."""
WAL_KEPT_BYTES = 1 << 20
"""The write-ahead log's file is cut back to this after a checkpoint (`journal_size_limit`):
it otherwise stays as large as it ever grew (4 MB at SQLite's 1,000 pages, up to 40 MB after
a big import's `BIG_RUN_CHECKPOINT_PAGES`) while a connection stays open, as the TUI's does.
The cut is one ftruncate (~2 ms) per checkpoint: no refresh measurably slower."""


def connect(
    path: Path,
    on_upgrade: migrate.UpgradeNotice | None = None,
    *,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
) -> Connection:
    """Open (creating if needed) the cache database, migrated to the current schema; an older
    cache is announced to `on_upgrade` first (its migrations may rebuild indexes)."""
    existed = path.exists() and path.stat().st_size > 0
    if not existed:
        try:
            path.parent.mkdir(0o700, parents=True, exist_ok=True)  # a new cache is private
            # Made 0600 before SQLite opens it (its -wal and -shm take its mode): it holds
            # feed URLs with their passwords, in a folder the user may have made readable.
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        except FileExistsError:  # mkdir's "File exists" when it is not a folder
            raise StoreError(f"{path.parent}: a file, not a folder to keep the cache in") from None
        except OSError as exc:
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise read_only_folder(path) from None
            why = f"cannot create the cache ({exc.strerror}); {ELSEWHERE}"
            raise StoreError(f"{path}: {why}") from None
    try:
        conn = _open(path, existed, busy_timeout_ms)
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    try:
        _configure(conn, busy_timeout_ms)
        limit_cache(conn, CACHE_KIB)
        _check_identity(conn, path, existed)
        migrate.migrate(conn, on_upgrade)
    except migrate.Unmigrated as exc:
        conn.close()
        raise _unmigrated(exc, path) from None
    except (sqlite3.Error, StoreError) as exc:
        conn.close()
        if isinstance(exc, StoreError):
            raise
        raise translate(exc, path) from None
    conn.file = _identity(path)
    return conn


def _unmigrated(exc: migrate.Unmigrated, path: Path) -> StoreError:
    """An older cache this version must upgrade, where it cannot be written: what to do."""
    error = translate(exc.cause, path)
    if not isinstance(error, ReadOnlyCache | DiskFull):
        return error
    where, how = "that is read-only here", "make it writable"
    if isinstance(error, DiskFull):
        where, how = "on a full disk", "make room"
    return type(error)(
        f"{path}: a cache of an older newsdesk (schema {exc.version}) {where}: to read it, "
        f"this version must upgrade it once: {how}, or copy its folder and pass the copy "
        "with --cache (nothing was changed)"
    )


def _open(path: Path, existed: bool, busy_timeout_ms: int) -> Connection:
    """A connection to `path`; read-only when the file or its folder cannot be written."""
    # Each thread uses its own connection; `Store.close` closes them all from one thread.
    conn = _connection(path, "", busy_timeout_ms)
    if not existed:
        return conn
    try:
        conn.execute("SELECT count(*) FROM sqlite_master")  # opens the file (and its WAL)
    except sqlite3.OperationalError as exc:
        conn.close()
        if not _unwritable(exc, path):
            raise
        # A WAL database needs its shared-memory file: SQLite reads it read-only where it
        # exists (a writer has it open, or left it), and cannot make it in a folder that
        # cannot be written, nor on a full disk. Then the file is read as "immutable",
        # WAL and locks ignored: a snapshot that another process, or a remount, may change
        # under it once there is room (even a read-only mount can be remounted), so the
        # snapshot is looked at before each use (`outdated`) and opened again if it moved.
        try:
            conn = _connection(path, "?mode=ro", busy_timeout_ms)
            conn.execute("SELECT count(*) FROM sqlite_master")
        except sqlite3.OperationalError:
            conn.close()
            conn = _connection(path, "?mode=ro&immutable=1", busy_timeout_ms)
            conn.snapshot = _snapshot(path)
        conn.read_only = True
    return conn


def _unwritable(exc: sqlite3.OperationalError, path: Path) -> bool:
    """Whether opening failed because nothing can be written beside the cache."""
    code = exc.sqlite_errorcode & 0xFF
    # A folder that is not the user's to write: CANTOPEN, or READONLY (its DIRECTORY
    # variant) when the shared-memory file is missing and cannot be made there.
    if code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY):
        return not os.access(path.parent, os.W_OK)
    return code == sqlite3.SQLITE_IOERR and no_room(path)


def _connection(path: Path, query: str, busy_timeout_ms: int) -> Connection:
    where = path.resolve().as_uri() + query if query else path
    return sqlite3.connect(
        where,
        uri=bool(query),
        timeout=busy_timeout_ms / 1000,
        isolation_level=None,
        check_same_thread=False,
        factory=Connection,
    )


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file is at `path` (device and inode), None if none."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


def replaced(conn: Connection, path: Path) -> bool:
    """Whether the file at `path` is not the one `conn` has open (deleted, or another one)."""
    return _identity(path) != conn.file


def _snapshot(path: Path) -> tuple[object, ...]:
    """What a write by anyone changes: the database file, or its write-ahead log."""
    stamps: list[object] = []
    for file in (path, path.with_name(path.name + "-wal")):
        try:
            found = file.stat()
        except OSError:
            stamps.append(None)
        else:
            stamps.append((found.st_ino, found.st_mtime_ns, found.st_size))
    return tuple(stamps)


def outdated(conn: Connection, path: Path) -> bool:
    """Whether `conn` must be opened again: the file at `path` is not the one it has open
    (deleted, or another put in its place); or `conn` was opened read-only and could now
    write (room again, a folder made writable); or it reads a snapshot (see `_open`) that
    the files no longer are."""
    if replaced(conn, path):
        return True
    if not conn.read_only:
        return False
    if conn.snapshot is not None and _snapshot(path) != conn.snapshot:
        return True
    return os.access(path.parent, os.W_OK) and not no_room(path)


def _configure(conn: sqlite3.Connection, busy_timeout_ms: int) -> None:
    conn.create_function("nd_segment", 1, segment, deterministic=True)
    conn.create_function("nd_tags", 1, index_schema.stored_tag_text, deterministic=True)
    conn.create_function("nd_body", 1, bodies.text, deterministic=True)
    conn.create_function("nd_indexed_body", 1, bodies.indexed, deterministic=True)
    conn.create_function("nd_pack", 1, bodies.pack, deterministic=True)
    conn.create_function("nd_day", 1, days.day_of, deterministic=True)
    conn.create_function("nd_fold", 1, fold, deterministic=True)
    conn.create_function("nd_unfolded", 3, snippets.unfolded, deterministic=True)
    conn.create_function("nd_long_text", 2, snippets.long_text, deterministic=True)
    conn.create_function("nd_folds", 1, _folds, deterministic=True)  # for migration 17
    conn.create_function("nd_segment_v16", 1, segment_v16, deterministic=True)  # the same
    conn.create_function("nd_folds_v21", 1, folds_since_v20, deterministic=True)  # for 21
    conn.create_function("nd_segment_v20", 1, segment_v20, deterministic=True)  # the same
    conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute(f"PRAGMA journal_size_limit = {WAL_KEPT_BYTES}")


def _folds(text: str | None) -> bool:
    return text is not None and may_fold(text)


def limit_cache(conn: sqlite3.Connection, kib: int) -> None:
    """Keep at most `kib` KiB of the database's pages in this connection's memory."""
    conn.execute(f"PRAGMA cache_size = -{int(kib)}")


def checkpoint_every(conn: sqlite3.Connection, pages: int) -> None:
    """Let the write-ahead log grow to `pages` pages before a commit of this connection copies
    it into the database (SQLite's default: 1,000). Each such checkpoint syncs the log and the
    database to disk, and a page written again before it is copied once."""
    conn.execute(f"PRAGMA wal_autocheckpoint = {int(pages)}")


def _check_identity(conn: sqlite3.Connection, path: Path, existed: bool) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if existed and app_id != APPLICATION_ID:
        raise CorruptDatabase(
            f"{path}: not a newsdesk cache (another program's file); left untouched"
        )
    if existed:
        return
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode != "wal":
        raise StoreError(f"{path}: cannot use write-ahead logging here (journal mode {mode})")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


ANALYSIS_LIMIT = 400
"""Rows `PRAGMA optimize` samples per index: statistics as good for planning, in milliseconds
instead of a scan of every index (~70 ms at 100,000 articles)."""


def close(conn: sqlite3.Connection) -> None:
    """Refresh planner statistics where they drifted, then close.

    Only a connection that wrote can have made them drift, so a reading command (`newsdesk
    search`, `list`) closes at once; a writer samples (`ANALYSIS_LIMIT`) rather than scans."""
    # A locked or read-only database still closes; statistics wait for next time.
    if conn.total_changes:
        with suppress(sqlite3.Error):
            conn.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
            conn.execute("PRAGMA optimize")
    conn.close()
