"""A database thread: store calls from async code, serialized on one connection of its own.

The refresh hands each write to `Writer.call_together`, and the UI its blocking reads and
writes to `Writer.call`, so SQLite work (which releases the GIL) overlaps the event loop. The
thread opens its own `Store` and closes it itself: a connection belongs to the thread that
made it, and a new thread per call would leave a connection behind each time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from tui.store.articles import Store
from tui.store.db import transaction

T = TypeVar("T")

MAX_BATCH = 16
"""Writes sharing one commit at most: the write lock is held ~0.1 s at most, so another
program's write (the app marking an article read during a refresh) waits no longer."""


class Writer:
    """One thread with its own Store connection; calls run one at a time, in order."""

    def __init__(self, path: Path, name: str = "newsdesk-writer") -> None:
        self.path = path
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._store: Store | None = None
        self._waiting: list[tuple[Callable[[Store], Any], asyncio.Future[Any]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def call(self, work: Callable[[Store], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._run, work)

    async def call_together(self, work: Callable[[Store], T]) -> T:
        """Like `call`, but writes that queue up while the thread is busy share one commit.

        Should one fail, the batch is undone and run again one call per transaction, so only
        that one fails. One commit for many small writes saves the per-transaction cost, most
        of all the full-text index's flush and segment merging.
        """
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._waiting.append((work, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        while self._waiting:
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            works = [work for work, _ in batch]
            try:
                outcomes = await loop.run_in_executor(self._pool, self._run_together, works)
            except Exception as exc:  # the shared transaction itself failed (locked, disk full)
                outcomes = [exc] * len(batch)
            for (_, future), outcome in zip(batch, outcomes, strict=True):
                if future.done():  # its caller was cancelled
                    continue
                if isinstance(outcome, Exception):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)

    def _run_together(self, works: list[Callable[[Store], Any]]) -> list[Any]:
        return self._run(lambda store: _in_one_commit(store, works))

    def _run(self, work: Callable[[Store], T]) -> T:
        if self._store is None:
            self._store = Store.open(self.path)
        return work(self._store)

    async def aclose(self) -> None:
        """Close the connection on its own thread, after the writes already queued."""
        if self._flusher is not None:
            await self._flusher
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


def _in_one_commit(store: Store, works: list[Callable[[Store], Any]]) -> list[Any]:
    """Run `works` in one transaction; if one fails, undo them all and run each in its own
    transaction, so only that one fails (an error is its outcome)."""
    try:
        with transaction(store.conn):
            return [work(store) for work in works]
    except Exception as exc:
        if len(works) == 1:
            return [exc]
    outcomes: list[Any] = []
    for work in works:
        try:
            with transaction(store.conn):
                outcomes.append(work(store))
        except Exception as exc:
            outcomes.append(exc)
    return outcomes
