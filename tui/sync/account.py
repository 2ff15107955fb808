"""From the `[sync]` table to a logged-out service: the password (from the config or a
command run without a shell) and the service module the table names."""

from __future__ import annotations

import shlex
import subprocess

from tui.config import ConfigError, SyncConfig
from tui.sync.http import Limits, shown_url
from tui.sync.service import Service

COMMAND_TIMEOUT = 60.0
"""A password command may ask for a passphrase (gpg-agent), but must not hang forever."""


def password(config: SyncConfig, path: str) -> str:
    """The password: as written, or the first line `password_command` prints.

    The command is split like a shell would (`shlex.split`) but run without one; its output
    and error text are never shown (they could hold the secret). Failures are config errors.
    """
    if config.password is not None:
        return config.password
    command = config.password_command or ""
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise _error(config, path, f"cannot be split into words ({exc})") from None
    if not argv:
        raise _error(config, path, "is empty")
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=False
        )
    except FileNotFoundError:
        raise _error(config, path, f"no such program: {argv[0]}") from None
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _error(config, path, f"{argv[0]} could not run ({type(exc).__name__})") from None
    lines = done.stdout.splitlines()
    if done.returncode != 0 or not lines or not lines[0]:
        what = f"exited with status {done.returncode}" if done.returncode else "printed nothing"
        raise _error(config, path, f"{argv[0]} {what} (its output is not shown)")
    return lines[0]


def _error(config: SyncConfig, path: str, message: str) -> ConfigError:
    from pathlib import Path

    return ConfigError(Path(path), message, key="sync.password_command", line=config.line)


def account_key(config: SyncConfig) -> str:
    """Which server and user the cache's sync state belongs to (no secret in it)."""
    return f"{config.service} {shown_url(config.url)} {config.user}"


def make_service(config: SyncConfig, secret: str, limits: Limits | None = None) -> Service:
    """The service module the table names."""
    if config.service == "fever":
        from tui.sync.fever import Fever

        return Fever(config, secret, limits)
    from tui.sync.ttrss import TtRss

    return TtRss(config, secret, limits)
