"""The refresh's writer thread: every store write of a run, serialized on one connection.

The async refresh hands each database call to `Writer.call`; the thread opens its own `Store`,
so SQLite work (which releases the GIL) overlaps the network and parsing without lock
contention.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from tui.store.articles import Store

T = TypeVar("T")


class Writer:
    """One thread with its own Store connection: every write of a run, serialized.

    Its own Store so the connection is opened and closed on the thread that uses it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdesk-writer")
        self._store: Store | None = None

    async def call(self, work: Callable[[Store], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._run, work)

    def _run(self, work: Callable[[Store], T]) -> T:
        if self._store is None:
            self._store = Store.open(self.path)
        return work(self._store)

    async def aclose(self) -> None:
        """Close the connection on its own thread, after the writes already queued."""
        try:
            await asyncio.get_running_loop().run_in_executor(self._pool, self._close)
        finally:
            self._pool.shutdown(wait=False)  # if cancelled, the queued close still runs

    def _close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
