"""Bringing a cache to the current schema, each migration in its own transaction.

`PRAGMA user_version` holds the schema version: a new cache is created at `VERSION` in one
step; a cache at version N < VERSION runs `MIGRATIONS[N + 1]` … `MIGRATIONS[VERSION]`, each
without the work a later one redoes (`_script`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator

from tui.store.errors import StoreError
from tui.store.schema import (
    INDEX_WORK,
    MIGRATIONS,
    PACKS_BODIES,
    REBUILDS_INDEX,
    REMARKS_BODIES,
    SCHEMA,
    VERSION,
)
from tui.store.stories import CATCH_UP_DUE
from tui.store.tx import transaction

NOTED: dict[int, str] = {9: CATCH_UP_DUE}
"""What a migration leaves beside the schema, in its transaction: the articles of a cache from
before stories (migration 9) were never grouped, and the next pass groups its last days'."""

UpgradeNotice = Callable[[int], None]
"""Told how many articles an older cache holds before its migrations run."""
READS_AS_IS = 17
"""The oldest schema read as it is where it cannot be migrated (a read-only cache, a full
disk). An older one lacks what reading asks for (before 12: the `stories` table) or answers
otherwise (before 17: Greek, Cyrillic and ß indexed unfolded, which a search no longer
finds). From 17 to 20 only words with ı or Arabic vowel marks may be missed (indexed
unfolded until 21), and up to 22 a word with vowel signs (Hindi, Thai) finds the words its
letters make without them (split at each sign until 23), and up to 23 `tag:` misses an
article's own tags with accents or non-ASCII capitals (stored unfolded until 24): reading the
cache beats refusing it for those."""


class Unmigrated(Exception):
    """An older cache that cannot be written, too old to be read as it is (`READS_AS_IS`)."""

    def __init__(self, version: int, cause: sqlite3.Error) -> None:
        super().__init__(f"schema {version}: {cause}")
        self.version, self.cause = version, cause


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
    refused = _refused(conn) if version < VERSION else None
    if refused is not None:
        if version < READS_AS_IS:
            raise Unmigrated(version, refused)
        return  # read as it is; migrated where it can be written
    if on_upgrade is not None and version < VERSION:
        on_upgrade(int(conn.execute("SELECT count(*) FROM articles").fetchone()[0]))
    for number in range(version + 1, VERSION + 1):
        _run(conn, number - 1, _script(number, version) + NOTED.get(number, ""), number)


def _script(number: int, version: int) -> str:
    """Migration `number` as a cache at `version` needs it: none of its search index work
    when the cache goes on to `REBUILDS_INDEX` (the index built once, not two or three
    times), and none of 17's or 21's where an earlier migration since `version` marked the
    bodies as today's `nd_segment` sees them."""
    if number in REMARKS_BODIES and version < _marked_before(number):
        return ""
    if version < REBUILDS_INDEX <= VERSION and number < REBUILDS_INDEX:
        kept = (s for s in statements(MIGRATIONS[number]) if not s.startswith(INDEX_WORK))
        return "".join(f"{statement}\n" for statement in kept)
    return MIGRATIONS[number]


def _marked_before(number: int) -> int:
    """A cache older than this has every body marked as today's `nd_segment` sees it by an
    earlier migration than `number` (10 packs them all; 17 marks what 21 would)."""
    return max(k for k in {PACKS_BODIES, *REMARKS_BODIES} if k < number)


def _refused(conn: sqlite3.Connection) -> sqlite3.Error | None:
    """Why the cache cannot be written (read-only, no room), None if it can: asked with a
    write that changes nothing (the version another process may have moved on, as it is),
    before the upgrade is announced. Any other error (busy) is raised."""
    try:
        with transaction(conn):
            conn.execute(f"PRAGMA user_version = {_version(conn)}")
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_FULL):
            return exc
        raise
    return None


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
