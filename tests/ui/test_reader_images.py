"""Images in the reader: drawn in the rows kept for them (the text never moves), and fetched on
demand for articles that are not saved when `fetch_images` allows it, with saving's limits."""

from __future__ import annotations

import subprocess
import sys
import threading
import zlib
from pathlib import Path
from typing import Any

import pytest

from tests.feedserver import FeedServer
from tests.ui.conftest import AppFactory, settle
from tests.ui.data import make_config
from tests.ui.test_reader_media import SAMPLE, add_sample, body_lines, body_text, picture_rows
from tui.models import Article, FetchOutcome, SourceKind
from tui.sources.feeds import parse_feed
from tui.sources.files import load_file
from tui.store import Store
from tui.ui import images
from tui.ui.widgets.reader import Reader

SIZES = [(120, 40), (80, 24)]
PNG = (SAMPLE.parent / "images" / "harbour-levels.png").read_bytes()


def add_web_article(store: Store, urls: tuple[str, ...]) -> None:
    """An unsaved feed article whose body shows the images at `urls` (newest: the first row)."""
    marks = "\n\n".join(f"[image: chart {n}] [{n}]" for n in range(1, len(urls) + 1))
    body = f"Tide gauges along the coast.\n\n{marks}\n\nThe readings after the charts."
    article = Article(title="Charts of the tide", body=body, guid="charts", links=urls)
    source = store.ensure_source("Web", SourceKind.WEB, "https://example.org/feed")
    store.record_refresh(source, [article], FetchOutcome(), now=2 * 10**9)


async def open_first(pilot: Any, reader: Reader) -> None:
    await settle(pilot)
    await pilot.press("g", "enter")
    await settle(pilot)
    assert reader.article is not None


def rss_with_body(html: str) -> bytes:
    """A one-item RSS feed whose description is `html`."""
    escaped = html.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Web</title>'
        f"<item><title>Charts of the tide</title><guid>sized</guid><description>{escaped}"
        "</description></item></channel></rss>"
    ).encode()


def label_row(reader: Reader) -> int:
    """The row of the body's first image label."""
    return next(n for n, line in enumerate(body_lines(reader)) if line.startswith("[image"))


def labels(reader: Reader) -> list[str]:
    """The image labels the body shows under the rows kept for pictures."""
    return [line.strip() for line in body_lines(reader) if line.startswith("[image")]


@pytest.mark.parametrize("size", SIZES)
async def test_the_text_under_an_image_does_not_move_when_it_is_drawn(
    new_app: AppFactory,
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
) -> None:
    add_sample(store)
    release = threading.Event()
    decode = images.decode

    def held_decode(path: Path) -> Any:  # the picture is ready only when the test says so
        release.wait(timeout=30)
        return decode(path)

    monkeypatch.setattr(images, "decode", held_decode)
    app = new_app(config=make_config(tmp_path, images="blocks"))
    async with app.run_test(size=size) as pilot:
        reader = app.screen.query_one(Reader)
        await pilot.press("g", "enter")
        for _ in range(100):
            await pilot.pause()
            if reader.body.pictures.files and not reader.laying_out:
                break
        before = body_lines(reader)
        label = next(n for n, line in enumerate(before) if line.startswith("[image: Water"))
        kept = [n for n in range(label) if not before[n].strip()]
        assert not picture_rows(reader)
        assert kept[-4:] == [label - 4, label - 3, label - 2, label - 1]  # the picture's rows
        release.set()
        await settle(pilot)
        after = body_lines(reader)
        rows = picture_rows(reader)
        assert len(rows) > 3 and rows[-1] == label - 1  # drawn in the rows kept for it
        assert len(after) == len(before) and after[label:] == before[label:]  # nothing moved


@pytest.mark.parametrize("size", SIZES)
async def test_images_of_unsaved_articles_are_not_fetched_by_default(
    new_app: AppFactory,
    store: Store,
    tmp_path: Path,
    feed_server: FeedServer,
    size: tuple[int, int],
) -> None:
    url = feed_server.page("/img/chart.png", PNG, content_type="image/png")
    add_web_article(store, (url,))
    app = new_app(config=make_config(tmp_path, images="blocks"))
    async with app.run_test(size=size) as pilot:
        reader = app.screen.query_one(Reader)
        await open_first(pilot, reader)
        assert "[image: chart 1] [1]" in body_text(reader)
        assert not picture_rows(reader) and feed_server.hits("/img/chart.png") == 0


@pytest.mark.parametrize("size", SIZES)
async def test_images_of_unsaved_articles_are_fetched_when_allowed(
    new_app: AppFactory,
    store: Store,
    tmp_path: Path,
    feed_server: FeedServer,
    size: tuple[int, int],
) -> None:
    url = feed_server.page("/img/chart.png", PNG, content_type="image/png")
    add_web_article(store, (url,))
    config = make_config(tmp_path, images="blocks", fetch_images=True)
    app = new_app(config=config)
    async with app.run_test(size=size) as pilot:
        reader = app.screen.query_one(Reader)
        await open_first(pilot, reader)
        assert len(picture_rows(reader)) >= 3
        assert labels(reader) == ["[image: chart 1] [1]"]
        assert "[image: chart 1]" not in body_text(reader)
        [kept] = (store.path.parent / "images").glob("*/*.png")
        assert kept.read_bytes() == PNG
        await pilot.press("k")  # another article and back: drawn from the cache
        await settle(pilot)
        await pilot.press("g", "enter")
        await settle(pilot)
        assert picture_rows(reader) and feed_server.hits("/img/chart.png") == 1


async def test_fetched_images_keep_the_limits_of_saving(
    new_app: AppFactory,
    store: Store,
    tmp_path: Path,
    feed_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("tui.offline.image_fetch.IMAGE_MAX_BYTES", len(PNG) - 1)
    big = feed_server.page("/img/big.png", PNG, content_type="image/png")
    page = feed_server.page("/img/page.png", b"<html>not an image</html>")
    local = (SAMPLE.parent / "images" / "missing.png").as_uri()  # not http(s): never fetched
    add_web_article(store, (big, page, local))
    app = new_app(config=make_config(tmp_path, images="blocks", fetch_images=True))
    async with app.run_test(size=(120, 40)) as pilot:
        reader = app.screen.query_one(Reader)
        await open_first(pilot, reader)
        assert not picture_rows(reader)
        assert feed_server.hits("/img/big.png") == 1 and feed_server.hits("/img/page.png") == 1
        assert not list((store.path.parent / "images").glob("*/*"))
        assert labels(reader) == [f"[image: chart {n}] [{n}]" for n in (1, 2, 3)]
        assert "[image: chart 2]" not in body_text(reader)  # 1 and 2 are image labels
        assert "[image: chart 3] [3]" in body_text(reader)  # the file:// link stays a line


@pytest.mark.parametrize("size", SIZES)
async def test_a_picture_the_page_gave_a_size_keeps_its_rows_while_it_is_fetched(
    new_app: AppFactory,
    store: Store,
    tmp_path: Path,
    feed_server: FeedServer,
    size: tuple[int, int],
) -> None:
    """`<img width="600" height="400">`: the text under it never moves when it arrives."""
    sent = threading.Event()

    def held(handler: Any) -> None:
        sent.wait(timeout=30)
        handler.reply(200, PNG, [("Content-Type", "image/png")])

    url = feed_server.route("/img/sized.png", held)
    html = f'<p>Tide gauges.</p><img src="{url}" width="600" height="400px" alt="chart 1">'
    [article] = parse_feed(rss_with_body(html)).articles
    source = store.ensure_source("Web", SourceKind.WEB, "https://example.org/feed")
    store.record_refresh(source, [article], FetchOutcome(), now=2 * 10**9)
    app = new_app(config=make_config(tmp_path, images="blocks", fetch_images=True))
    async with app.run_test(size=size) as pilot:
        reader = app.screen.query_one(Reader)
        await pilot.pause()
        await pilot.press("g", "enter")  # no settling: the picture's fetch is held
        for _ in range(200):
            await pilot.pause()
            if reader.body.spots and not reader.laying_out and feed_server.hits("/img/sized.png"):
                break
        before = body_lines(reader)
        label = before.index(next(line for line in before if line.startswith("[image: chart")))
        assert label > 10 and not "".join(before[2:label]).strip()  # its rows, kept blank
        sent.set()
        await settle(pilot)
        after = body_lines(reader)
        assert picture_rows(reader)[-1] == label - 1 and after[label:] == before[label:]
        assert "600x400" not in "".join(after)


def test_looking_up_an_articles_images_loads_no_network_code(tmp_path: Path) -> None:
    # The reader looks up the images fetched for an article at each build (also ahead of
    # Enter, right after start): reaching saving's code for a file name loaded the network
    # stack, ~4 MiB for as long as the app ran.
    code = (
        "import sys; from pathlib import Path; from tui.offline import pictures; "
        "url = 'https://example.org/a.png'; cache = Path(sys.argv[1]); "
        "from tui.offline.image_paths import image_file; "
        "kept = image_file(cache, 7, url, 'png'); kept.parent.mkdir(parents=True); "
        "kept.write_bytes(b'png'); print(pictures.fetched(cache, 7, [url]) == {url: kept}); "
        "print(sorted(m for m in sys.modules if m.startswith(('httpx', 'httpcore', 'tui.off'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True
    )
    loaded = "['tui.offline', 'tui.offline.image_paths', 'tui.offline.pictures']"
    assert done.stdout.splitlines() == ["True", loaded], done.stderr


def png_header(width: int, height: int) -> bytes:
    """A PNG of a header alone, claiming `width` x `height` pixels (67 bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data).to_bytes(4, "big")
        return len(data).to_bytes(4, "big") + kind + data + crc

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


@pytest.mark.parametrize("pixels", [(20000, 20000), (10000, 10000)])
async def test_an_image_claiming_gigapixels_leaves_the_article_readable(
    new_app: AppFactory, store: Store, tmp_path: Path, pixels: tuple[int, int]
) -> None:
    # Pillow refuses a header of 400 megapixels with an error of its own; an article showing
    # one was blank. Past Pillow's guard, a picture is a label too (seconds to decode).
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "liar.png").write_bytes(png_header(*pixels))
    note = folder / "note.md"
    note.write_text("# A note\n\nText before the chart.\n\n![chart](liar.png)\n\nText after it.\n")
    [article], _ = load_file(note)
    source = store.ensure_source("Notes", SourceKind.LOCAL, str(folder))
    store.record_refresh(source, [article], FetchOutcome(), now=2 * 10**9)
    app = new_app(config=make_config(tmp_path, images="blocks"))
    async with app.run_test(size=(100, 30)) as pilot:
        reader = app.screen.query_one(Reader)
        await open_first(pilot, reader)
        lines = body_lines(reader)
        assert any("Text before the chart." in line for line in lines)
        assert any("Text after it." in line for line in lines)
        assert any("[image" in line and "chart" in line for line in lines)
        assert not picture_rows(reader)


async def test_a_slow_image_holds_back_no_other(
    new_app: AppFactory, store: Store, tmp_path: Path, feed_server: FeedServer
) -> None:
    # They were fetched one after another: a host that never answered kept every picture
    # after it undrawn until the article's deadline.
    slow = feed_server.hang("/img/slow.png")
    fast = feed_server.page("/img/fast.png", PNG, content_type="image/png")
    add_web_article(store, (slow, fast))
    app = new_app(config=make_config(tmp_path, images="blocks", fetch_images=True))
    async with app.run_test(size=(120, 40)) as pilot:
        reader = app.screen.query_one(Reader)
        await pilot.press("g", "enter")
        for _ in range(400):  # until the fast picture is drawn (the slow one never comes)
            await pilot.pause()
            if picture_rows(reader):
                break
        assert picture_rows(reader) and reader.images is not None
        assert set(reader.images) == {fast}  # drawn, while the slow one is still on its way


async def test_images_changed_in_the_config_apply_at_R_to_the_open_article(
    new_app: AppFactory, store: Store, tmp_path: Path
) -> None:
    # `images` waited for a restart, and `R` did not say so.
    add_sample(store)
    config = make_config(tmp_path, images="blocks")
    app = new_app(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = app.screen.query_one(Reader)
        await open_first(pilot, reader)
        drawn = picture_rows(reader)
        assert drawn
        label = label_row(reader)
        config.path.write_text(
            f'[settings]\nrefresh_minutes = 0\nimages = "off"\n\n'
            f'[[sources]]\nname = "Samples"\npath = "{SAMPLE.parent}"\n'
        )
        await pilot.press("R")
        await settle(pilot)
        assert reader.article is not None and not picture_rows(reader)
        assert labels(reader) == ["[image: Water levels over one day at the north pier] [1]"]
        assert label_row(reader) == label - len(drawn)  # no rows kept for a picture either
