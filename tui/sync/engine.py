"""One sync: push the queued local changes, then pull the server's feeds, new items and
unread/starred state. Offline first: the cache is usable throughout, and a failure at any
step leaves the queue holding whatever was not pushed.

Every database call goes through `db` (the refresh's or the command's database thread), so
the event loop never waits for SQLite; turning items' HTML into text runs in a thread.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tui.config import Config, ConfigError, SyncConfig
from tui.models import Rule
from tui.sources.entries import RawEntry, to_articles
from tui.store import DbThread, Store
from tui.store.sync import PendingChange, PullReport, SyncedFeed, SyncedItem
from tui.sync.account import account_key, make_service, password
from tui.sync.http import shown_url
from tui.sync.service import RemoteFeed, RemoteItem, Service, SyncError
from tui.text import clean_line, plural

BATCH = 1000
"""Items written in one transaction: each write reads its feeds' stored keys once (to dedupe),
so a few large writes cost far less than a page (50 items for Fever) at a time."""


@dataclass
class SyncReport:
    """What one sync did; `error` is set when the server could not be used."""

    service: str
    url: str
    pushed: int = 0
    pending: int = 0
    """Local changes still waiting for the server."""
    dropped: int = 0
    """Changes queued for a previous server (the [sync] table changed) that were dropped."""
    feeds: int = 0
    new: int = 0
    pulled: PullReport = field(default_factory=PullReport)
    error: str | None = None

    def line(self) -> str:
        """`synced with Tiny Tiny RSS: 3 changes pushed, 12 new articles, 2 marked read`."""
        if self.error:
            kept = f" ({plural(self.pending, 'local change')} kept)" if self.pending else ""
            return f"sync failed: {self.error}{kept}"
        pulled = self.pulled
        parts = [
            plural(self.pushed, "change") + " pushed",
            plural(self.new, "new article"),
            f"{plural(self.feeds, 'feed')}",
        ]
        for count, what in (
            (pulled.read, "marked read"),
            (pulled.unread, "marked unread"),
            (pulled.saved, "saved"),
            (pulled.unsaved, "unsaved"),
        ):
            if count:
                parts.append(f"{count} {what}")
        return f"synced with {self.service}: " + ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        """The `sync --json` object."""
        pulled = self.pulled
        return {
            "ok": self.error is None,
            "error": self.error,
            "service": self.service,
            "url": self.url,
            "pushed": self.pushed,
            "pending": self.pending,
            "dropped": self.dropped,
            "feeds": self.feeds,
            "new": self.new,
            "read": pulled.read,
            "unread": pulled.unread,
            "saved": pulled.saved,
            "unsaved": pulled.unsaved,
            "removed_feeds": pulled.removed_feeds,
        }


def open_service(config: Config) -> Service:
    """The configured service, its password resolved (ConfigError if that fails)."""
    sync = _sync_config(config)
    return make_service(sync, password(sync, str(config.path)))


def _sync_config(config: Config) -> SyncConfig:
    if config.sync is None:
        raise ValueError(f"{config.path}: no [sync] table")
    return config.sync


async def run_sync(
    config: Config, db: DbThread, service: Service, now: float | None = None
) -> SyncReport:
    """Push, then pull. A server that cannot be used sets `report.error` (one line); what
    succeeded before stays done, and unpushed changes stay queued."""
    sync = _sync_config(config)
    report = SyncReport(service.name, shown_url(sync.url))
    try:
        await service.login()  # first: a refused login changes nothing here
        report.dropped = await db.call(lambda store: store.sync_begin(account_key(sync)))
        report.pushed = await _push(service, db)
        await _pull(service, db, config.rules, report, now)
    except SyncError as exc:
        report.error = str(exc)
    finally:
        await service.aclose()
        stamp = str(time.time() if now is None else now)
        await db.call(lambda store: store.sync_set("last_attempt", stamp))
        report.pending = len(await db.call(lambda store: store.sync_pending()))
    return report


async def sync_for_refresh(config: Config, db: DbThread, now: float | None = None) -> SyncReport:
    """`run_sync` inside a refresh: a password command that fails is this sync's error."""
    sync = _sync_config(config)
    try:
        service = open_service(config)
    except ConfigError as exc:
        return SyncReport(sync.service, shown_url(sync.url), error=str(exc))
    return await run_sync(config, db, service, now)


async def sync_cache(config: Config, database: Path, service: Service) -> SyncReport:
    """`run_sync` on a database thread of its own (`newsdesk sync`)."""
    writer = DbThread(database, name="newsdesk-sync")
    try:
        return await run_sync(config, writer, service)
    finally:
        await writer.aclose()


async def _push(service: Service, db: DbThread) -> int:
    """Send the queued changes, a group (field and value) at a time; each group leaves the
    queue once the server took it."""
    changes = await db.call(lambda store: store.sync_pending())
    groups: dict[tuple[str, bool], list[PendingChange]] = {}
    for change in changes:
        groups.setdefault((change.field, change.value), []).append(change)
    for (name, value), group in groups.items():
        ids = [c.remote_id for c in group]
        if name == "read":
            await service.mark_read(ids, value)
        else:
            await service.mark_starred(ids, value)
        await db.call(_pushed(group))
    return len(changes)


def _pushed(group: list[PendingChange]) -> Callable[[Store], None]:
    return lambda store: store.sync_pushed(group)


async def _pull(
    service: Service, db: DbThread, rules: Sequence[Rule], report: SyncReport, now: float | None
) -> None:
    feeds = await service.feeds()
    report.feeds = len(feeds)
    removed = await db.call(lambda store: store.sync_feeds([_feed(f) for f in feeds]))
    marker = await db.call(lambda store: store.sync_get("marker"))
    batch: list[RemoteItem] = []
    async for page in service.items_since(marker):
        batch += page.items
        marker = page.marker or marker
        if len(batch) >= BATCH:
            report.new += await _store(db, batch, marker, rules, now)
            batch = []
    report.new += await _store(db, batch, marker, rules, now)
    unread, starred = await service.unread_ids(), await service.starred_ids()
    known = await db.call(lambda store: store.sync_known_items())
    missing = sorted((unread | starred) - known)
    if missing:  # items the paging missed (added while it ran, or an unordered server)
        report.new += await _store(db, await service.items(missing), None, rules, now)
    report.pulled = await db.call(lambda store: store.sync_apply_state(unread, starred))
    report.pulled.removed_feeds = removed


async def _store(
    db: DbThread,
    items: Sequence[RemoteItem],
    marker: str | None,
    rules: Sequence[Rule],
    now: float | None,
) -> int:
    synced = await asyncio.to_thread(to_synced, items, now)
    return await db.call(lambda store: store.sync_items(synced, marker, rules, now))


def _feed(feed: RemoteFeed) -> SyncedFeed:
    title = clean_line(feed.title) or feed.id
    tags = tuple(t for t in (clean_line(c) for c in feed.categories) if t)
    url = clean_line(feed.url) or None
    return SyncedFeed(feed.id, title, url, tags)


def to_synced(items: Sequence[RemoteItem], now: float | None = None) -> list[SyncedItem]:
    """Server items as articles, cleaned like any feed's entries (HTML to text, sanitized)."""
    when = datetime.fromtimestamp(time.time() if now is None else now, UTC)
    synced = []
    for item in items:
        entry = RawEntry(
            title=item.title,
            title_html=True,
            guid=item.id,
            link=item.url,
            authors=(item.author,) if item.author else (),
            published=item.published,
            body=item.html,
            body_html=True,
        )
        for article in to_articles([entry], item.url, when):
            synced.append(SyncedItem(item.id, item.feed_id, article, not item.unread, item.starred))
    return synced
