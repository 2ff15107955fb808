"""The only code that speaks SQL: the SQLite cache with its full-text index.

`Store` is the one door (its methods are the whole API); `DbThread` runs its methods on a
database thread for async code.
"""

from typing import TYPE_CHECKING, Any

from tui.store.cache import Store
from tui.store.errors import (
    CacheLocked,
    CorruptDatabase,
    DiskFull,
    InvalidQuery,
    ReadOnlyCache,
    StoreError,
)
from tui.store.rows import SortKey, View
from tui.store.rules import RulesReport
from tui.store.saved import SaveTarget
from tui.store.search import SearchResult
from tui.store.upsert import UpsertResult

if TYPE_CHECKING:
    from tui.store.thread import DbThread


def __getattr__(name: str) -> Any:
    """`DbThread` on first use: it brings asyncio, which a reading command never needs."""
    if name == "DbThread":
        from tui.store.thread import DbThread

        return DbThread
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CacheLocked",
    "CorruptDatabase",
    "DbThread",
    "DiskFull",
    "InvalidQuery",
    "ReadOnlyCache",
    "RulesReport",
    "SaveTarget",
    "SearchResult",
    "SortKey",
    "Store",
    "StoreError",
    "UpsertResult",
    "View",
]
