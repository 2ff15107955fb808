"""A parsed query's filters (sources, tags, flags, dates, a view) as SQL conditions on
`articles`, and as hints for the MATCH expression so FTS5 never ranks a row they would drop."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Mapping, Sequence
from weakref import WeakKeyDictionary

from tui.names import fold, matching
from tui.store.notices import NOTHING, quote
from tui.store.query import ParsedQuery, Term, is_nothing, searchable
from tui.store.rows import View
from tui.store.tx import Connection

AlsoNamed = Mapping[int, str]
"""Names `source:` also finds sources by, source id -> name: the config's, where a command
reads them (a rename no refresh has followed yet)."""
MAX_SCOPE = 16
"""Up to this many allowed sources are also written into the MATCH expression."""


class Where:
    """SQL conditions on `a` (articles) with their parameters; `empty` when nothing can match.
    (A plain class: cheaper to define than a dataclass, which `newsdesk search` pays at start.)"""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.params: list[object] = []
        self.empties: list[str] = []
        """Why no article can match (a source that does not exist), each as a notice."""
        self.scope: set[int] | None = None
        """The only sources results can come from (None: any)."""
        self.dates: tuple[float, float] | None = None
        """The date window [since, before) of `since:`/`before:` (None: any date)."""
        self.hints: list[str] = []
        """FTS5 conditions every result meets (the SQL clauses stay the exact test), written
        into the MATCH expression so FTS5 ranks no row the filters would drop."""
        self.kept: list[tuple[list[int], list[str]]] = []
        """ANDed source and tag filters, each keeping the articles of some sources or with
        some (`fold`ed) tags: what a filter-only listing estimates its matches from
        (`search._walks`)."""
        self.newest: str | None = None
        """An index listing every article the conditions can keep, newest first."""

    @property
    def empty(self) -> str | None:
        """The first reason no article can match, if any."""
        return self.empties[0] if self.empties else None

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


def where_of(
    conn: sqlite3.Connection,
    parsed: ParsedQuery,
    view: View | None,
    *,
    any_hidden: bool = False,
    also_named: AlsoNamed | None = None,
) -> Where:
    """The conditions of `parsed` (and `view`); hidden articles only for `is:hidden`, or
    all of them with `any_hidden` (rules) and in Saved (it lists them, see `View.where`);
    `source:` finds sources by their names in `also_named` too (`named_sources`)."""
    any_hidden = any_hidden or (view is not None and view.saved)
    where = Where()
    if is_nothing(parsed):  # not every article: a query that means nothing finds nothing
        where.empties.append(f"{NOTHING} or filter by")
    # Flags are literals, not parameters, so the partial indexes on them can be used.
    if not any_hidden or parsed.hidden:
        where.add(f"a.hidden = {int(parsed.hidden)}")
    _source_filter(conn, parsed, where, also_named or {})
    _tag_filter(conn, parsed.tags, where, exclude=False)
    _tag_filter(conn, parsed.excluded_tags, where, exclude=True)
    if not parsed.hidden and not any_hidden:
        unread = parsed.unread or (view is not None and view.unread)
        where.newest = "articles_unread" if unread else "articles_by_time"
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


def _view_filter(conn: sqlite3.Connection, view: View | None, where: Where) -> None:
    if view is None or view == View():
        return
    clause, params = view.where(visible_only=False)  # `_where` has the hidden condition
    where.add(f"({clause})", *params)
    if view.source is not None:
        found = conn.execute("SELECT id FROM sources WHERE name = ?", (view.source,))
        _keep(where, [int(r[0]) for r in found])
    if view.tag is not None:
        found = conn.execute("SELECT source_id FROM source_tags WHERE tag = ?", (view.tag,))
        _keep(where, [int(r[0]) for r in found])


def _keep(where: Where, source_ids: list[int]) -> None:
    where.narrow(source_ids)
    where.kept.append((source_ids, []))


def _source_filter(
    conn: sqlite3.Connection, parsed: ParsedQuery, where: Where, also_named: AlsoNamed
) -> None:
    if parsed.sources:
        wanted = named_sources(conn, parsed.sources, also_named)
        if not wanted:
            where.empties.append("no source named " + " or ".join(map(quote, parsed.sources)))
        where.add(f"a.source_id IN ({marks(wanted)})", *wanted)
        where.narrow(wanted)
        where.kept.append((wanted, []))
    unwanted = named_sources(conn, parsed.excluded_sources, also_named)
    if unwanted:
        where.add(f"a.source_id NOT IN ({marks(unwanted)})", *unwanted)


def named_sources(
    conn: sqlite3.Connection, names: Sequence[str], also_named: AlsoNamed | None = None
) -> list[int]:
    """The ids of the sources these names find, as `source:` finds them (`matching`): by
    the cache's names, and by those `also_named` gives them (source id -> name)."""
    if not names:
        return []
    also = [(source_id, fold(name)) for source_id, name in (also_named or {}).items()]
    folded = [*_folded_sources(conn), *also]
    return [i for name in names for i in matching(folded, name)]


def _tag_filter(
    conn: sqlite3.Connection, tags: Sequence[str], where: Where, *, exclude: bool
) -> None:
    """Source tags (a few source ids) or the article's own tags (table `article_tags`, where
    they are stored `fold`ed): both compared ignoring case and accents."""
    if not tags:
        return
    source_tags = conn.execute("SELECT source_id, tag FROM source_tags").fetchall()
    folded = [(i, fold(tag)) for i, tag in source_tags]
    ids = sorted({i for tag in tags for i in matching(folded, tag, exact=True)})
    keys = sorted({fold(tag) for tag in tags})
    if not exclude and not ids and not _tagged(conn, keys):
        where.empties.append("no source or article tagged " + " or ".join(map(quote, tags)))
    clause = (
        f"(a.source_id IN ({marks(ids)}) OR "
        f"a.id IN (SELECT article_id FROM article_tags WHERE tag IN ({marks(keys)})))"
    )
    where.add(("NOT " if exclude else "") + clause, *ids, *keys)
    if not exclude:
        where.kept.append((ids, keys))
    # Tags no source carries are usually rare among a word's matches: FTS5 then ranks only the
    # tagged ones. (A source's tag keeps to the SQL test: the matches of a few whole sources
    # are many, and an OR of source-name phrases costs more to rank than it saves.)
    terms = [Term(tag, "tags") for tag in tags]
    if not exclude and not ids and all(searchable(t.text) for t in terms):
        where.hints.append(f"({' OR '.join(t.fts for t in terms)})")


def _tagged(conn: sqlite3.Connection, keys: Sequence[str]) -> bool:
    """Whether any article carries one of these `fold`ed tags (its own: a feed's categories,
    rules')."""
    sql = f"SELECT 1 FROM article_tags WHERE tag IN ({marks(keys)}) LIMIT 1"
    return conn.execute(sql, list(keys)).fetchone() is not None


_SOURCES: WeakKeyDictionary[Connection, tuple[tuple[int, int], list[tuple[int, str]]]]
_SOURCES = WeakKeyDictionary()


def _folded_sources(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    """Every source's id and `fold`ed name, kept per connection until the cache changes (a
    `source:` filter compares them all: reading and folding 20,000 took ~12 ms at 1M)."""
    changes = (int(conn.execute("PRAGMA data_version").fetchone()[0]), conn.total_changes)
    kept = _SOURCES.get(conn) if isinstance(conn, Connection) else None
    if kept is None or kept[0] != changes:
        rows = conn.execute("SELECT id, name FROM sources").fetchall()
        kept = changes, [(int(i), fold(name)) for i, name in rows]
        if isinstance(conn, Connection):
            _SOURCES[conn] = kept
    return kept[1]


def marks(values: Sequence[object]) -> str:
    """One `?` per value, for an IN list."""
    return ", ".join("?" * len(values))


def scoped(conn: sqlite3.Connection, match: str, where: Where) -> str:
    """`match` also requiring the filters' hints and the allowed source names, so FTS5 skips
    rows the filters would drop."""
    conditions = [f"({match})", *where.hints]
    if where.scope and len(where.scope) <= MAX_SCOPE:
        ids = sorted(where.scope)
        found = conn.execute(f"SELECT name FROM sources WHERE id IN ({marks(ids)})", ids)
        terms = [Term(str(r[0])) for r in found]
        if all(searchable(t.text) for t in terms):
            conditions.append(f"source : ({' OR '.join(t.fts for t in terms)})")
    return " AND ".join(conditions)
