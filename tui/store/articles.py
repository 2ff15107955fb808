"""The Store: upserts with dedupe, read/saved flags, keyset-paged listing, retention.

Connections are per thread (SQLite objects must not cross threads), so UI thread workers and
the CLI use the same object safely.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from tui.models import (
    Article,
    ArticleDetail,
    ArticleRow,
    FetchOutcome,
    Rule,
    SourceKind,
    SourceState,
)
from tui.store import db
from tui.store.rows import ROW_COLUMNS, SortKey, View, row_from
from tui.store.rules import RulesReport, apply_rules
from tui.store.sources import record_outcome, source_state_from
from tui.store.upsert import UpsertResult, upsert_all

# The listing names are re-exported: callers import them with the Store.
__all__ = ["ROW_COLUMNS", "SortKey", "Store", "View", "row_from"]


class Store:
    """The cache database. Open with `Store.open(path)`; close when done."""

    def __init__(self, path: Path, on_upgrade: db.UpgradeNotice | None = None) -> None:
        self.path = path
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        # Open now, so a corrupt file is reported at once (and an older one migrated).
        self._local.conn = self._connect(on_upgrade)

    @classmethod
    def open(cls, path: Path, on_upgrade: db.UpgradeNotice | None = None) -> Store:
        """Open or create the cache at `path` (raises CorruptDatabase for a foreign file);
        `on_upgrade` hears of an older cache before it is migrated."""
        return cls(path, on_upgrade)

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    def _connect(self, on_upgrade: db.UpgradeNotice | None = None) -> sqlite3.Connection:
        conn = db.connect(self.path, on_upgrade)
        with self._lock:
            self._connections.append(conn)
        return conn

    def close(self) -> None:
        """Close every thread's connection."""
        with self._lock:
            for conn in self._connections:
                db.close(conn)
            self._connections.clear()
        self._local = threading.local()

    # -- sources ---------------------------------------------------------------------

    def ensure_source(
        self, name: str, kind: SourceKind, location: str, tags: Iterable[str] = ()
    ) -> int:
        """The id of source `name`, created or updated to this kind, location and tags."""
        with db.transaction(self.conn) as conn:
            conn.execute(
                # `location` follows permanent redirects; a new configured location resets it.
                "INSERT INTO sources (name, kind, location, configured) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, "
                "location = CASE WHEN configured = excluded.configured THEN location "
                "ELSE excluded.location END, configured = excluded.configured",
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
        return source_id

    def sources(self, name: str | None = None) -> list[SourceState]:
        """Every source in the cache (or just `name`) with its state and counts, by name."""
        only = "" if name is None else " AND source_id = (SELECT id FROM sources WHERE name = ?)"
        params = () if name is None else (name,)
        # One pass over the small (source_id, read) index counts every source at once.
        counts = {
            int(source_id): (int(unread), int(total))
            for source_id, total, unread in self.conn.execute(
                "SELECT source_id, count(*), sum(read = 0) FROM articles WHERE hidden = 0"
                f"{only} GROUP BY source_id",
                params,
            )
        }
        records = [
            (*record[:10], *counts.get(int(record[0]), (0, 0)), record[10])
            for record in self.conn.execute(
                "SELECT s.id, s.name, s.kind, s.location, s.status, s.error, s.warning, "
                "s.checked_at, s.next_retry, s.dead, "
                "(SELECT group_concat(tag, char(31)) FROM source_tags t WHERE t.source_id = s.id) "
                f"FROM sources s {'' if name is None else 'WHERE s.name = ? '}"
                "ORDER BY s.name COLLATE NOCASE",
                params,
            )
        ]
        return [source_state_from(r) for r in records]

    def source_state(self, name: str) -> SourceState | None:
        """One source's state, or None if the cache has never seen it."""
        return next(iter(self.sources(name)), None)

    def validators(self, source_id: int) -> tuple[str | None, str | None]:
        """The stored ETag and Last-Modified for a conditional GET."""
        row = self.conn.execute(
            "SELECT etag, last_modified FROM sources WHERE id = ?", (source_id,)
        ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def set_dead(self, name: str, dead: bool) -> None:
        """Mark a source dead (410 Gone) or revive it."""
        with db.transaction(self.conn) as conn:
            conn.execute("UPDATE sources SET dead = ? WHERE name = ?", (int(dead), name))

    # -- refresh ---------------------------------------------------------------------

    def record_refresh(
        self,
        source_id: int,
        articles: Sequence[Article] | None,
        outcome: FetchOutcome,
        now: float | None = None,
        rules: Sequence[Rule] = (),
        retention_days: float | None = None,
    ) -> UpsertResult:
        """Store one source's refresh (articles, index rows, rule actions on the new articles,
        and the source's state) in one transaction; with `retention_days`, also prune what
        left this source's feed (see `prune`)."""
        now = time.time() if now is None else now
        result = UpsertResult()
        with db.transaction(self.conn) as conn:
            read = articles is not None and outcome.ok
            if read:
                result = upsert_all(conn, source_id, articles or (), now)
                if rules and result.new_ids:
                    report = apply_rules(conn, rules, result.new_ids)
                    result = replace(result, rules=report)
            record_outcome(conn, source_id, outcome, now)
            if read and retention_days is not None:
                self.prune(retention_days, now, [source_id])
        return result

    def apply_rules(self, rules: Sequence[Rule]) -> RulesReport:
        """Run the rules over the whole cache in one transaction (`newsdesk rules apply`)."""
        with db.transaction(self.conn) as conn:
            return apply_rules(conn, rules, None)

    def set_hidden(self, ids: Iterable[int], hidden: bool) -> int:
        """Hide articles or restore hidden ones; returns how many changed."""
        return self._set_flag("hidden", ids, hidden)

    def prune(
        self,
        retention_days: float,
        now: float | None = None,
        source_ids: Sequence[int] | None = None,
    ) -> int:
        """Delete unsaved articles older than the retention that have left their source.

        `source_ids` limits it to those sources (a refresh prunes the feeds it read).
        """
        now = time.time() if now is None else now
        cutoff = now - retention_days * 86400
        only = "" if source_ids is None else f" AND s.id IN ({','.join('?' * len(source_ids))})"
        stale = (
            "FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.saved = 0 "
            f"AND a.sort_ts < ? AND a.last_seen < coalesce(s.ok_at, 0){only}"
        )
        params = (cutoff, *(source_ids or ()))
        with db.transaction(self.conn) as conn:
            conn.execute(
                "INSERT OR IGNORE INTO remembered_read (source_id, dedupe_key) "
                f"SELECT a.source_id, a.dedupe_key {stale} AND a.read = 1",
                params,
            )
            cursor = conn.execute(f"DELETE FROM articles WHERE id IN (SELECT a.id {stale})", params)
        return cursor.rowcount

    # -- listing ---------------------------------------------------------------------

    def page(
        self,
        view: View,
        after: SortKey | None = None,
        limit: int = 100,
        *,
        backward: bool = False,
    ) -> list[ArticleRow]:
        """Up to `limit` rows, newest first, after (or with `backward`, before) a keyset position.

        `backward` with no position gives the last page (the oldest articles), still newest first.
        """
        where, params = view.where()
        if after is not None:
            where += " AND (a.sort_ts, a.id) " + (">" if backward else "<") + " (?, ?)"
            params += [after[0], after[1]]
        order = "ASC" if backward else "DESC"
        records = self.conn.execute(
            f"SELECT {ROW_COLUMNS} FROM articles a JOIN sources s ON s.id = a.source_id "
            f"WHERE {where} ORDER BY a.sort_ts {order}, a.id {order} LIMIT ?",
            [*params, limit],
        ).fetchall()
        rows = [row_from(r) for r in records]
        return rows[::-1] if backward else rows

    def count(self, view: View) -> int:
        """How many articles the view holds."""
        where, params = view.where()
        # With statistics the planner prefers a table scan (~60 ms at 100k) to this small
        # covering index (~4 ms); saved views use their own partial index.
        index = "" if view.saved else " INDEXED BY articles_counts"
        sql = f"SELECT count(*) FROM articles a{index} WHERE {where}"
        return int(self.conn.execute(sql, params).fetchone()[0])

    def position(self, view: View, key: SortKey) -> int:
        """Index of the row at `key` within the view (rows newer than it)."""
        where, params = view.where()
        sql = f"SELECT count(*) FROM articles a WHERE {where} AND (a.sort_ts, a.id) > (?, ?)"
        return int(self.conn.execute(sql, [*params, key[0], key[1]]).fetchone()[0])

    def row(self, article_id: int) -> ArticleRow | None:
        """One article's list row."""
        record = self.conn.execute(
            f"SELECT {ROW_COLUMNS} FROM articles a JOIN sources s ON s.id = a.source_id "
            "WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        return row_from(record) if record else None

    def article(self, article_id: int) -> ArticleDetail | None:
        """Everything the reader shows; the saved full text replaces the feed text."""
        row = self.row(article_id)
        if row is None:
            return None
        body, links, tags, enclosures, full_text, full_links, save_state = self.conn.execute(
            "SELECT body, links, tags, enclosures, full_text, full_links, save_state "
            "FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        return ArticleDetail(
            row=row,
            text=full_text if full_text is not None else body,
            links=tuple(json.loads(full_links if full_text is not None else links)),
            tags=tuple(json.loads(tags)),
            enclosures=tuple(json.loads(enclosures)),
            full_text=full_text is not None,
            save_state=save_state,
        )

    # -- flags -----------------------------------------------------------------------

    def existing_ids(self, ids: Iterable[int]) -> set[int]:
        """Which of these article ids exist."""
        wanted = list(ids)
        marks = ",".join("?" * len(wanted))
        sql = f"SELECT id FROM articles WHERE id IN ({marks})"
        return {int(r[0]) for r in self.conn.execute(sql, wanted)} if wanted else set()

    def set_read(self, ids: Iterable[int], read: bool = True) -> int:
        """Mark articles read or unread; returns how many changed."""
        return self._set_flag("read", ids, read)

    def set_saved(self, ids: Iterable[int], saved: bool = True) -> int:
        """Flag articles saved for offline reading (or not); returns how many changed."""
        return self._set_flag("saved", ids, saved)

    def _set_flag(self, column: str, ids: Iterable[int], value: bool) -> int:
        with db.transaction(self.conn) as conn:
            cursor = conn.executemany(
                f"UPDATE articles SET {column} = ? WHERE id = ? AND {column} != ?",
                [(int(value), i, int(value)) for i in ids],
            )
        return cursor.rowcount

    def mark_view_read(self, view: View) -> list[int]:
        """Mark every unread article in the view read; returns their ids (for undo)."""
        where, params = view.where()
        with db.transaction(self.conn) as conn:
            ids = [
                int(r[0])
                for r in conn.execute(
                    f"SELECT a.id FROM articles a WHERE {where} AND a.read = 0", params
                )
            ]
            conn.executemany("UPDATE articles SET read = 1 WHERE id = ?", [(i,) for i in ids])
        return ids

    # -- small persistent state (UI selection, last search) -------------------------

    def get_state(self, key: str) -> str | None:
        """A value the UI stored to survive a restart."""
        row = self.conn.execute("SELECT value FROM ui_state WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_state(self, key: str, value: str) -> None:
        """Remember a value across restarts."""
        with db.transaction(self.conn) as conn:
            conn.execute(
                "INSERT INTO ui_state (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def rebuild_index(self) -> None:
        """Rebuild the full-text index from the articles (a repair command)."""
        with db.transaction(self.conn) as conn:
            conn.execute("DELETE FROM articles_fts")
            conn.execute(db.index_articles())

    def analyze(self) -> None:
        """Refresh planner statistics (after a big import)."""
        self.conn.execute("ANALYZE")
