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

from tui.store import DbThread, Store

P = ParamSpec("P")
R = TypeVar("R")


class Data:
    """Runs `func(store, ...)` calls one at a time on the database thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread = DbThread(path)

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

    def close(self) -> None:
        """Finish queued calls (state saves), close the thread's store, stop the thread."""
        self._thread.close()
