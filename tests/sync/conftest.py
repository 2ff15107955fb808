"""Fixtures of the sync tests: real servers (Tiny Tiny RSS shared, coldsweat per test), a
config with a `[sync]` table, feeds those servers fetch from a loopback feed server, and the
command line run in-process."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, rss
from tests.sync import fever_server, sides, ttrss_server
from tests.sync.proxy import Proxy
from tui.cli import main


@dataclass
class Cli:
    """`newsdesk` run in-process with the test's config and cache."""

    capsys: pytest.CaptureFixture[str]
    config: Path

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = self.capsys.readouterr()
        return code, out, err

    def write(self, sync: str, extra: str = "") -> None:
        """Write the config: a `[sync]` table (TOML body) and anything else."""
        self.config.parent.mkdir(parents=True, exist_ok=True)
        self.config.write_text(f"{extra}\n[sync]\n{sync}\n", encoding="utf-8")


@pytest.fixture
def cli(isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(capsys, isolated_env / "config" / "feeds.toml")


def feed_items(title: str, count: int, server: FeedServer, start: int = 0) -> bytes:
    """A feed whose item links stay on the loopback server (a saved page is never fetched
    from the internet)."""
    items = [(f"{title} item {i}", f"Body of {title} item {i}.") for i in range(start, count)]
    return rss(title, items, link=server.url(f"/{title.lower()}/"))


@pytest.fixture
def ttrss() -> ttrss_server.TtRssUser:
    """A fresh user on the real Tiny Tiny RSS server (skipped, saying why, without one)."""
    reason = ttrss_server.unavailable()
    if reason:
        pytest.skip(reason)
    return ttrss_server.new_user()


@pytest.fixture
def ttrss_proxy() -> Iterator[Proxy]:
    """The Tiny Tiny RSS server behind a forwarder the test can take down."""
    proxy = Proxy(ttrss_server.URL)
    yield proxy
    proxy.down()


@pytest.fixture
def fever(tmp_path: Path, feed_server: FeedServer) -> Iterator[fever_server.Coldsweat]:
    """A coldsweat (Fever API) server of the test's own (skipped, saying why, without one)."""
    reason = fever_server.unavailable()
    if reason:
        pytest.skip(reason)
    server = fever_server.Coldsweat(tmp_path / "coldsweat")
    yield server
    server.stop()


@pytest.fixture(params=["ttrss", "fever"])
def server(request: pytest.FixtureRequest) -> sides.ServerSide:
    """Each real server in turn, seen from its side."""
    if request.param == "ttrss":
        user = request.getfixturevalue("ttrss")
        return sides.TtRssSide(user, request.getfixturevalue("ttrss_proxy"))
    return sides.FeverSide(request.getfixturevalue("fever"))
