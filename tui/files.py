"""Files written whole or not at all, and never through a link: a full disk, a crash or a power
loss leaves the old file, never half of the new one nor an empty one, and a link someone
planted at a file's name (in an export folder, a shared one) is replaced, not written through
(saved images, OPML and every export, the config memo)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

# A new file, never one already there (nor a link's target: O_EXCL does not follow one).
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
# A folder opened to sync its entries; None where folders cannot be opened (Windows).
_FOLDER = getattr(os, "O_DIRECTORY", None)


class LinkedFolder(OSError):
    """A folder newsdesk writes into is a link planted in the tree it writes (one line)."""


def write_atomic(
    path: Path, data: bytes, *, private: bool = False, folders: set[Path] | None = None
) -> None:
    """Write `data` to `path` whole (see `replacing`)."""
    with replacing(path, private=private, folders=folders) as sink:
        sink.write(data)


@contextmanager
def batch() -> Iterator[set[Path]]:
    """The folders of many files written with `replacing(..., folders=)`, each synced once
    when the batch ends (or fails): an export of 300 files syncs its folder once, not 300
    times. Each file is still on the disk before its rename; a power loss before the end
    leaves each name with its old file or its new one, never an empty one."""
    folders: set[Path] = set()
    try:
        yield folders
    finally:
        for folder in folders:
            _sync_folder(folder)


@contextmanager
def replacing(
    path: Path, *, private: bool = False, folders: set[Path] | None = None
) -> Iterator[BinaryIO]:
    """A file to write `path`'s new content into: a new one of its own beside it (its folder
    made when missing), renamed over `path` once the block ends; an exception leaves `path`
    as it was and no part file. The new file keeps the mode of the file it replaces; a new
    one gets the umask's (0600 when `private`: it holds what others must not read).
    As SQLite and git do, the content is on the disk before the rename (else a power loss
    can leave an empty file at the name), and the rename after it (its folder synced, or
    added to `folders`, a `batch`'s, to be synced once for all its files)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = _mode_of(path)
    sink, partial = _part_file(path, 0o600 if private else 0o666)
    try:
        with sink:
            yield sink
            if kept is not None:
                os.chmod(partial, kept)
            sink.flush()
            os.fsync(sink.fileno())  # a disk that cannot take it says so here: ENOSPC, EIO
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if folders is None:
        _sync_folder(path.parent)
    else:
        folders.add(path.parent)


def _mode_of(path: Path) -> int | None:
    """The permissions of the file at `path`; None when there is none (or a link)."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return None
    return stat.S_IMODE(status.st_mode) if stat.S_ISREG(status.st_mode) else None


def _sync_folder(folder: Path) -> None:
    """Make the folder's entries (a rename into it) durable, where the platform can open a
    folder. The file is in place by now: a folder that cannot be opened (no read permission)
    or synced (a filesystem without it) is left to the system's own writeback, as SQLite does."""
    if _FOLDER is None:
        return
    with suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY | _FOLDER)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _part_file(path: Path, mode: int) -> tuple[BinaryIO, Path]:
    """A file just created beside `path` (`.NAME.RANDOM.part`), open for writing."""
    while True:
        partial = path.with_name(f".{path.name[:80]}.{os.urandom(6).hex()}.part")
        try:
            return os.fdopen(os.open(partial, _NEW_FILE, mode), "wb"), partial
        except FileExistsError:  # 48 random bits taken: another writer's part file
            continue


def folder_within(root: Path, *names: str) -> Path:
    """`root/names...`, each folder made when missing. One that is a link (planted in the
    tree: `images/8 -> /elsewhere`) is refused, never written through: LinkedFolder."""
    folder = root
    for name in names:
        folder = folder / name
        try:
            folder.mkdir()
        except FileExistsError:
            if folder.is_symlink():
                raise LinkedFolder(f"{folder} is a link; refusing to write through it") from None
    return folder
