"""The store's own errors, and the one place `sqlite3` errors are translated into them.

Every public `Store` method is a `door` (and a block of several calls runs inside
`translated`), so callers catch `StoreError` (one line for the user) and never a `sqlite3`
exception.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Concatenate, ParamSpec, Protocol, TypeVar


class StoreError(Exception):
    """A problem with the cache that the user must hear about in one line."""


class CorruptDatabase(StoreError):
    """The database file is damaged or belongs to another program; it is left untouched."""


class InvalidQuery(StoreError):
    """A search query SQLite's FTS5 could not run."""


class CacheLocked(StoreError):
    """Another program held the cache's write lock for longer than the busy timeout."""


class DiskFull(StoreError):
    """The cache could not grow: the disk (or the database's size limit) is full."""


class ReadOnlyCache(StoreError):
    """A write was asked of a cache this process may only read."""


class CacheReplaced(StoreError):
    """A write naming articles by the ids of a cache file since deleted or replaced on disk:
    in the file there now, those ids are other articles, or none."""


CACHE_BUSY = "the cache is busy (another newsdesk is writing)"
"""What a write that waited out the busy timeout says (SQLite's own words add nothing)."""

# SQLite's primary result codes (the low byte of an extended code).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26
_ROOM = 64 * 1024
"""Free bytes below which an I/O error is the disk being full (the WAL's index needs 32 KiB)."""


def translate(exc: sqlite3.Error, path: Path) -> StoreError:
    """The project's error for a `sqlite3` error met while using the cache at `path`."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    detail = str(exc)
    if code in (_BUSY, _LOCKED):
        return CacheLocked(f"{path}: {CACHE_BUSY}")
    if code == _FULL or (code == _IOERR and no_room(path)):  # a full disk fails opening too
        return DiskFull(f"{path}: disk full, nothing was written ({detail})")
    if code == _READONLY and no_room(path):  # opened read-only for it (see `db.connect`)
        return DiskFull(f"{path}: disk full, nothing was written (read-only until there is room)")
    if code == _READONLY:
        return ReadOnlyCache(f"{path}: the cache is read-only here, nothing was written")
    if code in (_CORRUPT, _NOTADB):
        return CorruptDatabase(f"{path}: not a usable newsdesk cache ({detail}); left untouched")
    if code == _CANTOPEN:
        return _cannot_open(path, detail)
    return StoreError(f"{path}: {detail}")


ELSEWHERE = "--cache DIR or NEWSDESK_CACHE picks another folder"
"""The way out of a cache folder that cannot be used, said with its error."""


def _cannot_open(path: Path, detail: str) -> StoreError:
    """SQLite's "unable to open database file", with what is wrong where it can be told: a
    new cache in a folder this user may not write (or on a read-only disk)."""
    if not path.exists() and path.parent.is_dir() and not os.access(path.parent, os.W_OK):
        return read_only_folder(path)
    return StoreError(f"{path}: cannot open the cache ({detail}); {ELSEWHERE}")


def read_only_folder(path: Path) -> StoreError:
    """A new cache at `path` whose folder this user may not write (or on a read-only disk)."""
    return StoreError(f"{path}: cannot create the cache: its folder is read-only; {ELSEWHERE}")


def no_room(path: Path) -> bool:
    """Whether the disk holding the cache at `path` is full (as far as SQLite is concerned)."""
    import shutil  # only once something failed: a reading command does not load it

    try:
        return shutil.disk_usage(path.parent).free < _ROOM
    except OSError:
        return False


@contextmanager
def translated(path: Path) -> Iterator[None]:
    """Run a block with its `sqlite3` errors raised as the project's own."""
    try:
        yield
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc


class _AtPath(Protocol):
    path: Path


S = TypeVar("S", bound=_AtPath)
P = ParamSpec("P")
R = TypeVar("R")


def door(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """A public `Store` method whose `sqlite3` errors leave as the store's own errors."""

    @functools.wraps(method)
    def translating(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc

    return translating
