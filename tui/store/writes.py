"""Writing the cache: sources, flags, a source's refresh, retention and the per-source cap.

Functions of a connection, called by the `Store` (the one door, which translates errors);
each is one transaction, or part of the caller's.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from tui.models import Article, FetchOutcome, Rule, SourceKind
from tui.prepared import Prepared
from tui.store.rows import View
from tui.store.rules import apply_rules
from tui.store.sources import record_outcome
from tui.store.stories import with_stories
from tui.store.tx import flush, transaction
from tui.store.upsert import UpsertResult, upsert_all
from tui.text import file_guid

GONE_FOR = 86400.0
"""Seconds an article is out of its feed before retention prunes it: a feed whose window
shrinks for a refresh or two (6 items, then 2, then 6 again) keeps its articles, their ids
and the one open in the reader."""
MAX_DEPARTED = 5000
"""Unsaved articles that have left its feed a source keeps at most (a feed that changes
every guid at every fetch would otherwise grow until `retention_days`); the oldest go first."""


def ensure_source(
    conn: sqlite3.Connection,
    name: str,
    kind: SourceKind,
    location: str,
    tags: Iterable[str],
    *,
    follows: bool = True,
) -> int:
    """The id of source `name`, created or updated to this kind, location and tags. A local
    source the config names at a new path is its folder found there, its articles with it
    (`follows`); an import's location is only the paths it was given this time: another
    file imported into the same source is another article, never the one imported before."""
    stored = _stored_source(conn, name)
    if stored is not None and _unchanged(stored, kind, location, tags):
        return stored[0]  # nothing to write (a start-up with thousands of sources)
    with transaction(conn):
        conn.execute(
            # `location` follows permanent redirects; a new configured location resets it,
            # and the validators, another URL's, go unless it is where they came from.
            "INSERT INTO sources (name, kind, location, configured) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, "
            "location = CASE WHEN configured = excluded.configured THEN location "
            "ELSE excluded.location END, configured = excluded.configured, removed = 0, "
            "etag = CASE WHEN configured = excluded.configured "
            "OR location = excluded.location THEN etag END, "
            "last_modified = CASE WHEN configured = excluded.configured "
            "OR location = excluded.location THEN last_modified END",
            (name, kind.value, location, location),
        )
        source_id = int(
            conn.execute("SELECT id FROM sources WHERE name = ?", (name,)).fetchone()[0]
        )
        conn.execute("DELETE FROM source_tags WHERE source_id = ?", (source_id,))
        conn.executemany(
            "INSERT OR IGNORE INTO source_tags (source_id, tag) VALUES (?, ?)",
            [(source_id, tag) for tag in tags],
        )
        if follows and kind is SourceKind.LOCAL and stored is not None and stored[1] == kind.value:
            _follow_move(conn, source_id, stored[2], location)
    return source_id


def _follow_move(conn: sqlite3.Connection, source_id: int, old: str, new: str) -> None:
    """A local source found at another path (its folder moved or copied elsewhere, with the
    config that names it): its articles' identities follow, so the files read next are the
    same articles, their flags kept, not each one added again."""
    if old == new or os.pathsep in old or os.pathsep in new:  # an import of several paths
        return
    if Path(old).name != Path(new).name:  # another file or folder, not this one copied there
        return
    was, now = "g:" + file_guid(Path(old)), "g:" + file_guid(Path(new))
    if was == now:
        return
    tail = len(was) + 1  # where a file's path below the folder (or a feed entry's `#`) starts
    moved = (
        "WHERE source_id = ? AND substr(dedupe_key, 1, ?) = ? AND substr(dedupe_key, ?, 1) IN "
        "('', ?, '#')"
    )
    where = (source_id, len(was), was, tail, os.sep)
    # OR IGNORE: a file already read at the new path keeps its own article.
    conn.execute(
        "UPDATE OR IGNORE articles SET dedupe_key = ? || substr(dedupe_key, ?), "
        f"guid = substr(?, 3) || substr(dedupe_key, ?) {moved}",
        (now, tail, now, tail, *where),
    )
    conn.execute(
        f"UPDATE OR IGNORE remembered_read SET dedupe_key = ? || substr(dedupe_key, ?) {moved}",
        (now, tail, *where),
    )


StoredSource = tuple[int, str, str, str | None, int]
"""A source as stored: id, kind, configured location, its tags joined by U+001F, removed."""


def _stored_source(conn: sqlite3.Connection, name: str) -> StoredSource | None:
    found: StoredSource | None = conn.execute(
        "SELECT id, kind, configured, (SELECT group_concat(tag, char(31)) FROM source_tags t "
        "WHERE t.source_id = s.id), removed FROM sources s WHERE name = ?",
        (name,),
    ).fetchone()
    return found


def _unchanged(stored: StoredSource, kind: SourceKind, location: str, tags: Iterable[str]) -> bool:
    """Whether a stored source has this kind, location and tags (and was not removed)."""
    _, stored_kind, configured, joined, removed = stored
    stored_tags = set((joined or "").split("\x1f")) - {""}
    return (stored_kind, configured, stored_tags, removed) == (kind.value, location, set(tags), 0)


def set_flag(conn: sqlite3.Connection, column: str, ids: Iterable[int], value: bool) -> int:
    """Set `read`, `saved` or `hidden` on these articles; returns how many changed."""
    with transaction(conn):
        cursor = conn.executemany(
            f"UPDATE articles SET {column} = ? WHERE id = ? AND {column} != ?",
            [(int(value), i, int(value)) for i in ids],
        )
    return cursor.rowcount


def mark_view_read(conn: sqlite3.Connection, view: View, upto: int | None = None) -> list[int]:
    """Mark every unread article in the view read (in a grouped view, with every article of
    their stories), none stored after article `upto`; returns their ids (for undo)."""
    where, params = view._replace(stories=False).where()
    if upto is not None:  # not those a refresh brought while the question was asked
        where, params = f"{where} AND a.id <= ?", [*params, upto]
    with transaction(conn):
        ids = [
            int(r[0])
            for r in conn.execute(
                f"SELECT a.id FROM articles a WHERE {where} AND a.read = 0", params
            )
        ]
        if view.stories:
            ids = with_stories(conn, ids, unread_only=True, upto=upto)
        conn.executemany("UPDATE articles SET read = 1 WHERE id = ?", [(i,) for i in ids])
    return ids


def check_writable(conn: sqlite3.Connection) -> None:
    """A write statement that changes nothing: SQLite refuses it on a cache it may only read
    (it waits for another program's write, as any write does)."""
    conn.execute("DELETE FROM ui_state WHERE 0")


def set_state(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Remember a value across restarts."""
    with transaction(conn):
        conn.execute(
            "INSERT INTO ui_state (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def swap_state(conn: sqlite3.Connection, key: str, expected: str | None, value: str) -> bool:
    """Remember a value if the one stored is still `expected` (None: none stored), in one
    statement (another process may write the same key); whether it was written."""
    if expected is None:
        sql = "INSERT INTO ui_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING"
        cursor = conn.execute(sql, (key, value))
    else:
        sql = "UPDATE ui_state SET value = ? WHERE key = ? AND value = ?"
        cursor = conn.execute(sql, (value, key, expected))
    return cursor.rowcount == 1


def record_refresh(
    conn: sqlite3.Connection,
    source_id: int,
    articles: Sequence[Article] | None,
    outcome: FetchOutcome,
    now: float,
    rules: Sequence[Rule],
    retention_days: float | None,
    prepared: Sequence[Prepared] = (),
) -> UpsertResult:
    """Store one source's refresh (articles, index rows, rule actions on the new articles,
    the source's state, retention and the cap) in one transaction; `prepared`: see
    `upsert_all`."""
    result = UpsertResult()
    with transaction(conn):
        read = articles is not None and outcome.ok
        if read:
            tags = {rule.tag for rule in rules if rule.tag}
            result = upsert_all(
                conn,
                source_id,
                articles or (),
                now,
                prepared,
                whole=outcome.complete,
                rule_tags=tags,
            )
            if rules and result.new_ids:
                result = replace(result, rules=apply_rules(conn, rules, result.new_ids))
        record_outcome(conn, source_id, outcome, now)
        if outcome.ok and retention_days is not None:  # a 304 too: what left stays out
            prune(conn, retention_days, now, [source_id])
        if result.new:
            cap_source(conn, source_id)
    return result


# Unsaved articles that have left their source's feed (the feed's whole content was last seen
# after them); `{only}` narrows it further.
_DEPARTED = (
    "FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.saved = 0 "
    "AND a.last_seen < coalesce(s.ok_at, 0){only}"
)


def prune(
    conn: sqlite3.Connection, retention_days: float, now: float, source_ids: Sequence[int] | None
) -> int:
    """Delete the articles older than the retention that left their feed a day ago or more
    (`GONE_FOR`), read or not; saved articles never. `source_ids` limits it to those
    sources."""
    cutoff = now - retention_days * 86400
    only = " AND a.sort_ts < ? AND a.last_seen <= ?"
    if source_ids is not None:
        only += f" AND s.id IN ({','.join('?' * len(source_ids))})"
    params = (cutoff, now - GONE_FOR, *(source_ids or ()))
    return forget(conn, _DEPARTED.format(only=only), params)


def cap_source(conn: sqlite3.Connection, source_id: int, keep: int = MAX_DEPARTED) -> int:
    """Delete the oldest unsaved departed articles of a source beyond `keep` of them."""
    (total,) = conn.execute(
        "SELECT count(*) FROM articles WHERE source_id = ?", (source_id,)
    ).fetchone()
    if total <= keep:  # the cheap test, on an index: a source this small has nothing to cap
        return 0
    stale = _DEPARTED.format(only=" AND a.source_id = ?")
    oldest = f"{stale} ORDER BY a.sort_ts DESC, a.id DESC LIMIT -1 OFFSET ?"
    return forget(conn, f"FROM articles a WHERE a.id IN (SELECT a.id {oldest})", (source_id, keep))


def forget(conn: sqlite3.Connection, selected: str, params: Sequence[object]) -> int:
    """Delete the articles `selected` (a FROM … WHERE on `a`); their read state is remembered
    in case their feed lists them again."""
    with transaction(conn):
        if conn.execute(f"SELECT 1 {selected} LIMIT 1", params).fetchone() is None:
            return 0  # the common case, at every source's refresh: nothing to forget
        flush(conn)  # the delete trigger takes rows out of the index: deferred ones go in first
        conn.execute(
            "INSERT OR IGNORE INTO remembered_read (source_id, dedupe_key) "
            f"SELECT a.source_id, a.dedupe_key {selected} AND a.read = 1",
            params,
        )
        cursor = conn.execute(f"DELETE FROM articles WHERE id IN (SELECT a.id {selected})", params)
    return cursor.rowcount


def remember_read(conn: sqlite3.Connection, source_id: int, keys: Iterable[str]) -> int:
    """Articles of a source to mark read when its feed lists them (see `forget`)."""
    with transaction(conn):
        before = conn.total_changes
        conn.executemany(
            "INSERT OR IGNORE INTO remembered_read (source_id, dedupe_key) VALUES (?, ?)",
            [(source_id, key) for key in keys],
        )
        return conn.total_changes - before


def rebuild_index(conn: sqlite3.Connection) -> None:
    """Rebuild the full-text index from the articles (a repair command)."""
    with transaction(conn):
        conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
