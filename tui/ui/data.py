"""The UI's one door to its data: `Data.call` runs a store method on the database thread.

Widgets never hold a `Store`: every read and write they need (counts, pages, searches, flags,
the saved UI state) is awaited from a worker through this door, so no SQLite runs on the event
loop and keys never wait. A failure is raised to the worker, which reports it in one line
(`tui.ui.workers`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from tui.store import CacheReplaced, DbThread, Store

P = ParamSpec("P")
R = TypeVar("R")
REPLACED = "the cache was deleted or replaced on disk since these articles were shown: not written"
"""Why a write by the ids of a file before is refused (said after what failed)."""


class Data:
    """Runs `func(store, ...)` calls one at a time on the database thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread = DbThread(path)
        self.cache = 0
        """Which cache file the ids the UI holds are of: the store's count of files replaced
        on disk (`Store.changes`) when the UI last took its rows."""

    @property
    def cache_dir(self) -> Path:
        """Where saved pages and images live: the database's folder."""
        return self.path.parent

    async def call(
        self, func: Callable[Concatenate[Store, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Await `func(store, *args, **kwargs)` run on the database thread."""
        return await self._thread.call(func, *args, **kwargs)

    async def call_or_stop(
        self, func: Callable[Concatenate[Store, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Like `call`, for a read a newer one supersedes: cancelling the awaiting worker
        skips it, or stops its SQLite work, so the next call does not wait behind it."""
        return await self._thread.call_or_stop(func, *args, **kwargs)

    async def by_ids(
        self, func: Callable[Concatenate[Store, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Like `call`, for a call naming articles by the ids the UI holds (a write, or a
        read of the rows written): refused with `CacheReplaced` when the file at the cache's
        path is not the one they came from, where the same ids are other articles."""
        cache = self.cache

        def checked(store: Store) -> R:
            with store.transaction():  # the file looked at is the one written: no reopening
                if store.changes()[2] != cache:
                    raise CacheReplaced(REPLACED)
                return func(store, *args, **kwargs)

        return await self._thread.call(checked)

    @property
    def writes(self) -> ByIds:
        """This door with each call a `by_ids` one (offline saving's, which takes a door)."""
        return ByIds(self)

    def close(self) -> None:
        """Finish queued calls (state saves), close the thread's store, stop the thread."""
        self._thread.close()


class ByIds:
    """`Data` as a door whose every call is `by_ids`."""

    def __init__(self, data: Data) -> None:
        self.path, self._data = data.path, data

    async def call(
        self, func: Callable[Concatenate[Store, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        return await self._data.by_ids(func, *args, **kwargs)
