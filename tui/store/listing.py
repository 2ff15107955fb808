"""Reading the cache: keyset-paged rows, counts, one article, sources and small state.

Functions of a connection, called by the `Store` (the one door, which translates errors).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import tui.store.stories as stories
from tui.models import ArticleRow, SourceKind
from tui.names import name_order
from tui.store import bodies, source_columns
from tui.store.rows import ROW_COLUMNS, STORY_ROW_COLUMNS, SortKey, View, row_from

if TYPE_CHECKING:
    from tui.models import ArticleDetail, SourceState


def page(
    conn: sqlite3.Connection, view: View, after: SortKey | None, limit: int, backward: bool
) -> list[ArticleRow]:
    """Up to `limit` rows, newest first, after (or with `backward`, before) a keyset position."""
    where, params = view.where()
    if after is not None:
        where += " AND (a.sort_ts, a.id) " + (">" if backward else "<") + " (?, ?)"
        params += [after[0], after[1]]
    order = "ASC" if backward else "DESC"
    columns = STORY_ROW_COLUMNS if view.stories else ROW_COLUMNS
    records = conn.execute(
        f"SELECT {columns} FROM articles a JOIN sources s ON s.id = a.source_id "
        f"WHERE {where} ORDER BY a.sort_ts {order}, a.id {order} LIMIT ?",
        [*params, limit],
    ).fetchall()
    rows = [row_from(r) for r in records]
    return rows[::-1] if backward else rows


def count(conn: sqlite3.Connection, view: View) -> int:
    """How many articles the view holds (with `view.stories`, a story counts once)."""
    if view.stories:
        return count(conn, view._replace(stories=False)) - stories.grouped_away(conn, view)
    if not view.saved:  # from the counts per source (saved views use their partial index)
        return _counted(conn, view)
    where, params = view.where()
    # The planner prefers scanning the hidden = 0 index (~130 ms at 100k) to this partial one.
    sql = f"SELECT count(*) FROM articles a INDEXED BY articles_saved WHERE {where}"
    return int(conn.execute(sql, params).fetchone()[0])


def _counted(conn: sqlite3.Connection, view: View) -> int:
    """The total of the view's sources' visible (or unread) articles in `source_counts`."""
    # The view's source and tag conditions are on `a.source_id`, which source_counts has too.
    where, params = view._replace(unread=False).where(visible_only=False)
    column = "unread" if view.unread else "visible"
    sql = f"SELECT coalesce(sum({column}), 0) FROM source_counts a WHERE {where}"
    return int(conn.execute(sql, params).fetchone()[0])


REACH = 20_000
"""Rows counted at most from each end of a view to place a row in it. Counting every newer
row was linear in the view: 0.86 s CPU for the last of 1,000,000 in the grouped list (each
row looks for a better-sourced article of its story); 20,000 cost at most ~17 ms there."""


def position(conn: sqlite3.Connection, view: View, key: SortKey) -> int | None:
    """Index of the row at `key` within the view (the rows newer than it), if it is within
    `REACH` rows of either end of the view; None when it is deeper than that."""
    where, params = view.where()
    newer = _reach(conn, where, params, key, newer=True)
    if newer < REACH:
        return newer
    older = _reach(conn, where, params, key, newer=False)
    if older >= REACH:
        return None
    held = conn.execute(
        f"SELECT count(*) FROM articles a WHERE {where} AND a.sort_ts = ? AND a.id = ?",
        [*params, key[0], key[1]],
    ).fetchone()[0]
    return count(conn, view) - older - int(held)


def _reach(
    conn: sqlite3.Connection, where: str, params: list[object], key: SortKey, *, newer: bool
) -> int:
    """Rows of the view newer (or older) than `key`, counted up to `REACH` from it."""
    op, order = (">", "ASC") if newer else ("<", "DESC")
    sql = (
        f"SELECT count(*) FROM (SELECT 1 FROM articles a WHERE {where} "
        f"AND (a.sort_ts, a.id) {op} (?, ?) ORDER BY a.sort_ts {order}, a.id {order} LIMIT ?)"
    )
    return int(conn.execute(sql, [*params, key[0], key[1], REACH]).fetchone()[0])


def row(conn: sqlite3.Connection, article_id: int) -> ArticleRow | None:
    """One article's list row."""
    record = conn.execute(
        f"SELECT {ROW_COLUMNS} FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    return row_from(record) if record else None


def article(conn: sqlite3.Connection, article_id: int) -> ArticleDetail | None:
    """Everything the reader shows; the saved full text replaces the feed text."""
    found = row(conn, article_id)
    if found is None:
        return None
    body, links, tags, enclosures, full_text, full_links, save_state = conn.execute(
        "SELECT body, links, tags, enclosures, full_text, full_links, save_state "
        "FROM articles WHERE id = ?",
        (article_id,),
    ).fetchone()
    import json  # `show`, the reader: not a list or a search

    from tui.models import ArticleDetail, Enclosure

    return ArticleDetail(
        row=found,
        text=full_text if full_text is not None else bodies.text(body),
        links=tuple(json.loads(full_links if full_text is not None else links)),
        tags=tuple(json.loads(tags)),
        enclosures=tuple(map(Enclosure.from_json, json.loads(enclosures))),
        full_text=full_text is not None,
        save_state=save_state,
        also=tuple(stories.also(conn, article_id)) if found.story is not None else (),
    )


def note_file(conn: sqlite3.Connection, article_id: int) -> Path | None:
    """The file a local source's article was read from (its guid), while it is there."""
    found = conn.execute(
        "SELECT a.guid FROM articles a JOIN sources s ON s.id = a.source_id "
        "WHERE a.id = ? AND s.kind = ?",
        (article_id, SourceKind.LOCAL.value),
    ).fetchone()
    guid = found[0] if found else None
    if not guid or not guid.startswith("file:"):
        return None
    from tui.text import guid_file  # the reader's pictures: not a list or a search

    path = Path(guid_file(guid))  # a feed file's entry (`#` after it) is no file
    return path if path.is_file() else None


def existing_ids(conn: sqlite3.Connection, ids: Iterable[int]) -> set[int]:
    """Which of these article ids exist (any number: one JSON parameter, not one each)."""
    import json  # the end of a refresh: not a list or a search

    wanted = json.dumps(list(ids))
    sql = "SELECT id FROM articles WHERE id IN (SELECT value FROM json_each(?))"
    return {int(r[0]) for r in conn.execute(sql, (wanted,))}


def newest_id(conn: sqlite3.Connection) -> int:
    """The highest article id (0 with none): an article stored later has a higher one."""
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0])


def sources(conn: sqlite3.Connection, name: str | None) -> list[SourceState]:
    """Every source in the cache (or just `name`) with its state and counts, in the natural
    order of their names ("News 8" before "News 72", case and accents aside)."""
    only = "" if name is None else " WHERE s.name = ?"
    params = () if name is None else (name,)
    tags: dict[int, list[str]] = {}
    # One pass (in key order: each source's tags by name); a lookup per source would scan
    # the table each time, as it is keyed by tag first.
    mine = "" if name is None else " WHERE source_id = (SELECT id FROM sources WHERE name = ?)"
    for source_id, tag in conn.execute(
        f"SELECT source_id, tag FROM source_tags{mine} ORDER BY tag", params
    ):
        tags.setdefault(source_id, []).append(tag)
    from tui.store.sources import source_state_from  # the dataclasses of refresh outcomes

    records = conn.execute(
        "SELECT s.id, s.name, s.kind, s.location, s.status, s.error, s.warning, "
        "s.checked_at, s.next_retry, s.dead, coalesce(c.unread, 0), coalesce(c.visible, 0), "
        f"{source_columns.failing_since(conn)} "
        f"FROM sources s LEFT JOIN source_counts c ON c.source_id = s.id{only}",
        params,
    )
    states = [source_state_from(record, tags.get(record[0], ())) for record in records]
    return sorted(states, key=lambda state: name_order(state.name))


def validators(conn: sqlite3.Connection, source_id: int) -> tuple[str | None, str | None]:
    """The stored ETag and Last-Modified for a conditional GET."""
    found = conn.execute(
        "SELECT etag, last_modified FROM sources WHERE id = ?", (source_id,)
    ).fetchone()
    return (found[0], found[1]) if found else (None, None)


def web_sources(conn: sqlite3.Connection, removed: bool = True) -> dict[str, int]:
    """Feed URL -> source id, by configured URL and by current (redirected) location; the
    sources kept only for their saved articles (`removed`) too, unless told not to."""
    found: dict[str, int] = {}
    which = "kind = 'web'" if removed else f"kind = 'web' AND removed != {source_columns.FORGOTTEN}"
    records = conn.execute(f"SELECT id, location, configured FROM sources WHERE {which}")
    for source_id, location, configured in records:
        found.setdefault(str(configured), int(source_id))
        found.setdefault(str(location), int(source_id))
    return found


def read_keys(conn: sqlite3.Connection, source_id: int) -> dict[str, tuple[int, bool]]:
    """dedupe key -> (id, read) of one source's cached articles."""
    records = conn.execute(
        "SELECT dedupe_key, id, read FROM articles WHERE source_id = ?", (source_id,)
    )
    return {str(key): (int(i), bool(read)) for key, i, read in records}


def get_state(conn: sqlite3.Connection, key: str) -> str | None:
    """A value the UI stored to survive a restart."""
    found = conn.execute("SELECT value FROM ui_state WHERE key = ?", (key,)).fetchone()
    return str(found[0]) if found else None
