"""Images of articles that are not saved, fetched when the reader shows them.

Only with `[settings] fetch_images = true`. They go through saving's `ImageFetcher` (http(s)
only, at most 40 images, 5 MB each and 20 MB per article, within twice the download deadline)
into the article's image folder in the cache, where the reader finds them the next time; the
folder goes when the article is pruned.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from pathlib import Path

from tui.config import Settings
from tui.offline.image_paths import image_file
from tui.weburl import is_web_url

# The reader imports this module: saving's and the network's modules load when first used
# (looking up an article's images must not load them: ~4 MiB and ~50 ms of imports).


def fetched(cache_dir: Path, article_id: int, urls: Iterable[str]) -> dict[str, Path]:
    """The images of `urls` already fetched for the article: url -> file (reads the disk)."""
    found: dict[str, Path] = {}
    for url in urls:
        pattern = image_file(cache_dir, article_id, url, "*")
        if pattern.parent.is_dir():
            found.update((url, path) for path in pattern.parent.glob(pattern.name))
    return found


async def fetch_images(
    article_id: int, urls: Iterable[str], cache_dir: Path, settings: Settings
) -> AsyncIterator[tuple[str, Path]]:
    """Fetch the article's web images into the cache; (url, file) of each as it arrives."""
    from tui.offline.image_fetch import IMAGES_AT_ONCE, ImageFetcher
    from tui.sources.fetch import FetchLimits, make_client

    web = [url for url in dict.fromkeys(urls) if is_web_url(url)]  # only http(s) is fetched
    if not web:
        return
    limits = FetchLimits.from_settings(settings)
    per_host = settings.per_host  # the politeness rule; a slow image waits alone
    async with make_client(limits, concurrency=IMAGES_AT_ONCE, per_host=per_host) as client:
        async for found in ImageFetcher(client, limits, cache_dir).each(article_id, web):
            yield found
