"""The cache's sources kept in step with the config.

A source is known by its kind and configured location (URL or path), not by its name: renamed
in the config, it keeps its articles, read state and refresh state under the new name, also
when names are swapped or taken round in a cycle (the cache knew it by name: it came back
empty under the new one, every article again unread, and the old one stayed behind or took the
other feed's articles). A source gone from the config whose name another one takes is set
aside under a free name with its articles, also when that one is added later (marked `LEFT`
once gone, it is no longer the source whose URL was edited in place); renamed to the URL its
feed moved to, it is found there. A web source gone from the config with nothing
cached goes from the lists; one that holds articles stays (`unlisted` tells them) until
`forget_source`, the user's way to drop it. A source forgotten while saved articles remain is
marked `removed`, and goes with its last saved one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from tui.store import source_columns
from tui.store.tx import transaction
from tui.store.writes import forget
from tui.text import name_key

Where = tuple[str, str]
"""A source's kind and configured location (its URL, or its path)."""


@dataclass
class Settled:
    """What following the config changed (or would change), each as (old name, new name)."""

    renames: list[tuple[str, str]] = field(default_factory=list)
    """Configured sources found under another name (the same kind and location)."""
    set_aside: list[tuple[str, str]] = field(default_factory=list)
    """Sources gone from the config whose name a configured one now has: kept, renamed."""
    named: dict[int, str] = field(default_factory=dict)
    """Each stored source the config names, by id -> its name there (found by kind and
    location first, as a rename is)."""


@dataclass(frozen=True)
class _Stored:
    id: int
    name: str
    where: Where
    location: str
    """Where its feed is now (a permanent redirect followed), else its configured location."""
    left: bool
    """Not in the config at the last `settle` (or forgotten by `feeds remove`)."""


@dataclass(frozen=True)
class _Plan:
    """What following the config changes: sources renamed and set aside, empty web sources
    dropped, and which stored source each configured name is (by id)."""

    named: dict[int, str]
    renames: list[tuple[_Stored, str]] = field(default_factory=list)
    aside: list[tuple[_Stored, str]] = field(default_factory=list)
    empty_web: set[int] = field(default_factory=set)
    leaving: set[int] = field(default_factory=set)
    """Sources just gone from the config that stay, to be marked `LEFT`."""

    def settled(self) -> Settled:
        return Settled(
            [(s.name, new) for s, new in self.renames],
            [(s.name, new) for s, new in self.aside],
            self.named,
        )


def _plan(conn: sqlite3.Connection, configured: Mapping[str, Where]) -> _Plan:
    """How the stored sources follow the config (reads only)."""
    rows = conn.execute(
        "SELECT id, name, kind, configured, location, removed FROM sources WHERE kind != 'sync'"
    ).fetchall()
    stored = [
        _Stored(int(i), str(n), (str(k), str(c)), str(loc), bool(gone))
        for i, n, k, c, loc, gone in rows
    ]
    if all(configured.get(s.name) == s.where for s in stored):
        # The cache and the config agree: every start but one after an edit.
        return _Plan({s.id: s.name for s in stored})
    named = _match(stored, configured)
    renames = [(s, named[s.id]) for s in stored if named.get(s.id, s.name) != s.name]
    unlisted = [s for s in stored if s.id not in named]
    empty_web = {s.id for s in unlisted if s.where[0] == "web" and not _holds_articles(conn, s.id)}
    taken = set(configured)
    used = {name_key(name) for name in (*configured, *(s.name for s in stored))}
    kept = [s for s in unlisted if s.id not in empty_web]
    aside = [(s, _free_name(s.name, used)) for s in kept if s.name in taken]
    leaving = {s.id for s in kept if not s.left}
    return _Plan(named, renames, aside, empty_web, leaving)


def settle(conn: sqlite3.Connection, configured: Mapping[str, Where]) -> Settled:
    """Give each stored source the name the config gives its kind and location; set aside a
    source gone from the config whose name another takes; remove unlisted web sources with
    no articles. Writes (and so waits for another writer) only when there is something to
    change."""
    plan = _plan(conn, configured)
    if plan.renames or plan.aside or plan.empty_web or plan.leaving:
        with transaction(conn):
            for source_id in plan.empty_web:
                _drop(conn, source_id)
            conn.executemany(
                "UPDATE sources SET removed = ? WHERE id = ?",
                [(source_columns.LEFT, source_id) for source_id in plan.leaving],
            )
            _rename(conn, [(s.id, new) for s, new in (*plan.aside, *plan.renames)])
    return plan.settled()


def unsettled(conn: sqlite3.Connection, configured: Mapping[str, Where]) -> Settled:
    """What `settle` would change, without writing: a command that only reads the cache
    (`paths`, `sources`, the TUI's pane) knows a source renamed in the config as the same
    source, not as one gone from it, before a refresh follows the rename."""
    return _plan(conn, configured).settled()


def unlisted(conn: sqlite3.Connection, configured: Mapping[str, Where]) -> list[tuple[str, int]]:
    """The web sources the config does not name (by kind and location first, as `settle`
    knows them: a renamed one is named) that hold articles, each with their count, by name:
    a table deleted by hand. One `settle` is to set aside is under the name it will have.
    Not those `forget_source` removed, which stay for their saved articles as asked."""
    plan = _plan(conn, configured)
    aside = {s.id: new for s, new in plan.aside}
    found = conn.execute(
        "SELECT id, name FROM sources WHERE kind = 'web' AND removed != ? "
        "ORDER BY name COLLATE NOCASE",
        (source_columns.FORGOTTEN,),
    )
    gone = [(int(i), aside.get(int(i), str(name))) for i, name in found if int(i) not in plan.named]
    counted = ((name, _articles(conn, source_id)) for source_id, name in gone)
    return [(name, count) for name, count in counted if count]


def _match(stored: list[_Stored], configured: Mapping[str, Where]) -> dict[int, str]:
    """Each stored source the config names, by id -> its configured name: the same name and
    place first, then the same place (a rename), or the place a source gone from the config
    had moved to (renamed as its moved notice asked), then the same name (its URL or path
    changed, the source is the same) of a source the config named: one gone from it whose
    name a new source takes is another feed (set aside, not merged)."""
    named: dict[int, str] = {}
    done: set[str] = set()
    by_name = {s.name: s for s in stored}
    by_place: dict[Where, list[_Stored]] = {}
    by_location: dict[Where, list[_Stored]] = {}
    for source in stored:
        by_place.setdefault(source.where, []).append(source)
        by_location.setdefault((source.where[0], source.location), []).append(source)

    def claim(name: str, candidates: Iterable[_Stored]) -> None:
        found = next((s for s in candidates if s.id not in named), None)
        if found is not None:
            named[found.id] = name
            done.add(name)

    for name, where in configured.items():
        claim(name, (s for s in (by_name.get(name),) if s is not None and s.where == where))
    for places in (by_place, by_location):
        for name, where in configured.items():
            if name not in done:
                claim(name, places.get(where, ()))
    for name in configured:
        if name not in done:
            claim(name, (s for s in (by_name.get(name),) if s is not None and not s.left))
    return named


def _free_name(name: str, taken: set[str]) -> str:
    """`name (2)`, `name (3)`...: the first the cache and the config do not use (`taken`
    holds their `name_key`s, and this one is added)."""
    number = 2
    while name_key(candidate := f"{name} ({number})") in taken:
        number += 1
    taken.add(name_key(candidate))
    return candidate


def _rename(conn: sqlite3.Connection, moves: list[tuple[int, str]]) -> None:
    """Give sources (by id) new names, in an order that never gives two the same one: a
    move waits while its name is held by a source yet to move; a swap or a cycle, where
    every move waits, goes through a temporary name once."""
    names = {int(i): str(n) for i, n in conn.execute("SELECT id, name FROM sources")}
    holder = {name: source_id for source_id, name in names.items()}
    waiting = dict(moves)
    while waiting:
        ready = [(i, new) for i, new in waiting.items() if new not in holder]
        if not ready:  # a cycle: one of them steps out of the way
            source_id = next(iter(waiting))
            ready = [(source_id, f"\x00renaming {source_id}")]
        for source_id, new in ready:
            if new == waiting.get(source_id):
                del waiting[source_id]
            del holder[names[source_id]]
            holder[new], names[source_id] = source_id, new
            conn.execute("UPDATE sources SET name = ? WHERE id = ?", (new, source_id))


def _articles(conn: sqlite3.Connection, source_id: int) -> int:
    found = conn.execute("SELECT count(*) FROM articles WHERE source_id = ?", (source_id,))
    return int(found.fetchone()[0])


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
