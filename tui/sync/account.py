"""From the `[sync]` table to a logged-out service: the password (from the config or a
command run without a shell) and the service module the table names.

A password command can take a while (gpg-agent asking for a passphrase): callers on an
event loop run `password` in a thread (`tui.sync.engine.open_service_async`)."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from tui.config import ConfigError, SyncConfig
from tui.sync.http import Limits
from tui.sync.service import Refused, Service
from tui.weburl import shown_address

COMMAND_TIMEOUT = 60.0
"""A password command may ask for a passphrase (gpg-agent), but must not hang forever."""


def password(config: SyncConfig, path: str) -> str:
    """The password: as written, or the first line `password_command` prints.

    The command is split like a shell would (`shlex.split`) but run without one; a program
    given by a relative path (`pw/get.sh`) is found from the config file's folder, as a
    source's `path` is. Its output and error text are never shown (they could hold the
    secret). A command that cannot be split or run is a config error; one that fails or
    prints nothing (a locked password store) is `PasswordFailed`, a sync error."""
    if config.password is not None:
        return config.password
    command = config.password_command or ""
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise _error(config, path, f"cannot be split into words ({exc})") from None
    if not argv:
        raise _error(config, path, "is empty")
    program = Path(argv[0])
    if not program.is_absolute() and len(program.parts) > 1:
        argv[0] = str(Path(path).parent / program)
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=False
        )
    except FileNotFoundError:
        raise _error(config, path, f"no such program: {argv[0]}") from None
    except subprocess.TimeoutExpired:
        raise _failed(
            config, path, f"{argv[0]} gave no password within {COMMAND_TIMEOUT:g} s"
        ) from None
    except OSError as exc:
        raise _error(config, path, f"{argv[0]} could not run ({type(exc).__name__})") from None
    lines = done.stdout.splitlines()
    if done.returncode != 0 or not lines or not lines[0]:
        what = f"exited with status {done.returncode}" if done.returncode else "printed nothing"
        raise _failed(config, path, f"{argv[0]} {what} (its output is not shown)")
    return lines[0]


class PasswordFailed(Refused):
    """The password command ran but gave no password: exit 1, like a refused login."""


def _error(config: SyncConfig, path: str, message: str) -> ConfigError:
    return ConfigError(Path(path), message, key="sync.password_command", line=config.line)


def _failed(config: SyncConfig, path: str, message: str) -> PasswordFailed:
    return PasswordFailed(str(_error(config, path, message)))


def account_key(config: SyncConfig) -> str:
    """Which server and user the cache's sync state belongs to (no secret in it)."""
    return f"{config.service} {_same_server(config.service, config.url)} {config.user}"


def same_account(stored: str | None, key: str) -> bool:
    """Is the account a cache stored (`account_key`'s text, from any version) the one `key`
    names? The URLs are compared normalised, so `http://host/`, `https://host` and (Tiny
    Tiny RSS) `http://host/api/` are one server, whichever form was stored."""
    if stored is None:
        return False
    service, _, rest = stored.partition(" ")
    url, _, user = rest.partition(" ")
    return f"{service} {_same_server(service, url)} {user}" == key


def _same_server(service: str, url: str) -> str:
    """`url` without what cannot change the server: its scheme, a user name or password in
    it, the case of the host, a default port, trailing slashes, TT-RSS's `/api` suffix. A
    port other than the default is part of the host."""
    parts = urlsplit(shown_address(url))
    scheme = parts.scheme.lower()
    host = parts.netloc.lower().removesuffix({"http": ":80", "https": ":443"}.get(scheme, ":"))
    path = parts.path.rstrip("/")
    if service == "ttrss":
        path = path.removesuffix("/api").rstrip("/")
    return f"//{host}{path}"  # no scheme (a move to https is the same server), still a URL


def make_service(config: SyncConfig, secret: str, limits: Limits | None = None) -> Service:
    """The service module the table names."""
    if config.service == "fever":
        from tui.sync.fever import Fever

        return Fever(config, secret, limits)
    from tui.sync.ttrss import TtRss

    return TtRss(config, secret, limits)
