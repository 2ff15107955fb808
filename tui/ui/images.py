"""Images in the reader: which `textual-image` widget draws them, and decoding off the UI thread.

`textual-image` asks the terminal what it can draw (Kitty graphics, Sixel, else half blocks)
when it is first imported, which must happen before Textual takes the terminal over:
`prepare` is called while the app is built. With `images = "off"` it is never imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

MAX_PIXELS = 1600
"""Images are scaled down to at most this many pixels across before drawing."""

_widget: dict[str, type[Any]] = {}


def prepare(mode: str) -> None:
    """Load the image widget for `mode` ("auto", "blocks"; "off" loads nothing)."""
    if mode == "off" or mode in _widget:
        return
    from textual_image.widget import HalfcellImage, Image

    _widget[mode] = HalfcellImage if mode == "blocks" else Image


def widget_class(mode: str) -> type[Any] | None:
    """The widget class that draws images in `mode`, or None when images are off."""
    prepare(mode)
    return _widget.get(mode)


def decode(path: Path) -> Any:
    """Open and scale down one image file (run in a thread: it reads and decodes)."""
    from PIL import Image as PILImage

    with PILImage.open(path) as image:
        image.load()
        picture = image.convert("RGBA") if image.mode not in ("RGB", "RGBA") else image.copy()
    picture.thumbnail((MAX_PIXELS, MAX_PIXELS))
    return picture


def file_of(url: str) -> Path | None:
    """The local file of a `file://` image link."""
    parts = urlsplit(url)
    return Path(unquote(parts.path)) if parts.scheme == "file" else None


def cell_width() -> int:
    """Pixels per terminal cell across (as textual-image measured it; 10 when unknown)."""
    try:
        from textual_image._terminal import get_cell_size

        return max(1, get_cell_size().width)
    except Exception:  # no terminal to ask (stdout closed or redirected): the usual size
        return 10
