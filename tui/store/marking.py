"""`M` on a search's results and `u` after any `M`: the unread articles a query matches, read
in one statement (not the results a page at a time), and marking read undone as a return to
the state before, not a choice the user made against the read rules.
Functions of a connection, called by the `Store` (the one door)."""

import sqlite3
from collections.abc import Sequence

from tui.store.errors import InvalidQuery
from tui.store.filters import scoped, where_of
from tui.store.query import ParsedQuery, parse_query, plain_words
from tui.store.rows import View
from tui.store.search import FALLBACK, query_errors
from tui.store.stories import with_stories
from tui.store.tx import transaction

CHUNK = 500
"""Ids per statement (SQLite's variable limit is far above)."""


def unread_matches(
    conn: sqlite3.Connection,
    query: str,
    *,
    view: View | None = None,
    stories: bool = False,
    upto: int | None = None,
) -> list[int]:
    """Ids of the unread articles a search for `query` lists (within `view`; with `stories`,
    with the unread articles of their stories, as a grouped list's rows are marked), none
    stored after article `upto`: what `M` marks read on a search's results."""
    try:
        ids = _unread(conn, parse_query(query), view, upto)
    except InvalidQuery:  # searched as plain words, as `search` does
        try:
            ids = _unread(conn, plain_words(query, FALLBACK), view, upto)
        except InvalidQuery:
            return []
    return with_stories(conn, ids, unread_only=True, upto=upto) if stories else ids


def _unread(
    conn: sqlite3.Connection, parsed: ParsedQuery, view: View | None, upto: int | None
) -> list[int]:
    where = where_of(conn, parsed, view)
    if where.empty is not None:
        return []
    where.add("a.read = 0")
    if upto is not None:  # not those a refresh brought while the question was asked
        where.add("a.id <= ?", upto)
    if parsed.match is not None:
        match = scoped(conn, parsed.match, where)
        where.add("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)", match)
    with query_errors():
        rows = conn.execute(f"SELECT a.id FROM articles a WHERE {where.sql}", where.params)
        return [int(r[0]) for r in rows]


def unmark_read(conn: sqlite3.Connection, ids: Sequence[int]) -> int:
    """Mark these articles unread again (`u` after `M`), leaving the user's choices against
    the read rules as they were: unread again is the state before, not "marked unread by
    hand", so a read rule still reaches them. Returns how many changed."""
    changed = 0
    with transaction(conn):
        for start in range(0, len(ids), CHUNK):
            chunk = list(ids[start : start + CHUNK])
            marks = ",".join("?" * len(chunk))
            # Those the trigger will note as a choice: read now, no choice noted before.
            fresh = conn.execute(
                f"SELECT a.id FROM articles a WHERE a.id IN ({marks}) AND a.read = 1 AND NOT "
                "EXISTS (SELECT 1 FROM user_choices c WHERE c.article_id = a.id "
                "AND c.action = 'read')",
                chunk,
            ).fetchall()
            changed += conn.execute(
                f"UPDATE articles SET read = 0 WHERE id IN ({marks}) AND read = 1", chunk
            ).rowcount
            conn.executemany(
                "DELETE FROM user_choices WHERE action = 'read' AND article_id = ?", fresh
            )
    return changed
