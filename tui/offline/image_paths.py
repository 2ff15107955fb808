"""Where an article's images are: kept in the cache, one folder per article, a file per image
named by a hash of its URL; or, for a local note, beside it (`file://` links). Which bytes are
an image (PNG, JPEG, GIF, WebP). Saving, exports and the reader's image lookup share it; it
loads nothing else (the reader looks images up at every body build)."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

# The only files beside a note counted as its pictures (drawn, exported): the types
# `image_extension` tells.
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
            if path.is_relative_to(folder) and path.is_file() and is_image_file(path):
                found[url] = path
        except (OSError, ValueError):  # unreadable, or a name no file system takes
            continue
    return found


def is_image_file(path: Path) -> bool:
    """True for a file whose first bytes are a PNG, JPEG, GIF or WebP image's."""
    try:
        with path.open("rb") as image:
            return image_extension(image.read(HEADER_BYTES)) is not None
    except OSError:
        return False


HEADER_BYTES = 33
"""The bytes `image_extension` reads: a PNG's signature and its whole IHDR chunk."""
_JPEG_MARKERS = range(0xC0, 0xFF)  # what follows the start of image: a segment's marker


def image_extension(data: bytes) -> str | None:
    """The file extension of a PNG, JPEG, GIF or WebP image (sniffed, not trusted), else None.

    Past each format's signature its header is checked too: a file with a PNG's 8-byte
    signature and garbage after it is no picture, and an export must not embed it as one."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        crc = zlib.crc32(data[12:29]).to_bytes(4, "big")  # first the IHDR chunk, 13 bytes long
        return "png" if data[8:16] == b"\0\0\0\rIHDR" and data[29:33] == crc else None
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg" if len(data) > 3 and data[3] in _JPEG_MARKERS else None
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif" if len(data) >= 10 and data[6:8] != b"\0\0" and data[8:10] != b"\0\0" else None
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp" if data[12:16] in (b"VP8 ", b"VP8L", b"VP8X") else None
    return None  # SVG can carry scripts, and the rest few readers show
