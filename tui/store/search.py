"""Search: the query language (see `store.query`) run against FTS5, with filters and snippets.

Queries with words are ranked by bm25 (title weighted far above body, so a title match beats a
body-only one; newer first among equal scores). FTS5 sorts its matches by `rank` and the rows
stream out in that order, so filters, the join to `articles` and snippets only touch the rows
read. The cost that remains is bm25 for every ranked match, so matches are ranked in tiers by
arrival (`RANK_WINDOW`), and source filters (`source:`, a view's source or tag) are also
written into the MATCH expression so FTS5 never ranks other sources' rows.
Queries with filters only list articles newest first with keyset paging, like `Store.page`,
and so do queries whose words are too common to rank (see `search_newest`).
Functions of a connection, called by the `Store` (the one door).
Nothing here raises for a bad query: an FTS5 error becomes `InvalidQuery` at the SQL boundary,
and `search`/`count` retry the text as plain words and say so in the result's notices."""

# No `from __future__ import annotations`: a NamedTuple compiles each field's annotation
# string when defined (~0.06 ms a field, at every start of a command).
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from typing import Any, NamedTuple

from tui.models import SearchHit
from tui.store import days
from tui.store import search_newest as newest
from tui.store.cjk import query_tokens
from tui.store.errors import InvalidQuery
from tui.store.filters import AlsoNamed, Where, marks, named_sources, scoped, where_of
from tui.store.notices import NOTHING
from tui.store.query import ParsedQuery, parse_query, plain_words
from tui.store.rows import ROW_COLUMNS, ROW_WIDTH, SortKey, View, row_from
from tui.store.snippets import Snippets
from tui.store.stories import as_story_rows

RANKING = "bm25(10.0, 2.0, 1.0, 0.0, 0.0)"
"""Column weights: title, author, body, source, tags. The source name and the article's tags
match (`reuters` finds Reuters' articles) but add nothing to the score, so source and tag
filters can be pushed into the MATCH expression without changing any score."""
RANK_WINDOW = 1000
"""Matches ranked at once. bm25 is computed for every ranked match (~2.5 µs each), so results
come in tiers by arrival: the newest RANK_WINDOW matches ranked, then the rest of the newest
4 x RANK_WINDOW, then of 16 x, and so on. A tier is only ranked when the earlier ones gave
fewer rows than asked for (the user scrolled on, or filters left too few), so a very common
word costs about what a rare one does, and a growing `limit` always extends the same order."""
FALLBACK = "could not search for that as written: searched as plain words"


_Span = tuple[int | None, int | None]
"""Article ids (lower, upper]; None: unbounded."""


class SearchResult(NamedTuple):
    """What a search found, and how the query was understood."""

    hits: list[SearchHit]
    notices: tuple[str, ...] = ()
    """A line each: how the query was reinterpreted, why nothing can match (none: as typed)."""
    terms: tuple[str, ...] = ()
    """The plain words and phrases searched for, to highlight in titles."""

    @property
    def notice(self) -> str | None:
        return "; ".join(self.notices) or None  # one line: the command line's warning


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    limit: int = 50,
    offset_key: SortKey | None = None,
    view: View | None = None,
    now: float | None = None,
    stories: bool = False,
    hidden: bool = False,
    also_named: AlsoNamed | None = None,
) -> SearchResult:
    """Articles matching `query`, best first (or newest first for a query of filters only).

    Pages: ask again with a larger `limit` (the first hits stay the same), or pass the last
    hit's `row.sort_key` as `offset_key` for the hits after it (keyset paging for filter-only
    queries; for ranked ones the hits after that row's score, or none if it no longer
    matches). `view` restricts the search to what a list shows; `now` is the time relative
    dates (`since:7d`) count from; with `stories`, a hit is read as a grouped list's row is,
    once every visible article of its story is; with `hidden`, the hidden articles it
    matches, as `is:hidden` in it would (not written into it: `OR is:hidden` is a filter
    alone, where `OR` searches "or"); with `also_named`, `source:` finds sources by those
    names too (`filters.named_sources`). Never raises for any `query`.
    """
    parsed = parse_query(query, now)
    try:
        hide = parsed._replace(hidden=parsed.hidden or hidden)
        result = _search(conn, hide, limit, offset_key, view, also_named)
    except InvalidQuery:
        words = plain_words(query, FALLBACK)
        try:
            result = _search(conn, words._replace(hidden=hidden), limit, offset_key, view)
        except InvalidQuery as exc:
            return SearchResult([], (f"could not search for that: {exc}",))
    return result._replace(hits=as_story_rows(conn, result.hits)) if stories else result


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
    where = where_of(conn, parsed, None, any_hidden=True)
    if where.empty is not None or (among is not None and not among):
        return []
    if sources:  # named as `source:` names them
        ids = named_sources(conn, sources)
        where.add(f"a.source_id IN ({marks(ids)})", *ids)
    if among is not None:
        where.add(f"a.id IN ({marks(among)})", *among)
    if parsed.match is not None:
        where.add(
            "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)", parsed.match
        )
    with query_errors():
        rows = conn.execute(f"SELECT a.id FROM articles a WHERE {where.sql}", where.params)
        return [int(r[0]) for r in rows]


# -- running a parsed query ----------------------------------------------------------------


def _search(
    conn: sqlite3.Connection,
    parsed: ParsedQuery,
    limit: int,
    offset_key: SortKey | None,
    view: View | None,
    also_named: AlsoNamed | None = None,
) -> SearchResult:
    where = where_of(conn, parsed, view, also_named=also_named)
    notices, said_nothing = parsed.notices, any(n.startswith(NOTHING) for n in parsed.notices)
    # each reason a line, but not a second "nothing to search for" after "... in '🚀'"
    notices += tuple(e for e in where.empties if not (said_nothing and e.startswith(NOTHING)))
    hits: list[SearchHit] = []
    if where.empty is None and limit > 0:
        with query_errors():
            expression = parsed.match
            if expression is None:
                hits = newest.listing(conn, where, limit, offset_key)
            else:
                hits = _matched(conn, parsed, expression, where, limit, offset_key)
    return SearchResult(hits, notices, parsed.terms)


def _matched(
    conn: sqlite3.Connection,
    parsed: ParsedQuery,
    expression: str,
    where: Where,
    limit: int,
    offset_key: SortKey | None,
) -> list[SearchHit]:
    """The hits of a query with words (`expression`, its MATCH): ranked, or newest first
    when they are too common."""
    match = scoped(conn, expression, where)
    snippets = Snippets.of(parsed)
    window = _window(parsed)
    # With nothing scoped in, `match` is the query's own expression in brackets.
    same = {match, expression} if match == f"({expression})" else {match}
    # Snippets cut ahead: the page, and a quarter more for rows the filters drop.
    ahead = limit + limit // 4 if _one_merge(parsed, snippets, offset_key) else 0
    with closing(newest.NewestIds(conn, window + 1, same, snippets, ahead)) as ids:
        if newest.too_common(conn, parsed, ids):
            span = _date_span(conn, where)
            if span is None:
                return []  # nothing in the date window
            hits = ids.page(match, where, _bounds("a.id", span), limit)
            if hits is None:
                dated = _bounds("f.rowid", span)
                hits = newest.matches(conn, match, where, snippets, limit, offset_key, dated)
            return hits
        return _ranked(ids, match, where, snippets, limit, offset_key, window)


def _one_merge(parsed: ParsedQuery, snippets: Snippets, offset_key: SortKey | None) -> bool:
    """Whether the cost estimate's read should also cut the first page's snippets (see
    `NewestIds`): for a query of one prefix other than two letters (every MATCH statement of
    it merges the lists of all the words it starts; two-letter prefixes have an index of
    their own) and a page that starts at the newest match."""
    terms = [term for group in parsed.groups for term in group]
    if len(terms) != 1 or parsed.excluded or snippets.cjk is not None or offset_key is not None:
        return False
    return terms[0].prefix and len(terms[0].text) != 2


@contextmanager
def query_errors() -> Iterator[None]:
    """FTS5's complaints about a MATCH expression become InvalidQuery; other errors pass."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        message = str(exc)
        if any(word in message for word in ("fts5", "syntax error", "no such column", "MATCH")):
            raise InvalidQuery(message) from None
        raise


# -- ranked results ------------------------------------------------------------------------

_RANKED = (
    "SELECT f.rank, {columns}, {snippet} "
    # CROSS JOIN pins the order: FTS5 sorts by rank and streams; articles are looked up by id.
    "FROM articles_fts f CROSS JOIN articles a ON a.id = f.rowid "
    "CROSS JOIN sources s ON s.id = a.source_id "
    "WHERE articles_fts MATCH ? AND f.rank MATCH ? AND {where} ORDER BY f.rank"
)


def _ranked(
    ids: newest.NewestIds,
    match: str,
    where: Where,
    snippets: Snippets,
    limit: int,
    offset_key: SortKey | None,
    window: int = RANK_WINDOW,
) -> list[SearchHit]:
    """Ranked hits tier by tier (see RANK_WINDOW), after the hit at `offset_key` if given.

    With a date filter, the tiers only cover the ids of the articles in the date window: an
    old or narrow window would otherwise have every match ranked, tier after tier."""
    conn = ids.conn
    after = None if offset_key is None else _position(conn, match, offset_key)
    if offset_key is not None and after is None:
        return []  # the row paged from no longer matches: start again
    span = _date_span(conn, where)
    if span is None:
        return []  # nothing in the date window
    records: list[Sequence[Any]] = []
    upper, size = span[1], window
    while len(records) < limit:
        cut = _cutoff(ids, match, size, span)
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
    return [
        SearchHit(
            row_from(r[1 : ROW_WIDTH + 1]), snippets.make(r[3], r[ROW_WIDTH + 1]), -float(r[0])
        )
        for r in records
    ]


def _window(parsed: ParsedQuery) -> int:
    """Matches per first ranking tier. bm25 of a phrase reads token positions (~2.5x a word's
    cost per match; a CJK word of three or more characters is a phrase of pairs), so each
    phrase halves the tier."""
    terms = [term for group in parsed.groups for term in group]
    phrases = sum(" " in query_tokens(term.text)[0] for term in terms)
    return RANK_WINDOW >> min(phrases, 3)


def _cutoff(ids: newest.NewestIds, match: str, count: int, span: _Span) -> int | None:
    """The rowid of the newest match in `span` older than its `count` newest, or None when
    all fit."""
    lower, upper = span
    if upper is None or upper >= (ids.nth(match, 0) or 0):
        # The window reaches the newest match (a recent one does): the matches read for the
        # cost estimate serve, with no statement of its own (a prefix's would merge again).
        cut = ids.nth(match, count)
        return None if cut is None or (lower is not None and cut <= lower) else cut
    bounds = _bounds("rowid", span)
    found = ids.conn.execute(
        f"SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? {bounds} "
        "ORDER BY rowid DESC LIMIT 1 OFFSET ?",
        (match, count),
    ).fetchone()
    return int(found[0]) if found else None


def _date_span(conn: sqlite3.Connection, where: Where) -> _Span | None:
    """The ids of the date window (`days.span`); (None, None), all ids, without a date
    filter; None when no article is dated in it."""
    return (None, None) if where.dates is None else days.span(conn, where.dates)


def date_ids(conn: sqlite3.Connection, where: Where) -> str | None:
    """SQL conditions on `f.rowid` (after an AND) that keep a newest-first read of matches
    (`search_newest.matches`, a capped count) in the ids of the date window, or None when
    no article is dated in it. Ids need not follow dates: `since:7d market` at 1,000,000
    imported articles walked 120,000 matches without them."""
    span = _date_span(conn, where)
    return None if span is None else _bounds("f.rowid", span)


def _bounds(column: str, span: _Span) -> str:
    """SQL conditions (after an AND) keeping `column` in `span`; integers, so inlined."""
    lower, upper = span
    return (f" AND {column} > {lower}" if lower is not None else "") + (
        f" AND {column} <= {upper}" if upper is not None else ""
    )


def _rank(
    conn: sqlite3.Connection,
    match: str,
    where: Where,
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
