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
from tui.store.tx import Connection

RANK_BUDGET = 150_000
"""bm25 weighs each word or phrase by how rare it is, and to know that it goes through every
match of it in the whole index, on every search: ~0.07 us a match for a word, ~1 us for a
phrase of several words (their positions are compared). A query whose words would cost more
than this many word matches (a phrase counting `PHRASE_COST` times) lists its matches newest
first instead: at 1,000,000 articles "the" alone would cost ~50 ms, `"of the"` ~700 ms."""
PHRASE_COST = 15
PROBE = 256
"""A word's matches are estimated from how far back its newest PROBE matches reach."""
SURE_ROWS = 16  # snippets cut ahead whatever the word (see `_SnippetsAhead`)
LOOKS_COMMON = 1 / 3
"""Snippets cut ahead (see `_SnippetsAhead`) stop once the matches read put the word below
this share of RANK_BUDGET. Words bunch in time (a story runs for days), so the newest
matches are a rough gauge: in the 1,000,000-article corpus a prefix with 282,000 matches
looked like 71,000 at its 64th newest, others with ~96,000 like 240,000 at their 32nd. A
word taken for less is searched as before; one taken for more wastes its snippets."""


class NewestIds:
    """Where a MATCH expression's matches reach, newest first, read by one statement per
    search for its own `matches`: a one-word query asks it twice (the cost estimate's probe,
    `too_common`, and the first ranking tier's cut), and for a prefix of three letters or more
    every statement merges the lists of all the words it starts (`elec*` at 1,000,000
    articles: ~25 ms at load 5). The statement is read only as far as asked; `close` ends it.

    With `snippet_rows`, the statement also cuts the `snippets` of its first rows where there
    are articles enough for a word to be too common to rank (see `_SnippetsAhead`); `page`
    lists them if it is, so such a prefix's newest matches come from one merge, not two."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        reads: int = 0,
        matches: Set[str] = frozenset(),
        snippets: Snippets | None = None,
        snippet_rows: int = 0,
    ):
        self.conn, self.reads, self.matches = conn, reads, matches
        self.snippets = snippets or Snippets()
        self.snippet_rows = min(snippet_rows, reads)
        self._ids: list[int] = []
        self._snippets: dict[int, str | bytes] = {}
        """The snippets of the newest matches read, as far as every one has one."""
        self._rows: sqlite3.Cursor | None = None
        self._ends: tuple[int, int] | None = None

    @property
    def ends(self) -> tuple[int, int] | None:
        """The newest and oldest article ids; None without articles."""
        if self._ends is None:
            # Two subqueries: each reads one end of the table (max and min together scan it).
            sql = "SELECT (SELECT max(id) FROM articles), (SELECT min(id) FROM articles)"
            newest, oldest = self.conn.execute(sql).fetchone()
            self._ends = None if newest is None else (int(newest), int(oldest))
        return self._ends

    def nth(self, match: str, offset: int) -> int | None:
        """The id of the match `offset` places after the newest, or None when there are
        fewer; the newest `reads` ids of `matches` (one expression, maybe written two ways)
        come from one statement, read on as far as asked."""
        if match in self.matches and offset < self.reads:
            self._read_to(match, offset + 1)
            return self._ids[offset] if offset < len(self._ids) else None
        found = self.conn.execute(f"{_NEWEST} OFFSET ?", (match, 1, offset)).fetchone()
        return int(found[0]) if found else None

    def _read_to(self, match: str, count: int) -> None:
        if self._rows is None:
            self._rows = self._statement(match)
        if count <= len(self._ids):
            return  # (`fetchmany(0)` would read every row left)
        for row in self._rows.fetchmany(count - len(self._ids)):
            if row[1] is not None and len(self._snippets) == len(self._ids):
                self._snippets[int(row[0])] = row[1]
            self._ids.append(int(row[0]))

    def _statement(self, match: str) -> sqlite3.Cursor:
        column = "NULL"
        if self.snippet_rows > 0 and isinstance(self.conn, Connection) and self.ends:
            newest, oldest = self.ends
            if newest - oldest + 1 > RANK_BUDGET:  # else no word can be too common
                self.conn.gate.test = _SnippetsAhead(self.snippet_rows, newest, oldest)
                column = f"CASE WHEN nd_gate(rowid) THEN {self.snippets.ahead_column} END"
        sql = f"SELECT rowid, {column} {_NEWEST.removeprefix('SELECT rowid ')}"
        return self.conn.execute(sql, (match, self.reads))

    def page(self, match: str, where: Where, ids: str, limit: int) -> list[SearchHit] | None:
        """The newest `limit` matches of `match` that pass `where` and the `ids` conditions
        (on `a.id`), if the rows read with their snippets hold them all; else None (also
        when the estimate read another expression: this one's would be a merge of its own)."""
        if self._rows is None or match not in self.matches or not self.snippet_rows:
            return None
        self._read_to(match, self.snippet_rows)
        cut = self._snippets
        if not cut:
            return None
        records = self.conn.execute(
            f"SELECT {ROW_COLUMNS} FROM articles a CROSS JOIN sources s ON s.id = a.source_id "
            f"WHERE a.id IN ({marks(list(cut))}) AND {where.sql}{ids} ORDER BY a.id DESC LIMIT ?",
            [*cut, *where.params, limit],
        ).fetchall()
        every_match = len(cut) == len(self._ids) < self.snippet_rows
        if len(records) < limit and not every_match:
            return None  # the page may go on beyond the rows with snippets
        make = self.snippets.make
        return [SearchHit(row_from(r), make(r[2], cut[int(r[0])]), 0.0) for r in records]

    def close(self) -> None:
        if self._rows is not None:
            self._rows.close()
        if isinstance(self.conn, Connection):
            self.conn.gate.test = None


class _SnippetsAhead:
    """Which rows of a newest-first read of one word's matches get their snippet: the first
    `rows`, as long as the matches read reach back little enough for the word to look too
    common to rank (else its snippets are cut again by the ranked search: at 1,000,000
    articles ~0.15 ms each). The first SURE_ROWS get theirs anyway: fewer say too little."""

    def __init__(self, rows: int, newest: int, oldest: int) -> None:
        self.rows, self.newest, self.span = rows, newest, newest - oldest + 1
        self.read, self.common = 0, True

    def __call__(self, rowid: int) -> bool:
        self.read += 1
        if self.read >= SURE_ROWS and self.common:
            matches = _estimated(self.read, self.newest - rowid + 1, self.span)
            self.common = matches > LOOKS_COMMON * RANK_BUDGET
        return self.read <= self.rows and (self.read <= SURE_ROWS or self.common)


_NEWEST = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?"


def _estimated(found: int, within: int, span: int) -> float:
    """A word's matches among `span` article ids, from the `found` it has among the newest
    `within` ids (the cost estimate's probe, and the snippets cut ahead)."""
    return found * span / within


def too_common(conn: sqlite3.Connection, parsed: ParsedQuery, ids: NewestIds | None = None) -> bool:
    """Whether ranking `parsed` would cost more than RANK_BUDGET (see there)."""
    ids = ids or NewestIds(conn)
    if ids.ends is None:
        return False
    newest, oldest = ids.ends
    cost = 0.0
    for term in [*(t for group in parsed.groups for t in group), *parsed.excluded]:
        cut = ids.nth(term.fts, PROBE)
        if cut is not None:  # else fewer than PROBE matches: nothing to speak of
            matches = _estimated(PROBE, newest - cut, newest - oldest + 1)
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
    """How many visible articles are in these sources, plus how many carry these (`fold`ed)
    tags."""
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
