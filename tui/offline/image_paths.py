"""Where an article's images are kept in the cache: one folder per article, a file per image
named by a hash of its URL. Saving and the reader's image lookup share it; it loads nothing
else (the reader looks images up at every body build)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def image_file(cache_dir: Path, article_id: int, url: str, ext: str) -> Path:
    """Where an article's image is kept in the cache (`ext` "*" matches any type)."""
    digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return cache_dir / "images" / str(article_id) / f"{digest}.{ext}"
