"""Where the config exposes a secret, told in `note:` lines: a password (or a token) in a
file others can read, a sync server's password sent over plain http to another machine."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from tui.config_lines import ConfigLines
from tui.weburl import holds_secret


def note_readable_feed_secret(lines: ConfigLines, urls: Sequence[str | None]) -> None:
    """A note at the first feed URL holding a password or token, when others can read the
    file (once: a chmod mends them all)."""
    at = next((i for i, url in enumerate(urls) if url and holds_secret(url)), None)
    if at is not None and others_read(lines.path):
        why = "others can read this file and the password in this URL: chmod 600 it"
        lines.note("url", why, ("sources", at))


def note_sync_secret(lines: ConfigLines, url: str, has_password: bool) -> None:
    """The `[sync]` table's notes: its password readable by others, or sent in the clear."""
    where = ("sync", None)
    if has_password and others_read(lines.path):
        lines.note("password", "others can read this file: chmod 600 it", where)
    if in_the_clear(url):
        lines.note("url", "plain http: the password crosses the network readable", where)


def others_read(path: Path) -> bool:
    """Whether users other than the owner may read the file (its group or all)."""
    try:
        return bool(os.stat(path).st_mode & (stat.S_IRGRP | stat.S_IROTH))
    except OSError:
        return False


def in_the_clear(url: str) -> bool:
    """Whether `url` is plain http to another machine (the login's password travels as
    written; to this machine it never leaves it)."""
    import ipaddress  # only for a [sync] table: not loaded at every start

    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname in (None, "localhost"):
        return False
    try:
        return not ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return True
