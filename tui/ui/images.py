"""Images in the reader: which `textual-image` widget draws them, their size in cells, and
reading files off the UI thread.

`textual-image` asks the terminal what it can draw (Kitty graphics, Sixel, else half blocks)
when it is first imported, which must happen before Textual takes the terminal over:
`prepare` is called while the app is built. With `images = "off"` it is never imported.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

MAX_PIXELS = 1600
"""Images are scaled down to at most this many pixels across before drawing."""
_DEFAULT_CELL = (10, 20)
"""Pixels of one terminal cell (across, down) when the terminal cannot be asked."""

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


def pixel_size(path: Path) -> tuple[int, int] | None:
    """An image file's (width, height) from its header alone, or None when it is no image
    (run in a thread: it reads the file's first bytes)."""
    from PIL import Image as PILImage

    try:
        with PILImage.open(path) as image:
            width, height = image.size
    except (OSError, ValueError):  # not an image PIL knows (UnidentifiedImageError is OSError)
        return None
    return (width, height) if width > 0 and height > 0 else None


def cells(pixels: tuple[int, int], columns: int) -> tuple[int, int]:
    """The (columns, rows) an image of `pixels` takes when at most `columns` wide: its own
    size in cells, narrowed to fit, with its aspect ratio kept."""
    cell_across, cell_down = cell_size()
    width, height = pixels
    across = max(1, min(columns, math.ceil(min(width, MAX_PIXELS) / cell_across)))
    down = round(across * cell_across * height / width / cell_down)
    return across, max(1, down)


def file_of(url: str) -> Path | None:
    """The local file of a `file://` image link."""
    parts = urlsplit(url)
    return Path(unquote(parts.path)) if parts.scheme == "file" else None


def cell_size() -> tuple[int, int]:
    """Pixels per terminal cell (across, down) as textual-image measured them."""
    try:
        from textual_image._terminal import get_cell_size

        size = get_cell_size()
    except Exception:  # no terminal to ask (stdout closed or redirected): the usual size
        return _DEFAULT_CELL
    return max(1, size.width), max(1, size.height)
