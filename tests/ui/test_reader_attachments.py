"""Every attachment of an article is listed with its type, size and playing time, and each one
can be played or downloaded; downloads have their own size limit and report in the status
line; at 120x40 and 80x24."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Label, OptionList, Static

from tests.feedserver import FeedServer
from tests.ui.conftest import AppFactory, record_notifications, settle
from tests.ui.data import make_config
from tests.ui.test_reader_media import add_sample, attachment_lines, fake_player, open_sample
from tui.models import Enclosure
from tui.offline.media import cached
from tui.store import Store
from tui.ui.screens.dialogs import LinkPicker
from tui.ui.widgets.reader import Reader
from tui.ui.widgets.reader_attachments import Attachments
from tui.ui.widgets.status import Status

SIZES = [(120, 40), (80, 24)]
AUDIO = b"ID3" + os.urandom(64 * 1024)


async def played(pilot: Any, tmp_path: Path) -> list[str]:
    """The arguments the stand-in player was started with (once it has run)."""
    for _ in range(100):
        if (tmp_path / "played.txt").exists():
            break
        await pilot.pause(0.05)
    return (tmp_path / "played.txt").read_text().splitlines()


def downloaded(url: str, store: Store) -> bytes:
    """The bytes of the attachment at `url` as downloaded into the cache."""
    path = cached(url, store.path.parent)
    assert path is not None
    return path.read_bytes()


def status(app: Any) -> str:
    return str(app.screen.query_one("#status", Status).activity)


@pytest.mark.parametrize("size", SIZES)
async def test_attachments_show_type_size_and_playing_time(
    new_app: AppFactory, store: Store, size: tuple[int, int]
) -> None:
    url = "https://pod.example.org/ep/episode%2012.mp3"
    add_sample(store, (Enclosure(url, "audio/mpeg", 45_000_000, 3723),))
    app = new_app()
    async with app.run_test(size=size) as pilot:
        reader = app.screen.query_one(Reader)
        await open_sample(pilot, reader)
        [line] = attachment_lines(reader)
        assert line == "▶ audio · audio/mpeg · episode 12.mp3 · 42.9 MB · 1:02:03"
        links = str(reader.query_one("#reader-links", Static).content)
        assert f"[▶] {url} (audio/mpeg · 42.9 MB · 1:02:03)" in links


@pytest.mark.parametrize("size", SIZES)
async def test_each_of_several_attachments_can_be_played(
    new_app: AppFactory, store: Store, tmp_path: Path, size: tuple[int, int]
) -> None:
    first, second = "https://pod.example.org/a.mp3", "https://pod.example.org/b.mp4"
    add_sample(store, (Enclosure(first), Enclosure(second, "video/mp4")))
    app = new_app(config=make_config(tmp_path, player=fake_player(tmp_path)))
    async with app.run_test(size=size) as pilot:
        reader = app.screen.query_one(Reader)
        await open_sample(pilot, reader)
        assert len(attachment_lines(reader)) == 2
        await pilot.press("e")  # several: the cursor goes to the list first
        await pilot.pause()
        assert reader.query_one(Attachments).has_focus
        await pilot.press("down", "e")
        assert await played(pilot, tmp_path) == [second]
        await pilot.press("escape")
        await pilot.pause()
        assert reader.has_focus


async def test_downloads_have_their_own_limit_above_max_body_mb(
    new_app: AppFactory, store: Store, tmp_path: Path, feed_server: FeedServer
) -> None:
    url = feed_server.page("/ep/b.mp3", AUDIO, content_type="audio/mpeg")
    add_sample(store, (Enclosure("https://pod.example.org/a.mp3"), Enclosure(url, None, None)))
    config = make_config(tmp_path, max_body_mb=0.01)  # feeds and pages: 10 KB at most
    app = new_app(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = app.screen.query_one(Reader)
        await open_sample(pilot, reader)
        await pilot.press("e", "down", "E")  # the second one
        await settle(pilot)
        assert downloaded(url, store) == AUDIO
        assert status(app) == "downloaded for offline use: b.mp3"
        assert "downloaded (64 KB)" in attachment_lines(reader)[1]


@pytest.mark.parametrize("size", SIZES)
async def test_a_download_over_its_limit_fails_in_one_line_and_leaves_nothing(
    new_app: AppFactory,
    store: Store,
    tmp_path: Path,
    feed_server: FeedServer,
    size: tuple[int, int],
) -> None:
    url = feed_server.page("/ep/big.mp3", AUDIO, content_type="audio/mpeg")
    add_sample(store, (Enclosure(url),))
    app = new_app(config=make_config(tmp_path, media_max_mb=0.03125))  # 32 KB
    async with app.run_test(size=size) as pilot:
        reader = app.screen.query_one(Reader)
        await open_sample(pilot, reader)
        await pilot.press("E")
        await settle(pilot)
        line = status(app)
        assert line.startswith("download failed: ") and "larger than 0.03125 MB" in line
        assert url in line and "\n" not in line
        assert not list((store.path.parent / "media").iterdir())  # no part file either


async def test_a_stalled_download_is_stopped_and_never_started_twice(
    new_app: AppFactory, store: Store, tmp_path: Path, feed_server: FeedServer
) -> None:
    url = feed_server.hang("/ep/stuck.mp3")
    add_sample(store, (Enclosure(url),))
    app = new_app(config=make_config(tmp_path, timeout_seconds=0.5))
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = app.screen.query_one(Reader)
        await open_sample(pilot, reader)
        await pilot.press("E", "E")  # the second one while the first is running
        await settle(pilot)
        assert ("", "Already downloading it: see the status line") in notes
        assert feed_server.hits("/ep/stuck.mp3") == 1
        assert status(app) == f"download failed: {url}: nothing received for 0.5 s"
        assert not list((store.path.parent / "media").iterdir())  # no part file either
        await pilot.press("E")  # over: it may be tried again
        await settle(pilot)
        assert feed_server.hits("/ep/stuck.mp3") == 2


def picker_lines(app: Any) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(n).prompt) for n in range(options.option_count)]


@pytest.mark.parametrize("size", SIZES)
async def test_the_link_picker_plays_and_downloads_attachments(
    new_app: AppFactory,
    store: Store,
    tmp_path: Path,
    feed_server: FeedServer,
    size: tuple[int, int],
) -> None:
    """`L` on the list's article (not opened): its links, then its attachments."""
    url = feed_server.page("/ep/b.mp3", AUDIO, content_type="audio/mpeg")
    add_sample(store, (Enclosure("https://pod.example.org/a.mp3", "audio/mpeg"), Enclosure(url)))
    app = new_app(config=make_config(tmp_path, player=fake_player(tmp_path)))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("g", "L")
        await settle(pilot)
        assert isinstance(app.screen, LinkPicker)
        lines = picker_lines(app)
        assert lines[1] == "[2] https://example.org/tides/contact"
        assert lines[2:] == ["[▶] audio · audio/mpeg · a.mp3", "[▶] audio · audio/mpeg · b.mp3"]
        await pilot.press("down", "down", "e")  # the first attachment
        assert await played(pilot, tmp_path) == ["https://pod.example.org/a.mp3"]
        assert not isinstance(app.screen, LinkPicker)
        await pilot.press("L")
        await settle(pilot)
        await pilot.press("up", "E")  # from the top, up wraps to the last one
        await settle(pilot)
        assert downloaded(url, store) == AUDIO
        assert status(app) == "downloaded for offline use: b.mp3"


@pytest.mark.parametrize("size", SIZES)
async def test_e_and_E_on_the_list_play_and_download_its_articles_attachment(
    new_app: AppFactory,
    store: Store,
    tmp_path: Path,
    feed_server: FeedServer,
    size: tuple[int, int],
) -> None:
    """As `o` and `L`, they act on the highlighted article, which stays in the list."""
    url = feed_server.page("/ep/b.mp3", AUDIO, content_type="audio/mpeg")
    add_sample(store, (Enclosure(url, "audio/mpeg"),))
    app = new_app(config=make_config(tmp_path, player=fake_player(tmp_path)))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("g", "e")
        assert await played(pilot, tmp_path) == [url]
        await pilot.press("E")
        await settle(pilot)
        assert downloaded(url, store) == AUDIO
        assert status(app) == "downloaded for offline use: b.mp3"
        assert app.screen.query_one("#articles").has_focus
        assert app.screen.query_one(Reader).article is None


@pytest.mark.parametrize("size", SIZES)
async def test_e_on_the_list_offers_several_attachments_to_pick(
    new_app: AppFactory, store: Store, tmp_path: Path, size: tuple[int, int]
) -> None:
    first, second = "https://pod.example.org/a.mp3", "https://pod.example.org/b.mp4"
    add_sample(store, (Enclosure(first), Enclosure(second, "video/mp4")))
    app = new_app(config=make_config(tmp_path, player=fake_player(tmp_path)))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("g", "e")
        await settle(pilot)
        assert isinstance(app.screen, LinkPicker)
        title = str(app.screen.query_one(".dialog-title", Label).render())
        assert title == "Attachments: e or Enter plays, E downloads, Esc closes"
        assert picker_lines(app) == [  # the attachments alone: no links to scroll past
            "[▶] audio · audio/mpeg · a.mp3",
            "[▶] video · video/mp4 · b.mp4",
        ]
        await pilot.press("down", "e")
        assert await played(pilot, tmp_path) == [second]


async def test_e_on_the_list_says_when_its_article_has_no_attachment(
    new_app: AppFactory,
) -> None:
    app = new_app()
    notes = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert notes == [("", "This article has no podcast, video or attachment")]


async def test_a_download_is_named_by_its_type_and_only_media_reach_the_player(
    new_app: AppFactory, store: Store, tmp_path: Path, feed_server: FeedServer
) -> None:
    """The URL's extension is never the file's: `escape1.sh` served as audio/x-m4a (a type
    Python's own table lacks) is an `.m4a`; a "track.mp3" the server gives as a shell script
    is kept without an extension, never played."""
    song = feed_server.page("/ep/escape1.sh", AUDIO, content_type="audio/x-m4a")
    script = feed_server.page("/ep/track.mp3", b"#!/bin/sh\necho hi\n", "application/x-sh")
    add_sample(store, (Enclosure(song, "audio/mpeg"), Enclosure(script, "audio/mpeg")))
    app = new_app(config=make_config(tmp_path, player=fake_player(tmp_path)))
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = app.screen.query_one(Reader)
        await open_sample(pilot, reader)
        await pilot.press("e", "E")  # the first
        await settle(pilot)
        await pilot.press("down", "E")  # the second
        await settle(pilot)
        first, second = (cached(url, store.path.parent) for url in (song, script))
        assert first is not None and first.suffix == ".m4a" and first.read_bytes() == AUDIO
        assert second is not None and second.suffix == ""
        await pilot.press("e")
        await settle(pilot)
        refused = "not played: track.mp3 is not audio, video or a picture"
        assert notes[-1] == ("", f"{refused} (its download is of no known type)")
        assert not (tmp_path / "played.txt").exists()
        await pilot.press("up", "e")
        assert await played(pilot, tmp_path) == [str(first)]


async def test_e_without_the_player_installed_says_what_to_do(
    new_app: AppFactory, store: Store, tmp_path: Path
) -> None:
    # It said "Cannot start 'mpv': [Errno 2] No such file or directory: 'mpv'".
    add_sample(store, (Enclosure("https://pod.example.org/a.mp3", "audio/mpeg"),))
    app = new_app(config=make_config(tmp_path, player="newsdesk-no-such-player --no-video"))
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("g", "e")
        await settle(pilot)
        assert notes[-1][1] == (
            "No player found: install newsdesk-no-such-player or set `player` in feeds.toml's "
            "[settings] (the program that plays podcasts, videos and attachments)"
        )
