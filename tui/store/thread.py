"""The database thread: store calls from async code (refresh and the UI), serialized on one
connection of its own.

`DbThread.call(func, *args)` awaits `func(store, *args)` run on the thread, so SQLite work
(which releases the GIL) overlaps the event loop; `call_or_stop` is for reads a newer call
supersedes (search as you type): a cancelled caller's work is skipped or interrupted.
`call_together` lets writes that queue up while the thread is busy share one commit (a
refresh's many small sources). The thread opens its own `Store` and closes it itself: a
connection belongs to the thread that made it.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from tui.store import db
from tui.store.cache import Store
from tui.store.errors import StoreError

P = ParamSpec("P")
R = TypeVar("R")
Work = Callable[[Store], Any]

STOP_CHECK_EVERY = 1000
"""SQLite virtual-machine steps between looks at whether a stoppable call's caller gave up
(~1 ms or less of work)."""
MAX_BATCH = 16
"""Writes sharing one commit at most: the write lock is held ~0.1 s at most, so another
program's write (the app marking an article read during a refresh) waits no longer."""
GATHER = 4
LINGER = 0.04
"""While more writes are on their way (`more_coming`), a commit waits up to LINGER seconds
for GATHER of them: each commit writes the search index's new rows as one more segment, which
FTS5 merges again and again as they pile up, and rewrites the pages every write touches. A
cold refresh of 200 feeds (parsed ~12 ms apart) made 126 commits, with this 44."""


class DbThread:
    """One thread with its own Store connection; calls run one at a time, in order.

    With `report`, a store error is also told to it (the UI's status line) before it is
    raised to the caller; `cache_kib` is its connection's page cache.
    """

    def __init__(
        self,
        path: Path,
        report: Callable[[str], None] | None = None,
        name: str = "newsdesk-db",
        cache_kib: int = db.CACHE_KIB,
    ) -> None:
        self.path, self.report, self.cache_kib = path, report, cache_kib
        self.checkpoint_pages: int | None = None
        """The connection's `db.checkpoint_every` (None: SQLite's default), set by `resize`."""
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._store: Store | None = None
        self._waiting: list[tuple[Work, asyncio.Future[Any]]] = []
        self._queued = asyncio.Event()
        self._flusher: asyncio.Task[None] | None = None
        self.more_coming: Callable[[], bool] = lambda: False
        """Whether more `call_together` writes are on their way (the refresh says)."""

    async def call(
        self, func: Callable[Concatenate[Store, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Await `func(store, *args, **kwargs)` run on the database thread."""
        return await self._on_thread(_bind(func, *args, **kwargs))

    async def call_or_stop(
        self, func: Callable[Concatenate[Store, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Like `call`, for a read whose caller may give up on it (a search superseded by the
        next key): if the caller is cancelled, the call is skipped if it has not started, or
        its SQLite statement is interrupted, so the next call does not wait behind it (`the*`
        takes ~1.4 s at 1,000,000 articles)."""
        stop = threading.Event()
        work = _bind(func, *args, **kwargs)

        def stoppable(store: Store) -> R:
            with _stopped_by(store._conn, stop):  # this thread's own connection
                return work(store)

        try:
            return await self._on_thread(stoppable)
        except asyncio.CancelledError:
            stop.set()
            raise

    async def _on_thread(self, work: Callable[[Store], R]) -> R:
        """Run `work` on the thread; a store error is reported as well as raised."""
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, self._run, work)
        except StoreError as exc:
            self._report(exc)
            raise

    async def call_together(
        self, func: Callable[Concatenate[Store, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Like `call`, but writes that queue up while the thread is busy share one commit.

        Should the shared transaction fail, it is undone and each call runs again in its own,
        so only the one at fault fails. One commit for many small writes saves the
        per-transaction cost, most of all the full-text index's flush and segment merging.
        """
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((_bind(func, *args, **kwargs), future))
        self._queued.set()
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        try:
            return await future
        except StoreError as exc:
            self._report(exc)
            raise

    async def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        while self._waiting:
            await self._gather(loop.time() + LINGER)
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            works = [work for work, _ in batch]
            try:
                outcomes = await loop.run_in_executor(self._pool, self._run_together, works)
            except Exception as exc:  # the thread could not even open the store
                outcomes = [exc] * len(batch)
            for (_, future), outcome in zip(batch, outcomes, strict=True):
                if future.done():  # its caller was cancelled
                    continue
                if isinstance(outcome, Exception):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)

    async def _gather(self, deadline: float) -> None:
        """Wait until GATHER writes are queued, no more are coming, or `deadline` passes."""
        loop = asyncio.get_running_loop()
        while len(self._waiting) < GATHER and self.more_coming() and loop.time() < deadline:
            self._queued.clear()
            with suppress(TimeoutError):
                await asyncio.wait_for(self._queued.wait(), deadline - loop.time())

    async def resize(self, cache_kib: int, checkpoint_pages: int | None = None) -> None:
        """From now on a page cache of `cache_kib` KiB (a smaller one frees the pages beyond
        it), and with `checkpoint_pages` the write-ahead log copied into the database every
        that many pages."""
        self.cache_kib = cache_kib
        if checkpoint_pages is not None:
            self.checkpoint_pages = checkpoint_pages
        await self.call(self._tune)

    def _run_together(self, works: list[Work]) -> list[Any]:
        return self._run(lambda store: _in_one_commit(store, works))

    def _run(self, work: Callable[[Store], R]) -> R:
        if self._store is None:
            self._store = Store.open(self.path)
            self._tune(self._store)
        return work(self._store)

    def _tune(self, store: Store) -> None:
        # This thread's connection (the store's own module: no door method for a pragma).
        db.limit_cache(store._conn, self.cache_kib)
        if self.checkpoint_pages is not None:
            db.checkpoint_every(store._conn, self.checkpoint_pages)

    def _report(self, exc: StoreError) -> None:
        if self.report is not None:
            self.report(f"cache: {exc}")

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


def _bind(
    func: Callable[Concatenate[Store, P], R], *args: P.args, **kwargs: P.kwargs
) -> Callable[[Store], R]:
    return lambda store: func(store, *args, **kwargs)


@contextmanager
def _stopped_by(conn: sqlite3.Connection, stop: threading.Event) -> Iterator[None]:
    """Statements run in this block end ("interrupted") soon after `stop` is set."""
    conn.set_progress_handler(stop.is_set, STOP_CHECK_EVERY)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 0)


def _in_one_commit(store: Store, works: list[Work]) -> list[Any]:
    """Run `works` in one transaction; if that fails (a call, or the COMMIT itself), undo
    them all and run each in its own transaction, so only the one at fault fails: exactly
    one outcome per work, a result or the error that kept it out of the cache."""
    try:
        with store.transaction():
            results = [work(store) for work in works]
    except Exception as exc:
        if len(works) == 1:
            return [exc]
    else:
        return results
    return [_alone(store, work) for work in works]


def _alone(store: Store, work: Work) -> Any:
    """The result of `work` in a transaction of its own, or the error if it did not commit."""
    try:
        with store.transaction():
            result = work(store)
    except Exception as exc:
        return exc
    return result
