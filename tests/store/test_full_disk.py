"""A full disk is told truthfully: what a refresh or a save reports is what the cache holds.

Two ways to fill the disk: SQLite's `max_page_count` (portable: every cache connection may not
grow the file) and a real, small tmpfs (needs root to mount; skipped otherwise).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, rss
from tui.cli import main
from tui.store import DiskFull, Store, View

ITEMS = 40
BODY = "All work and no play makes a full disk. " * 60  # ~2.4 kB a body: ~100 kB a feed


def write_config(home: Path, server: FeedServer, names: list[str]) -> Path:
    """feeds.toml with one big feed per name, served by `server`."""
    entries = ""
    for name in names:
        feed = rss(name, [(f"{name} story {i}", f"{i} {BODY}") for i in range(ITEMS)])
        url = server.feed(f"/{name}.xml", feed)
        entries += f'[[sources]]\nname = "{name}"\nurl = "{url}"\n\n'
    config = home / "feeds.toml"
    config.write_text(entries, encoding="utf-8")
    return config


def refresh(config: Path, cache: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(["--config", str(config), "--cache", str(cache), "refresh"])
    out, err = capsys.readouterr()
    return status, out, err


def assert_told_truthfully(cache: Path, names: list[str], out: str, err: str) -> int:
    """Each source the progress calls ok holds exactly its new articles; each other one holds
    none and its line names the full disk. Returns how many sources were stored."""
    store = Store.open(cache / "newsdesk.db")
    try:
        stored = 0
        for name in names:
            (line,) = [x for x in err.splitlines() if f"] {name}: " in x]
            held = store.count(View(source=name))
            if ": ok" in line:
                assert f"({held} new)" in line and held == ITEMS, line
                stored += 1
            else:
                assert "failed" in line and "disk full" in line and held == 0, line
                assert "database or disk is full" in line, line
        assert f"{stored} source" in out.splitlines()[-1]
        assert "Traceback" not in err
        return stored
    finally:
        store.close()


def test_a_full_cache_fails_every_source_and_refresh_exits_1(
    tmp_path: Path,
    feed_server: FeedServer,
    page_cap: Callable[[Path, int], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    names = ["Alpha", "Beta", "Gamma"]
    config, cache = write_config(tmp_path, feed_server, names), tmp_path / "cache"
    Store.open(cache / "newsdesk.db").close()
    page_cap(cache / "newsdesk.db", 8)  # room for the sources' rows, not their articles
    status, out, err = refresh(config, cache, capsys)
    assert assert_told_truthfully(cache, names, out, err) == 0
    assert status == 1


def test_a_cache_that_fills_up_midway_reports_what_it_holds(
    tmp_path: Path,
    feed_server: FeedServer,
    page_cap: Callable[[Path, int], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    names = [f"Feed{i}" for i in range(8)]
    config, cache = write_config(tmp_path, feed_server, names), tmp_path / "cache"
    Store.open(cache / "newsdesk.db").close()
    page_cap(cache / "newsdesk.db", 60)  # room for a few feeds of the eight (5 of them)
    status, out, err = refresh(config, cache, capsys)
    stored = assert_told_truthfully(cache, names, out, err)
    assert 0 < stored < len(names)
    assert status == 0


def test_a_disk_that_fills_up_when_stories_are_grouped_still_reports_the_refresh(
    tmp_path: Path,
    feed_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The last write of a refresh, after every source is stored: its failure is a notice.
    def full(store: Store, ids: object) -> int:
        raise DiskFull(f"{store.path}: disk full, nothing was written")

    monkeypatch.setattr("tui.stories.grouping.group_stories", full)
    names = ["Alpha", "Beta"]
    config, cache = write_config(tmp_path, feed_server, names), tmp_path / "cache"
    status, out, err = refresh(config, cache, capsys)
    assert assert_told_truthfully(cache, names, out, err) == 2
    assert status == 0
    assert "stories not grouped this time:" in err and "disk full" in err


def test_a_disk_that_fills_up_when_an_import_groups_stories_keeps_the_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def full(store: Store, ids: object) -> int:
        raise DiskFull(f"{store.path}: disk full, nothing was written")

    monkeypatch.setattr("tui.stories.grouping.group_stories", full)
    page = tmp_path / "page.md"
    page.write_text("# Kept on a full disk\n\nThe article is stored before stories.\n")
    cache = tmp_path / "cache"
    status = main(
        ["--config", str(tmp_path / "none.toml"), "--cache", str(cache), "import", str(page)]
    )
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "stories not grouped this time:" in out + err and "disk full" in out + err
    store = Store.open(cache / "newsdesk.db")
    try:
        assert [r.title for r in store.page(View())] == ["Kept on a full disk"]
    finally:
        store.close()


# -- a real full disk ------------------------------------------------------------------------


def test_a_full_disk_during_refresh_is_reported_not_claimed(
    tmp_path: Path, feed_server: FeedServer, small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = [f"Feed{i}" for i in range(12)]  # ~1.2 MB of text for a 1 MiB disk
    config, cache = write_config(tmp_path, feed_server, names), small_disk / "cache"
    status, out, err = refresh(config, cache, capsys)
    stored = assert_told_truthfully(cache, names, out, err)
    assert stored < len(names)
    assert status == (1 if stored == 0 else 0)
    store = Store.open(cache / "newsdesk.db")
    try:
        assert store.count(View()) == stored * ITEMS
    finally:
        store.close()


def test_a_full_disk_during_save_keeps_the_feed_text_and_says_why(
    tmp_path: Path,
    feed_server: FeedServer,
    page_cap: Callable[[Path, int], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    paragraphs = "".join(f"<p>{i} {BODY}</p>" for i in range(200))  # ~0.5 MB of text
    page = f"<html><head><title>Story</title></head><body><article>{paragraphs}</article></body>"
    feed_server.page("/story0", page.encode())
    feed = rss("Site", [("Story", "Short feed text.")], link=feed_server.url("/story"))
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[sources]]\nname = "Site"\nurl = "{feed_server.feed("/s.xml", feed)}"\n')
    cache = tmp_path / "cache"
    assert main(["--config", str(config), "--cache", str(cache), "refresh"]) == 0
    capsys.readouterr()
    page_cap(cache / "newsdesk.db", 0)
    status = main(["--config", str(config), "--cache", str(cache), "save", "1"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert "disk full" in out + err
    store = Store.open(cache / "newsdesk.db")
    try:
        detail = store.article(1)
        assert detail is not None and not detail.full_text and detail.text == "Short feed text."
    finally:
        store.close()
    assert status in (0, 1, 2)


def test_a_disk_already_full_still_reads_the_cache_and_names_it_on_a_write(
    tmp_path: Path, feed_server: FeedServer, small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # SQLite needs room beside the cache to open it (its write-ahead log's index) and said
    # only "disk I/O error", for reading commands too: the cache is read as it stands, and a
    # write says the disk is full.
    config, cache = write_config(tmp_path, feed_server, ["Feed0"]), small_disk / "cache"
    assert refresh(config, cache, capsys)[0] == 0
    with open(small_disk / "filler", "wb") as filler, pytest.raises(OSError):
        while True:
            filler.write(b"\0" * 65536)
            filler.flush()
    command = ["--config", str(config), "--cache", str(cache)]
    assert main([*command, "list", "--limit", "3"]) == 0
    assert main([*command, "search", "story 7"]) == 0
    out, err = capsys.readouterr()
    assert out.count("Feed0 story") == 4 and "Feed0 story 7" in out
    assert err == "newsdesk: 3 of 40 shown: --limit N for more\n"  # the only line
    assert main([*command, "read", "1"]) == 1  # the work could not be done
    _, err = capsys.readouterr()
    assert err.startswith(f"newsdesk: {cache / 'newsdesk.db'}: disk full") and err.count("\n") == 1
    store = Store.open(cache / "newsdesk.db")
    try:
        assert store.count(View(unread=True)) == ITEMS  # the failed mark left it as it was
    finally:
        store.close()


def fill_up(disk: Path) -> Path:
    """Fill the disk with a file (returned, to remove for room again)."""
    filler = disk / "filler"
    with open(filler, "ab") as out, pytest.raises(OSError):
        while True:
            out.write(b"\0" * 65536)
            out.flush()
    return filler


def mark_read_elsewhere(config: Path, cache: Path, article: int) -> None:
    """Another process writes (`newsdesk read`): not a connection of this one."""
    command = [sys.executable, "-m", "tui", "--config", str(config), "--cache", str(cache)]
    done = subprocess.run([*command, "read", str(article)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_cache_opened_on_a_full_disk_follows_other_writers_and_writes_once_there_is_room(
    tmp_path: Path, feed_server: FeedServer, small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Opened on a full disk, the cache can only be read; it is not frozen as it was then: a
    # `newsdesk read` run once there is room is seen (even when the disk fills again), and
    # this store writes again without being opened again.
    config, cache = write_config(tmp_path, feed_server, ["Feed0"]), small_disk / "cache"
    assert refresh(config, cache, capsys)[0] == 0
    filler = fill_up(small_disk)
    store = Store.open(cache / "newsdesk.db")
    try:
        assert store.count(View(unread=True)) == ITEMS
        with pytest.raises(DiskFull, match="read-only until there is room"):
            store.set_read([1])
        filler.unlink()
        mark_read_elsewhere(config, cache, 2)
        filler = fill_up(small_disk)
        assert store.count(View(unread=True)) == ITEMS - 1
        assert store.search_count("story", unread_only=True) == ITEMS - 1
        filler.unlink()
        mark_read_elsewhere(config, cache, 3)
        assert store.count(View(unread=True)) == ITEMS - 2
        assert store.set_read([1]) == 1
    finally:
        store.close()
    reopened = Store.open(cache / "newsdesk.db")
    try:
        assert reopened.count(View(unread=True)) == ITEMS - 3
    finally:
        reopened.close()
