"""What a pull does once its items are stored, as a refresh does (no real server: a service
answering from memory): their stories are grouped, a full disk there is a notice in the
sync's line, and a big pull leaves the planner statistics fresh."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.sql import sql
from tests.stories.test_detection import PORT
from tui.store import DbThread, DiskFull, Store
from tui.sync.engine import SyncReport
from tui.sync.pull import Pull
from tui.sync.service import ItemPage, RemoteFeed, RemoteItem

WHEN = datetime(2026, 10, 6, 8, 0, tzinfo=UTC)


class Memory:
    """A server with two feeds, each holding one copy of the same report."""

    name = "Memory"

    def __init__(self) -> None:
        self.stored = [
            RemoteItem("1", "1", "Rotterdam dockers strike", f"<p>{PORT}</p>", published=WHEN),
            RemoteItem("2", "2", "UPDATE: Rotterdam port halted", f"<p>{PORT}</p>", published=WHEN),
        ]

    async def feeds(self) -> list[RemoteFeed]:
        return [RemoteFeed("1", "Wire", None), RemoteFeed("2", "Herald", None)]

    async def items_since(self, marker: str | None) -> AsyncIterator[ItemPage]:
        yield ItemPage(self.stored, "2")

    async def items(self, ids: Sequence[str]) -> list[RemoteItem]:
        return [item for item in self.stored if item.id in ids]

    async def unread_ids(self, feeds: Sequence[str] | None = None) -> set[str]:
        return {item.id for item in self.stored}

    async def starred_ids(self) -> set[str]:
        return set()


def pull(path: Path) -> SyncReport:
    """One pull into the cache at `path`, reported as `newsdesk sync` reports it."""

    async def run() -> SyncReport:
        db = DbThread(path)
        try:
            puller = Pull(Memory(), db, ())  # type: ignore[arg-type]  # only what a pull calls
            await puller.run(retention_days=30)
        finally:
            await db.aclose()
        return SyncReport("Memory", "memory:", new=puller.new, pulled=puller.report)

    return asyncio.run(run())


def test_a_pulls_copies_become_one_story(tmp_path: Path) -> None:
    report = pull(tmp_path / "cache.db")
    store = Store.open(tmp_path / "cache.db")
    stories = {row[0] for row in sql(store, "SELECT story FROM articles")}
    assert report.new == 2 and len(stories) == 1 and None not in stories
    assert "stories" not in report.line()


def test_a_full_disk_when_grouping_is_a_notice_and_keeps_the_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(store: Store, ids: object) -> int:
        raise DiskFull(f"{store.path}: disk full, nothing was written")

    monkeypatch.setattr("tui.stories.grouping.group_stories", full)
    report = pull(tmp_path / "cache.db")
    assert report.error is None and report.new == 2
    assert "2 new articles" in report.line() and "stories not grouped this time" in report.line()
    assert report.to_json()["notice"].startswith("stories not grouped this time: ")


def test_a_big_pull_refreshes_the_planner_statistics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.stories.grouping.ANALYZE_AFTER", 1)  # two items are "big"
    pull(tmp_path / "cache.db")
    store = Store.open(tmp_path / "cache.db")
    # Every table, not only those the closing connection's `PRAGMA optimize` samples.
    analyzed = {row[0] for row in sql(store, "SELECT tbl FROM sqlite_stat1")}
    assert {"articles", "sources", "stories"} <= analyzed
