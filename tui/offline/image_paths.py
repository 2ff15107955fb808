"""Where an article's images are: kept in the cache, one folder per article, a file per image
named by a hash of its URL; or, for a local file's article, beside it (`file://` links).
Saving, exports and the reader's image lookup share it; it loads nothing else (the reader
looks images up at every body build)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit


def image_file(cache_dir: Path, article_id: int, url: str, ext: str) -> Path:
    """Where an article's image is kept in the cache (`ext` "*" matches any type)."""
    digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return cache_dir / "images" / str(article_id) / f"{digest}.{ext}"


def file_of(url: str) -> Path | None:
    """The local file of a `file://` image link."""
    parts = urlsplit(url)
    return Path(unquote(parts.path)) if parts.scheme == "file" else None


def local_files(links: Iterable[str]) -> dict[str, Path]:
    """The `file://` links among `links` whose files exist: a local note's images."""
    found = {url: path for url in links if (path := file_of(url)) is not None}
    return {url: path for url, path in found.items() if path.is_file()}
