"""Explicit write transactions on a connection opened in autocommit mode."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress


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
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            with suppress(sqlite3.Error):  # the first error is the one to report
                conn.execute("ROLLBACK")
        raise
