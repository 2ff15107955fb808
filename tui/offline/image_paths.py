"""Where an article's images are: kept in the cache, one folder per article, a file per image
named by a hash of its URL; or, for a local note, beside it (`file://` links). Which bytes are
an image (PNG, JPEG, GIF, WebP). Saving, exports and the reader's image lookup share it; it
loads nothing else (the reader looks images up at every body build)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

# The images a note names by a path beside it (`tui.sources.markdown`), and the only ones
# counted as its own: the types `image_extension` tells.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})


def image_file(cache_dir: Path, article_id: int, url: str, ext: str) -> Path:
    """Where an article's image is kept in the cache (`ext` "*" matches any type)."""
    digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return cache_dir / "images" / str(article_id) / f"{digest}.{ext}"


def file_of(url: str) -> Path | None:
    """The local file of a `file://` image link."""
    parts = urlsplit(url)
    return Path(unquote(parts.path)) if parts.scheme == "file" else None


def note_images(links: Iterable[str], note: Path | None) -> dict[str, Path]:
    """A local note's images: its `file://` links to a PNG, JPEG, GIF or WebP file (by its
    name and by its first bytes) in the note's folder or below it, links followed. A note
    may link to any file (`~/.ssh/id_rsa`): the others stay links, never copied into an
    export, embedded or decoded."""
    if note is None:
        return {}
    folder, found = note.parent.resolve(), {}
    for url in links:
        path = file_of(url)
        if path is None or path.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        try:
            path = path.resolve()
            if path.is_relative_to(folder) and path.is_file():
                with path.open("rb") as image:
                    if image_extension(image.read(12)) is not None:
                        found[url] = path
        except (OSError, ValueError):  # unreadable, or a name no file system takes
            continue
    return found


def image_extension(data: bytes) -> str | None:
    """The file extension of a PNG, JPEG, GIF or WebP image (sniffed, not trusted), else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None  # SVG can carry scripts, and the rest few readers show
