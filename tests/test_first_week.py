"""A user's first week, scripted through the real command line and app: installed with a fresh
HOME, first run offline, a feed added from a (local) site, reading, searching, starting again
from another folder, offline again, and a key remapped as the README shows. At every step:
no traceback, no empty state, and messages of one line each."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, free_port, html_with_alternate, rss
from tui.cli import main
from tui.config import load_config
from tui.paths import resolve_paths
from tui.store import Store
from tui.ui import make_app
from tui.ui.screens.main import MainScreen

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sum(1 for path in (REPO / "samples").iterdir() if path.is_file())
"""The bundled sample articles (the starter config's local source)."""
STARTER_FEEDS = 9
"""Web feeds in the bundled config: unreachable here (the machine is offline)."""
HARBOUR = [
    ("Lighthouse keepers return to the cape", "The lighthouse reopens after ten years."),
    ("Ferry timetable changes", "Boats leave earlier from Monday."),
    ("Harbour festival weekend", "Music and boats all weekend."),
]


class Week:
    """Runs `newsdesk ...` as the user types it and checks what every step prints."""

    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
        self.capsys, self.monkeypatch = capsys, monkeypatch

    def run(self, *argv: str, expect: int = 0) -> tuple[str, str]:
        code = main(list(argv))
        out, err = self.capsys.readouterr()
        assert code == expect, (argv, out, err)
        assert "Traceback" not in err and "Error:" not in err, err
        return out, err

    def json(self, *argv: str) -> list[dict[str, object]]:
        items: list[dict[str, object]] = json.loads(self.run(*argv, "--json")[0])
        return items

    def move_to(self, folder: Path) -> None:
        folder.mkdir()
        self.monkeypatch.chdir(folder)


@pytest.fixture
def offline(isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh install with no NEWSDESK_* variables, on a machine with no way out: every
    request beyond 127.0.0.1 goes to a proxy port nothing listens on."""
    monkeypatch.delenv("NEWSDESK_CONFIG")
    monkeypatch.delenv("NEWSDESK_CACHE")
    nowhere = f"http://127.0.0.1:{free_port()}"
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(var, nowhere)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    return isolated_env / "home" / ".config" / "newsdesk" / "feeds.toml"


def readme_keys_example() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.search(r"^\[keys\]\n(?:[^\n`]+\n)+", readme, flags=re.MULTILINE)
    assert found is not None
    return found.group(0)


def test_first_week(
    offline: Path,
    isolated_env: Path,
    feed_server: FeedServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    week = Week(capsys, monkeypatch)
    week.move_to(isolated_env / "downloads")

    # Day 1, offline: the starter config is written and the samples are there at once.
    out, err = week.run("refresh")
    notice, *progress = err.splitlines()
    assert notice == f"newsdesk: no config found: wrote a starter config to {offline} " + (
        "(edit it to add feeds)"
    )
    failures = [line for line in progress if ": failed: " in line]
    assert len(progress) == STARTER_FEEDS + 1 and len(failures) == STARTER_FEEDS
    assert all("connection refused" in line for line in failures)
    assert out == f"1 source up to date, {STARTER_FEEDS} failed, {SAMPLES} new articles\n"
    assert len(week.json("list")) == SAMPLES

    # A site the user reads: `feeds add` with the address as people write it (no http://).
    feed_server.page("/", html_with_alternate("/harbour.rss"))
    feed_server.feed("/harbour.rss", rss("Harbour Weekly", HARBOUR))
    site = feed_server.url("/").removeprefix("http://")
    out, err = week.run("feeds", "add", site)
    assert out.splitlines()[0].startswith("found 'Harbour Weekly'") and err == ""
    assert "added 'Harbour Weekly'" in out.splitlines()[1]
    out, _ = week.run("refresh")
    assert out == f"2 sources up to date, {STARTER_FEEDS} failed, 3 new articles\n"

    # Reading and searching.
    harbour = week.json("list", "--source", "Harbour Weekly")
    assert [item["title"] for item in harbour] == [title for title, _ in HARBOUR]
    first = str(harbour[0]["id"])
    out, _ = week.run("show", first)
    assert out.startswith(f"{HARBOUR[0][0]}\nHarbour Weekly · ") and HARBOUR[0][1] in out
    week.run("read", first)
    assert len(week.json("list", "--unread")) == SAMPLES + 2
    hits = week.json("search", "lighthouse keepers")
    assert [hit["title"] for hit in hits] == [HARBOUR[0][0]]

    # Day 2, from another folder: the same config and the same articles.
    week.move_to(isolated_env / "projects")
    out, _ = week.run("paths")
    assert f"config: {offline}  [platform config dir]" in out
    assert len(week.json("list")) == SAMPLES + 3

    # Day 3, offline again: nothing is lost and every failure is one line.
    feed_server.stop()
    out, err = week.run("refresh")
    assert out == f"1 source up to date, {STARTER_FEEDS + 1} failed, 0 new articles\n"
    sources = STARTER_FEEDS + 2
    assert all(
        re.match(rf"\[\d+/{sources}\] .+: (ok|not modified|failed: .+)$", ln)
        for ln in err.splitlines()
    )
    assert len(week.json("list")) == SAMPLES + 3
    assert "error: connection refused" in week.run("sources")[0]

    # Day 4: a key remapped as the README shows, in the config newsdesk found by itself.
    with offline.open("a", encoding="utf-8") as config:
        config.write("\n" + readme_keys_example())
    said = week.run("rules", "list")[1].splitlines()  # no line on the keys: none wrong
    assert said[0].startswith("newsdesk: no rules in ") and len(said) == 4
    asyncio.run(press_the_remapped_key())


async def press_the_remapped_key() -> None:
    """Open the app on what `newsdesk` finds by itself and press the README's `ctrl+n`."""
    paths = resolve_paths()
    store = Store.open(paths.database)
    app = make_app(load_config(paths.config), store, refresh_on_start=False)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(10):
                await pilot.pause()
            screen = app.screen
            assert isinstance(screen, MainScreen) and screen.config_error is None
            assert screen.articles.rows.total == SAMPLES + 3
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert screen.articles.cursor == 1
    finally:
        store.close()
