"""The sources pane's counts and the list's totals come from counters kept per source: they
must agree with the articles after every write, and an upgraded cache starts with them right."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.old_cache import write_version_2_cache
from tests.sql import sql
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store, View
from tui.store.sync import SyncedFeed, SyncedItem

OK = FetchOutcome(status=200)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "newsdesk.db")
    yield opened
    opened.close()


def articles(prefix: str, n: int) -> list[Article]:
    return [Article(title=f"{prefix} {i}", body="text", guid=f"{prefix}{i}") for i in range(n)]


def assert_counts_agree(store: Store) -> None:
    """Every source's counts and every view's total equal a count of the articles."""
    for state in store.sources():
        visible, unread = sql(
            store,
            "SELECT count(*), coalesce(sum(read = 0), 0) FROM articles a JOIN sources s "
            "ON s.id = a.source_id WHERE s.name = ? AND hidden = 0",
            (state.name,),
        )[0]
        assert (state.total, state.unread) == (visible, unread), state.name
        assert store.count(View(source=state.name)) == visible
        assert store.count(View(source=state.name, unread=True)) == unread
    assert store.count(View()) == sql(store, "SELECT count(*) FROM articles WHERE hidden = 0")[0][0]
    tagged = sql(
        store,
        "SELECT count(*) FROM articles WHERE hidden = 0 AND read = 0 AND source_id IN "
        "(SELECT source_id FROM source_tags WHERE tag = 'News')",
    )[0][0]
    assert store.count(View(tag="News", unread=True)) == tagged


def test_counts_follow_every_write(store: Store) -> None:
    wire = store.ensure_source("Wire", SourceKind.WEB, "https://wire.example/rss", ["News"])
    blog = store.ensure_source("Blog", SourceKind.WEB, "https://blog.example/rss")
    store.record_refresh(wire, articles("w", 6), OK, now=1000.0)
    store.record_refresh(blog, articles("b", 3), OK, now=1000.0)
    ids = [row.id for row in store.page(View(source="Wire"))]
    store.set_read(ids[:3])
    store.set_read(ids[:1], False)
    store.set_hidden(ids[3:5], True)
    store.set_hidden(ids[4:5], False)
    store.mark_view_read(View(source="Blog"))
    assert_counts_agree(store)
    store.record_refresh(wire, articles("x", 2), OK, now=1000.0 + 90 * 86400)
    store.prune(30, now=1000.0 + 90 * 86400)  # the articles that left the feed go
    assert_counts_agree(store)
    store.sync_feeds([SyncedFeed("7", "Server")])
    store.sync_items([SyncedItem("1", "7", articles("s", 1)[0], True, False)], None)
    assert_counts_agree(store)
    store.sync_forget_feed("7")
    assert [s.name for s in store.sources()] == ["Blog", "Wire"]
    assert_counts_agree(store)


def test_an_upgraded_cache_starts_with_its_counts(tmp_path: Path) -> None:
    path = tmp_path / "newsdesk.db"
    write_version_2_cache(path)
    store = Store.open(path)
    try:
        assert [(s.name, s.total, s.unread) for s in store.sources()] == [("Feed", 2, 2)]
        assert_counts_agree(store)
    finally:
        store.close()
