"""The only code that speaks SQL: the SQLite cache with its full-text index.

`Store` is the one door (its methods are the whole API); `DbThread` runs its methods on a
database thread for async code.
"""

from typing import TYPE_CHECKING

from tui.lazy import names_from
from tui.store.cache import Store
from tui.store.cjk import may_hold_cjk
from tui.store.errors import (
    CACHE_BUSY,
    CacheLocked,
    CacheReplaced,
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

# Imported on first use: the database thread brings asyncio, the others the write side,
# which a reading command never needs.
__getattr__ = names_from(
    __name__,
    {
        "DbThread": "tui.store.thread",
        "RulesReport": "tui.store.rules",
        "SaveTarget": "tui.store.saved",
        "UpsertResult": "tui.store.upsert",
    },
)


__all__ = [
    "CACHE_BUSY",
    "CacheLocked",
    "CacheReplaced",
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
    "may_hold_cjk",
]
