"""SQL of sync with a server: which source is which server feed, which article which server
item, the queue of local flag changes waiting to be pushed, and the pull's marker.

The queue is filled by triggers on `articles` (see `schema._SYNC_TABLES`), so every way a flag
changes (the app, the command line, rules, mark all read, an import) queues the change in
the same transaction: a crash between the change and its push loses nothing. Writing the
server's own state back (`apply_server_state`, `store_items`) mutes the triggers for the
length of its transaction, so the server's state is never queued back to it.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from tui.models import Article, FetchOutcome, Rule, SourceKind
from tui.store.adopt import adopt_kept, any_kept, saved_unsynced
from tui.store.rules import RulesReport, apply_rules
from tui.store.settle import drop_articles, let_removed_go
from tui.store.sources import record_outcome
from tui.store.tx import transaction
from tui.store.upsert import key_by_id, upsert_all
from tui.store.writes import forget

ARCHIVE = "archived"
"""The feed, in `sync_feeds`, of starred items whose own feed the server no longer lists
(Tiny Tiny RSS keeps them under "Archived articles", feed 0, after an unsubscribe)."""


@dataclass(frozen=True)
class SyncedFeed:
    """A feed the server subscribes to, as the store records it."""

    remote_id: str
    title: str
    url: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class SyncedItem:
    """A server item: its article and the server's flags."""

    remote_id: str
    feed_id: str
    article: Article
    read: bool
    saved: bool


@dataclass(frozen=True)
class PendingChange:
    """A local flag change not yet pushed."""

    seq: int
    remote_id: str
    field: str
    value: bool


@dataclass
class PullReport:
    """What writing the server's items and state changed here."""

    new: int = 0
    read: int = 0
    unread: int = 0
    saved: int = 0
    unsaved: int = 0
    pruned: int = 0
    kept: int = 0
    """Saved articles whose items the server no longer has, kept here (out of the sync)."""
    removed_feeds: list[str] = field(default_factory=list)
    notice: str | None = None
    """Why the new items' stories were not grouped (a full disk), if they were not."""


# -- account and marker ----------------------------------------------------------------


def get_state(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else None


def set_state(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def begin(conn: sqlite3.Connection, account: str) -> tuple[int, list[str]]:
    """Start syncing with `account`; a different server or user than last time starts afresh
    (its feeds leave, its queued changes are dropped). Returns how many changes were
    dropped, and the names of the sources that left."""
    removed: list[str] = []
    with transaction(conn):
        previous = get_state(conn, "account")
        if previous == account:
            return 0, removed
        dropped = int(conn.execute("SELECT count(*) FROM sync_queue").fetchone()[0])
        if previous is not None:
            for (remote_id,) in conn.execute("SELECT remote_id FROM sync_feeds").fetchall():
                if name := forget_feed(conn, str(remote_id)):
                    removed.append(name)
            # Kept saved articles: the new server's ids may be their guids for other items.
            key_by_id(conn, "SELECT article_id FROM sync_items")
            conn.execute("DELETE FROM sync_items")
        conn.execute("DELETE FROM sync_queue")
        conn.execute("DELETE FROM sync_state")
        set_state(conn, "account", account)
    return (dropped if previous is not None else 0), removed


# -- push ------------------------------------------------------------------------------


def pending(conn: sqlite3.Connection) -> list[PendingChange]:
    """Every queued change, oldest first."""
    rows = conn.execute("SELECT rowid, remote_id, field, value FROM sync_queue ORDER BY rowid")
    return [PendingChange(int(r[0]), str(r[1]), str(r[2]), bool(r[3])) for r in rows]


def pushed(conn: sqlite3.Connection, changes: Iterable[PendingChange]) -> None:
    """Forget changes the server took (a change replaced meanwhile has a new rowid: it stays)."""
    with transaction(conn):
        conn.executemany("DELETE FROM sync_queue WHERE rowid = ?", [(c.seq,) for c in changes])


# -- pull ------------------------------------------------------------------------------


@contextmanager
def muted(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A transaction whose flag changes are the server's own: nothing is queued."""
    with transaction(conn):
        conn.execute("INSERT INTO sync_mute VALUES (1)")
        yield conn
        conn.execute("DELETE FROM sync_mute")


def store_feeds(conn: sqlite3.Connection, feeds: Sequence[SyncedFeed]) -> list[str]:
    """Make each server feed a source (named by its title, its categories as tags); feeds the
    server no longer has leave. Returns the names of the sources that left."""
    with transaction(conn):
        known = {str(r[0]) for r in conn.execute("SELECT remote_id FROM sync_feeds")}
        gone = known - {f.remote_id for f in feeds} - {ARCHIVE}
        removed = [name for remote_id in sorted(gone) if (name := forget_feed(conn, remote_id))]
        for feed in feeds:
            _store_feed(conn, feed)
    return removed


def _store_feed(conn: sqlite3.Connection, feed: SyncedFeed) -> int:
    """The feed's source, made or renamed; returns its id."""
    row = conn.execute(
        "SELECT source_id FROM sync_feeds WHERE remote_id = ?", (feed.remote_id,)
    ).fetchone()
    location = feed.url or feed.remote_id
    # A feed new to the cache may be one subscribed again: the source it left continues.
    source_id = int(row[0]) if row else _kept_source(conn, location, feed.title)
    name = _free_name(conn, feed, source_id)
    if source_id is None:
        (source_id,) = conn.execute(
            "INSERT INTO sources (name, kind, location, configured) VALUES (?, ?, ?, ?) "
            "RETURNING id",
            (name, SourceKind.SYNC.value, location, location),
        ).fetchone()
    else:
        conn.execute(
            "UPDATE sources SET name = ?, location = ?, configured = ?, removed = 0 WHERE id = ?",
            (name, location, location, source_id),
        )
    if row is None:
        conn.execute(
            "INSERT INTO sync_feeds (remote_id, source_id) VALUES (?, ?)",
            (feed.remote_id, source_id),
        )
    conn.execute("DELETE FROM source_tags WHERE source_id = ?", (source_id,))
    conn.executemany(
        "INSERT OR IGNORE INTO source_tags (source_id, tag) VALUES (?, ?)",
        [(source_id, tag) for tag in feed.tags],
    )
    return source_id


def _kept_source(conn: sqlite3.Connection, location: str, title: str) -> int | None:
    """The source a feed the server dropped left behind for its saved articles, when the
    server subscribes to that feed again (same URL, else same name): the new subscription
    continues it rather than standing beside it as "title [id]"."""
    row = conn.execute(
        "SELECT id FROM sources s WHERE kind = ? AND (location = ? OR name = ?) "
        "AND NOT EXISTS (SELECT 1 FROM sync_feeds f WHERE f.source_id = s.id) "
        "ORDER BY location = ? DESC LIMIT 1",
        (SourceKind.SYNC.value, location, title, location),
    ).fetchone()
    return None if row is None else int(row[0])


def _free_name(conn: sqlite3.Connection, feed: SyncedFeed, source_id: int | None) -> str:
    """The feed's title, or the title and its server id when another source has that name."""
    for name in (feed.title, f"{feed.title} [{feed.remote_id}]"):
        owner = conn.execute("SELECT id FROM sources WHERE name = ?", (name,)).fetchone()
        if owner is None or owner[0] == source_id:
            return name
    return f"{feed.title} [{feed.remote_id}] ({source_id})"


def forget_feed(conn: sqlite3.Connection, remote_id: str) -> str | None:
    """The server dropped this feed: its unsaved articles go, and the source with them unless
    saved articles remain. Returns the source's name."""
    row = conn.execute(
        "SELECT s.id, s.name FROM sync_feeds f JOIN sources s ON s.id = f.source_id "
        "WHERE f.remote_id = ?",
        (remote_id,),
    ).fetchone()
    conn.execute("DELETE FROM sync_feeds WHERE remote_id = ?", (remote_id,))
    if row is None:
        return None
    drop_articles(conn, int(row[0]))
    return str(row[1])


def known_items(conn: sqlite3.Connection) -> set[str]:
    return {str(r[0]) for r in conn.execute("SELECT remote_id FROM sync_items")}


def store_items(
    conn: sqlite3.Connection,
    items: Sequence[SyncedItem],
    marker: str | None,
    rules: Sequence[Rule],
    now: float,
) -> tuple[list[int], RulesReport]:
    """Write a page of server items (articles, their server ids and flags, rules on the new
    ones) and the marker after them, in one transaction. Returns the new articles' ids, and
    what the rules did to them (how many each hide rule hid: `RulesReport.hid`).

    A starred item of no feed the server lists goes to the `ARCHIVE` source (made when first
    needed): left out, it was asked for again at every sync and a new device never showed it.
    Other items of no listed feed wait for the feed to be listed."""
    new_ids: list[int] = []
    ruled = RulesReport()
    with transaction(conn):
        by_source = _by_source(conn, items)
        adopting = bool(by_source) and any_kept(conn)
        with muted(conn):
            for source_id, group in by_source.items():
                new_ids += _store_group(conn, source_id, group, now, adopting)
        if rules and new_ids:  # outside the mute: a rule marking a synced article is pushed
            ruled = apply_rules(conn, rules, new_ids)
        if marker is not None:
            set_state(conn, "marker", marker)
    return new_ids, ruled


def _by_source(
    conn: sqlite3.Connection, items: Sequence[SyncedItem]
) -> dict[int, list[SyncedItem]]:
    feeds = {
        str(r[0]): int(r[1]) for r in conn.execute("SELECT remote_id, source_id FROM sync_feeds")
    }
    by_source: dict[int, list[SyncedItem]] = defaultdict(list)
    for item in items:
        feed = item.feed_id if item.feed_id in feeds else ARCHIVE if item.saved else None
        if feed == ARCHIVE and ARCHIVE not in feeds:
            feeds[ARCHIVE] = _store_feed(conn, SyncedFeed(ARCHIVE, "Archived"))
        if feed is not None:
            by_source[feeds[feed]].append(item)
    return by_source


def _store_group(
    conn: sqlite3.Connection,
    source_id: int,
    items: Sequence[SyncedItem],
    now: float,
    adopting: bool,
) -> list[int]:
    """Store one feed's items; `adopting`: the cache holds kept saved articles one may be."""
    if adopting:
        adopt_kept(conn, source_id, {i.article.content_hash for i in items})
    result = upsert_all(conn, source_id, [i.article for i in items], now)
    record_outcome(conn, source_id, FetchOutcome(status=200, complete=False), now)
    # Server items that are one article here (the same link and text under two guids) all
    # map to it, so a change to it is pushed to each; it is read when all are, saved if any.
    mapped: dict[int, list[SyncedItem]] = defaultdict(list)
    for item, article_id in zip(items, result.landed, strict=True):
        mapped[article_id].append(item)
    kept = saved_unsynced(conn, set(mapped) - set(result.new_ids))
    conn.executemany(
        "INSERT OR REPLACE INTO sync_items (remote_id, article_id) VALUES (?, ?)",
        [(item.remote_id, a) for a, group in mapped.items() for item in group],
    )
    flags = [
        (a, int(all(i.read for i in group)), int(a in kept or any(i.saved for i in group)))
        for a, group in mapped.items()
    ]
    _set_flags(conn, flags)
    # The server learns of them at the next push, or its "not starred" would unsave them.
    conn.executemany(
        "INSERT OR REPLACE INTO sync_queue (remote_id, field, value) VALUES (?, 'saved', 1)",
        [(i.remote_id,) for a in kept for i in mapped[a] if not i.saved],
    )
    return list(result.new_ids)


def saved_remote_ids(conn: sqlite3.Connection) -> set[str]:
    """Server ids of the synced articles saved here."""
    found = conn.execute(
        "SELECT i.remote_id FROM sync_items i JOIN articles a ON a.id = i.article_id "
        "WHERE a.saved = 1"
    )
    return {str(row[0]) for row in found}


def release(conn: sqlite3.Connection, remote_ids: Collection[str]) -> int:
    """Items the server no longer has (deleted there, or their feed unsubscribed): their
    articles leave the sync with their flags as they are here, so a saved one stays saved
    rather than taking the server's "not starred". Returns how many articles."""
    wanted = json.dumps(sorted(remote_ids))
    with transaction(conn):
        (articles,) = conn.execute(
            "SELECT count(DISTINCT article_id) FROM sync_items "
            "WHERE remote_id IN (SELECT value FROM json_each(?))",
            (wanted,),
        ).fetchone()
        for table in ("sync_items", "sync_queue"):
            conn.execute(
                f"DELETE FROM {table} WHERE remote_id IN (SELECT value FROM json_each(?))",
                (wanted,),
            )
    return int(articles)


def _set_flags(conn: sqlite3.Connection, flags: Sequence[tuple[int, int, int]]) -> None:
    """Set read and saved as the server has them, unless a local change is still queued."""
    unqueued = (
        "NOT EXISTS (SELECT 1 FROM sync_queue q JOIN sync_items i ON i.remote_id = q.remote_id "
        "WHERE i.article_id = articles.id AND q.field = ?)"
    )
    conn.executemany(
        f"UPDATE articles SET read = ? WHERE id = ? AND read != ? AND {unqueued}",
        [(read, i, read, "read") for i, read, _ in flags],
    )
    conn.executemany(
        "UPDATE articles SET saved = ?, save_state = CASE WHEN ? THEN "
        "coalesce(save_state, 'pending') WHEN full_text IS NULL THEN NULL ELSE save_state END "
        f"WHERE id = ? AND saved != ? AND {unqueued}",
        [(saved, saved, i, saved, "saved") for i, _, saved in flags],
    )


def apply_server_state(
    conn: sqlite3.Connection,
    unread: set[str],
    starred: set[str] | None,
    feeds: Collection[str] | None = None,
) -> PullReport:
    """Make synced articles' flags the server's (queued changes win): read for the articles of
    `feeds` (all for None), saved for every one unless `starred` is None."""
    report = PullReport()
    with muted(conn):
        rows = conn.execute(
            "SELECT i.remote_id, a.id, a.read, a.saved, f.remote_id FROM sync_items i "
            "JOIN articles a ON a.id = i.article_id "
            "LEFT JOIN sync_feeds f ON f.source_id = a.source_id"
        ).fetchall()
        flags: dict[int, tuple[int, int]] = {}
        for remote_id, article_id, was_read, was_saved, feed in rows:
            read, saved = flags.get(article_id, (1, 0))
            in_scope = feeds is None or feed in feeds
            is_read = remote_id not in unread if in_scope else was_read
            is_saved = remote_id in starred if starred is not None else was_saved
            flags[article_id] = (read and is_read, saved or is_saved)
        before = {int(r[1]): (int(r[2]), int(r[3])) for r in rows}
        changed = [(i, int(r), int(s)) for i, (r, s) in flags.items() if before[i] != (r, s)]
        _set_flags(conn, changed)
        _count(conn, report, changed, before)
        # A dropped feed kept for its saved articles: those the server unstarred go.
        let_removed_go(conn, (i for i, _, saved in changed if not saved))
    return report


def local_counts(conn: sqlite3.Connection) -> tuple[dict[str, int], int]:
    """What the server's counts are compared with: per server feed, its items unread here;
    and how many items are saved here."""
    unread = conn.execute(
        "SELECT f.remote_id, count(*) FROM sync_feeds f JOIN articles a "
        "ON a.source_id = f.source_id AND a.read = 0 JOIN sync_items i ON i.article_id = a.id "
        "GROUP BY f.remote_id"
    )
    saved = conn.execute(
        "SELECT count(*) FROM sync_items i JOIN articles a ON a.id = i.article_id AND a.saved = 1"
    )
    return {str(feed): int(n) for feed, n in unread}, int(saved.fetchone()[0])


def prune(conn: sqlite3.Connection, retention_days: float, now: float) -> int:
    """The README's prune rule for synced sources: a synced article has left its feed once the
    server has it read and unstarred, so read, unsaved articles older than the retention go,
    unless a change to them waits in the queue. Their server ids go with them: the marker is
    past them, and only an item unread or starred on the server is asked for by id."""
    departed = (
        "FROM articles a JOIN sync_feeds f ON f.source_id = a.source_id "
        "WHERE a.saved = 0 AND a.read = 1 AND a.sort_ts < ? AND NOT EXISTS (SELECT 1 "
        "FROM sync_items i JOIN sync_queue q ON q.remote_id = i.remote_id "
        "WHERE i.article_id = a.id)"
    )
    return forget(conn, departed, (now - retention_days * 86400,))


def _count(
    conn: sqlite3.Connection,
    report: PullReport,
    changed: Sequence[tuple[int, int, int]],
    before: dict[int, tuple[int, int]],
) -> None:
    """How many flags the server's state actually changed (queued ones were left alone)."""
    for article_id, *_ in changed:
        row = conn.execute("SELECT read, saved FROM articles WHERE id = ?", (article_id,))
        now_read, now_saved = row.fetchone()
        old_read, old_saved = before[article_id]
        if now_read != old_read:
            report.read += now_read == 1
            report.unread += now_read == 0
        if now_saved != old_saved:
            report.saved += now_saved == 1
            report.unsaved += now_saved == 0


def source_names(conn: sqlite3.Connection) -> dict[str, str]:
    """Server feed id -> source name."""
    rows = conn.execute(
        "SELECT f.remote_id, s.name FROM sync_feeds f JOIN sources s ON s.id = f.source_id"
    )
    return {str(r[0]): str(r[1]) for r in rows}
