"""A download running with `E` ends with the app: `q`, ctrl+q, `kill` and a closed terminal
stop it and leave no partial file; its progress counts what the server sends."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.feedserver import FeedServer
from tests.test_cli_scripts import pseudo_terminal, read_until
from tests.ui.conftest import AppFactory
from tests.ui.data import make_config
from tests.ui.test_reader_attachments import status
from tests.ui.test_reader_media import add_sample, open_sample
from tui.models import Article, Enclosure, FetchOutcome, SourceKind
from tui.offline.media import MB
from tui.signals import ENDING_GRACE
from tui.store import Store
from tui.ui.widgets.reader import Reader
from tui.ui.widgets.reader_media import DownloadProgress

BLOCK = 64 * 1024


def trickled(server: FeedServer, path: str, size: int, gone: threading.Event) -> str:
    """Audio of `size` bytes (so declared), 64 KB every 0.05 s; `gone` is set once the
    client hangs up (or the server stops)."""

    def handle(h: Any) -> None:
        h.head(200, [("Content-Type", "audio/mpeg"), ("Content-Length", str(size))])
        for _ in range(size // BLOCK):
            if not h.write(bytes(BLOCK)) or h.pause(0.05):
                break
        gone.set()

    return server.route(path, handle)


def parts(cache_dir: Path) -> list[str]:
    """The partial files of downloads in the cache."""
    folder = cache_dir / "media"
    return [p.name for p in folder.iterdir() if p.suffix == ".part"] if folder.is_dir() else []


async def downloading(pilot: Any) -> str:
    """The status line once a download's progress shows."""
    for _ in range(100):
        if status(pilot.app).startswith("downloading"):
            break
        await pilot.pause(0.05)
    return status(pilot.app)


@pytest.fixture
def long_episode(store: Store, feed_server: FeedServer) -> threading.Event:
    """The sample article with one attachment, 200 MB trickled (its feed says 1 byte); the
    event is set once the client hangs up."""
    gone = threading.Event()
    url = trickled(feed_server, "/ep/long.mp3", 200 * MB, gone)
    add_sample(store, (Enclosure(url, "audio/mpeg", 1),))
    return gone


async def start_download(pilot: Any) -> str:
    """`E` on the sample article; the status line once its progress shows."""
    await open_sample(pilot, pilot.app.screen.query_one(Reader))
    await pilot.press("E")
    return await downloading(pilot)


@pytest.mark.parametrize("key", ["q", "ctrl+q"])
async def test_quitting_stops_a_running_download_and_leaves_no_part_file(
    new_app: AppFactory, store: Store, tmp_path: Path, long_episode: threading.Event, key: str
) -> None:
    # The screen went blank and the process went on downloading 200 MB until it was whole.
    app = new_app(config=make_config(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        assert (await start_download(pilot)).startswith("downloading long.mp3: ")
        assert parts(store.path.parent)
        await pilot.press(key)
    # What `asyncio.run` does once the app has ended: wait for its threads, the download's.
    await asyncio.wait_for(asyncio.get_running_loop().shutdown_default_executor(), 5)
    assert long_episode.wait(5)  # the server saw the client hang up
    assert parts(store.path.parent) == []


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_stops_a_running_download_as_quitting_does(
    isolated_env: Path, feed_server: FeedServer, number: signal.Signals
) -> None:
    # A download kept the process until its grace ran out, then `os._exit` left its .part.
    gone = threading.Event()
    url = trickled(feed_server, "/ep/long.mp3", 200 * MB, gone)
    config = isolated_env / "config" / "feeds.toml"
    config.parent.mkdir()
    config.write_text("[settings]\nrefresh_minutes = 0\n", encoding="utf-8")
    cache = isolated_env / "cache"
    store = Store.open(cache / "newsdesk.db")
    source = store.ensure_source("Cast", SourceKind.WEB, "http://127.0.0.1:9/cast.xml")
    episode = Article("Episode one", "Talk.", guid="e1", enclosures=(Enclosure(url),))
    store.record_refresh(source, [episode], FetchOutcome(status=200))
    store.close()
    main_fd, tty_fd = pseudo_terminal(120)
    process = subprocess.Popen(
        [sys.executable, "-m", "tui"], stdin=tty_fd, stdout=tty_fd, stderr=tty_fd
    )
    os.close(tty_fd)
    try:
        read_until(main_fd, b"Episode one")
        os.write(main_fd, b"E")
        read_until(main_fd, b"downloading long.mp3")
        assert parts(cache)
        began = time.monotonic()
        process.send_signal(number)
        read_until(main_fd)
    finally:
        os.close(main_fd)
        status = process.wait(timeout=60)
    assert status == 128 + number
    assert time.monotonic() - began < ENDING_GRACE  # not killed as it was at the grace's end
    assert gone.wait(5) and parts(cache) == []


async def test_progress_counts_the_size_the_server_sends(
    new_app: AppFactory, tmp_path: Path, long_episode: threading.Event
) -> None:
    # The feed said `length="1"`: the status line said "1.2 MB of 1 byte".
    app = new_app(config=make_config(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        assert (await start_download(pilot)).endswith(" of 200.0 MB")
        await pilot.press("q")


def test_progress_moves_at_least_twice_a_second() -> None:
    # Each percent of a 200 MB file at 1 MB/s: one line every 2 s, the status line seemed stuck.
    lines: list[str] = []
    clock = iter(n * 0.3 for n in range(100))
    progress = DownloadProgress("long.mp3", lines.append, clock=lambda: next(clock))
    for step in range(1, 8):
        progress(step * 300 * 1024, 200 * MB)  # 300 KB more each 0.3 s
    assert lines == [
        "downloading long.mp3: 300 KB of 200.0 MB",  # the first
        "downloading long.mp3: 900 KB of 200.0 MB",  # 0.6 s after it
        "downloading long.mp3: 1.2 MB of 200.0 MB",  # its first megabyte
        "downloading long.mp3: 1.8 MB of 200.0 MB",  # 0.6 s after that
        "downloading long.mp3: 2.1 MB of 200.0 MB",  # its second megabyte
    ]
