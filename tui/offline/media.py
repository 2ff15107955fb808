"""Enclosures (podcasts, videos, attachments): described, downloaded for offline use, played.

A download goes through `tui.sources.fetch` (http(s) only) with its own size cap,
`media_max_mb` (podcasts are larger than any feed or page), streamed to a file of its own,
`<cache>/media/.<hash>.<random>.part`, and renamed into place once complete, so a failed or
stopped download never leaves half a file where a whole one is expected; its extension is the
one of the type it was served as (or the feed states), never the URL's. A web page answered for
a media file (a captive portal's login page) is refused before any of it is kept. A download
that receives nothing for `timeout_seconds` is stopped, and so is one the app quits during
(`stop`); partial files an ended process left are removed at the next download. The player
is started with the URL or file as its one extra argument, never through a shell, and never
on a file that is no audio, video or picture.
"""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
import os
import re
import shlex
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from tui.config import Settings
from tui.models import Enclosure
from tui.offline.media_types import SAVED_AS, extension_for, playable, type_of
from tui.text import clean_line, plural
from tui.weburl import without_password

MB = 1024 * 1024
"""Bytes in a megabyte (`media_max_mb`; the UI counts downloads in it)."""

MEDIA_ACCEPT = "audio/*, video/*, application/*;q=0.8, */*;q=0.5"
MEDIA_DEADLINE = 24 * 3600.0
"""A download may take this long in all, as long as data keeps coming."""
_KINDS = {"audio": "audio", "video": "video", "image": "image"}

Progress = Callable[[int, int | None], None]
"""(bytes so far, expected size or None) during a download."""


@dataclass(frozen=True)
class Attachment:
    """An enclosure as the reader and `show` tell it: what the feed states, else what its URL
    suggests."""

    enclosure: Enclosure
    name: str
    """The file name in the URL, or the host when it has none."""
    media_type: str | None
    """The type the feed states, else one guessed from the file name."""

    @property
    def kind(self) -> str:
        """audio, video, image or file."""
        major = (self.media_type or "").partition("/")[0]
        return _KINDS.get(major, "file")

    def line(self, cached: Path | None = None) -> str:
        """One line: kind, type, name, size and playing time when known, whether it is offline."""
        parts = [self.kind, self.media_type or "unknown type", self.name, *_facts(self.enclosure)]
        if cached is not None:
            parts.append(f"downloaded ({size_text(cached.stat().st_size)})")
        return " · ".join(parts)


def details(enclosure: Enclosure) -> str:
    """Type, size and playing time in a few words: `audio/mpeg · 45.2 MB · 1:02:03`."""
    return " · ".join([describe(enclosure).media_type or "unknown type", *_facts(enclosure)])


def _facts(enclosure: Enclosure) -> list[str]:
    """The size and playing time the feed states."""
    facts = [size_text(enclosure.length)] if enclosure.length else []
    return facts + ([duration_text(enclosure.duration)] if enclosure.duration else [])


def describe(enclosure: Enclosure) -> Attachment:
    """The attachment of `enclosure`."""
    path = PurePosixPath(urlsplit(enclosure.url).path)
    name = clean_line(unquote(path.name)) or urlsplit(enclosure.url).hostname or enclosure.url
    guessed = type_of(path.name) or mimetypes.guess_type(path.name)[0]
    return Attachment(enclosure, name, enclosure.media_type or guessed)


def _digest(url: str) -> str:
    """A downloaded enclosure's name in the cache, without its extension."""
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:24]


# Types that say nothing of what a download is: the feed's (or the URL's) type is taken then.
_UNTOLD = {"application/octet-stream", "binary/octet-stream", "application/force-download"}


def _file_name(enclosure: Enclosure, served: str | None) -> str:
    """The download's name: its URL's digest, and the extension of the type the server gave
    it, else of the one the feed states, else of the media type the URL's extension names
    (`.mp3`, never `.sh`: `escape1.sh` served as audio/mpeg is an `.mp3`)."""
    kind = (served or "").partition(";")[0].strip().lower()
    if not kind or kind in _UNTOLD:
        kind = describe(enclosure).media_type or ""
    return _digest(enclosure.url) + extension_for(kind)


def cached(url: str, cache_dir: Path) -> Path | None:
    """The downloaded copy of an enclosure, if there is one: its digest with one of the
    extensions a download is given, or none, or (a download before names came from types)
    the URL's own. Each name is looked up, never the folder listed: the reader asks for
    every attachment of the article it shows, and a folder of 3,000 downloads took ~1.5 ms
    a listing."""
    digest, folder = _digest(url), cache_dir / "media"
    old = PurePosixPath(urlsplit(url).path).suffix.lower()
    for extension in ("", *SAVED_AS, *([old] if old[1:].isalnum() and len(old) <= 6 else [])):
        if (path := folder / f"{digest}{extension}").is_file():
            return path
    return None


_DOWNLOAD = re.compile(r"[0-9a-f]{24}(?:\.[0-9A-Za-z]{1,6})?")
"""A download's name: its URL's digest, and an extension (never a hidden `.part` file)."""


def downloads(cache_dir: Path) -> list[str]:
    """The names of the downloads in the cache (the articles' enclosures are read only when
    there are some)."""
    folder = cache_dir / "media"
    names = [entry.name for entry in os.scandir(folder)] if folder.is_dir() else []
    return [name for name in names if _DOWNLOAD.fullmatch(name)]


SWEEP_EVERY = 24 * 3600
"""Seconds between two refreshes' looks for downloads no article has any more: the look
reads every article's attachments (~40 ms at 100k articles, ~0.4 s at 1M), and articles
leave by retention, a day at a time (`feeds remove` looks at once)."""


def sweep_due(cache_dir: Path) -> bool:
    """Whether a refresh should look for unwanted downloads now (then the look is noted)."""
    noted = cache_dir / "media" / ".swept"
    with suppress(OSError):
        if time.time() - noted.stat().st_mtime < SWEEP_EVERY:
            return False
    with suppress(OSError):
        noted.touch()
    return True


def remove_unwanted(cache_dir: Path, names: list[str], wanted: Iterable[str]) -> int:
    """Delete the downloads among `names` whose enclosure no article of the cache has any
    more (their source removed, their articles pruned); `wanted`: the URLs articles still
    have. Returns how many."""
    keep = {_digest(url) for url in wanted}
    unwanted = [name for name in names if name[:24] not in keep]
    for name in unwanted:
        with suppress(OSError):
            (cache_dir / "media" / name).unlink()
    return len(unwanted)


class NotPlayable(Exception):
    """A downloaded attachment that is no audio, video or picture: the player never gets it;
    `str()` is one line saying so."""


def play_target(enclosure: Enclosure, cache_dir: Path | None) -> str:
    """What the player is given: the downloaded copy when there is one, else the URL."""
    local = cached(enclosure.url, cache_dir) if cache_dir else None
    if local is None:
        return enclosure.url
    if not playable(local):
        what = f"a {local.suffix} file" if local.suffix else "of no known type"
        name = describe(enclosure).name
        raise NotPlayable(
            f"not played: {name} is not audio, video or a picture (its download is {what})"
        )
    return str(local)


class DownloadFailed(Exception):
    """The enclosure could not be downloaded; `str()` is one line naming the URL."""


class DownloadStopped(DownloadFailed):
    """The download was stopped from outside (the app quits); its partial file is gone."""


WEB_PAGE = "the server answered a web page, not the file (a login page?)"
"""Why a web page is not kept as an enclosure's download (a captive portal answers any
address with its login page)."""
_PAGE_TYPES = ("text/html", "application/xhtml+xml")
_TICK = 0.1
"""Seconds between looks at a running download: stopped, or stalled."""
_LOADED = time.time()
"""When this process took up downloads: a partial file older than it is no download of it."""


def download(
    enclosure: Enclosure,
    cache_dir: Path,
    settings: Settings,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
) -> Path:
    """Download an enclosure into the cache (once) and return its file; `stop`, once set, ends
    it (DownloadStopped). Blocking: it runs its own event loop, so call it from a thread (its
    writes never touch the UI's loop)."""
    path = cached(enclosure.url, cache_dir)
    if path is not None:
        return path
    folder = cache_dir / "media"
    partial: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_stale_parts(folder, settings.timeout_seconds)
        # A file of its own: another download of the same URL (a second window) may be running.
        handle, name = tempfile.mkstemp(".part", f".{_digest(enclosure.url)}.", folder)
        partial = Path(name)
        with os.fdopen(handle, "wb") as file:
            sink = _Sink(enclosure, file, progress or _quiet)
            asyncio.run(_stream(enclosure, sink, settings, stop or threading.Event()))
            file.flush()
            os.fsync(file.fileno())
        path = folder / _file_name(enclosure, sink.served)
        partial.replace(path)
    except OSError as exc:
        where = partial or folder
        raise DownloadFailed(f"cannot write {where}: {exc.strerror or exc}") from exc
    finally:
        if partial is not None:
            with suppress(OSError):
                partial.unlink()
    return path


def _remove_stale_parts(folder: Path, wait: float) -> None:
    """Remove the partial files of downloads that ended without removing theirs (`kill -9`, a
    power loss): older than this process, and not written for longer than a download waits
    for data (another window's running download keeps writing to its own)."""
    before = min(_LOADED, time.time() - wait)
    for part in folder.glob(".*.part"):
        with suppress(OSError):
            if part.stat().st_mtime < before:
                part.unlink()


class _Sink:
    """Where a download's body goes (`tui.sources.body.Sink`): the answer judged before any
    of it is kept (a web page for a media file is refused), then written, with progress."""

    def __init__(self, enclosure: Enclosure, file: BinaryIO, progress: Progress) -> None:
        self.enclosure, self.file, self.progress = enclosure, file, progress
        self.served: str | None = None
        """The type the server gave."""
        self.expected = enclosure.length
        self.got = 0
        self.last = time.monotonic()
        """When data last came."""

    def begin(self, headers: Mapping[str, str]) -> None:
        self.served = clean_line(headers.get("content-type")) or None
        kind = (self.served or "").partition(";")[0].strip().lower()
        if kind in _PAGE_TYPES and describe(self.enclosure).kind in ("audio", "video", "image"):
            raise DownloadFailed(f"{_shown(self.enclosure.url)}: {WEB_PAGE}")
        # The size the server sends, when it sends it as it is (not compressed).
        length = headers.get("content-length", "")
        if length.isascii() and length.isdigit() and not headers.get("content-encoding"):
            self.expected = int(length)

    def __call__(self, data: bytes) -> None:
        self.file.write(data)
        self.got, self.last = self.got + len(data), time.monotonic()
        self.progress(self.got, self.expected)


async def _stream(
    enclosure: Enclosure, sink: _Sink, settings: Settings, stop: threading.Event
) -> None:
    """Fetch into `sink`, stopping when nothing arrives for `timeout_seconds` or `stop` is
    set."""
    # The network stack loads with the first download: the reader imports this module.
    from tui.sources.fetch import FetchError, FetchLimits, NotModified, fetch, make_client

    limits = FetchLimits(
        MEDIA_DEADLINE, min(10.0, settings.timeout_seconds), int(settings.media_max_mb * MB)
    )
    async with make_client(limits, concurrency=1, per_host=1) as client:
        task = asyncio.create_task(
            fetch(client, enclosure.url, limits=limits, accept=MEDIA_ACCEPT, sink=sink)
        )
        while not task.done():
            await asyncio.wait({task}, timeout=_TICK)
            if not task.done() and (why := _ended(sink, settings, stop)) is not None:
                task.cancel()
                raise why
        try:
            task.result()
        except FetchError as exc:
            if exc.too_large:
                size = f"{limits.max_bytes / MB:g} MB"
                too_large = f"{_shown(exc.url)}: larger than {size} (media_max_mb)"
                raise DownloadFailed(too_large) from exc
            raise DownloadFailed(str(exc)) from exc
        except NotModified as exc:
            raise DownloadFailed(str(exc)) from exc


def _ended(sink: _Sink, settings: Settings, stop: threading.Event) -> DownloadFailed | None:
    """Why a running download must end now, if it must."""
    url = _shown(sink.enclosure.url)
    if stop.is_set():
        return DownloadStopped(f"{url}: stopped")
    if time.monotonic() - sink.last > settings.timeout_seconds:
        return DownloadFailed(f"{url}: nothing received for {settings.timeout_seconds:g} s")
    return None


def _shown(url: str) -> str:
    """A URL as a message names it: its password hidden, nothing unsafe."""
    return clean_line(without_password(url))


def _quiet(got: int, expected: int | None) -> None:
    """No progress to show."""


def player_command(player: str, target: str) -> list[str]:
    """The player's command line (its own words split like a shell would, no shell run)."""
    return [*shlex.split(player), target]


class NoPlayer(Exception):
    """The player program is not installed; `str()` is one line saying what to do."""


def play(player: str, target: str) -> None:
    """Start the player on `target` in the background; NoPlayer when its program is not
    installed, OSError when it cannot start for another reason."""
    command = player_command(player, target)
    try:
        subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except FileNotFoundError:  # was "[Errno 2] No such file or directory: 'mpv'"
        program = clean_line(command[0])
        raise NoPlayer(
            f"No player found: install {program} or set `player` in feeds.toml's [settings] "
            "(the program that plays podcasts, videos and attachments)"
        ) from None


def size_text(count: int) -> str:
    """A byte count for people: `13 bytes`, `840 KB`, `12.5 MB`, `1.2 GB`."""
    if count < 1024:
        return plural(count, "byte")
    if count < MB:
        return f"{count // 1024} KB"
    if count < 1024 * MB:
        return f"{count / MB:.1f} MB"
    return f"{count / (1024 * MB):.1f} GB"


def duration_text(seconds: int) -> str:
    """A playing time: `42:05`, `1:02:03`."""
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"
