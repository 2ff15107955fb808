"""Columns later schemas add to the `sources` table: their migrations' SQL (pieces of the
schema too), and how reading asks for one a cache read as it is may lack. Nothing of the
project imported: the schema, which every command loads, takes its pieces from here."""

from __future__ import annotations

import sqlite3

REMOVED_SOURCES = "ALTER TABLE sources ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;"
"""Schema 16: a source the user removed that stays only for its saved articles: 1 until the
last one is unsaved (then it goes, `settle.let_removed_go`) or it is configured again; 2
(`LEFT`) for one deleted from the config by hand that keeps its articles, so that a new source
taking its name later is another feed, not that one's URL edited (`settle`)."""
FORGOTTEN, LEFT = 1, 2
"""`removed`'s values besides 0, a source the config names."""
FAILING_SINCE = "ALTER TABLE sources ADD COLUMN failing_since REAL;"
"""Schema 20: when a failing source's run of failures began; NULL while it works, and for one
already failing when the cache was upgraded (since when is not known)."""


def failing_since(conn: sqlite3.Connection) -> str:
    """The column of when a source's failures began, as SQL: NULL in a cache of schema 17
    to 19 read as it is (one that cannot be written is not upgraded, `migrate.READS_AS_IS`)."""
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    return "s.failing_since" if version >= 20 else "NULL"
