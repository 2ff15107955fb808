"""Bringing a cache to the current schema, each migration in its own transaction.

`PRAGMA user_version` holds the schema version: a new cache is created at `VERSION` in one
step; a cache at version N < VERSION runs `MIGRATIONS[N + 1]` … `MIGRATIONS[VERSION]`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator

from tui.store.errors import StoreError
from tui.store.schema import MIGRATIONS, REBUILDS_INDEX, REINDEXES, SCHEMA, VERSION
from tui.store.stories import CATCH_UP_DUE
from tui.store.tx import transaction

NOTED: dict[int, str] = {9: CATCH_UP_DUE}
"""What a migration leaves beside the schema, in its transaction: the articles of a cache from
before stories (migration 9) were never grouped, and the next pass groups its last days'."""

UpgradeNotice = Callable[[int], None]
"""Told how many articles an older cache holds before its migrations run."""


def migrate(conn: sqlite3.Connection, on_upgrade: UpgradeNotice | None) -> None:
    """Bring the cache to `VERSION`: a new one in one step, an older one a migration at a time
    (each in its own transaction; another process may be migrating the same file)."""
    version = _version(conn)
    if version > VERSION:
        raise StoreError(
            f"the cache was written by a newer newsdesk (schema {version}; this one reads up "
            f"to {VERSION}): upgrade newsdesk to open it (nothing was changed)"
        )
    if version == 0:
        _run(conn, 0, SCHEMA, VERSION)
        return
    if on_upgrade is not None and version < VERSION:
        on_upgrade(int(conn.execute("SELECT count(*) FROM articles").fetchone()[0]))
    for number in range(version + 1, VERSION + 1):
        rebuilt = version < REBUILDS_INDEX and number in REINDEXES
        script = "" if rebuilt else MIGRATIONS[number]
        _run(conn, number - 1, script + NOTED.get(number, ""), number)


def _version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _run(conn: sqlite3.Connection, expected: int, script: str, version: int) -> None:
    """Run `script` and set `version`, unless another process moved the cache on first."""
    with transaction(conn):
        if _version(conn) != expected:
            return
        for statement in statements(script):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {version}")


def statements(script: str) -> Iterator[str]:
    """Split a schema script into statements (triggers contain `;` inside BEGIN…END)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
