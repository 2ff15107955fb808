"""Saving for offline reading against a real loopback site: full text, images, failures, retries.

The site (tests/fixtures/pages) serves a feed whose items point at article pages with the usual
clutter (cookie banner, navigation, comments, related links, a tracking pixel) and an image.
"""

from __future__ import annotations

import asyncio
import html
import json
import os
import signal
import struct
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.feedserver import MB, FeedServer
from tests.sql import sql
from tui.config import Config, load_config
from tui.models import Article, FetchOutcome, SourceKind
from tui.offline.pictures import fetched
from tui.offline.saving import (
    SaveResult,
    remove_orphan_images,
    retry_pending,
    save_articles,
    save_new_full_text,
    unsave,
)
from tui.refresh.run import refresh
from tui.store import Store, View
from tui.store.saved import MAX_ATTEMPTS
from tui.store.writes import GONE_FOR

PAGES = Path(__file__).parent / "fixtures" / "pages"
TEASER = "Read the whole story on our website."
ARTICLE = "/news/harbour-map"
QUAY = "/news/quay-repairs"
IMAGE = "/img/seabed-survey.png"


def png(width: int = 2, height: int = 2) -> bytes:
    """A small valid PNG (grey pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG = png()
GARBAGE_PNG = b"\x89PNG\r\n\x1a\n" + b"garbagegarbage" * 10
"""A PNG's signature, then no picture (a broken.png on a site): no image to keep or embed."""


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


@pytest.fixture
def site(feed_server: FeedServer) -> FeedServer:
    """The news site: a feed of two items, the article page, a paywalled page and an image."""
    return serve_site(feed_server)


def serve_site(feed_server: FeedServer) -> FeedServer:
    """`feed_server` serving the news site (see `site`)."""
    base = feed_server.url("")
    feed_server.feed("/feed.xml", page("feed.xml").replace(b"{base}", base.encode()))
    feed_server.page(ARTICLE, page("article.html"))
    feed_server.page(QUAY, page("paywall.html"))
    feed_server.page(IMAGE, PNG, content_type="image/png")
    feed_server.page("/pixel.gif", b"GIF89a\x01\x00\x01\x00", content_type="image/gif")
    return feed_server


def write_config(
    tmp_path: Path, server: FeedServer | None, extra: str = "", settings: str = ""
) -> Config:
    path = tmp_path / "config" / "feeds.toml"
    path.parent.mkdir(exist_ok=True)
    text = f"[settings]\ntimeout_seconds = 5.0\n{settings}"
    if server is not None:
        text += f'[[sources]]\nname = "Herald"\nurl = "{server.url("/feed.xml")}"\n{extra}'
    path.write_text(text, encoding="utf-8")
    return load_config(path)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "cache" / "newsdesk.db")
    yield opened
    opened.close()


async def fill(tmp_path: Path, site: FeedServer, store: Store, extra: str = "") -> Config:
    config = write_config(tmp_path, site, extra)
    summary = await refresh(config, store)
    assert summary.failed == 0, summary.errors
    return config


async def one_item_feed(
    tmp_path: Path, site: FeedServer, store: Store, title: str, link: str, content: str
) -> tuple[Config, int]:
    """The site's feed of one item (its `content`: a description, ...) as the only source,
    refreshed: the config and the article's id."""
    config = await items_feed(tmp_path, site, store, (title, link, content))
    return config, by_title(store, title)


async def items_feed(
    tmp_path: Path, site: FeedServer, store: Store, *items: tuple[str, str, str]
) -> Config:
    """The site's feed of these items (title, link, content) as the only source, refreshed."""
    rss = "<rss version='2.0' xmlns:content='http://purl.org/rss/1.0/modules/content/'>"
    xml = "".join(
        f"<item><title>{title}</title><link>{site.url(link)}</link><guid>{link}</guid>"
        f"{content}</item>"
        for title, link, content in items
    )
    site.feed("/one.xml", f"{rss}<channel>{xml}</channel></rss>".encode())
    config = write_config(tmp_path, None)
    with config.path.open("a", encoding="utf-8") as toml:
        toml.write(f'[[sources]]\nname = "One"\nurl = "{site.url("/one.xml")}"\n')
    config = load_config(config.path)
    assert (await refresh(config, store)).failed == 0
    return config


def by_title(store: Store, start: str) -> int:
    return next(r.id for r in store.page(View()) if r.title.startswith(start))


def attempts(store: Store, article_id: int) -> int:
    query = "SELECT save_attempts FROM articles WHERE id = ?"
    return int(sql(store, query, (article_id,))[0][0])


# -- saving -----------------------------------------------------------------------------------


async def test_saved_article_reads_and_searches_offline(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    config = await fill(tmp_path, site, store)
    article_id = by_title(store, "Listening")
    assert "bathymetry" not in (store.article(article_id) or pytest.fail()).text

    report = await save_articles(config, store, [article_id], cache_dir=tmp_path / "cache")
    assert [(r.id, r.state, r.images) for r in report.results] == [(article_id, "ok", 1)]
    site.stop()  # from here on, everything comes from the cache

    detail = store.article(article_id)
    assert detail is not None and detail.full_text and detail.save_state == "ok"
    assert detail.row.saved
    assert "towed hydrophone array" in detail.text
    assert "## Counting echoes" in detail.text
    assert "• Every reading corrected for the state of the tide" in detail.text
    assert "> We expected to find mud." in detail.text
    for clutter in ("cookies", "Accept all", "harbourfan", "Related stories", "All rights"):
        assert clutter not in detail.text
    assert site.url(IMAGE) in detail.links
    assert "https://sailing.example.org/hydrophone-guide" in detail.links

    hits = store.search("bathymetry").hits
    assert [hit.row.id for hit in hits] == [article_id]

    image = store.local_image(article_id, site.url(IMAGE), tmp_path / "cache")
    assert image is not None and image.read_bytes() == PNG
    assert image.parent == tmp_path / "cache" / "images" / str(article_id)
    assert site.hits("/pixel.gif") == 0  # tracking pixels are not fetched


async def test_an_image_that_cannot_be_written_is_counted_and_said(
    tmp_path: Path, site: FeedServer, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    # A full disk dropped the picture without a word: "full text saved", and it was not.
    await fill(tmp_path, site, store)
    article_id = by_title(store, "Listening")
    (tmp_path / "cache" / "images").write_bytes(b"")  # no folder can be made there
    store.close()
    assert await asyncio.to_thread(run_cli, tmp_path, "save", str(article_id)) == 0
    out = capsys.readouterr().out
    said = "full text saved; 1 image not written to the cache (is the disk full?)"
    assert f"{article_id} {said}" in out
    assert "full text saved for 1 of 1; 1 image not written" in out


async def test_a_picture_not_written_is_fetched_at_the_next_refresh(
    tmp_path: Path, site: FeedServer, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    # The picture a full disk dropped was never fetched again, and `saved` said "full text".
    config = await fill(tmp_path, site, store)
    article_id = by_title(store, "Listening")
    blocker = tmp_path / "cache" / "images"
    blocker.write_bytes(b"")  # no folder can be made there: a full disk
    await save_articles(config, store, [article_id], cache_dir=tmp_path / "cache")
    assert run_cli(tmp_path, "saved") == 0
    lacking = "full text saved; 1 image not written to the cache (is the disk full?)"
    assert f"[{lacking}]" in capsys.readouterr().out
    blocker.unlink()  # room again
    await refresh(config, store)
    assert store.local_image(article_id, site.url(IMAGE), tmp_path / "cache") is not None
    assert run_cli(tmp_path, "saved") == 0
    assert "[full text]" in capsys.readouterr().out


async def test_unsave_gives_the_feed_text_back_and_saving_again_fetches_the_page(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    # The page saved stayed after unsave, shown as the article's "(full text)" for good: a
    # portal's login page saved by mistake could not be undone.
    config = await fill(tmp_path, site, store)
    article_id = by_title(store, "Listening")
    feed_text = store.article(article_id).text  # type: ignore[union-attr]
    await save_articles(config, store, [article_id], cache_dir=tmp_path / "cache")
    images = tmp_path / "cache" / "images" / str(article_id)
    assert any(images.iterdir())
    assert unsave(store, [article_id]).articles == 1
    assert not images.exists()  # the saved page's images go with it
    detail = store.article(article_id)
    assert detail is not None and not detail.full_text and detail.text == feed_text
    site.stop()
    report = await save_articles(config, store, [article_id], cache_dir=tmp_path / "cache")
    assert [r.state for r in report.results] == ["connection refused"]
    detail = store.article(article_id)
    assert detail is not None and detail.row.saved and detail.text == feed_text


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (lambda s: s.status(ARTICLE, 500), "HTTP 500"),
        (lambda s: s.page(ARTICLE, b"%PDF-1.7\n%...", "application/pdf"), "not an HTML page"),
        (lambda s: s.page(ARTICLE, page("nav_only.html")), "no article text"),
        (lambda s: s.page(ARTICLE, page("paywall.html")), "paywall"),
    ],
    ids=["500", "pdf", "nav-only", "paywall"],
)
async def test_failure_keeps_feed_text_and_retries_later(
    tmp_path: Path,
    site: FeedServer,
    store: Store,
    route: Callable[[FeedServer], object],
    reason: str,
) -> None:
    config = await fill(tmp_path, site, store)
    article_id = by_title(store, "Listening")
    route(site)

    report = await save_articles(config, store, [article_id], cache_dir=tmp_path / "cache")
    assert len(report.failed) == 1 and reason in report.failed[0].state
    detail = store.article(article_id)
    assert detail is not None and detail.row.saved and not detail.full_text
    assert TEASER in detail.text
    assert detail.save_state is not None and reason in detail.save_state
    assert attempts(store, article_id) == 1
    assert store.pending_saves() == [article_id]

    site.page(ARTICLE, page("article.html"))  # the site is fixed
    retried = await retry_pending(config, store)
    assert [r.state for r in retried.results] == ["ok"]
    detail = store.article(article_id)
    assert detail is not None and detail.full_text and "hydrophone" in detail.text
    assert store.pending_saves() == []


async def quay_with_a_picture(tmp_path: Path, site: FeedServer, store: Store) -> tuple[Config, int]:
    """A feed item longer than its page (the paywalled QUAY), with a picture."""
    words = " ".join(["The north quay will close while divers replace its timber piles."] * 12)
    description = f'<p>{words}</p><img src="{site.url(IMAGE)}" alt="The north quay">'
    item = f"<description>{html.escape(description)}</description>"
    return await one_item_feed(tmp_path, site, store, "Quay repairs", QUAY, item)


async def test_a_save_that_keeps_the_feed_text_keeps_its_images(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    # The page is shorter than the feed (a paywall): the feed's text is kept, but its
    # picture was not fetched, and offline the article read "[image: ...]" in its place.
    config, article_id = await quay_with_a_picture(tmp_path, site, store)
    report = await save_articles(config, store, [article_id], cache_dir=tmp_path / "cache")
    assert len(report.failed) == 1 and "less than the feed" in report.failed[0].state
    detail = store.article(article_id)
    assert detail is not None and "[image: The north quay]" in detail.text
    await retry_pending(config, store)  # tried again later: the picture is not fetched again
    assert site.hits(IMAGE) == 1
    site.stop()
    kept = fetched(tmp_path / "cache", article_id, detail.links)
    assert list(kept) == [site.url(IMAGE)] and kept[site.url(IMAGE)].read_bytes() == PNG


async def test_exports_hold_the_pictures_of_an_article_saved_with_the_feeds_text(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    # The reader drew the picture offline, but the HTML export linked the web address, the
    # Markdown had no images/ID folder and the EPUB no picture.
    from tui.offline.export import export

    config, article_id = await quay_with_a_picture(tmp_path, site, store)
    await save_articles(config, store, [article_id], cache_dir=tmp_path / "cache")
    site.stop()
    rows, cache, out = [article_id], tmp_path / "cache", tmp_path / "out"
    page_html = export(store, rows, "html", out / "a.html", cache).paths[0].read_text()
    assert "data:image/png;base64," in page_html and site.url(IMAGE) not in page_html
    export(store, rows, "md", out / "md", cache)
    assert [p.read_bytes() for p in (out / "md" / "images" / str(article_id)).iterdir()] == [PNG]
    with zipfile.ZipFile(export(store, rows, "epub", out / "a.epub", cache).paths[0]) as book:
        assert any(name.startswith("OEBPS/images/") for name in book.namelist())


async def test_saving_a_full_content_feeds_article_keeps_its_whole_text_and_images(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    # The feed carries the whole article; the page's extract (265 words of its 295) lost the
    # caption, the footnote, the h1, a nested quote's level, a paragraph and an SVG's alt.
    body = page("full_content.html").decode().replace("{base}", site.url(""))
    site.page("/rich.html", f"<html><body><nav>Menu</nav><article>{body}</article>".encode())
    site.page("/img/photo.jpg", PNG, content_type="image/jpeg")
    item = f"<content:encoded>{html.escape(body)}</content:encoded>"
    config, article_id = await one_item_feed(tmp_path, site, store, "Rich", "/rich.html", item)
    feed_text = (store.article(article_id) or pytest.fail()).text

    report = await save_articles(config, store, [article_id], cache_dir=tmp_path / "cache")
    assert [(r.state, r.images) for r in report.results] == [("ok", 1)]
    detail = store.article(article_id)
    assert detail is not None and detail.full_text and detail.text == feed_text
    for kept in (
        "# Main Heading of the Rich Article",
        "Figure 1: the caption of the photo",
        "The footnote text.",
        "> > A nested quote inside.",
        "[image: svg logo]",
        "Long URL: ",
        "three [13] four [14]",
    ):
        assert kept in detail.text, kept
    image = store.local_image(article_id, site.url("/img/photo.jpg"), tmp_path / "cache")
    assert image is not None and image.read_bytes() == PNG


async def test_a_full_content_feed_whose_page_shows_less_is_kept_whole_and_not_retried(
    tmp_path: Path, site: FeedServer, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    # The feed carries the whole article; the page shows a part of it (a "read more" hides
    # the rest): under 80 % of the feed's words, every one of them the feed's. No paywall:
    # the feed's text is the whole article, kept as the full text, and the page is not
    # asked for again.
    paragraphs = [
        f"<p>Dive {n} of the survey mapped the wrecks along the north quay, pile by pile.</p>"
        for n in range(10)
    ]
    site.page("/part.html", f"<html><body><article>{''.join(paragraphs[:4])}".encode())
    item = f"<content:encoded>{html.escape(''.join(paragraphs))}</content:encoded>"
    config, article_id = await one_item_feed(tmp_path, site, store, "Survey", "/part.html", item)
    feed_text = (store.article(article_id) or pytest.fail()).text
    store.close()

    assert await asyncio.to_thread(run_cli, tmp_path, "save", str(article_id)) == 0

    out = capsys.readouterr().out
    assert f"{article_id} full text saved (the feed's own: the whole article)" in out
    assert "paywall" not in out
    again = Store.open(tmp_path / "cache" / "newsdesk.db")
    try:
        detail = again.article(article_id)
        assert detail is not None and detail.full_text and detail.text == feed_text
        assert detail.save_state == "ok" and again.pending_saves() == []
        assert (await retry_pending(config, again)).results == ()
    finally:
        again.close()
    assert site.hits("/part.html") == 1


def serve_on(port: int, routes: dict[str, tuple[str, bytes]]) -> ThreadingHTTPServer:
    """A plain server on a given port: the site coming back after being offline."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            content_type, body = routes.get(self.path, ("text/plain", b"not found"))
            self.send_response(200 if self.path in routes else 404)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Quiet."""

    ThreadingHTTPServer.allow_reuse_address = True
    httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


async def test_offline_save_keeps_feed_text_then_retry_succeeds(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    config = await fill(tmp_path, site, store)
    article_id = by_title(store, "Listening")
    site.stop()

    report = await save_articles(config, store, [article_id], cache_dir=tmp_path / "cache")
    assert [r.state for r in report.results] == ["connection refused"]
    detail = store.article(article_id)
    assert detail is not None and detail.row.saved and TEASER in detail.text
    assert detail.save_state == "connection refused"

    back = serve_on(
        site.port, {ARTICLE: ("text/html", page("article.html")), IMAGE: ("image/png", PNG)}
    )
    try:
        retried = await retry_pending(config, store)
    finally:
        back.shutdown()
        back.server_close()
    assert [(r.state, r.images) for r in retried.results] == [("ok", 1)]
    assert (store.article(article_id) or pytest.fail()).full_text


async def test_automatic_retries_stop_after_max_attempts(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    config = await fill(tmp_path, site, store)
    article_id = by_title(store, "Listening")
    site.status(ARTICLE, 503)
    await save_articles(config, store, [article_id], cache_dir=tmp_path / "cache")
    for _ in range(MAX_ATTEMPTS - 1):
        await retry_pending(config, store)
    assert attempts(store, article_id) == MAX_ATTEMPTS
    assert (await retry_pending(config, store)).results == ()
    # Saving by hand always tries again.
    site.page(ARTICLE, page("article.html"))
    report = await save_articles(config, store, [article_id], cache_dir=tmp_path / "cache")
    assert [r.state for r in report.results] == ["ok"]


async def test_image_caps_skip_big_and_fake_images(
    tmp_path: Path, site: FeedServer, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = await fill(tmp_path, site, store)
    article_id = by_title(store, "Listening")
    site.page(IMAGE, b"<html>not an image</html>", content_type="image/png")
    report = await save_articles(config, store, [article_id], cache_dir=tmp_path / "cache")
    assert [(r.state, r.images) for r in report.results] == [("ok", 0)]
    unsave(store, [article_id])
    sql(store, "UPDATE articles SET full_text = NULL WHERE id = ?", (article_id,))
    site.page(IMAGE, GARBAGE_PNG, content_type="image/png")  # a PNG's signature, then garbage
    report = await save_articles(config, store, [article_id], cache_dir=tmp_path / "cache")
    assert [(r.state, r.images) for r in report.results] == [("ok", 0)]

    monkeypatch.setattr("tui.offline.image_fetch.IMAGE_MAX_BYTES", 1000)
    site.page(IMAGE, png(200, 200) + b"\x00" * 2000, content_type="image/png")
    unsave(store, [article_id])
    sql(store, "UPDATE articles SET full_text = NULL WHERE id = ?", (article_id,))
    report = await save_articles(config, store, [article_id], cache_dir=tmp_path / "cache")
    assert [(r.state, r.images) for r in report.results] == [("ok", 0)]
    assert not (tmp_path / "cache" / "images" / str(article_id)).exists()


# -- full_text = true sources -------------------------------------------------------------------


async def test_full_text_source_fetches_new_articles(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    await fill(tmp_path, site, store)
    config = write_config(tmp_path, site, extra="full_text = true\n")
    harbour, quay = by_title(store, "Listening"), by_title(store, "Quay")

    report = await save_new_full_text(config, store, "Herald", None, None)
    states = {r.id: r.state for r in report.results}
    assert states[harbour] == "ok" and "paywall" in states[quay]
    detail = store.article(harbour)
    assert detail is not None and detail.full_text and not detail.row.saved
    assert (await save_new_full_text(config, store, "Herald")).results == ()  # nothing new

    site.page(QUAY, page("article.html").replace(b"harbour", b"quay"))
    retried = await retry_pending(config, store)
    assert [(r.id, r.state) for r in retried.results] == [(quay, "ok")]
    row = store.row(quay)
    assert row is not None and row.author == "Ingrid Halvorsen"  # the page fills in the byline
    assert row.published is not None and row.published.day == 1  # the feed's date is kept


async def test_other_sources_are_not_fetched_automatically(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    config = await fill(tmp_path, site, store)
    assert (await save_new_full_text(config, store, "Herald")).results == ()
    assert (await retry_pending(config, store)).results == ()
    assert site.hits(ARTICLE) == 0


# -- what saved articles survive ----------------------------------------------------------------


async def test_saved_articles_survive_prune_and_source_removal(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    config = await fill(tmp_path, site, store)
    harbour, quay = by_title(store, "Listening"), by_title(store, "Quay")
    await save_articles(config, store, [harbour], cache_dir=tmp_path / "cache")

    # The items leave the feed; a refresh a day on prunes what is old, unread and unsaved.
    site.feed("/feed.xml", page("feed.xml").split(b"<item>")[0] + b"</channel></rss>")
    await refresh(config, store, now=time.time() + GONE_FOR)
    assert store.existing_ids([harbour, quay]) == {harbour}

    # The source leaves the config.
    empty = write_config(tmp_path, None)
    await refresh(empty, store)
    store.prune(0, now=time.time() + 365 * 86400)
    detail = store.article(harbour)
    assert detail is not None and detail.full_text and detail.row.saved
    assert [row.id for row, _ in store.saved_rows()] == [harbour]
    assert [hit.row.id for hit in store.search("bathymetry").hits] == [harbour]


async def test_a_save_says_which_articles_the_cache_does_not_hold(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    # The TUI's "Not saved: no longer in the cache" comes from the save's own write (it asked
    # first, a round trip of its own that the write could come after).
    config = await fill(tmp_path, site, store)
    harbour, gone = by_title(store, "Listening"), max(r.id for r in store.page(View())) + 1
    report = await save_articles(config, store, [gone, harbour], cache_dir=tmp_path / "cache")
    assert report.missing == (gone,) and [r.id for r in report.results] == [harbour]
    assert [row.id for row, _ in store.saved_rows()] == [harbour]


async def test_unsaved_article_can_be_pruned(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    config = await fill(tmp_path, site, store)
    harbour = by_title(store, "Listening")
    await save_articles(config, store, [harbour], cache_dir=tmp_path / "cache")
    assert unsave(store, [harbour]).articles == 1
    assert store.saved_rows() == []
    site.feed("/feed.xml", page("feed.xml").split(b"<item>")[0] + b"</channel></rss>")
    await refresh(config, store, now=time.time() + GONE_FOR)
    assert store.existing_ids([harbour]) == set()
    assert sql(store, "SELECT count(*) FROM article_images")[0][0] == 0
    images = tmp_path / "cache" / "images"
    (images / "999999").mkdir()
    (images / "999999" / "x.png").write_bytes(PNG)
    assert await remove_orphan_images(store) >= 1
    assert not (images / str(harbour)).exists() and not (images / "999999").exists()
    assert images.is_dir()


async def test_local_article_keeps_a_copy_when_its_file_is_deleted(
    tmp_path: Path, store: Store
) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "tides.md").write_text("# Tide tables\n\nSpring tides peak on Friday.\n", "utf-8")
    config_path = tmp_path / "config" / "feeds.toml"
    config_path.parent.mkdir()
    config_path.write_text(f'[[sources]]\nname = "Notes"\npath = "{notes}"\n', "utf-8")
    config = load_config(config_path)
    await refresh(config, store)
    article_id = by_title(store, "Tide tables")

    report = await save_articles(config, store, [article_id], cache_dir=tmp_path / "cache")
    assert report.results == ()  # nothing to fetch
    detail = store.article(article_id)
    assert detail is not None and detail.full_text and detail.save_state == "ok"
    assert "Spring tides" in detail.text

    # Edited after saving: the saved copy follows the file (it showed the old text while
    # the list showed the new title, and search found only the old words).
    (notes / "tides.md").write_text("# Tide tables\n\nNeap tides this week.\n", "utf-8")
    await refresh(config, store, now=time.time() + 30)
    edited = store.article(article_id)
    assert edited is not None and edited.full_text and "Neap tides" in edited.text
    assert [h.row.id for h in store.search("neap").hits] == [article_id]
    assert not store.search("spring").hits

    (notes / "tides.md").unlink()
    await refresh(config, store, now=time.time() + 60)
    store.prune(0, now=time.time() + 365 * 86400)
    kept = store.article(article_id)
    assert kept is not None and "Neap tides" in kept.text


def test_local_source_saved_by_flag_alone_gets_its_copy(store: Store, tmp_path: Path) -> None:
    sid = store.ensure_source("Notes", SourceKind.LOCAL, str(tmp_path))
    store.record_refresh(sid, [Article(title="Memo", body="Buy rope.", guid="m")], FetchOutcome())
    article_id = by_title(store, "Memo")
    store.set_saved([article_id])  # e.g. the TUI flagged it without saving the text
    config = Config(path=tmp_path / "feeds.toml")
    assert asyncio.run(retry_pending(config, store)).results == ()
    detail = store.article(article_id)
    assert detail is not None and detail.full_text and detail.save_state == "ok"


# -- crash safety -------------------------------------------------------------------------------

SAVER = """
import asyncio, sys
from pathlib import Path
from tui.config import load_config
from tui.offline.saving import save_articles
from tui.store import Store
store = Store.open(Path(sys.argv[1]))
config = load_config(Path(sys.argv[2]))
asyncio.run(save_articles(config, store, [int(sys.argv[3])], cache_dir=Path(sys.argv[4])))
print("finished", flush=True)
"""


async def test_kill_during_saving_keeps_the_flag(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    config = await fill(tmp_path, site, store)
    article_id = by_title(store, "Listening")
    site.hang(ARTICLE)
    cache = tmp_path / "cache"
    argv = [str(cache / "newsdesk.db"), str(config.path), str(article_id), str(cache)]
    saver = subprocess.Popen([sys.executable, "-c", SAVER, *argv], cwd=Path(__file__).parents[1])
    deadline = time.monotonic() + 20
    while site.hits(ARTICLE) == 0 and saver.poll() is None and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    assert site.hits(ARTICLE) == 1, f"the saver never fetched the page ({saver.returncode=})"
    os.kill(saver.pid, signal.SIGKILL)
    saver.wait()

    assert sql(store, "PRAGMA integrity_check")[0][0] == "ok"
    detail = store.article(article_id)
    assert detail is not None and detail.row.saved and detail.save_state == "pending"
    assert TEASER in detail.text

    site.page(ARTICLE, page("article.html"))
    retried = await retry_pending(config, store)
    assert [r.state for r in retried.results] == ["ok"]


# -- command line -------------------------------------------------------------------------------


def run_cli(tmp_path: Path, *argv: str) -> int:
    """`newsdesk ARGV` as typed (the config and cache come from the test's environment)."""
    from tui.cli import main

    return main(list(argv))


async def test_cli_save_saved_unsave(
    tmp_path: Path, site: FeedServer, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    await fill(tmp_path, site, store)
    harbour, quay = by_title(store, "Listening"), by_title(store, "Quay")
    store.close()
    assert await asyncio.to_thread(run_cli, tmp_path, "save", str(harbour), str(quay)) == 0
    out = capsys.readouterr().out
    assert f"{harbour} full text saved" in out and "paywall" in out

    assert run_cli(tmp_path, "saved", "--json") == 0
    listed = {item["id"]: item for item in json.loads(capsys.readouterr().out)}
    assert listed[harbour]["save_state"] == "ok" and listed[harbour]["saved"] is True
    assert "paywall" in listed[quay]["save_state"]

    assert run_cli(tmp_path, "saved") == 0
    text = capsys.readouterr().out
    assert "[full text]" in text and "feed text only" in text

    assert run_cli(tmp_path, "unsave", str(quay)) == 0
    assert run_cli(tmp_path, "saved", "--json") == 0
    assert [item["id"] for item in json.loads(capsys.readouterr().out)] == [harbour]


async def test_cli_save_with_the_site_down_saves_the_feed_text_and_exits_1(
    tmp_path: Path, site: FeedServer, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """A site that does not answer is exit status 1 (README's table: a script preparing for a
    flight must not take feed text for the whole articles); the articles are saved all the
    same, with their feed text, and their pages tried again at later refreshes."""
    await fill(tmp_path, site, store)
    harbour, quay = by_title(store, "Listening"), by_title(store, "Quay")
    store.close()
    site.stop()
    assert await asyncio.to_thread(run_cli, tmp_path, "save", str(harbour), str(quay)) == 1
    out, err = capsys.readouterr()
    assert f"feed text kept for 2 ({LISTENING!r}: connection refused)" in out
    assert err == (
        "newsdesk: 2 pages not fetched: no answer (connection refused); their articles are saved"
        " with the feed's text, the pages tried again at later refreshes\n"
    )
    assert run_cli(tmp_path, "saved", "--json") == 0
    assert {item["id"] for item in json.loads(capsys.readouterr().out)} == {harbour, quay}


async def test_cli_save_of_a_page_over_max_body_mb_keeps_the_feed_text_and_asks_no_more(
    tmp_path: Path, site: FeedServer, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    # Said "no answer (response larger than 10 MB)", exit 1, and asked for again at each of
    # eight refreshes: the server answered, and answers the same page every time.
    config = write_config(tmp_path, site, settings="max_body_mb = 1\n")
    await refresh(config, store)
    harbour = by_title(store, "Listening")
    site.big(ARTICLE, size=2 * MB)
    store.close()
    assert await asyncio.to_thread(run_cli, tmp_path, "save", str(harbour)) == 0
    out, err = capsys.readouterr()
    assert f"feed text kept for 1 ({LISTENING!r}: page larger than 1 MB (max_body_mb))" in out
    assert err == ""
    reopened = Store.open(tmp_path / "cache" / "newsdesk.db")
    for _ in range(2):
        await refresh(config, reopened)
    reopened.close()
    assert site.hits(ARTICLE) == 1


def test_cli_rejects_unknown_ids(
    tmp_path: Path, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    store.close()
    assert run_cli(tmp_path, "save", "999") == 2
    assert capsys.readouterr().err == "newsdesk: no article with id 999\n"
    assert run_cli(tmp_path, "unsave", "999", "998") == 2
    assert capsys.readouterr().err == "newsdesk: no article with id 998, 999\n"


# -- refresh integration ---------------------------------------------------------------------


async def test_refresh_saves_full_text_of_full_text_sources(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    config = write_config(tmp_path, site, "full_text = true\n")
    await refresh(config, store)
    harbour = store.article(by_title(store, "Listening"))
    assert harbour is not None and harbour.full_text and not harbour.row.saved
    quay = store.article(by_title(store, "Quay"))
    assert quay is not None and "paywall" in (quay.save_state or "")
    site.page(QUAY, page("article.html"))
    await refresh(config, store)
    quay = store.article(by_title(store, "Quay"))
    assert quay is not None and quay.full_text


async def test_no_cookie_a_host_sets_is_sent_back(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    # A run's client kept every cookie: the feed's went with its articles' full-text pages,
    # an image host's linked every article one `save` fetched pictures for.
    feed = page("feed.xml").replace(b"{base}", site.url("").encode())
    site.feed("/feed.xml", feed, headers=[("Set-Cookie", "reader=feed; Path=/")])
    for path, body, kind in (
        (ARTICLE, page("article.html"), "text/html"),
        (IMAGE, PNG, "image/png"),
    ):
        site.status(
            path, 200, [("Content-Type", kind), ("Set-Cookie", f"seen={path}; Path=/")], body
        )
    config = write_config(tmp_path, site, "full_text = true\n")
    await refresh(config, store)
    await save_articles(config, store, [by_title(store, "Listening"), by_title(store, "Quay")])
    asked = [request for request in site.log if request.path in (ARTICLE, IMAGE)]
    assert {request.path for request in asked} == {ARTICLE, IMAGE}
    assert [request.headers.get("cookie") for request in site.log] == [None] * len(site.log)


async def test_a_full_text_page_that_fails_is_asked_once_a_refresh(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    # The new article's page answered 404, and the retry of failed saves at the end of the
    # same refresh asked again at once: each refresh asked every missing page twice.
    site.status(ARTICLE, 404)
    config = write_config(tmp_path, site, "full_text = true\n")
    await refresh(config, store)
    assert site.hits(ARTICLE) == 1
    await refresh(config, store)
    assert site.hits(ARTICLE) == 2  # tried again at the next refresh
    assert "404" in (store.article(by_title(store, "Listening")) or pytest.fail()).save_state


@pytest.mark.parametrize(
    ("status", "reason"), [(404, "Not Found"), (410, "Gone: removed for good")]
)
async def test_a_page_gone_is_asked_once_more_and_the_refresh_it_failed_in_names_it(
    tmp_path: Path, site: FeedServer, store: Store, status: int, reason: str
) -> None:
    # A full-text source's page that answered 404 was asked again at eight refreshes, and no
    # refresh said that a page could not be saved: the summary claimed all was well. Then
    # the retry said it again, naming no article.
    site.status(ARTICLE, status)
    site.page(QUAY, page("article.html"))
    config = write_config(tmp_path, site, "full_text = true\n")
    lines = [(await refresh(config, store)).line() for _ in range(4)]
    assert site.hits(ARTICLE) == 2 and site.hits(QUAY) == 1
    not_saved = f"1 page not saved ({LISTENING!r}: HTTP {status} {reason})"
    assert lines == [
        f"1 source up to date, 2 new articles, {not_saved}",
        "1 source up to date, 0 new articles",
        "1 source up to date, 0 new articles",
        "1 source up to date, 0 new articles",
    ]
    site.page(ARTICLE, page("article.html"))  # saving it by hand asks again
    report = await save_articles(config, store, [by_title(store, "Listening")])
    assert [r.state for r in report.results] == ["ok"]


async def test_refresh_retries_failed_saves(tmp_path: Path, site: FeedServer, store: Store) -> None:
    config = await fill(tmp_path, site, store)
    article_id = by_title(store, "Listening")
    site.status(ARTICLE, 503)
    await save_articles(config, store, [article_id])
    assert (store.article(article_id) or pytest.fail()).save_state == "HTTP 503 Service Unavailable"
    site.page(ARTICLE, page("article.html"))
    await refresh(config, store)
    assert (store.article(article_id) or pytest.fail()).full_text


LISTENING = "Listening to the harbour: how a town ma…"
"""The title of the article at ARTICLE, as a line saying why its page was not saved cuts it."""


async def test_a_save_that_failed_is_said_once_naming_its_article_not_at_each_retry(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    # An older version's save that kept the feed text was retried at every TUI start and
    # `R`, each saying "1 page not saved (HTTP 503 Service Unavailable)", naming no article.
    config = await fill(tmp_path, site, store)
    site.status(ARTICLE, 503)
    report = await save_articles(config, store, [by_title(store, "Listening")])
    kept = f"feed text kept for 1 ({LISTENING!r}: HTTP 503 Service Unavailable)"
    assert report.line() == f"full text saved for 0 of 1; {kept}"
    lines = [(await refresh(config, store)).line() for _ in range(3)]
    assert site.hits(ARTICLE) == 4  # still tried again at each refresh
    assert lines == ["1 source up to date, 0 new articles"] * 3


def test_image_folders_of_any_number_of_articles_are_checked_in_one_go(store: Store) -> None:
    # One SQL variable per id failed past SQLite's limit (250,000 here): the refresh's end.
    assert store.existing_ids(range(10**6, 10**6 + 300_000)) == set()


def test_a_page_not_saved_is_named_by_its_title_as_written() -> None:
    # `!r` wrote the zero-width space a Thai title keeps as `\u200b` in the status line.
    failed = SaveResult(1, "HTTP 404 Not Found", title="ภาษา\u200bไทย ข่าว")
    assert failed.why == "'ภาษา\u200bไทย ข่าว': HTTP 404 Not Found"


async def test_refreshes_while_offline_spend_no_attempts_and_the_page_is_saved_once_back(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    # Saved for a flight: each offline refresh (the TUI's, every minute) spent one of the 8
    # attempts, and after ~7 minutes the page was never fetched again once online.
    config = await fill(tmp_path, site, store)
    article_id = by_title(store, "Listening")
    feed = site.url("/feed.xml")
    site.stop()
    await save_articles(config, store, [article_id], cache_dir=tmp_path / "cache")
    for _ in range(MAX_ATTEMPTS + 2):
        await refresh(config, store)  # neither the feed nor the page answers
    assert attempts(store, article_id) == 1
    routes = {ARTICLE: ("text/html", page("article.html")), IMAGE: ("image/png", PNG)}
    rss = page("feed.xml").replace(b"{base}", feed.removesuffix("/feed.xml").encode())
    back = serve_on(site.port, {**routes, "/feed.xml": ("application/rss+xml", rss)})
    try:
        await refresh(config, store, force=True)
    finally:
        back.shutdown()
        back.server_close()
    assert (store.article(article_id) or pytest.fail()).full_text


async def test_a_page_without_answer_while_the_feeds_answer_spends_attempts_then_says_so(
    tmp_path: Path, site: FeedServer, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    # The retries ran out without a word: `saved` still said "connection refused".
    words = " ".join(["The north quay will close while divers replace its timber piles."] * 3)
    dead = "http://127.0.0.1:9/gone"  # nothing listens on the discard port
    item = f"<description>{words}</description>"
    config, article_id = await one_item_feed(tmp_path, site, store, "Quay", QUAY, item)
    sql(store, "UPDATE articles SET url = ? WHERE id = ?", (dead, article_id))
    await save_articles(config, store, [article_id])
    for _ in range(MAX_ATTEMPTS + 1):
        await refresh(config, store, force=True)  # the feed answers: the network is up
    assert attempts(store, article_id) == MAX_ATTEMPTS
    store.close()
    assert run_cli(tmp_path, "saved") == 0
    said = "gave up after 8 attempts: connection refused;"
    assert f"{said} `newsdesk save {article_id}` tries again]" in capsys.readouterr().out


async def test_a_retry_without_answer_keeps_the_reason_the_site_gave(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    # "not an HTML page (application/pdf)" became "connection refused" at the first offline
    # refresh: what the site says of the page was lost.
    config = await fill(tmp_path, site, store)
    article_id = by_title(store, "Listening")
    site.page(ARTICLE, b"%PDF-1.7\n%...", "application/pdf")
    await save_articles(config, store, [article_id])
    site.stop()
    await refresh(config, store)
    detail = store.article(article_id) or pytest.fail()
    assert detail.save_state == "not an HTML page (application/pdf)"
