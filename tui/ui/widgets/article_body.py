"""The reader's body: styled text runs with images drawn between them.

Text runs are `Static`s holding `rich.text.Text` (never markup). Each image first takes its
place as a one-line `[image: alt]` placeholder; a thread worker reads and scales the file, and
only then is the `textual-image` widget mounted, so opening an article never waits for images.
Search matches are found in the runs; `match_line` tells how far down the body one of them is.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui.ui import images
from tui.ui.body import ImageSpot, Part
from tui.ui.format import fold


class ImageBox(Vertical):
    """One image: its placeholder line until the picture is decoded, then the picture."""

    DEFAULT_CSS = """
    ImageBox { height: auto; margin: 1 0; }
    ImageBox > .image-label { color: $text-muted; }
    """

    def __init__(self, spot: ImageSpot, path: Path, mode: str) -> None:
        super().__init__()
        self.spot, self.path, self.mode = spot, path, mode

    def compose(self) -> ComposeResult:
        alt = f"[image: {self.spot.alt}]" if self.spot.alt else "[image]"
        yield Static(Text(f"{alt} [{self.spot.number}]"), classes="image-label")

    def on_mount(self) -> None:
        self._decode()

    @work(thread=True, exit_on_error=False, group="images")
    def _decode(self) -> None:
        try:
            picture = images.decode(self.path)
        except (OSError, ValueError):
            return  # the placeholder line stays: the image is unreadable, the text is not
        self.app.call_from_thread(self._show, picture)

    def _show(self, picture: Any) -> None:
        widget_class = images.widget_class(self.mode)
        if widget_class is None or not self.is_attached:
            return
        widget = widget_class(picture)
        columns = max(1, math.ceil(picture.width / images.cell_width()))
        widget.styles.width = min(columns, max(1, self.size.width or columns))
        widget.styles.height = "auto"
        self.mount(widget, before=0)


class ArticleBody(Vertical):
    """Text runs and images of one article."""

    DEFAULT_CSS = """
    ArticleBody { height: auto; }
    ArticleBody > .body-text { height: auto; margin-bottom: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.runs: list[tuple[Static, Text]] = []

    def compose(self) -> ComposeResult:
        yield Static(classes="body-text")

    def show(self, parts: list[Part], image_path: Callable[[int], Path | None], mode: str) -> None:
        """Replace the body with `parts`; `image_path(number)` is the file of image link N."""
        only = self.children[0] if len(self.children) == 1 else None
        if len(parts) <= 1 and all(isinstance(p, Text) for p in parts) and isinstance(only, Static):
            text = parts[0] if parts and isinstance(parts[0], Text) else Text()
            only.update(text)  # the usual article, no images: laid out at once
            self.runs = [(only, text)]
            return
        self.remove_children()
        self.runs = []
        widgets: list[Static | ImageBox] = []
        for part in parts:
            if isinstance(part, Text):
                static = Static(part, classes="body-text")
                self.runs.append((static, part))
                widgets.append(static)
            elif (path := image_path(part.number)) is not None:
                widgets.append(ImageBox(part, path, mode))
        self.mount_all(widgets)

    @property
    def plain(self) -> str:
        """All the text of the body (without images)."""
        return "\n\n".join(text.plain for _, text in self.runs)

    def matches(self, terms: tuple[str, ...]) -> list[tuple[int, int]]:
        """(run, offset) of every match of the search terms, in reading order."""
        found: list[tuple[int, int]] = []
        needles = [fold(t.strip('"*^ ')) for t in terms]
        for index, (_, text) in enumerate(self.runs):
            folded = fold(text.plain)
            for needle in filter(None, needles):
                start = folded.find(needle)
                while start >= 0:
                    found.append((index, start))
                    start = folded.find(needle, start + len(needle))
        return sorted(set(found))

    def match_line(self, run: int, offset: int) -> int:
        """How many rows down the body the character at `offset` of run `run` is drawn."""
        static, text = self.runs[run]
        width = max(1, static.content_region.width)
        before = text.plain[:offset].split("\n")
        rows = 0
        for line in before[:-1]:
            rows += max(1, len(Text(line).wrap(self.app.console, width)))
        last = Text(before[-1]).wrap(self.app.console, width)
        rows += max(0, len(last) - 1)
        return static.virtual_region.y - self.virtual_region.y + rows
