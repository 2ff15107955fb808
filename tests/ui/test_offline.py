"""Saving for offline reading from the UI against a loopback site; images open from the cache."""

from __future__ import annotations

import struct
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.feedserver import FeedServer
from tests.ui.conftest import AppFactory, record_notifications, settle
from tests.ui.test_links import opened  # noqa: F401 - a fixture
from tests.ui.test_reading import marks, parts
from tui.config import Config, load_config
from tui.models import FetchOutcome
from tui.refresh.run import refresh
from tui.store import Store, View
from tui.ui.format import SAVED_MARK
from tui.ui.saving import GONE

PAGES = Path(__file__).parent.parent / "fixtures" / "pages"
ARTICLE = "/news/harbour-map"
IMAGE = "/img/seabed-survey.png"


def png() -> bytes:
    """A 2x2 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)
    rows = b"\x00\x80\x80" * 2
    idat = chunk(b"IDAT", zlib.compress(rows))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + idat + chunk(b"IEND", b"")


@pytest.fixture
def site(feed_server: FeedServer) -> FeedServer:
    """A feed whose first item links to an article page (with an image) on the same server."""
    feed = (PAGES / "feed.xml").read_bytes().replace(b"{base}", feed_server.url("").encode())
    feed_server.feed("/feed.xml", feed)
    feed_server.page(ARTICLE, (PAGES / "article.html").read_bytes())
    feed_server.page("/news/quay-repairs", (PAGES / "paywall.html").read_bytes())
    feed_server.page(IMAGE, png(), content_type="image/png")
    return feed_server


@pytest.fixture
def site_store(tmp_path: Path) -> Iterator[Store]:
    cache = Store.open(tmp_path / "site-cache" / "newsdesk.db")
    yield cache
    cache.close()


async def filled(tmp_path: Path, site: FeedServer, store: Store) -> Config:
    path = tmp_path / "site.toml"
    path.write_text(
        "[settings]\nrefresh_minutes = 0\ntimeout_seconds = 5.0\n"
        f'[[sources]]\nname = "Herald"\nurl = "{site.url("/feed.xml")}"\n',
        encoding="utf-8",
    )
    config = load_config(path)
    assert (await refresh(config, store)).failed == 0
    return config


def text_of(widget: Static) -> str:
    return str(widget.content)


async def test_s_saves_the_full_page_for_offline_reading(
    new_app: AppFactory, site: FeedServer, site_store: Store, tmp_path: Path
) -> None:
    config = await filled(tmp_path, site, site_store)
    app = new_app(config=config, store=site_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, articles, reader = parts(app)
        notes = record_notifications(app)
        await pilot.press("enter")
        await settle(pilot)
        assert "hydrophone array" not in reader.body.plain
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await settle(pilot)
        site.stop()  # everything from here on comes from the cache
        assert ("", "Saved for offline reading") in notes
        assert "towed hydrophone array" in reader.body.plain
        assert "★ saved full text" in text_of(reader.query_one("#reader-meta", Static))
        assert SAVED_MARK in marks(app, 0)
        assert site_store.count(View(saved=True)) == 1
        await pilot.press("s")
        await settle(pilot)
        assert site_store.count(View(saved=True)) == 0
        assert ("", "Removed from saved") in notes
        # The saved page went with the flag: the feed's text at once, not on reopening.
        meta = text_of(reader.query_one("#reader-meta", Static))
        assert "★" not in meta and "full text" not in meta
        assert "towed hydrophone array" not in reader.body.plain


async def test_a_save_whose_image_cannot_be_written_says_so(
    new_app: AppFactory, site: FeedServer, site_store: Store, tmp_path: Path
) -> None:
    # A full disk lost the picture while the toast said all was saved.
    config = await filled(tmp_path, site, site_store)
    (tmp_path / "site-cache" / "images").write_bytes(b"")  # no folder can be made there
    app = new_app(config=config, store=site_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = record_notifications(app)
        await pilot.press("enter", "s")
        await app.workers.wait_for_complete()
        await settle(pilot)
        said = "Saved for offline reading, but 1 image not written to the cache (is the disk full?)"
        assert ("", said) in notes


async def test_the_images_of_a_page_just_saved_are_drawn(
    new_app: AppFactory, site: FeedServer, site_store: Store, tmp_path: Path
) -> None:
    # The article on show came back with the page's text, but its image stayed a line of
    # text until the article was opened again: the images looked up for the feed's text
    # were used for the page's.
    config = await filled(tmp_path, site, site_store)
    config.path.write_text(
        config.path.read_text(encoding="utf-8").replace(
            "[settings]\n", '[settings]\nimages = "blocks"\n'
        ),
        encoding="utf-8",
    )
    app = new_app(config=load_config(config.path), store=site_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, _, reader = parts(app)
        await pilot.press("enter")
        await settle(pilot)
        assert not reader.images
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert "towed hydrophone array" in reader.body.plain
        assert reader.images is not None and site.url(IMAGE) in reader.images


async def test_a_failed_save_keeps_the_feed_text_and_says_why(
    new_app: AppFactory, site: FeedServer, site_store: Store, tmp_path: Path
) -> None:
    config = await filled(tmp_path, site, site_store)
    site.status(ARTICLE, 404)
    app = new_app(config=config, store=site_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, articles, reader = parts(app)
        notes = record_notifications(app)
        await pilot.press("enter", "s")
        await settle(pilot)
        said = "Saved (feed text kept): 'Listening to the harbour: how a town ma…': HTTP 404"
        asked = "; the page is asked for once more at the next refresh"
        assert any(note.startswith(said) and note.endswith(asked) for _, note in notes)
        assert "unavailable: HTTP 404" in text_of(reader.query_one("#reader-meta", Static))
        assert SAVED_MARK in marks(app, 0)


async def test_a_save_offline_says_the_refreshes_fetch_the_page_again(
    new_app: AppFactory, site: FeedServer, site_store: Store, tmp_path: Path
) -> None:
    # "Saved (feed text kept): 'X': connection refused" left the user to wonder whether the
    # page would ever come: the refreshes fetch it again, 8 attempts in all (README; it
    # said "up to 8 times" of the retries, which are 7).
    config = await filled(tmp_path, site, site_store)
    site.stop()
    app = new_app(config=config, store=site_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = record_notifications(app)
        await pilot.press("enter", "s")
        await settle(pilot)
        (said,) = [note for _, note in notes if note.startswith("Saved (feed text kept)")]
        assert "connection refused" in said.lower()
        assert said.endswith("; the page is retried at the next refreshes, 8 attempts in all")


async def test_a_saved_image_link_opens_the_local_copy(
    new_app: AppFactory,
    site: FeedServer,
    site_store: Store,
    tmp_path: Path,
    opened: list[str],  # noqa: F811 - the fixture
) -> None:
    config = await filled(tmp_path, site, site_store)
    app = new_app(config=config, store=site_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, _, reader = parts(app)
        await pilot.press("enter", "s")
        await settle(pilot)
        site.stop()
        assert reader.article is not None
        number = reader.article.links.index(site.url(IMAGE)) + 1
        await pilot.press(str(number))
        await settle(pilot)
        local = tmp_path / "site-cache" / "images" / str(reader.article.row.id)
        assert len(opened) == 1 and opened[0].startswith(local.resolve().as_uri())
        other = next(n for n, url in enumerate(reader.article.links, 1) if "/img/" not in url)
        await pilot.press(str(other))
        await settle(pilot)
        assert opened[1] == reader.article.links[other - 1]


async def test_a_save_of_an_article_pruned_meanwhile_says_so(
    new_app: AppFactory, store: Store
) -> None:
    # Another program's refresh pruned the article open here: `s` said it was "deleted or
    # replaced on disk", which it was not.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        notes = record_notifications(app)
        await settle(pilot)  # the list's rows in: Enter opens the first
        await pilot.press("enter")
        await settle(pilot)
        opened = parts(app)[2].article
        assert opened is not None
        source = store.source_state(opened.row.source)
        assert source is not None
        years_on = time.time() + 3 * 365 * 86400  # out of its feed and past retention
        store.record_refresh(source.id, [], FetchOutcome(status=200), years_on, retention_days=30)
        assert store.existing_ids([opened.row.id]) == set()
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert ("", GONE) in notes and "pruned" in GONE
