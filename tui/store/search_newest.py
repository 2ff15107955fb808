"""Search results newest first: queries of filters only, and queries whose words are so common
that ranking them would cost more than the search may (see `too_common`).

Functions of a connection, called by `search` (errors are translated there).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence, Set

from tui.models import SearchHit
from tui.store import bodies
from tui.store.cjk import query_tokens
from tui.store.filters import Where, marks
from tui.store.query import ParsedQuery
from tui.store.rows import ROW_COLUMNS, ROW_WIDTH, SortKey, row_from
from tui.store.snippets import LEAD_CHARS, Snippets, lead

RANK_BUDGET = 150_000
"""bm25 weighs each word or phrase by how rare it is, and to know that it goes through every
match of it in the whole index, on every search: ~0.07 us a match for a word, ~1 us for a
phrase of several words (their positions are compared). A query whose words would cost more
than this many word matches (a phrase counting `PHRASE_COST` times) lists its matches newest
first instead: at 1,000,000 articles "the" alone would cost ~50 ms, `"of the"` ~700 ms."""
PHRASE_COST = 15
PROBE = 256
"""A word's matches are estimated from how far back its newest PROBE matches reach."""


class NewestIds:
    """Where a MATCH expression's matches reach, newest first, read by one statement per
    search for its own `matches`: a one-word query asks it twice (the cost estimate's probe,
    `too_common`, and the first ranking tier's cut), and for a prefix of three letters or more
    every statement merges the lists of all the words it starts (`elec*` at 1,000,000
    articles: ~25 ms at load 5). The statement is read only as far as asked; `close` ends it."""

    def __init__(self, conn: sqlite3.Connection, reads: int = 0, matches: Set[str] = frozenset()):
        self.conn, self.reads, self.matches = conn, reads, matches
        self._ids: list[int] = []
        self._rows: sqlite3.Cursor | None = None

    def nth(self, match: str, offset: int) -> int | None:
        """The id of the match `offset` places after the newest, or None when there are
        fewer; the newest `reads` ids of `matches` (one expression, maybe written two ways)
        come from one statement, read on as far as asked."""
        if match in self.matches and offset < self.reads:
            if self._rows is None:
                self._rows = self.conn.execute(_NEWEST, (match, self.reads))
            wanted = offset + 1 - len(self._ids)
            self._ids += (int(r[0]) for r in self._rows.fetchmany(max(wanted, 0)))
            return self._ids[offset] if offset < len(self._ids) else None
        found = self.conn.execute(f"{_NEWEST} OFFSET ?", (match, 1, offset)).fetchone()
        return int(found[0]) if found else None

    def close(self) -> None:
        if self._rows is not None:
            self._rows.close()


_NEWEST = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?"


def too_common(conn: sqlite3.Connection, parsed: ParsedQuery, ids: NewestIds | None = None) -> bool:
    """Whether ranking `parsed` would cost more than RANK_BUDGET (see there)."""
    # Two subqueries: each reads one end of the table (max and min together scan it).
    ends = "SELECT (SELECT max(id) FROM articles), (SELECT min(id) FROM articles)"
    newest, oldest = conn.execute(ends).fetchone()
    if newest is None:
        return False
    ids = ids or NewestIds(conn)
    cost = 0.0
    for term in [*(t for group in parsed.groups for t in group), *parsed.excluded]:
        cut = ids.nth(term.fts, PROBE)
        if cut is not None:  # else fewer than PROBE matches: nothing to speak of
            matches = PROBE * (newest - oldest + 1) / (newest - cut)
            cost += matches * (PHRASE_COST if " " in query_tokens(term.text)[0] else 1)
    return cost > RANK_BUDGET


def matches(
    conn: sqlite3.Connection,
    match: str,
    where: Where,
    snippets: Snippets,
    limit: int,
    offset_key: SortKey | None,
    ids: str = "",
) -> list[SearchHit]:
    """The matches of `match` newest first by arrival (the order of the ranking tiers), after
    the row at `offset_key` if given, among the `ids` (SQL conditions on `f.rowid`)."""
    where_sql, params = where.sql + ids, [match, *where.params]
    if offset_key is not None:
        where_sql += " AND f.rowid < ?"
        params.append(offset_key[1])
    records = conn.execute(
        f"SELECT {ROW_COLUMNS}, {snippets.column} "
        "FROM articles_fts f CROSS JOIN articles a ON a.id = f.rowid "
        "CROSS JOIN sources s ON s.id = a.source_id "
        f"WHERE articles_fts MATCH ? AND {where_sql} ORDER BY f.rowid DESC LIMIT ?",
        [*params, limit],
    ).fetchall()
    return [
        SearchHit(row_from(r[:ROW_WIDTH]), snippets.make(r[2], r[ROW_WIDTH]), 0.0) for r in records
    ]


def listing(
    conn: sqlite3.Connection, where: Where, limit: int, offset_key: SortKey | None
) -> list[SearchHit]:
    """Newest first: the page's ids, then their rows (so no body is read for a row that
    sorting drops)."""
    if offset_key is not None:
        where.add("(a.sort_ts, a.id) < (?, ?)", *offset_key)
    walk = f"INDEXED BY {where.newest}" if _walks(conn, where, limit) else ""
    page = (
        f"SELECT a.id FROM articles a {walk} WHERE {where.sql} "
        "ORDER BY a.sort_ts DESC, a.id DESC LIMIT ?"
    )
    records = conn.execute(
        f"SELECT {ROW_COLUMNS}, a.body FROM articles a JOIN sources s ON s.id = a.source_id "
        f"WHERE a.id IN ({page}) ORDER BY a.sort_ts DESC, a.id DESC",
        [*where.params, limit],
    ).fetchall()
    return [
        SearchHit(row_from(r[:ROW_WIDTH]), lead(bodies.start(r[ROW_WIDTH], LEAD_CHARS * 2)), 0.0)
        for r in records
    ]


def _walks(conn: sqlite3.Connection, where: Where, limit: int) -> bool:
    """Whether to read the articles newest first until the page is full, rather than take
    every article the source and tag filters keep and sort them.

    Reading newest first costs about `limit x visible / matches` rows, taking them all costs
    `matches` rows: with `visible` articles in all, walking wins above sqrt(limit x visible)
    matches (3,162 at 100,000 for a page of 100). Matches are estimated from each filter's
    share of the articles, as if the filters were independent. (Without such filters, or
    with one source only, SQLite reads an index in date order by itself.)"""
    one_source = len(where.kept) == 1 and len(where.kept[0][0]) <= 1 and not where.kept[0][1]
    if where.newest is None or not where.kept or one_source:
        return False
    visible = in_sources(conn)
    matches = float(visible)
    for source_ids, tags in where.kept:
        matches *= min(1.0, _kept(conn, source_ids, tags) / max(visible, 1))
    return matches * matches > limit * visible


def _kept(conn: sqlite3.Connection, source_ids: Sequence[int], tags: Sequence[str]) -> int:
    """How many visible articles are in these sources, plus how many carry these tags."""
    found = in_sources(conn, source_ids)
    if tags:
        sql = f"SELECT count(*) FROM article_tags WHERE tag IN ({marks(tags)})"
        found += int(conn.execute(sql, list(tags)).fetchone()[0])
    return found


def in_sources(
    conn: sqlite3.Connection, source_ids: Sequence[int] | None = None, column: str = "visible"
) -> int:
    """Visible (or, with `column="unread"`, unread) articles in these sources (None: in all),
    from the per-source counts."""
    only = "" if source_ids is None else f" WHERE source_id IN ({marks(source_ids)})"
    sql = f"SELECT coalesce(sum({column}), 0) FROM source_counts{only}"
    return int(conn.execute(sql, list(source_ids or ())).fetchone()[0])
