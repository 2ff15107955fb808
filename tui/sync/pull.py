"""The pull half of a sync: the server's feeds, its new items, its unread and starred state,
then the prune of what the server has read.

A sync with nothing new costs a few requests, not work per article:
- new items come after the marker (the highest item id seen); ids below the marker that
  paging skipped (coldsweat answers `since_id` grouped by feed) are asked for by id;
- the unread and starred state is read whole where the server lists ids in one request
  (Fever); where reading it costs per article (Tiny Tiny RSS), only the feeds whose unread
  count differs from the cache's are read, and the starred list only when its count does
  or the newest stars hold one not saved here (a star moved: `Pull.star_moved`), with a
  whole reading once a day (`WHOLE_EVERY`); the counts are compared less the items the
  server counts that the cache cannot hold (skipped as malformed: `Uncounted`);
- applying it writes only the flags that differ.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tui.models import Rule
from tui.sources.entries import RawEntry, to_articles
from tui.store import DbThread, Store
from tui.store.rules import RulesReport
from tui.store.sync import PullReport, SyncedFeed, SyncedItem
from tui.stories.grouping import settle_intake
from tui.sync.service import RemoteFeed, RemoteItem, Service
from tui.text import clean_line

UNCOUNTED, WHOLE_AT, LATEST = "uncounted", "whole_at", "latest_starred"
"""The sync_state keys of `Uncounted`, the last whole reading and `Pull.latest`."""
LATEST_STARS = 20
"""The newest stars read at each sync where stars are counted (~25 ms on the server)."""
BATCH = 1000
"""Items written in one transaction: each write reads its feeds' stored keys once (to dedupe),
so a few large writes cost far less than a page (50 items for Fever) at a time."""
GAP_IDS = 20_000
"""Ids below the marker that paging did not bring, asked for by id at most (250 Tiny Tiny
RSS requests, 400 Fever ones); servers whose ids are sparse (timestamps) are left alone."""
WHOLE_EVERY = 86_400.0
"""Seconds between whole readings of the unread and starred state where it is otherwise read
from counts: a read and an unread in one feed between two syncs leave its count as it was."""


@dataclass
class Uncounted:
    """Items a server's counts include that the cache cannot hold (skipped as malformed), as
    the last reading of each list found them: per feed its unread ones, and the starred.
    Without them a feed holding one never matched its count, and was read at every sync."""

    unread: dict[str, int] = field(default_factory=dict)
    starred: int = 0

    @classmethod
    def loads(cls, text: str | None) -> Uncounted:
        data = json.loads(text) if text else {}
        unread = {str(feed): int(n) for feed, n in data.get("unread", {}).items()}
        return cls(unread, int(data.get("starred", 0)))

    def dumps(self) -> str:
        unread = {feed: n for feed, n in self.unread.items() if n}
        return json.dumps({"unread": unread, "starred": self.starred})


@dataclass
class Noted:
    """What the last syncs noted for this one to compare with, read in one go: when the
    state was last read whole, the items counted that the cache cannot hold, the newest
    stars."""

    whole_at: float | None
    uncounted: Uncounted
    latest: list[str] | None

    @classmethod
    def read(cls, store: Store) -> Noted:
        whole_at, latest = store.sync_get(WHOLE_AT), store.sync_get(LATEST)
        return cls(
            float(whole_at) if whole_at is not None else None,
            Uncounted.loads(store.sync_get(UNCOUNTED)),
            [str(i) for i in json.loads(latest)] if latest else None,
        )


@dataclass
class Pull:
    """One pull into the cache through `db`; `report` gathers what it did."""

    service: Service
    db: DbThread
    rules: Sequence[Rule]
    now: float = field(default_factory=time.time)
    report: PullReport = field(default_factory=PullReport)
    new_ids: list[int] = field(default_factory=list)
    """The articles the pull added (their stories are found once, at its end)."""
    ruled: RulesReport = field(default_factory=RulesReport)
    """What the rules did to them (how many each hide rule hid)."""
    told: Callable[[str], None] = field(default=lambda step: None)
    """Told each step as it starts (`newsdesk sync` draws it on a terminal)."""
    starred: int | None = None
    """The server's count of starred items, where it was asked for."""
    latest: list[str] | None = None
    """The ids of the items starred last (`LATEST_STARS`), where the server lists them."""

    @property
    def new(self) -> int:
        """How many articles the pull added, those a hide rule hid aside."""
        return len(self.new_ids) - self.hidden

    @property
    def hidden(self) -> int:
        """How many of the articles the pull added a hide rule hid."""
        return self.ruled.applied["hide"]

    async def run(self, retention_days: float) -> list[RemoteFeed]:
        self.told("reading subscriptions")
        feeds = await self.service.feeds()
        synced = [_feed(f) for f in feeds]
        removed = await self.db.call(lambda store: store.sync_feeds(synced))
        first = await self.items()
        await self.state(feeds, first)
        self.report.notice = await self.db.call(settle_intake, self.new_ids, self.now)
        self.report.removed_feeds = removed
        self.report.pruned = await self.db.call(
            lambda store: store.sync_prune(retention_days, self.now)
        )
        return feeds

    async def items(self) -> bool:
        """New items after the marker, then those paging skipped; True on a first sync."""
        start = await self.db.call(lambda store: store.sync_get("marker"))
        marker, batch, seen = start, list[RemoteItem](), set[str]()
        self.told("reading new items")
        async for page in self.service.items_since(start):
            batch += page.items
            seen.update(item.id for item in page.items)
            marker = page.marker or marker
            if len(batch) >= BATCH:
                await self.store(batch, marker)
                batch = []
                self.told(f"reading new items: {len(seen):,} read so far")
        await self.store(batch, marker)
        known = await self.db.call(lambda store: store.sync_known_items())
        skipped = _skipped(start, marker, seen | known)
        if skipped:
            await self.store(await self.service.items(skipped), None)
        return start is None

    async def state(self, feeds: Sequence[RemoteFeed], first: bool) -> None:
        """The server's unread and starred state, read whole or only where counts moved."""
        self.told("reading read and saved flags")
        if first:  # the items came with their flags: counts are enough to check them
            await self.db.call(lambda store: store.sync_set(WHOLE_AT, str(self.now)))
        if not _counted(feeds):
            await self.read_state(None, True)
            return
        noted = await self.db.call(Noted.read)
        scope, stars = await self.scope(feeds, noted)
        if scope != [] or stars:
            await self.read_state(scope, stars)
            await self.note_uncounted(feeds, scope, stars, noted.uncounted)
        if self.latest is not None and self.latest != noted.latest:
            latest = json.dumps(self.latest)
            await self.db.call(lambda store: store.sync_set(LATEST, latest))

    async def read_state(self, scope: list[str] | None, stars: bool) -> None:
        """Read the unread ids of the feeds in `scope` (None: all) and, with `stars`, the
        starred ids, and apply them."""
        unread = await self.service.unread_ids(scope) if scope != [] else set()
        starred = await self.service.starred_ids() if stars else None
        known = await self.db.call(lambda store: store.sync_known_items())
        missing = sorted((unread | (starred or set())) - known)
        if missing:  # items added while paging ran, or that it skipped
            await self.store(await self.service.items(missing), None)
        kept = await self.keep_vanished(starred) if starred is not None else 0
        state = await self.db.call(lambda store: store.sync_apply_state(unread, starred, scope))
        self.report, state.kept = state, kept
        if scope is None:
            await self.db.call(lambda store: store.sync_set(WHOLE_AT, str(self.now)))

    async def keep_vanished(self, starred: set[str]) -> int:
        """Saved here, not starred there: unstarred on another device (then unsaved here), or
        gone from the server (deleted, its feed unsubscribed), which only a request by id
        tells apart; those keep their flags here and leave the sync. Returns how many."""
        unstarred = await self.db.call(lambda store: store.sync_saved_ids() - starred)
        if not unstarred:
            return 0
        there = {item.id for item in await self.service.items(sorted(unstarred))}
        gone = unstarred - there
        return await self.db.call(lambda store: store.sync_release(gone)) if gone else 0

    async def scope(
        self, feeds: Sequence[RemoteFeed], noted: Noted
    ) -> tuple[list[str] | None, bool]:
        """Which feeds' unread ids to read (None: all) and whether to read the starred ids."""
        self.latest = await self.service.latest_starred(LATEST_STARS)
        if noted.whole_at is None or self.now - noted.whole_at >= WHOLE_EVERY:
            return None, True
        unread, saved = await self.db.call(lambda store: store.sync_counts())
        uncounted = noted.uncounted
        moved = [
            f.id
            for f in feeds
            if (f.unread or 0) - uncounted.unread.get(f.id, 0) != unread.get(f.id, 0)
        ]
        self.starred = await self.service.starred_count()
        stars = self.starred is None or self.starred - uncounted.starred != saved
        return moved, stars or await self.star_moved(noted.latest)

    async def star_moved(self, before: list[str] | None) -> bool:
        """Did the newest stars change since the last sync (`before`) other than by stars
        from here? A star moved from one item to another leaves the count as it was, and
        the item starred is one of the newest: not saved here, it is news. With no star of
        `before` among them, as many items were starred since: the list is read."""
        latest, before = self.latest or [], before or []
        if len(latest) == LATEST_STARS and not set(before) & set(latest):
            return True
        new = set(latest) - set(before)
        if not new:
            return False
        return bool(new - await self.db.call(lambda store: store.sync_saved_ids()))

    async def note_uncounted(
        self,
        feeds: Sequence[RemoteFeed],
        scope: Collection[str] | None,
        stars: bool,
        uncounted: Uncounted,
    ) -> None:
        """After a reading: what each list read holds that the cache does not, when this
        sync skipped malformed items (none else: the state is all here); `uncounted` is what
        the last one noted."""
        skipped = len(self.service.skipped)
        if not skipped and uncounted == Uncounted():  # none now, none before: nothing to note
            return
        unread, saved = await self.db.call(lambda store: store.sync_counts())

        def left(server: int, here: int) -> int:
            return min(skipped, max(0, server - here))

        uncounted.unread = {
            f.id: (
                left(f.unread or 0, unread.get(f.id, 0))
                if scope is None or f.id in scope
                else uncounted.unread.get(f.id, 0)
            )
            for f in feeds
        }
        if stars:
            if skipped and self.starred is None:
                self.starred = await self.service.starred_count()
            uncounted.starred = left(self.starred or 0, saved)
        text = uncounted.dumps()
        await self.db.call(lambda store: store.sync_set(UNCOUNTED, text))

    async def store(self, items: Sequence[RemoteItem], marker: str | None) -> None:
        rules, now = self.rules, self.now
        synced = await asyncio.to_thread(to_synced, items, now)
        new_ids, ruled = await self.db.call(
            lambda store: store.sync_items(synced, marker, rules, now)
        )
        self.new_ids += new_ids
        self.ruled.merge(ruled)


def _counted(feeds: Sequence[RemoteFeed]) -> bool:
    """Does the server count each feed's unread items (then the state is read by counts)?"""
    return all(f.unread is not None for f in feeds)


def _skipped(start: str | None, marker: str | None, have: set[str]) -> list[str]:
    """Ids between the old marker (or the lowest id seen) and the new one that the cache does
    not have: those paging skipped, and other users' (the server answers nothing for them).
    Empty where ids are not numbers or too sparse to ask for one by one."""
    if marker is None or not marker.isdigit() or (start is not None and not start.isdigit()):
        return []
    high, numbers = int(marker), [int(i) for i in have if i.isdigit()]
    low = int(start) if start is not None else min(numbers, default=high) - 1
    if high - low - sum(1 for n in numbers if low < n <= high) > GAP_IDS:
        return []
    ids = (str(n) for n in range(low + 1, high + 1))
    return [i for i in ids if i not in have]


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
