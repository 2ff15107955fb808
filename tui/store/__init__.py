"""The only code that speaks SQL: the SQLite cache with its full-text index.

`Store` is the one door (its methods are the whole API); `DbThread` runs its methods on a
database thread for async code.
"""

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
from tui.store.thread import DbThread
from tui.store.upsert import UpsertResult

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
