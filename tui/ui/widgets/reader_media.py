"""What the reader needs beyond the article: image files (saved, local or fetched on demand),
the player, the cache, the settings.

`ReaderMedia` is built once by the screen that holds the reader (`reader_media`), so the
reader widget itself never reaches for the store or the config.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from time import monotonic

from tui.config import Config, Settings
from tui.models import Enclosure
from tui.offline import media, pictures
from tui.offline.image_paths import note_images
from tui.store import Store
from tui.ui.data import Data
from tui.weburl import is_web_url

ImageFiles = Callable[[int, tuple[str, ...]], Awaitable[dict[str, Path]]]
"""(article id, its links) -> image URL -> local file, for the images that can be drawn."""


async def _no_images(article_id: int, links: tuple[str, ...]) -> dict[str, Path]:
    return {}


@dataclass(frozen=True)
class ReaderMedia:
    """The reader's access to images and enclosures."""

    settings: Settings = field(default_factory=Settings)
    cache_dir: Path | None = None
    image_files: ImageFiles = _no_images
    downloading: set[str] = field(default_factory=set)
    """Enclosure URLs being downloaded: a second `E` on one is told, not started again."""

    @property
    def image_mode(self) -> str:
        return self.settings.images

    def fetchable(self, url: str) -> bool:
        """Whether the image at `url` may be fetched to be drawn (`fetch_images`, http(s))."""
        return self.settings.fetch_images and self.cache_dir is not None and is_web_url(url)

    def fetch_images(self, article_id: int, urls: list[str]) -> AsyncIterator[tuple[str, Path]]:
        """Fetch images of an article that is not saved: (url, file) as each arrives."""
        if self.cache_dir is None:
            raise ValueError("no cache folder to keep images in")
        return pictures.fetch_images(article_id, urls, self.cache_dir, self.settings)

    def play(self, enclosure: Enclosure) -> None:
        """Start the player on the downloaded copy, else the URL (OSError, ValueError; a copy
        that is no audio, video or picture: NotPlayable; no player installed: NoPlayer)."""
        media.play(self.settings.player, media.play_target(enclosure, self.cache_dir))

    def start_download(self, url: str) -> bool:
        """Claim `url` for a download (on the UI thread); False if one is running."""
        if url in self.downloading:
            return False
        self.downloading.add(url)
        return True

    def download(
        self, enclosure: Enclosure, progress: media.Progress, stop: threading.Event
    ) -> Path:
        """Download a claimed enclosure into the cache, until `stop` is set (the app quits).
        Blocking: call it from a thread."""
        try:
            if self.cache_dir is None:
                raise media.DownloadFailed("no cache folder to keep downloads in")
            return media.download(enclosure, self.cache_dir, self.settings, progress, stop)
        finally:
            self.downloading.discard(enclosure.url)

    def enclosure_lines(self, enclosures: tuple[Enclosure, ...]) -> list[str]:
        """One line per enclosure (kind, type, name, size, time, downloaded or not)."""
        cache = self.cache_dir
        return [
            media.describe(e).line(media.cached(e.url, cache) if cache else None)
            for e in enclosures
        ]


class DownloadProgress:
    """Turns a download's byte counts into status lines: one at each megabyte, and at least
    every `EVERY` seconds while bytes come (a slow download moves on screen too)."""

    EVERY = 0.5

    def __init__(
        self, name: str, say: Callable[[str], object], clock: Callable[[], float] = monotonic
    ) -> None:
        self.name, self.say, self.clock = name, say, clock
        self.megabyte, self.when = -1, clock()

    def __call__(self, got: int, expected: int | None) -> None:
        megabyte, now = got // media.MB, self.clock()
        if megabyte != self.megabyte or now - self.when >= self.EVERY:
            self.megabyte, self.when = megabyte, now
            done = media.size_text(got)
            total = f" of {media.size_text(expected)}" if expected else ""
            self.say(f"downloading {self.name}: {done}{total}")


def reader_media(config: Config, db: Data) -> ReaderMedia:
    """The media access of a reader over the data door's cache folder."""
    cache_dir = db.cache_dir

    async def image_files(article_id: int, links: tuple[str, ...]) -> dict[str, Path]:
        return await db.call(_image_files, article_id, links, cache_dir)

    return ReaderMedia(config.settings, cache_dir, image_files)


def _image_files(
    store: Store, article_id: int, links: tuple[str, ...], cache_dir: Path
) -> dict[str, Path]:
    """Saved copies of the article's images, images fetched for it before and a local note's
    images beside it (database thread)."""
    found = pictures.fetched(cache_dir, article_id, links)
    found.update(store.article_images(article_id, cache_dir))
    found.update(note_images(links, store.note_file(article_id)))
    return found
