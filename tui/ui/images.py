"""Images in the reader: which `textual-image` renderable draws them, their size in cells, and
reading and drawing them off the UI thread.

The terminal is asked what it can draw (Kitty graphics, else half blocks) before Textual
takes it over: the command line starts that early (`terminal.ask`) and `prepare`, called
while the app is built, waits for it. Pillow and textual-image's renderables load only when
a picture is drawn (or at start on a terminal that draws Kitty graphics); with
`images = "off"`, never.
A picture is drawn once into lines of cells (`picture_lines`, in a thread) that the reader's
body shows as any other line, so drawing it never lays the screen out again. Sixel cannot be
cut into lines (textual-image draws it with a widget of its own): there, half blocks.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import Any

from rich.color import Color
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tui.ui import terminal

MAX_PIXELS = 1600
"""Images are scaled down to at most this many pixels across before drawing."""


@dataclass(frozen=True)
class Lines:
    """A picture drawn as lines of cells; `cleanup` frees what the terminal keeps of it."""

    strips: list[Strip]
    cleanup: Callable[[], None]


_graphics: dict[str, type[Any] | None] = {}
"""The textual-image renderable that draws each mode; None: half blocks, drawn here."""


def prepare(mode: str) -> None:
    """Load the image renderable for `mode` ("auto", "blocks"; "off" loads nothing)."""
    if mode == "off" or mode in _graphics:
        return
    terminal.answered()
    if mode == "auto" and terminal.kitty_graphics:
        from textual_image.renderable import TGPImage

        _graphics[mode] = TGPImage
    else:
        _graphics[mode] = None


def picture_lines(picture: Any, size: tuple[int, int], mode: str, console: Console) -> Lines:
    """`picture` drawn `size` = (columns, rows) large as lines of cells, and what frees the
    terminal's copy of it (run in a thread: it scales the picture)."""
    prepare(mode)
    graphics = _graphics[mode]
    if graphics is None:
        return Lines(half_blocks(picture, size), _nothing)
    across, down = size
    drawn = graphics(picture, across, down)
    options = console.options.update(width=across, height=down)
    lines = console.render_lines(drawn, options, pad=False, new_lines=False)
    return Lines([Strip(line) for line in lines[:down]], drawn.cleanup)


def half_blocks(picture: Any, size: tuple[int, int]) -> list[Strip]:
    """`picture` as rows of `▀`: the upper half of a cell its foreground, the lower half its
    background (what textual-image's half cells draw, without a style per cell: runs of
    one colour pair share one)."""
    across, down = size
    data = picture.convert("RGB").resize((across, down * 2)).tobytes()
    width = across * 3
    strips = []
    for row in range(down):
        upper = data[2 * row * width : (2 * row + 1) * width]
        lower = data[(2 * row + 1) * width : (2 * row + 2) * width]
        cells = [(upper[x : x + 3], lower[x : x + 3]) for x in range(0, width, 3)]
        runs = [Segment("▀" * len(list(run)), _pair(*pair)) for pair, run in groupby(cells)]
        strips.append(Strip(runs, across))
    return strips


@lru_cache(maxsize=4096)
def _pair(upper: bytes, lower: bytes) -> Style:
    return Style(color=Color.from_rgb(*upper), bgcolor=Color.from_rgb(*lower))


def _nothing() -> None:
    """Half blocks leave nothing in the terminal to free."""


def decode(path: Path) -> Any:
    """Open and scale down one image file (run in a thread: it reads and decodes)."""
    from PIL import Image as PILImage

    try:
        image = PILImage.open(path)
    except PILImage.DecompressionBombError as exc:
        raise ValueError(str(exc)) from None  # a header claiming gigapixels: not drawn
    with image:
        if image.width * image.height > (PILImage.MAX_IMAGE_PIXELS or 0):
            raise ValueError(f"{image.width}x{image.height} pixels: too big to draw")
        image.load()
        picture = image.convert("RGBA") if image.mode not in ("RGB", "RGBA") else image.copy()
    picture.thumbnail((MAX_PIXELS, MAX_PIXELS))
    return picture


def pixel_size(path: Path) -> tuple[int, int] | None:
    """An image file's (width, height) from its header alone, or None when it is no image
    (run in a thread: it reads the file's first bytes)."""
    from PIL import Image as PILImage

    # Its warning would reach stderr, under the TUI: such a picture is refused below anyway.
    warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
    try:
        with PILImage.open(path) as image:
            width, height = image.size
    except (OSError, ValueError, PILImage.DecompressionBombError):  # not an image PIL knows
        return None  # (UnidentifiedImageError is an OSError; a bomb's header claims gigapixels)
    # Beyond Pillow's own guard a picture takes seconds and gigabytes to decode: its label.
    too_big = width * height > (PILImage.MAX_IMAGE_PIXELS or width * height)
    return (width, height) if width > 0 and height > 0 and not too_big else None


def cells(pixels: tuple[int, int], columns: int) -> tuple[int, int]:
    """The (columns, rows) an image of `pixels` takes when at most `columns` wide: its own
    size in cells, narrowed to fit, with its aspect ratio kept."""
    cell_across, cell_down = cell_size()
    width, height = pixels
    across = max(1, min(columns, math.ceil(min(width, MAX_PIXELS) / cell_across)))
    down = round(across * cell_across * height / width / cell_down)
    return across, max(1, down)


def cell_size() -> tuple[int, int]:
    """Pixels per terminal cell (across, down) as the terminal gave them, else the usual."""
    return terminal.cell or terminal.DEFAULT_CELL
