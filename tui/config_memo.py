"""A valid config as last read, kept in the cache folder: the next start skips parsing it.

Parsing and checking feeds.toml costs ~35 ms for 2,000 sources (most of it `tomllib`), paid
at every start; unpickling what it gave costs ~1.5 ms. The memo is used only while the
config file, the working folder, the home folder and the code that reads configs are
exactly as when it was written (path, size, times and inode of each), so any edit (by hand,
`newsdesk feeds`, a restore) parses the file again, and a broken file still fails with its
file:line:key. An invalid config is never kept, nor one holding a password (`[sync]`'s or
one in a feed's URL: a secret stays in the file the user chose for it). Unpickling admits
the config's own classes and nothing else; an unreadable, stale or foreign memo is ignored
and replaced.
"""

from __future__ import annotations

import io
import os
import pickle
from contextlib import suppress
from pathlib import Path
from typing import Any

from tui import config as config_module
from tui import config_limits, config_lines, models, records, settings, text, weburl
from tui.config import Config, load_config
from tui.files import write_atomic
from tui.weburl import holds_secret

MEMO_NAME = "config.memo"
_CODE = (config_module, config_limits, config_lines, models, records, settings, text, weburl)
"""The modules whose code decides what a config file means."""
_CLASSES = {
    ("tui.config", "Config"),
    ("tui.config", "SourceConfig"),
    ("tui.config", "SearchConfig"),
    ("tui.settings", "Settings"),
    ("tui.config", "SyncConfig"),
    ("tui.records", "Rule"),
    ("pathlib", "PosixPath"),
    ("pathlib", "WindowsPath"),
    ("pathlib._local", "PosixPath"),  # where Python 3.13 pickles them from
    ("pathlib._local", "WindowsPath"),
}


def load_config_memo(path: Path, folder: Path) -> Config:
    """`load_config(path)`, from the memo in `folder` when it is still true."""
    key = _key(path)
    memo = folder / MEMO_NAME
    if key is not None:
        kept = _read(memo, key)
        if kept is not None:
            return kept
    config = load_config(path)
    if key is not None and not _holds_password(config) and folder.is_dir():
        _write(memo, key, config)
    return config


def _holds_password(config: Config) -> bool:
    """Whether `config` holds a password: the `[sync]` one, or one in a feed's URL."""
    if config.sync and config.sync.password:
        return True
    return any(s.url and holds_secret(s.url) for s in config.sources)


def _key(path: Path) -> tuple[Any, ...] | None:
    """What the parsed config depends on; None when the file cannot be looked at."""
    try:
        files = [os.stat(path), *(os.stat(str(module.__file__)) for module in _CODE)]
        cwd = os.getcwd()  # fails when the current folder was deleted
    except (OSError, TypeError):
        return None
    stamps = [(s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino, s.st_dev) for s in files]
    return (str(path), cwd, os.environ.get("HOME"), *stamps)


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _CLASSES:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a config")
        return super().find_class(module, name)


def _read(memo: Path, key: tuple[Any, ...]) -> Config | None:
    try:
        stream = io.BytesIO(memo.read_bytes())  # two pickles: each read by its own unpickler
        if _Unpickler(stream).load() != key:  # the key first: a stale config is not rebuilt
            return None
        config = _Unpickler(stream).load()
    except Exception:  # missing, truncated or foreign: parse the file instead
        return None
    return config if isinstance(config, Config) else None


def _write(memo: Path, key: tuple[Any, ...], config: Config) -> None:
    protocol = pickle.HIGHEST_PROTOCOL
    # A reader sees the old memo or the new one, never half; a copy of a config is private.
    with suppress(OSError):  # a read-only or full cache folder: parse again next time
        data = pickle.dumps(key, protocol) + pickle.dumps(config, protocol)
        write_atomic(memo, data, private=True)
