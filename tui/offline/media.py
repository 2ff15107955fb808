"""Enclosures (podcasts, videos, attachments): described, downloaded for offline use, played.

A download goes through `tui.sources.fetch` with the limits saving uses (http(s) only, the
size cap of `max_body_mb`, the deadline of `timeout_seconds`) and lands in
`<cache>/media/<hash>.<ext>`, written atomically. The player is started with the URL or file as
its one extra argument, never through a shell.
"""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from tui.config import Settings
from tui.offline.saving import write_atomic
from tui.sources.fetch import FetchError, FetchLimits, NotModified, fetch, make_client
from tui.text import clean_line

MEDIA_ACCEPT = "audio/*, video/*, application/*;q=0.8, */*;q=0.5"
_KINDS = {"audio": "audio", "video": "video", "image": "image"}


@dataclass(frozen=True)
class Enclosure:
    """What can be told about an enclosure from its URL (feeds keep only the URL)."""

    url: str
    name: str
    """The file name in the URL, or the host when it has none."""
    media_type: str | None
    """Guessed from the file name: `audio/mpeg`, `video/mp4`, ..."""

    @property
    def kind(self) -> str:
        """audio, video, image or file."""
        major = (self.media_type or "").partition("/")[0]
        return _KINDS.get(major, "file")

    def line(self, cached: Path | None = None) -> str:
        """One line for the reader and `show`: kind, type, name, and whether it is offline."""
        parts = [self.kind, self.media_type or "unknown type", self.name]
        if cached is not None:
            parts.append(f"downloaded ({_size(cached.stat().st_size)})")
        return " · ".join(parts)


def describe(url: str) -> Enclosure:
    """The enclosure of `url`."""
    parts = urlsplit(url)
    name = clean_line(unquote(PurePosixPath(parts.path).name)) or parts.hostname or url
    media_type, _ = mimetypes.guess_type(PurePosixPath(parts.path).name)
    return Enclosure(url, name, media_type)


def media_path(url: str, cache_dir: Path) -> Path:
    """Where a downloaded enclosure lives in the cache."""
    digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    safe = suffix if suffix[1:].isalnum() and len(suffix) <= 6 else ""
    return cache_dir / "media" / f"{digest}{safe}"


def cached(url: str, cache_dir: Path) -> Path | None:
    """The downloaded copy of an enclosure, if there is one."""
    path = media_path(url, cache_dir)
    return path if path.is_file() else None


class DownloadFailed(Exception):
    """The enclosure could not be downloaded; `str()` is one line naming the URL."""


async def download(url: str, cache_dir: Path, settings: Settings) -> Path:
    """Download an enclosure into the cache (once) and return its file."""
    path = media_path(url, cache_dir)
    if path.is_file():
        return path
    limits = FetchLimits.from_settings(settings)
    async with make_client(limits, concurrency=1, per_host=1) as client:
        try:
            response = await fetch(client, url, limits=limits, accept=MEDIA_ACCEPT)
        except (FetchError, NotModified) as exc:
            raise DownloadFailed(str(exc)) from exc
    try:
        await asyncio.to_thread(write_atomic, path, response.body)
    except OSError as exc:
        raise DownloadFailed(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path


def player_command(player: str, target: str) -> list[str]:
    """The player's command line (its own words split like a shell would, no shell run)."""
    return [*shlex.split(player), target]


def play(player: str, target: str) -> None:
    """Start the player on `target` in the background; OSError when it cannot start."""
    subprocess.Popen(
        player_command(player, target),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _size(count: int) -> str:
    """A byte count for people: `840 KB`, `12.5 MB`."""
    if count < 1024 * 1024:
        return f"{max(1, count // 1024)} KB"
    return f"{count / (1024 * 1024):.1f} MB"
