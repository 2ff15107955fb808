"""Raw SQL on a test's cache, through a connection of the test's own.

The product reaches the cache only through `Store` methods; tests that must look at (or
bend) what is stored use these, never the store's own connections.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from typing import Any

from tui.store import Store, db


@contextmanager
def connection(store: Store) -> Iterator[sqlite3.Connection]:
    """A connection to the store's file, set up like the store's own (autocommit)."""
    with closing(db.connect(store.path)) as conn:
        yield conn


def sql(store: Store, statement: str, params: Any = ()) -> list[Any]:
    """The rows of one statement run (and committed) on the store's file."""
    with connection(store) as conn:
        return conn.execute(statement, params).fetchall()
