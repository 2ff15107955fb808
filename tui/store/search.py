"""Search: the query language (see `store.query`) run against FTS5, with filters and snippets.

Queries with words are ranked by bm25 (title weighted far above body, so a title match beats a
body-only one; newer first among equal scores). FTS5 sorts its matches by `rank` and the rows
stream out in that order, so filters, the join to `articles` and snippets only touch the rows
read. The cost that remains is bm25 for every ranked match, so matches are ranked in tiers by
arrival (`RANK_WINDOW`), and source filters (`source:`, a view's source or tag) are also
written into the MATCH expression so FTS5 never ranks other sources' rows.
Queries with filters only list articles newest first with keyset paging, like `Store.page`.
Functions of a connection, called by the `Store` (the one door).
Nothing here raises for a bad query: an FTS5 error becomes `InvalidQuery` at the SQL boundary,
and `search`/`count` retry the text as plain words and say so in the result's notice.
"""

from __future__ import annotations

import math
import sqlite3
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from tui.models import SearchHit
from tui.store.cjk import query_tokens
from tui.store.errors import InvalidQuery
from tui.store.query import ParsedQuery, Term, parse_query, plain_words, searchable
from tui.store.rows import ROW_COLUMNS, SortKey, View, row_from
from tui.store.snippets import LEAD_CHARS, Snippets, lead

RANKING = "bm25(10.0, 2.0, 1.0, 0.0, 0.0)"
"""Column weights: title, author, body, source, tags. The source name and the article's tags
match (`reuters` finds Reuters' articles) but add nothing to the score, so source and tag
filters can be pushed into the MATCH expression without changing any score."""
RANK_WINDOW = 2000
"""Matches ranked at once. bm25 is computed for every ranked match (~2.5 µs each), so results
come in tiers by arrival: the newest RANK_WINDOW matches ranked, then the rest of the newest
4 x RANK_WINDOW, then of 16 x, and so on. A tier is only ranked when the earlier ones gave
fewer rows than asked for (the user scrolled on, or filters left too few), so a very common
word costs about what a rare one does, and a growing `limit` always extends the same order."""
PROBE_MATCHES = 2000
"""Above this many matches an unread count scans the unread index instead of each match's row."""
MAX_SCOPE = 16
"""Up to this many allowed sources are also written into the MATCH expression."""
_FALLBACK = "could not search for that as written: searched as plain words"


_Span = tuple[int | None, int | None]
"""Article ids (lower, upper]; None: unbounded."""


@dataclass(frozen=True)
class SearchResult:
    """What a search found, and how the query was understood."""

    hits: list[SearchHit]
    notice: str | None = None
    """One line for the status bar when the query was reinterpreted (None when taken as typed)."""
    terms: tuple[str, ...] = ()
    """The plain words and phrases searched for, to highlight in titles."""


@dataclass
class _Where:
    """SQL conditions on `a` (articles) with their parameters; `empty` when nothing can match."""

    clauses: list[str] = field(default_factory=list)
    params: list[object] = field(default_factory=list)
    empty: str | None = None
    """Why no article can match (a source that does not exist), as a notice."""
    scope: set[int] | None = None
    """The only sources results can come from (None: any)."""
    dates: tuple[float, float] | None = None
    """The date window [since, before) of `since:`/`before:` (None: any date)."""
    hints: list[str] = field(default_factory=list)
    """FTS5 conditions every result meets (the SQL clauses stay the exact test), written into
    the MATCH expression so FTS5 ranks no row the filters would drop."""

    def add(self, clause: str, *params: object) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    @property
    def sql(self) -> str:
        return " AND ".join(self.clauses) or "1"

    def narrow(self, source_ids: Sequence[int]) -> None:
        """Results come only from these sources (intersected with earlier limits)."""
        allowed = set(source_ids)
        self.scope = allowed if self.scope is None else self.scope & allowed


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    limit: int = 50,
    offset_key: SortKey | None = None,
    view: View | None = None,
    now: float | None = None,
) -> SearchResult:
    """Articles matching `query`, best first (or newest first for a query of filters only).

    Pages: ask again with a larger `limit` (the first hits stay the same), or pass the last
    hit's `row.sort_key` as `offset_key` for the hits after it (keyset paging for filter-only
    queries; for ranked ones the hits after that row's score, or none if it no longer
    matches). `view` restricts the search to what a list shows; `now` is the time relative
    dates (`since:7d`) count from. Never raises for any `query`.
    """
    parsed = parse_query(query, now)
    try:
        return _search(conn, parsed, limit, offset_key, view)
    except InvalidQuery:
        fallback = plain_words(query, _FALLBACK)
    try:
        return _search(conn, fallback, limit, offset_key, view)
    except InvalidQuery as exc:
        return SearchResult([], f"could not search for that: {exc}", ())


def count(
    conn: sqlite3.Connection, query: str, *, unread_only: bool = False, now: float | None = None
) -> int:
    """How many articles match `query`, or only the unread ones (a saved search's count)."""
    parsed = parse_query(query, now)
    if unread_only:
        parsed = replace(parsed, unread=True)
    try:
        return _count(conn, parsed)
    except InvalidQuery:
        fallback = replace(plain_words(query, _FALLBACK), unread=True if unread_only else None)
    try:
        return _count(conn, fallback)
    except InvalidQuery:
        return 0


def matching_ids(
    conn: sqlite3.Connection,
    query: str,
    *,
    among: Sequence[int] | None = None,
    sources: Sequence[str] = (),
) -> list[int]:
    """Ids of the articles `query` matches, hidden or not (rules): optionally only `among`
    these ids and in these sources. Runs on the caller's connection, inside its transaction.
    Raises InvalidQuery for a query FTS5 cannot run (a rule reports it and is skipped)."""
    parsed = parse_query(query)
    where = _where(conn, parsed, None, any_hidden=True)
    if where.empty is not None or (among is not None and not among):
        return []
    if sources:
        where.add(
            f"a.source_id IN (SELECT id FROM sources WHERE name IN ({_marks(sources)}))", *sources
        )
    if among is not None:
        where.add(f"a.id IN ({_marks(among)})", *among)
    if parsed.match is not None:
        where.add(
            "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)", parsed.match
        )
    with _query_errors():
        rows = conn.execute(f"SELECT a.id FROM articles a WHERE {where.sql}", where.params)
        return [int(r[0]) for r in rows]


# -- running a parsed query ----------------------------------------------------------------


def _search(
    conn: sqlite3.Connection,
    parsed: ParsedQuery,
    limit: int,
    offset_key: SortKey | None,
    view: View | None,
) -> SearchResult:
    where = _where(conn, parsed, view)
    notice = "; ".join(filter(None, (parsed.notice, where.empty))) or None
    hits: list[SearchHit] = []
    if where.empty is None and limit > 0:
        with _query_errors():
            if parsed.match is None:
                hits = _listing(conn, where, limit, offset_key)
            else:
                match = _scoped(conn, parsed.match, where)
                snippets = Snippets.of(parsed)
                window = _window(parsed)
                hits = _ranked(conn, match, where, snippets, limit, offset_key, window)
    return SearchResult(hits, notice, parsed.terms)


def _count(conn: sqlite3.Connection, parsed: ParsedQuery) -> int:
    where = _where(conn, parsed, None)
    if where.empty is not None:
        return 0
    if parsed.match is not None:
        # Unread counts scan the small covering index of unread articles and probe the set of
        # matching ids (`+` keeps SQLite from looking up every match in the big table instead).
        match = _scoped(conn, parsed.match, where)
        probe = "+a.id" if parsed.unread and _matches(conn, match) > PROBE_MATCHES else "a.id"
        where.add(f"{probe} IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)", match)
    with _query_errors():
        sql = f"SELECT count(*) FROM articles a WHERE {where.sql}"
        return int(conn.execute(sql, where.params).fetchone()[0])


def _matches(conn: sqlite3.Connection, match: str) -> int:
    sql = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?"
    return int(conn.execute(sql, (match,)).fetchone()[0])


@contextmanager
def _query_errors() -> Iterator[None]:
    """FTS5's complaints about a MATCH expression become InvalidQuery; other errors pass."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        message = str(exc)
        if any(word in message for word in ("fts5", "syntax error", "no such column", "MATCH")):
            raise InvalidQuery(message) from None
        raise


# -- filters -------------------------------------------------------------------------------


def _where(
    conn: sqlite3.Connection, parsed: ParsedQuery, view: View | None, *, any_hidden: bool = False
) -> _Where:
    where = _Where()
    # Flags are literals, not parameters, so the partial indexes on them can be used.
    if not any_hidden or parsed.hidden:
        where.add(f"a.hidden = {int(parsed.hidden)}")
    _source_filter(conn, parsed, where)
    _tag_filter(conn, parsed.tags, where, exclude=False)
    _tag_filter(conn, parsed.excluded_tags, where, exclude=True)
    if parsed.unread is not None:
        where.add(f"a.read = {int(not parsed.unread)}")
    if parsed.saved is not None:
        where.add(f"a.saved = {int(parsed.saved)}")
    if parsed.since is not None:
        where.add("a.sort_ts >= ?", parsed.since)
    if parsed.before is not None:
        where.add("a.sort_ts < ?", parsed.before)
    if parsed.since is not None or parsed.before is not None:
        where.dates = (
            -math.inf if parsed.since is None else parsed.since,
            math.inf if parsed.before is None else parsed.before,
        )
    if parsed.match is None and parsed.exclusion is not None:
        # Only exclusions (`-sport`): FTS5 cannot match "not x" on its own.
        where.add(
            "a.id NOT IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)",
            parsed.exclusion,
        )
    _view_filter(conn, view, where)
    return where


def _view_filter(conn: sqlite3.Connection, view: View | None, where: _Where) -> None:
    if view is None or view == View():
        return
    clause, params = view.where(visible_only=False)  # `_where` has the hidden condition
    where.add(f"({clause})", *params)
    if view.source is not None:
        found = conn.execute("SELECT id FROM sources WHERE name = ?", (view.source,))
        where.narrow([int(r[0]) for r in found])
    if view.tag is not None:
        found = conn.execute("SELECT source_id FROM source_tags WHERE tag = ?", (view.tag,))
        where.narrow([int(r[0]) for r in found])


def _source_filter(conn: sqlite3.Connection, parsed: ParsedQuery, where: _Where) -> None:
    if not parsed.sources and not parsed.excluded_sources:
        return
    names = conn.execute("SELECT id, name FROM sources").fetchall()
    if parsed.sources:
        wanted = [i for name in parsed.sources for i in _matching(names, name)]
        if not wanted:
            where.empty = "no source named " + " or ".join(map(repr, parsed.sources))
        where.add(f"a.source_id IN ({_marks(wanted)})", *wanted)
        where.narrow(wanted)
    unwanted = [i for name in parsed.excluded_sources for i in _matching(names, name)]
    if unwanted:
        where.add(f"a.source_id NOT IN ({_marks(unwanted)})", *unwanted)


def _tag_filter(
    conn: sqlite3.Connection, tags: Sequence[str], where: _Where, *, exclude: bool
) -> None:
    """Source tags (a few source ids) or the article's own tags (table `article_tags`)."""
    if not tags:
        return
    source_tags = conn.execute("SELECT source_id, tag FROM source_tags").fetchall()
    ids = sorted({i for tag in tags for i in _matching(source_tags, tag, exact=True)})
    clause = (
        f"(a.source_id IN ({_marks(ids)}) OR "
        f"a.id IN (SELECT article_id FROM article_tags WHERE tag IN ({_marks(tags)})))"
    )
    where.add(("NOT " if exclude else "") + clause, *ids, *tags)
    # Tags no source carries are usually rare among a word's matches: FTS5 then ranks only the
    # tagged ones. (A source's tag keeps to the SQL test: the matches of a few whole sources
    # are many, and an OR of source-name phrases costs more to rank than it saves.)
    terms = [Term(tag, "tags") for tag in tags]
    if not exclude and not ids and all(searchable(t.text) for t in terms):
        where.hints.append(f"({' OR '.join(t.fts for t in terms)})")


def _matching(rows: Sequence[tuple[int, str]], wanted: str, exact: bool = False) -> list[int]:
    """Ids whose name equals `wanted` ignoring case and accents, else contains it."""
    folded = _fold(wanted)
    equal = [i for i, name in rows if _fold(name) == folded]
    if equal or exact:
        return equal
    return [i for i, name in rows if folded in _fold(name)]


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))


def _scoped(conn: sqlite3.Connection, match: str, where: _Where) -> str:
    """`match` also requiring the filters' hints and the allowed source names, so FTS5 skips
    rows the filters would drop."""
    conditions = [f"({match})", *where.hints]
    if where.scope and len(where.scope) <= MAX_SCOPE:
        marks = _marks(sorted(where.scope))
        found = conn.execute(f"SELECT name FROM sources WHERE id IN ({marks})", sorted(where.scope))
        terms = [Term(str(r[0])) for r in found]
        if all(searchable(t.text) for t in terms):
            conditions.append(f"source : ({' OR '.join(t.fts for t in terms)})")
    return " AND ".join(conditions)


# -- ranked results ------------------------------------------------------------------------

_RANKED = (
    "SELECT f.rank, {columns}, {snippet} "
    # CROSS JOIN pins the order: FTS5 sorts by rank and streams; articles are looked up by id.
    "FROM articles_fts f CROSS JOIN articles a ON a.id = f.rowid "
    "CROSS JOIN sources s ON s.id = a.source_id "
    "WHERE articles_fts MATCH ? AND f.rank MATCH ? AND {where} ORDER BY f.rank"
)


def _ranked(
    conn: sqlite3.Connection,
    match: str,
    where: _Where,
    snippets: Snippets,
    limit: int,
    offset_key: SortKey | None,
    window: int = RANK_WINDOW,
) -> list[SearchHit]:
    """Ranked hits tier by tier (see RANK_WINDOW), after the hit at `offset_key` if given.

    When the first tier leaves the page short and there is a date filter, the later tiers only
    cover the ids of the articles in the date window: an old or narrow window would otherwise
    have every match ranked. (Not before: a recent window usually fills the page at once, and
    finding the ids of a wide window costs more than the first tier.)"""
    after = None if offset_key is None else _position(conn, match, offset_key)
    if offset_key is not None and after is None:
        return []  # the row paged from no longer matches: start again
    records: list[Sequence[Any]] = []
    span: _Span = (None, None)
    upper, size = None, window
    while len(records) < limit:
        if upper is not None and where.dates is not None and span == (None, None):
            span = _span(conn, where.dates)
            if span[1] is None:
                break  # nothing in the date window
            upper = min(upper, span[1])
        cut = _cutoff(conn, match, size, span)
        lower = span[0] if cut is None else cut
        # Tiers newer than the one holding the row paged from were shown before.
        shown = offset_key is not None and after is not None and offset_key[1] <= (lower or 0)
        if not shown:
            tier = (lower, upper)
            records += _rank(conn, match, where, snippets, tier, limit - len(records), after)
            after = None  # every row of the tiers after that one is new
        if cut is None:
            break
        upper, size = cut, size * 4
    return [SearchHit(row_from(r[1:11]), snippets.make(r[3], r[11]), -float(r[0])) for r in records]


def _window(parsed: ParsedQuery) -> int:
    """Matches per first ranking tier. bm25 of a phrase reads token positions (~2.5x a word's
    cost per match; a CJK word of three or more characters is a phrase of pairs), so each
    phrase halves the tier."""
    terms = [term for group in parsed.groups for term in group]
    phrases = sum(" " in query_tokens(term.text)[0] for term in terms)
    return RANK_WINDOW >> min(phrases, 3)


def _cutoff(conn: sqlite3.Connection, match: str, newest: int, span: _Span) -> int | None:
    """The rowid of the newest match in `span` older than its `newest` newest, or None when
    all fit."""
    bounds = _bounds("rowid", span)
    found = conn.execute(
        f"SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? {bounds} "
        "ORDER BY rowid DESC LIMIT 1 OFFSET ?",
        (match, newest),
    ).fetchone()
    return int(found[0]) if found else None


def _span(conn: sqlite3.Connection, dates: tuple[float, float]) -> _Span:
    """The ids of the articles dated in `dates`: (lowest - 1, highest), or (None, None)."""
    # Per source, so the range scans stay in the covering index articles_by_source.
    lowest, highest = conn.execute(
        "SELECT min(id), max(id) FROM articles WHERE source_id IN (SELECT id FROM sources) "
        "AND sort_ts >= ? AND sort_ts < ?",
        dates,
    ).fetchone()
    return (None, None) if lowest is None else (int(lowest) - 1, int(highest))


def _bounds(column: str, span: _Span) -> str:
    """SQL conditions (after an AND) keeping `column` in `span`; integers, so inlined."""
    lower, upper = span
    return (f" AND {column} > {lower}" if lower is not None else "") + (
        f" AND {column} <= {upper}" if upper is not None else ""
    )


def _rank(
    conn: sqlite3.Connection,
    match: str,
    where: _Where,
    snippets: Snippets,
    tier: _Span,
    limit: int,
    after: tuple[float, float, int] | None,
) -> list[Sequence[Any]]:
    """Up to `limit` rows of one tier (rowids in `tier`'s (lower, upper]) in ranked order."""
    where_sql, params = where.sql + _bounds("f.rowid", tier), list(where.params)
    if after is not None:
        where_sql += " AND f.rank >= ?"
        params.append(after[0])
    sql = _RANKED.format(columns=ROW_COLUMNS, snippet=snippets.column, where=where_sql)
    cursor = conn.execute(sql, [match, RANKING, *params])
    try:
        return _take(cursor, limit, after)
    finally:
        cursor.close()


def _position(
    conn: sqlite3.Connection, match: str, key: SortKey
) -> tuple[float, float, int] | None:
    """The ranked-order position of the row at `key`, to continue after it."""
    found = conn.execute(
        "SELECT rank FROM articles_fts WHERE articles_fts MATCH ? AND rank MATCH ? AND rowid = ?",
        (match, RANKING, key[1]),
    ).fetchone()
    return (float(found[0]), -key[0], -key[1]) if found else None


def _order(record: Sequence[Any]) -> tuple[float, float, int]:
    """Ranked order: best score, then newest (sort_ts), then highest id."""
    return (float(record[0]), -float(record[10]), -int(record[1]))


def _take(
    rows: Iterator[Sequence[Any]], limit: int, after: tuple[float, float, int] | None
) -> list[Sequence[Any]]:
    """The first `limit` rows in ranked order, reading on through rows tied with the last.

    FTS5 streams equal scores in no useful order, so the whole tie group is read and ordered
    by date: stopping inside it would make a page boundary fall in different places from one
    page to the next and lose rows (equal scores are rare in real text)."""
    kept: list[Sequence[Any]] = []
    boundary: object = None
    for record in rows:
        if boundary is not None and record[0] != boundary:
            break
        if after is not None and _order(record) <= after:
            continue
        kept.append(record)
        if boundary is None and len(kept) >= limit:
            boundary = record[0]
    kept.sort(key=_order)
    return kept[:limit]


# -- filter-only results -------------------------------------------------------------------


def _listing(
    conn: sqlite3.Connection, where: _Where, limit: int, offset_key: SortKey | None
) -> list[SearchHit]:
    if offset_key is not None:
        where.add("(a.sort_ts, a.id) < (?, ?)", *offset_key)
    records = conn.execute(
        f"SELECT {ROW_COLUMNS}, substr(a.body, 1, {LEAD_CHARS * 2}) "
        "FROM articles a JOIN sources s ON s.id = a.source_id "
        f"WHERE {where.sql} ORDER BY a.sort_ts DESC, a.id DESC LIMIT ?",
        [*where.params, limit],
    ).fetchall()
    return [SearchHit(row_from(r[:10]), lead(r[10]), 0.0) for r in records]
