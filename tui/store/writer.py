"""A database thread: store calls from async code, serialized on one connection of its own.

The refresh hands each write to `Writer.call`, and the UI its blocking reads and writes, so
SQLite work (which releases the GIL) overlaps the event loop. The thread opens its own `Store`
and closes it itself: a connection belongs to the thread that made it, and a new thread per
call would leave a connection behind each time.
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
    """One thread with its own Store connection; calls run one at a time, in order."""

    def __init__(self, path: Path, name: str = "newsdesk-writer") -> None:
        self.path = path
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
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

    def close(self) -> None:
        """Finish the queued calls, close the connection on its thread, stop the thread."""
        self._pool.submit(self._close)
        self._pool.shutdown(wait=True, cancel_futures=False)

    def _close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
