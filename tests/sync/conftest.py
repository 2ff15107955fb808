"""Fixtures of the sync tests: real servers (Tiny Tiny RSS shared, coldsweat per test), a
config with a `[sync]` table, feeds those servers fetch from a loopback feed server, and the
command line run in-process."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path

import pytest

from tests.feedserver import FeedServer
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


def feed_items(title: str, count: int, server: FeedServer, newest: int = 1_790_000_000) -> bytes:
    """A feed of `count` items, an hour apart from `newest` (epoch seconds) back, whose links
    stay on the loopback server (a saved page is never fetched from the internet) and whose
    guids are this server's own (coldsweat keeps one entry per guid across all its feeds and
    users)."""
    entries = "".join(
        f"<item><title>{title} item {i}</title><link>{server.url(f'/{title}/{i}')}</link>"
        f"<guid>{server.port}-{title}-{i}</guid><description>Body of {title} item {i}."
        f"</description><pubDate>{formatdate(newest - i * 3600, usegmt=True)}</pubDate>"
        "</item>"
        for i in range(count)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>{server.url('/')}</link><description>d</description>"
        f"{entries}</channel></rss>"
    ).encode()


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


@pytest.fixture(scope="session")
def coldsweat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[fever_server.Coldsweat]:
    """One coldsweat (Fever API) server per test worker (skipped, saying why, without one)."""
    reason = fever_server.unavailable()
    if reason:
        pytest.skip(reason)
    server = fever_server.Coldsweat(tmp_path_factory.mktemp("coldsweat"))
    yield server
    server.stop()


@pytest.fixture
def fever(coldsweat: fever_server.Coldsweat, tmp_path: Path) -> Iterator[fever_server.FeverUser]:
    """A fresh user of the coldsweat server, behind a forwarder the test can take down."""
    user = fever_server.FeverUser(coldsweat, tmp_path)
    yield user
    user.proxy.down()


@pytest.fixture(params=["ttrss", "fever"])
def server(request: pytest.FixtureRequest) -> sides.ServerSide:
    """Each real server in turn, seen from its side."""
    if request.param == "ttrss":
        user = request.getfixturevalue("ttrss")
        return sides.TtRssSide(user, request.getfixturevalue("ttrss_proxy"))
    return sides.FeverSide(request.getfixturevalue("fever"))
