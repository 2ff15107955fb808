"""The only code that speaks SQL: the SQLite cache with its full-text index.

`Store` is the one door (its methods are the whole API); `DbThread` runs its methods on a
database thread for async code.
"""

import importlib
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
from tui.store.search import SearchResult

if TYPE_CHECKING:
    from tui.store.rules import RulesReport
    from tui.store.saved import SaveTarget
    from tui.store.thread import DbThread
    from tui.store.upsert import UpsertResult

_LATER = {
    "DbThread": "tui.store.thread",
    "RulesReport": "tui.store.rules",
    "SaveTarget": "tui.store.saved",
    "UpsertResult": "tui.store.upsert",
}
"""Imported on first use: the database thread brings asyncio, the others the write side,
which a reading command never needs."""


def __getattr__(name: str) -> Any:
    if name in _LATER:
        return getattr(importlib.import_module(_LATER[name]), name)
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
