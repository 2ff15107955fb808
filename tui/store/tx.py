"""Explicit write transactions on a connection opened in autocommit mode, the writes deferred
to their commit, the story keys of the articles written (undone with a rollback), and big
sorts kept out of memory; the cache connection class that holds that state."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from tui.store.written import Written


class Gate:
    """SQL's `nd_gate(x)` on one connection: whether the statement being read should compute
    something costly for this row (`CASE WHEN nd_gate(rowid) THEN snippet(...) END`), as
    `test` decides, row by row; false while nothing is asked."""

    def __init__(self) -> None:
        self.test: Callable[[int], bool] | None = None

    def __call__(self, value: int) -> bool:
        return self.test is not None and self.test(value)


class Connection(sqlite3.Connection):
    """A cache connection: it also holds the writes deferred to its transaction's commit, the
    story keys of the articles it stored, until the stories pass takes them, and its
    `nd_gate()`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deferred: dict[str, list[Sequence[object]]] = {}
        self.written = Written()
        self.gate = Gate()
        self.create_function("nd_gate", 1, self.gate)
        self.file: tuple[int, int] | None = None
        """The database file it has open (device, inode): `db.outdated` compares the path's."""
        self.read_only = False
        """Opened read-only for want of room or of a writable folder (see `db._open`)."""
        self.snapshot: tuple[object, ...] | None = None
        """For a file read as immutable (see `db._open`), the files as they were then."""
        self.on_wait: Callable[[], None] | None = None
        """Told when a write has waited `SAY_WAIT_MS` for another program's lock (and goes
        on waiting out the busy timeout): the command line says so on a terminal."""


SAY_WAIT_MS = 1000
"""A write waiting this long for another program's lock is said (see `Connection.on_wait`)."""
_BUSY = 5  # SQLite's primary result code


def _begin(conn: sqlite3.Connection) -> None:
    """Take the write lock, waiting for another program's up to the busy timeout; with an
    `on_wait`, a wait past `SAY_WAIT_MS` is told before the rest of it."""
    told = getattr(conn, "on_wait", None)
    if told is None:
        conn.execute("BEGIN IMMEDIATE")
        return
    (timeout,) = conn.execute("PRAGMA busy_timeout").fetchone()
    conn.execute(f"PRAGMA busy_timeout = {min(timeout, SAY_WAIT_MS)}")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if (exc.sqlite_errorcode & 0xFF) != _BUSY or timeout <= SAY_WAIT_MS:
            raise
        told()
        conn.execute(f"PRAGMA busy_timeout = {timeout - SAY_WAIT_MS}")
        conn.execute("BEGIN IMMEDIATE")
    finally:
        conn.execute(f"PRAGMA busy_timeout = {timeout}")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """An explicit write transaction; the write lock is taken up front (no upgrade deadlocks).

    Inside another transaction it is part of that one (the database thread's group commit):
    an error undoes the whole. Not a savepoint: FTS5 writes its pending index data out at
    every savepoint, which would cost what the shared commit saves. A COMMIT that fails (a
    full disk) is rolled back, so the connection never stays inside a dead transaction that
    later writes would silently join.
    """
    if conn.in_transaction:
        yield conn
        return
    _begin(conn)
    kept = len(conn.written) if isinstance(conn, Connection) else 0
    try:
        yield conn
        flush(conn)
        conn.execute("COMMIT")
    except BaseException:
        _drop_deferred(conn, kept)
        if conn.in_transaction:
            with suppress(sqlite3.Error):  # the first error is the one to report
                conn.execute("ROLLBACK")
        raise


@contextmanager
def sorting_on_disk(conn: sqlite3.Connection) -> Iterator[None]:
    """Statements run in this block sort what outgrows the page cache in a temporary file
    (in memory, the stories pass's sort of a 1,000,000-article import by date took 47 MB).
    Only here: with `temp_store = FILE` for the whole connection, every statement journal
    over 64 KiB goes to a file too (a 100,000-article import's writer wrote and deleted 3.65
    GB that way, in 1.85 million calls). Outside a transaction only (SQLite cannot change it
    inside one): there the sort stays in memory."""
    if conn.in_transaction:
        yield
        return
    conn.execute("PRAGMA temp_store = FILE")
    try:
        yield
    finally:
        conn.execute("PRAGMA temp_store = MEMORY")


def defer(conn: sqlite3.Connection, sql: str, rows: Iterable[Sequence[object]]) -> None:
    """`conn.executemany(sql, rows)` at the commit of the transaction in progress, with the
    rows of every other call (at once outside a transaction).

    For the full-text index: FTS5 writes its pending data out as a new segment at every
    statement that may need undoing, such as the next source's article insert, so index rows
    written source by source became a segment each (merged again and again); deferred, a
    group commit's rows make one. Whoever reads the deferred rows, or changes or deletes what
    they index, in the same transaction calls `flush` first.
    """
    if isinstance(conn, Connection) and conn.in_transaction:
        conn.deferred.setdefault(sql, []).extend(rows)
    else:
        conn.executemany(sql, rows)


def flush(conn: sqlite3.Connection) -> None:
    """Write the deferred rows now."""
    deferred = conn.deferred if isinstance(conn, Connection) else None
    while deferred:
        sql, rows = deferred.popitem()
        conn.executemany(sql, rows)


def _drop_deferred(conn: sqlite3.Connection, kept: int) -> None:
    if isinstance(conn, Connection):
        conn.deferred.clear()
        conn.written.undo(kept)
