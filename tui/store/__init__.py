"""The only code that speaks SQL: the SQLite cache with its full-text index."""

from tui.store.articles import Store, View
from tui.store.db import CorruptDatabase, InvalidQuery, StoreError
from tui.store.upsert import UpsertResult

__all__ = ["CorruptDatabase", "InvalidQuery", "Store", "StoreError", "UpsertResult", "View"]
