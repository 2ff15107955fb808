"""Downloading one article's images into the cache with saving's caps (saving, and the
reader's on-demand images: `tui.offline.pictures`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import suppress
from pathlib import Path

from tui.files import write_atomic
from tui.offline.image_paths import image_extension, image_file
from tui.sources.fetch import Client, FetchError, FetchLimits, NotModified, fetch

MB = 1024 * 1024
IMAGE_MAX_BYTES = 5 * MB
"""One image larger than this is not kept (the text still links to it)."""
ARTICLE_IMAGES_MAX_BYTES = 20 * MB
"""All of one article's images together stay under this."""
MAX_IMAGES = 40
IMAGES_AT_ONCE = 4
"""Downloads of one article's images in flight together (`per_host` still bounds each host)."""
IMAGE_ACCEPT = "image/webp, image/png, image/jpeg, image/gif;q=0.9, */*;q=0.5"


class ImageFetcher:
    """Downloads one article's images into the cache with saving's caps: http(s) only, at most
    `MAX_IMAGES`, `IMAGE_MAX_BYTES` each and `ARTICLE_IMAGES_MAX_BYTES` in all, within twice
    the download deadline. Saving and the reader's on-demand images both use it."""

    def __init__(self, client: Client, limits: FetchLimits, cache_dir: Path) -> None:
        self.client, self.limits, self.cache_dir = client, limits, cache_dir
        self.unwritten = 0
        """Images fetched but not written (a full disk): saving says how many."""

    async def images(self, article_id: int, urls: Sequence[str]) -> list[tuple[str, str]]:
        """Download the article's images into the cache; returns (url, path under the cache)."""
        return [
            (url, path.relative_to(self.cache_dir).as_posix())
            async for url, path in self.each(article_id, urls)
        ]

    async def each(self, article_id: int, urls: Sequence[str]) -> AsyncIterator[tuple[str, Path]]:
        """(url, file) of each image as it is stored, `IMAGES_AT_ONCE` at a time (a slow one
        holds back no other); the others are skipped. Each download takes its share of the
        article's budget as it starts and gives back what it did not use."""
        budget = [ARTICLE_IMAGES_MAX_BYTES]
        room = asyncio.Semaphore(IMAGES_AT_ONCE)

        async def one(url: str) -> tuple[str, Path | None]:
            async with room:
                share = min(IMAGE_MAX_BYTES, budget[0])
                if share <= 0:
                    return url, None
                budget[0] -= share
                path = await self.image(article_id, url, share)
                budget[0] += share - (path.stat().st_size if path is not None else 0)
                return url, path

        tasks = [asyncio.ensure_future(one(url)) for url in list(dict.fromkeys(urls))[:MAX_IMAGES]]
        try:
            # A slow image host must not hold the article's text back for minutes.
            with suppress(TimeoutError):
                async with asyncio.timeout(self.limits.timeout * 2):
                    for arriving in asyncio.as_completed(tasks):
                        url, path = await arriving
                        if path is not None:
                            yield url, path
        finally:
            for task in tasks:
                task.cancel()

    async def image(self, article_id: int, url: str, max_bytes: int) -> Path | None:
        """One image stored in the cache, or None when it cannot be fetched or is no image."""
        limits = FetchLimits(self.limits.timeout, self.limits.connect_timeout, max_bytes)
        try:
            response = await fetch(self.client, url, limits=limits, accept=IMAGE_ACCEPT)
        except (FetchError, NotModified):
            return None  # the text keeps the image's link; nothing else is lost
        ext = image_extension(response.body)
        if ext is None:
            return None
        path = image_file(self.cache_dir, article_id, url, ext)
        try:
            await asyncio.to_thread(write_atomic, path, response.body)
        except OSError:
            self.unwritten += 1
            return None
        return path
