"""The UI's database thread (a `store.writer.Writer`) for its blocking store calls.

Store calls that could take more than a few milliseconds (counts, searches, writes that may
wait for another process's lock) run there, awaited from async workers, so keys never wait;
errors are reported to the user as one line.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from tui.store import Store, StoreError
from tui.store.writer import Writer

P = ParamSpec("P")
R = TypeVar("R")


class DbThread:
    """Runs `func(store, ...)` calls one at a time on a dedicated thread."""

    def __init__(self, path: Path, report: Callable[[str], None]) -> None:
        self.path, self.report = path, report
        self._writer = Writer(path, name="newsdesk-db")

    async def call(
        self, func: Callable[Concatenate[Store, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Await `func(store, *args, **kwargs)` run on the database thread.

        A database error is reported to the user (`report`) and raised to the caller's worker.
        """
        try:
            return await self._writer.call(lambda store: func(store, *args, **kwargs))
        except (sqlite3.Error, StoreError) as exc:
            self.report(f"cache: {exc}")
            raise

    def close(self) -> None:
        """Finish queued calls (state saves), close the thread's store, stop the thread."""
        self._writer.close()
