"""What the reader needs beyond the article: image files, the player, the cache, the settings.

`ReaderMedia` is built once by the screen that holds the reader (`reader_media`), so the
reader widget itself never reaches for the store or the config.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from tui.config import Config, Settings
from tui.offline import media
from tui.store import Store
from tui.ui.data import Data
from tui.ui.images import file_of

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

    @property
    def image_mode(self) -> str:
        return self.settings.images

    def enclosure_lines(self, urls: tuple[str, ...]) -> list[str]:
        """One line per enclosure (kind, type, name, downloaded or not)."""
        cache = self.cache_dir
        return [media.describe(u).line(media.cached(u, cache) if cache else None) for u in urls]


def reader_media(config: Config, db: Data) -> ReaderMedia:
    """The media access of a reader over the data door's cache folder."""
    cache_dir = db.cache_dir

    async def image_files(article_id: int, links: tuple[str, ...]) -> dict[str, Path]:
        return await db.call(_image_files, article_id, links, cache_dir)

    return ReaderMedia(config.settings, cache_dir, image_files)


def _image_files(
    store: Store, article_id: int, links: tuple[str, ...], cache_dir: Path
) -> dict[str, Path]:
    """Saved copies of the article's images and images of local files (database thread)."""
    found = store.article_images(article_id, cache_dir)
    for url in links:
        path = file_of(url)
        if path is not None and path.is_file():
            found[url] = path
    return found
