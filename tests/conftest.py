"""Shared fixtures: every test runs in an isolated environment; a loopback feed server, a
cache that fills up (a full disk) on demand and a small real disk (root only)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.feedserver import FeedServer

_PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config, cache, HOME and XDG dirs point into the test's tmp dir; no proxies.

    Why: nothing a test does may read or write the developer's real config or cache, and a
    proxy from the environment would swallow requests meant for the loopback server.
    """
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("NEWSDESK_CONFIG", str(tmp_path / "config" / "feeds.toml"))
    monkeypatch.setenv("NEWSDESK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    for var in _PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    return tmp_path


@pytest.fixture(autouse=True)
def local_zone() -> Iterator[Callable[[str], None]]:
    """The local time zone: UTC, or the zone a test names (`local_zone("Europe/Rome")`).

    Why: dates are shown in local time; the tests pass whatever the machine's zone, and
    the next test finds the zone it expects (subprocesses inherit `TZ`).
    """
    saved = os.environ.get("TZ")

    def set_zone(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    set_zone("UTC")
    yield set_zone
    if saved is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = saved
    time.tzset()


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A fresh HTTP server on 127.0.0.1 (see tests/feedserver.py for the routes it offers)."""
    with FeedServer() as server:
        yield server


@pytest.fixture
def page_cap(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path, int], None]:
    """Cap every cache connection opened from now on at the file's size plus `room` pages."""

    def cap(path: Path, room: int) -> None:
        from tui.store import db  # not at import: some tests check what a command loads

        with sqlite3.connect(path) as conn:
            pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
        configure = db._configure

        def capped(conn: sqlite3.Connection, busy_timeout_ms: int) -> None:
            configure(conn, busy_timeout_ms)
            conn.execute(f"PRAGMA max_page_count = {pages + room}")

        monkeypatch.setattr(db, "_configure", capped)

    return cap


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs (root only: mounting needs it)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    where = tmp_path / "disk"
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
