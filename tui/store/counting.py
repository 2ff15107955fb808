"""Counting a query's matches: a saved search's or a rule tag's unread count (a story once
where the list groups them) and a rule's matches (hidden articles too).

With a limit, counting stops once that many rows would be listed: matches are read newest
first only until then, so a common word costs what a rare one does. The limit counts what
the list shows (stories, where they are grouped), never the articles read to find them:
1,001 matching articles may be 500 stories.
Functions of a connection, called by the `Store` (the one door)."""

import sqlite3

from tui.store import search_newest as newest
from tui.store.errors import InvalidQuery
from tui.store.filters import AlsoNamed, Where, scoped, where_of
from tui.store.query import ParsedQuery, is_nothing, parse_query, plain_words
from tui.store.rows import View
from tui.store.search import FALLBACK, date_ids, query_errors
from tui.store.stories import UNREAD_STORIES

PROBE_MATCHES = 2000
"""Above this many matches, and an eighth of the unread articles, an unread count scans the
unread index instead of each match's row (a row costs ~8x an index entry)."""
_STORY = "coalesce(a.story, -a.id)"
"""A match's row in a grouped list: its story, or itself standing alone."""
_UNREAD_STORY = (
    f"CASE WHEN a.story IN ({UNREAD_STORIES}) THEN a.story "
    "WHEN a.story IS NULL AND a.read = 0 THEN -a.id END"
)
"""A match's row in a grouped list while that row is unread (a story is, while any of its
visible articles is, whichever outlet's), else NULL."""


def count(
    conn: sqlite3.Connection,
    query: str,
    *,
    unread_only: bool = False,
    now: float | None = None,
    limit: int | None = None,
    stories: bool = False,
    view: View | None = None,
    also_named: AlsoNamed | None = None,
) -> int:
    """How many articles match `query`, or only the unread ones (a saved search's count);
    with `limit`, counting stops there (`limit` means that many or more); with `stories`,
    a story's matches count once, as a grouped list shows them (`rule_matches` counts
    hidden articles too); with `view`, those the view shows (`list --search --unread`);
    `also_named`: as `search` reads it."""
    parsed = parse_query(query, now)
    row = (_UNREAD_STORY if unread_only else _STORY) if stories else None
    if unread_only and not stories and not is_nothing(parsed):  # nothing has no unread count
        parsed = parsed._replace(unread=True)
    try:
        return _count(conn, parsed, limit, row, view=view, also_named=also_named)
    except InvalidQuery:
        fallback = plain_words(query, FALLBACK)._replace(unread=parsed.unread)
    try:
        return _count(conn, fallback, limit, row, view=view, also_named=also_named)
    except InvalidQuery:
        return 0


def _count(
    conn: sqlite3.Connection,
    parsed: ParsedQuery,
    limit: int | None,
    row: str | None,
    *,
    any_hidden: bool = False,
    view: View | None = None,
    also_named: AlsoNamed | None = None,
) -> int:
    """The count of matches (of those `view` shows), or of the distinct non-NULL values of
    `row` among them; hidden articles too with `any_hidden`."""
    where = where_of(conn, parsed, view, any_hidden=any_hidden, also_named=also_named)
    if where.empty is not None:
        return 0
    with query_errors():
        if limit is not None:
            return _count_to(conn, parsed, where, limit, row)
        if parsed.match is not None:
            # Unread counts scan the small covering index of unread articles and probe the set
            # of matching ids (`+` keeps SQLite from looking up every match in the big table).
            match = scoped(conn, parsed.match, where)
            many = parsed.unread and _more_than(conn, match, _probe_above(conn))
            probe = "+a.id" if many else "a.id"
            where.add(
                f"{probe} IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)", match
            )
        counted = "*" if row is None else f"DISTINCT {row}"
        sql = f"SELECT count({counted}) FROM articles a WHERE {where.sql}"
        return int(conn.execute(sql, where.params).fetchone()[0])


def _count_to(
    conn: sqlite3.Connection, parsed: ParsedQuery, where: Where, limit: int, row: str | None
) -> int:
    """The count up to `limit`: matches are read (newest first, in the date window's ids)
    only until that many rows are found, so a common word costs what a rare one does (at
    1,000,000 articles an uncapped unread count of "the" read 661,500 matches, ~700 ms).
    The limit is on the rows counted (distinct `row` values), not on the matches read."""
    column = "1" if row is None else row
    if parsed.match is None:
        matches = f"SELECT {column} AS r FROM articles a WHERE {where.sql}"
        params = list(where.params)
    else:
        dated = date_ids(conn, where)
        if dated is None:
            return 0
        matches = (
            f"SELECT {column} AS r FROM articles_fts f CROSS JOIN articles a ON a.id = f.rowid "
            f"WHERE articles_fts MATCH ? AND {where.sql}{dated} ORDER BY f.rowid DESC"
        )
        params = [scoped(conn, parsed.match, where), *where.params]
    rows = matches if row is None else f"SELECT DISTINCT r FROM ({matches}) WHERE r IS NOT NULL"
    sql = f"SELECT count(*) FROM ({rows} LIMIT ?)"
    return int(conn.execute(sql, [*params, limit]).fetchone()[0])


def _probe_above(conn: sqlite3.Connection) -> int:
    return max(PROBE_MATCHES, newest.in_sources(conn, column="unread") // 8)


def _more_than(conn: sqlite3.Connection, match: str, count: int) -> bool:
    """Whether `match` has more than `count` matches (reading `count` of them, not all)."""
    sql = "SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT 1 OFFSET ?"
    return conn.execute(sql, (match, count)).fetchone() is not None


def rule_matches(conn: sqlite3.Connection, query: str, limit: int | None) -> int:
    """How many articles a rule's `query` matches, hidden or not, up to `limit`; raises
    InvalidQuery for a query FTS5 cannot run (a rule is skipped for it, never re-read)."""
    return _count(conn, parse_query(query), limit, None, any_hidden=True)
