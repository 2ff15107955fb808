"""A feed whose domain changed hands: its new owner's items reuse the old guids."""

from __future__ import annotations

import time
from pathlib import Path

from tests.feedserver import FeedServer
from tests.test_saving import by_title
from tui.config import Config, SourceConfig
from tui.refresh.run import refresh
from tui.store import Store, View

T0 = time.time()


def item(guid: str, title: str, link: str, body: str) -> str:
    return (
        f"<item><guid>{guid}</guid><title>{title}</title><link>{link}</link>"
        f"<description>{body}</description></item>"
    )


def channel(*items: str) -> bytes:
    return f"<rss version='2.0'><channel><title>T</title>{''.join(items)}</channel></rss>".encode()


async def test_a_new_owner_reusing_guids_does_not_rewrite_a_kept_article(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    # The saved article's title became the new owner's (its saved text stayed), read carried.
    old = item(
        "1",
        "Council votes on harbour budget",
        "https://herald.example/n/1",
        "The council voted on the harbour budget after a long debate.",
    )
    edit = item("2", "Storm closes ferry", "https://herald.example/n/2", "The ferry is shut.")
    feed_server.feed("/f.xml", channel(old, edit))
    source = SourceConfig(name="Herald", url=feed_server.url("/f.xml"))
    config = Config(path=tmp_path / "feeds.toml", sources=(source,))
    store = Store.open(tmp_path / "cache" / "newsdesk.db")
    await refresh(config, store, now=T0)
    kept, edited = by_title(store, "Council"), by_title(store, "Storm")
    store.mark_saved([kept])
    store.set_read([kept, edited])
    spam = item(
        "1",
        "Best casino bonuses 2025",
        "https://casino.example/1",
        "Spin to win with free chips today only.",
    )
    fixed = item(
        "2",
        "Storm closes ferry again",
        "https://www.herald.example/n/2",
        "The ferry is shut. Crossings resume on Monday.",
    )
    feed_server.feed("/f.xml", channel(spam, fixed))
    await refresh(config, store, now=T0 + 60)
    rows = {r.title: r for r in store.page(View(), limit=10)}
    assert (
        rows["Council votes on harbour budget"].saved
        and rows["Council votes on harbour budget"].id == kept
    )
    assert not rows["Best casino bonuses 2025"].read and rows["Best casino bonuses 2025"].id != kept
    assert rows["Storm closes ferry again"].id == edited and rows["Storm closes ferry again"].read
    store.close()


async def test_a_link_shared_by_guidless_items_does_not_rewrite_a_kept_article(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    # Items without a guid, each linking to the site's home page: the next one took the
    # saved article's place, title, text and flags.
    def plain(title: str, body: str) -> str:
        return item("", title, "https://herald.example/", body).replace("<guid></guid>", "")

    feed_server.feed("/f.xml", channel(plain("Weather report", "Rain expected tomorrow.")))
    source = SourceConfig(name="Herald", url=feed_server.url("/f.xml"))
    config = Config(path=tmp_path / "feeds.toml", sources=(source,))
    store = Store.open(tmp_path / "cache" / "newsdesk.db")
    await refresh(config, store, now=T0)
    kept = by_title(store, "Weather")
    store.mark_saved([kept])
    feed_server.feed("/f.xml", channel(plain("Football results", "The home team won.")))
    await refresh(config, store, now=T0 + 60)
    rows = {r.title: r for r in store.page(View(), limit=10)}
    assert rows["Weather report"].id == kept and rows["Weather report"].saved
    assert not rows["Football results"].saved
    store.close()
