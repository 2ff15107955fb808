"""Where things are: the config file and cache folder in use, and why each was chosen.

Config: `--config PATH` > `NEWSDESK_CONFIG` > `./feeds.toml` > the platform config folder.
Cache: `--cache DIR` > `NEWSDESK_CACHE` > `cache/` beside the config in use.
"""

# No `from __future__ import annotations`: a NamedTuple compiles each field's annotation
# string when defined (~0.06 ms a field, at every start of a command).
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

CONFIG_NAME = "feeds.toml"


class Paths(NamedTuple):
    """The config file and cache folder in use, and why each was chosen (a named tuple: every
    command makes one at start, and a dataclass costs four times as much to define)."""

    config: Path
    config_origin: str
    cache: Path
    cache_origin: str

    @property
    def database(self) -> Path:
        """The SQLite database inside the cache folder."""
        return self.cache / "newsdesk.db"

    def missing_config(self, outcome: str = "no sources") -> str | None:
        """One line when the config named by `--config` or `NEWSDESK_CONFIG` is no file: a
        mistyped path would otherwise show an empty cache beside it without a word. It ends
        with what that means to the command (`outcome`)."""
        if self.config_origin in ("--config", "NEWSDESK_CONFIG") and not self.config.is_file():
            from tui.text import visible  # the path as typed: shown, never acted on

            return (
                f"no config file at {visible(str(self.config))} (from {self.config_origin}): "
                f"{outcome}"
            )
        return None


PLATFORM_ORIGIN = "platform config dir"
BESIDE_CONFIG = "beside the config"


def platform_config() -> Path:
    """`feeds.toml` in the platform's config folder (`~/.config/newsdesk` on Linux)."""
    if sys.platform == "linux" and "ANDROID_DATA" not in os.environ:
        # platformdirs' rule here, without its import (tempfile, shutil, random: ~5 ms, a
        # quarter of `newsdesk search`)
        home = os.environ.get("XDG_CONFIG_HOME", "")
        if not os.path.isabs(home):
            home = os.path.join(_home(), ".config")
        return Path(home) / "newsdesk" / CONFIG_NAME
    import platformdirs

    return Path(platformdirs.user_config_dir("newsdesk")) / CONFIG_NAME


def _home() -> str:
    """$HOME when it is an absolute path, else the account's home folder: an empty one put
    the config in /.config, a relative one under whatever folder the command ran in."""
    home = os.environ.get("HOME", "")
    if os.path.isabs(home):
        return home
    import pwd

    return pwd.getpwuid(os.getuid()).pw_dir


def resolve_paths(
    config_flag: str | None = None,
    cache_flag: str | None = None,
    environ: Mapping[str, str] = os.environ,
    cwd: Path | None = None,
) -> Paths:
    """Pick the config file and cache dir by precedence; nothing is created here."""
    cwd = cwd or _working_folder()
    if config_flag:
        config, config_origin = Path(config_flag), "--config"
    elif environ.get("NEWSDESK_CONFIG"):
        config, config_origin = Path(environ["NEWSDESK_CONFIG"]), "NEWSDESK_CONFIG"
    elif cwd and _is_file(cwd / CONFIG_NAME):
        config, config_origin = cwd / CONFIG_NAME, "./feeds.toml"
    else:
        config, config_origin = platform_config(), PLATFORM_ORIGIN
    config = _absolute(config, cwd)
    if cache_flag:
        cache, cache_origin = Path(cache_flag), "--cache"
    elif environ.get("NEWSDESK_CACHE"):
        cache, cache_origin = Path(environ["NEWSDESK_CACHE"]), "NEWSDESK_CACHE"
    else:
        cache, cache_origin = config.parent / "cache", BESIDE_CONFIG
    return Paths(config, config_origin, _absolute(cache, cwd), cache_origin)


def _working_folder() -> Path | None:
    """The current folder; None when it was deleted (or cannot be named) while the shell
    stood in it: no `./feeds.toml` there then, rather than a traceback."""
    try:
        return Path.cwd()
    except OSError:
        return None


def _is_file(path: Path) -> bool:
    """Whether `path` is a file; a folder the user may not read holds none for them."""
    try:
        return path.is_file()
    except OSError:
        return False


def _absolute(path: Path, cwd: Path | None) -> Path:
    """`path` resolved against `cwd`; a relative one stays relative when there is no current
    folder (opening it then fails in one line, as any missing file does)."""
    path = path.expanduser()
    if cwd is not None:
        return (cwd / path).resolve()
    return path.resolve() if path.is_absolute() else path
