"""The database thread stops a read whose caller gave up: the search typed before the last
key must not hold up the search of the last key."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from pathlib import Path

from tui.store import DbThread, Store

MINUTES = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
    "SELECT count(*) FROM (SELECT i FROM n LIMIT 100000000000)"
)
"""A statement that runs for minutes (as `the*` runs for seconds at a million articles)."""


def _slow(started: threading.Event) -> Callable[[Store], object]:
    def run(store: Store) -> object:
        started.set()
        return store._conn.execute(MINUTES).fetchone()  # the thread's own connection

    return run


def _cache(tmp_path: Path) -> Path:
    path = tmp_path / "newsdesk.db"
    Store.open(path).close()
    return path


def test_a_superseded_search_is_stopped_and_the_next_answers_at_once(tmp_path: Path) -> None:
    async def run() -> int:
        thread = DbThread(_cache(tmp_path))
        started = threading.Event()
        try:
            superseded = asyncio.ensure_future(thread.call_or_stop(_slow(started)))
            assert await asyncio.to_thread(started.wait, 10)
            superseded.cancel()  # the next key's search replaces it
            result = await asyncio.wait_for(thread.call_or_stop(Store.search, "budget"), 10)
            return len(result.hits)
        finally:
            await thread.aclose()

    assert asyncio.run(run()) == 0  # answered, not after the minutes of the one before


def test_a_search_superseded_before_it_starts_is_not_run(tmp_path: Path) -> None:
    ran: list[str] = []

    async def run() -> None:
        thread = DbThread(_cache(tmp_path))
        release = threading.Event()
        try:
            busy = asyncio.ensure_future(thread.call(lambda store: release.wait(10)))
            queued = asyncio.ensure_future(thread.call_or_stop(lambda store: ran.append("old")))
            await asyncio.sleep(0)  # both queued on the thread
            queued.cancel()
            with contextlib.suppress(asyncio.CancelledError):  # the thread's job is dropped
                await queued  # before the busy one ends (else the thread may take it first)
            release.set()
            await busy
            await thread.call_or_stop(lambda store: ran.append("new"))
        finally:
            await thread.aclose()

    asyncio.run(run())
    assert ran == ["new"]
