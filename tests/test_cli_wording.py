"""What the command line says: plurals, dates as the TUI shows them, a 304 that reads as
success, and a closed pipe that ends quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, rss
from tests.test_cli import run
from tui.cli import main
from tui.dates import published_text
from tui.store import Store, View

PUBLISHED = datetime(2026, 3, 1, 12, 5, tzinfo=UTC)


@pytest.fixture
def cache(isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A cache holding one article, imported from a local Markdown file."""
    notes = isolated_env / "notes"
    notes.mkdir()
    front = f"---\ntitle: Only\ndate: {PUBLISHED.isoformat()}\n---\nText.\n"
    (notes / "only.md").write_text(front, encoding="utf-8")
    assert main(["import", str(notes)]) == 0
    capsys.readouterr()
    return isolated_env


def only_id(cache: Path) -> int:
    store = Store.open(cache / "cache" / "newsdesk.db")
    try:
        return store.page(View())[0].id
    finally:
        store.close()


def test_counts_of_one_are_singular(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = str(only_id(cache))
    assert "(s)" not in run(capsys, "save", article)[1]
    code, out, _ = run(capsys, "export", "--format", "md", "--output", str(cache / "out"))
    assert code == 0 and "exported 1 article to" in out and "(1 file)" in out
    store = Store.open(cache / "cache" / "newsdesk.db")
    store.set_hidden([int(article)], True)
    store.close()
    assert run(capsys, "unhide", article)[1] == "1 article restored\n"


def test_show_dates_read_like_the_reader(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", str(only_id(cache)))
    now = datetime.now().astimezone()
    assert code == 0
    assert f"notes · {published_text(PUBLISHED, now)}" in out
    assert "+00:00" not in out


def test_an_unchanged_feed_is_up_to_date(
    isolated_env: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = feed_server.feed("/a.xml", rss("A", 2), etag='"v1"')
    config = isolated_env / "config" / "feeds.toml"
    config.parent.mkdir()
    config.write_text(f'[[sources]]\nname = "A"\nurl = "{url}"\n', encoding="utf-8")
    assert run(capsys, "refresh")[1].strip() == "1 source up to date, 2 new articles"
    code, out, _ = run(capsys, "refresh")
    assert code == 0 and out.strip() == "1 source up to date, 0 new articles"


def test_a_closed_pipe_ends_quietly(cache: Path) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # `| head` that has already gone
    done = subprocess.run(
        [sys.executable, "-m", "tui", "sources", "--json"], stdout=writer, stderr=subprocess.PIPE
    )
    os.close(writer)
    assert done.stderr.decode() == ""
    assert done.returncode == 141
