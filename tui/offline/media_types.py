"""The media types newsdesk downloads and plays, and the extension each is saved with.

Its own table, not `mimetypes`: Python's knows no `.m4a`, `.ogg` or `.flac` without the
system's `/etc/mime.types`, and a machine without that file would save a podcast served as
`audio/mp4` with no extension (then refused by `e`). Pictures are jpeg, png, gif and webp
only: an SVG opened by a desktop's opener is a web page, scripts and all.
"""

from __future__ import annotations

from pathlib import Path

EXTENSIONS = {
    "audio/mpeg": ".mp3", "audio/mp3": ".mp3", "audio/x-mpeg": ".mp3", "audio/mpeg3": ".mp3",
    "audio/mp4": ".m4a", "audio/x-m4a": ".m4a", "audio/m4a": ".m4a", "audio/aac": ".aac",
    "audio/x-aac": ".aac", "audio/aacp": ".aac", "audio/ogg": ".ogg", "audio/opus": ".opus",
    "audio/flac": ".flac", "audio/x-flac": ".flac", "audio/wav": ".wav", "audio/x-wav": ".wav",
    "audio/webm": ".weba",
    "video/mp4": ".mp4", "video/x-m4v": ".m4v", "video/webm": ".webm", "video/ogg": ".ogv",
    "video/quicktime": ".mov", "video/x-matroska": ".mkv", "video/mpeg": ".mpg",
    "image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp",
}  # fmt: skip
"""Media type -> the extension its download is saved with."""
SAVED_AS = tuple(dict.fromkeys(EXTENSIONS.values()))
"""Every extension a download is saved with, once each."""
_TYPES = {extension: kind for kind, extension in reversed(EXTENSIONS.items())}
"""Extension -> the type it names (the first listed for it)."""


def extension_for(media_type: str) -> str:
    """The extension a download of `media_type` is saved with; "" for one that is not
    played (a `.sh` served as text, an SVG)."""
    return EXTENSIONS.get(media_type.partition(";")[0].strip().lower(), "")


def type_of(name: str) -> str | None:
    """The media type a file name's extension names, if it is one that is played."""
    return _TYPES.get(Path(name).suffix.lower())


def playable(path: Path) -> bool:
    """Whether a downloaded file is audio, video or a picture (by the name it was saved with)."""
    return type_of(path.name) is not None
