"""Saved articles and the cost of a pull, without a server: every starred item is saved, so
a pull must not look through the saved articles once per feed it stores items of."""

from __future__ import annotations

from pathlib import Path

from tui.models import Article
from tui.store import Store
from tui.store.sync import SyncedFeed, SyncedItem

FEEDS = 20


def item(number: int, feed: int, saved: bool = False) -> SyncedItem:
    article = Article(title=f"Item {number}", body=f"Body of item {number}.", guid=str(number))
    return SyncedItem(str(number), str(feed), article, read=saved, saved=saved)


def work(store: Store, items: list[SyncedItem]) -> int:
    """SQLite's work (in hundreds of VM steps) to store `items`."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    store._conn.set_progress_handler(count, 100)
    try:
        store.sync_items(items, None)
    finally:
        store._conn.set_progress_handler(None, 0)
    return steps[0]


def test_a_pull_into_many_feeds_costs_what_one_feed_does(tmp_path: Path) -> None:
    # The kept saved articles a server item may be (another account's) were looked for once
    # per feed, a probe for each saved article: 5,000 starred x 30 feeds, 150,000 a sync.
    store = Store.open(tmp_path / "c.db")
    store.sync_begin("ttrss http://127.0.0.1/ me")
    store.sync_feeds([SyncedFeed(str(feed), f"Feed {feed}") for feed in range(FEEDS)])
    store.sync_items([item(n, n % FEEDS, saved=True) for n in range(2000)], "2000")
    spread = work(store, [item(10_000 + f, f) for f in range(FEEDS)])
    together = work(store, [item(20_000 + f, 0) for f in range(FEEDS)])
    assert spread < 2 * together, (spread, together)
