"""One database thread for the UI's blocking store calls, with its own `Store`.

Store calls that could take more than a few milliseconds (counts, searches, writes that may
wait for another process's lock) run here, awaited from async workers, so keys never wait.
The thread opens its own `Store` on the same file (WAL lets several connections work side by
side) and closes it itself: SQLite connections must be closed by the thread that made them,
and a new thread per call would leave a connection behind each time.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from tui.store import Store, StoreError

P = ParamSpec("P")
R = TypeVar("R")


class DbThread:
    """Runs `func(store, ...)` calls one at a time on a dedicated thread."""

    def __init__(self, path: Path, report: Callable[[str], None]) -> None:
        self.path, self.report = path, report
        self._store: Store | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdesk-db")

    def _thread_store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.path)
        return self._store

    def _run(self, func: Callable[[Store], R]) -> R:
        return func(self._thread_store())

    async def call(
        self, func: Callable[Concatenate[Store, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Await `func(store, *args, **kwargs)` run on the database thread.

        A database error is reported to the user (`report`) and raised to the caller's worker.
        """
        job = functools.partial(self._run, lambda store: func(store, *args, **kwargs))
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, job)
        except (sqlite3.Error, StoreError) as exc:
            self.report(f"cache: {exc}")
            raise

    def close(self) -> None:
        """Finish queued calls (state saves), close the thread's store, stop the thread."""
        self._executor.submit(self._close_store)
        self._executor.shutdown(wait=True, cancel_futures=False)

    def _close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
