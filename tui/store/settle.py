"""The cache's sources kept in step with the config.

A source renamed in the config keeps its articles, read state and refresh state (the cache
knew it by name: it came back empty under the new one, every article again unread, and the
old one stayed behind). A web source gone from the config with nothing cached goes from the
lists; `forget_source` is the user's way to drop one that still holds articles. A source
forgotten while saved articles remain is marked `removed`, and goes with its last saved one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping

from tui.store.tx import transaction
from tui.store.writes import forget

Where = tuple[str, str]
"""A source's kind and configured location (its URL, or its path)."""


def settle(conn: sqlite3.Connection, configured: Mapping[str, Where]) -> list[tuple[str, str]]:
    """Rename a stored source the config no longer names to the configured name of the
    same kind and location the cache does not know yet; remove unlisted web sources with
    no articles. Returns the renames as (old name, new name). Writes (and so waits for
    another writer) only when there is something to change."""
    stored = conn.execute(
        "SELECT id, name, kind, configured FROM sources WHERE kind != 'sync'"
    ).fetchall()
    unlisted = [(int(i), str(n), (str(k), str(c))) for i, n, k, c in stored if n not in configured]
    if not unlisted:
        return []  # the cache and the config agree: every start but one after an edit
    known = {str(name) for _, name, _, _ in stored}
    by_place = {where: (source_id, name) for source_id, name, where in unlisted}
    renames = [
        (found, name)
        for name, where in configured.items()
        if name not in known and (found := by_place.pop(where, None)) is not None
    ]
    renamed_ids = {source_id for (source_id, _), _ in renames}
    empty_web = [
        source_id
        for source_id, _, (kind, _) in unlisted
        if kind == "web" and source_id not in renamed_ids and not _holds_articles(conn, source_id)
    ]
    if renames or empty_web:
        with transaction(conn):
            for (source_id, _), name in renames:
                conn.execute("UPDATE sources SET name = ? WHERE id = ?", (name, source_id))
            for source_id in empty_web:
                _drop(conn, source_id)
    return [(old, new) for (_, old), new in renames]


def _holds_articles(conn: sqlite3.Connection, source_id: int) -> bool:
    found = conn.execute("SELECT 1 FROM articles WHERE source_id = ? LIMIT 1", (source_id,))
    return found.fetchone() is not None


def forget_source(conn: sqlite3.Connection, name: str) -> tuple[int, int] | None:
    """Delete a web or local source's unsaved articles, and the source unless saved ones are
    left. Returns (articles deleted, saved kept); None when no such source is stored."""
    row = conn.execute(
        "SELECT id FROM sources WHERE name = ? AND kind != 'sync'", (name,)
    ).fetchone()
    return None if row is None else drop_articles(conn, int(row[0]))


def drop_articles(conn: sqlite3.Connection, source_id: int) -> tuple[int, int]:
    """A source's unsaved articles go, and the source with them unless saved ones remain.
    Returns (articles deleted, saved kept)."""
    with transaction(conn):
        deleted = forget(
            conn, "FROM articles a WHERE a.source_id = ? AND a.saved = 0", (source_id,)
        )
        (kept,) = conn.execute(
            "SELECT count(*) FROM articles WHERE source_id = ?", (source_id,)
        ).fetchone()
        if kept:
            # Its feed is read whole when subscribed again (the forgotten articles return).
            conn.execute(
                "UPDATE sources SET removed = 1, etag = NULL, last_modified = NULL WHERE id = ?",
                (source_id,),
            )
        else:
            _drop(conn, source_id)
    return deleted, int(kept)


def let_removed_go(conn: sqlite3.Connection, unsaved: Iterable[int]) -> dict[str, tuple[int, int]]:
    """Articles just unsaved whose source was removed go, and each such source with its last
    saved one. Returns, for each source that forgot something, (articles deleted, saved
    kept)."""
    removed = removed_sources(conn, unsaved)
    dropped = {name: drop_articles(conn, source_id) for source_id, name in removed.items()}
    return {name: counts for name, counts in dropped.items() if counts[0]}


def removed_sources(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, str]:
    """The removed sources (`feeds remove`) of the articles `ids`, by id: an unsave of those
    articles forgets them."""
    found = conn.execute(
        "SELECT DISTINCT s.id, s.name FROM sources s JOIN articles a ON a.source_id = s.id "
        "WHERE s.removed = 1 AND a.id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(ids)),),
    )
    return {int(source_id): str(name) for source_id, name in found}


def _drop(conn: sqlite3.Connection, source_id: int) -> None:
    conn.execute("DELETE FROM remembered_read WHERE source_id = ?", (source_id,))
    conn.execute("DELETE FROM sources WHERE id = ?", (source_id,))
