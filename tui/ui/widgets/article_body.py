"""The reader's body: styled text runs with images drawn between them.

Text runs hold `rich.text.Text` (never markup) already wrapped into lines by the reader's
worker (`TextRun`), so laying out a long article costs the event loop nothing: each run knows
its height, and only the lines in view are drawn. Each image first takes its
place as an `[image: alt]` line over the rows the picture will take (from its file's header,
so the text does not move when it is drawn); a thread worker reads and scales the file, and
only then is the `textual-image` widget mounted in the space kept for it, so opening an
article never waits for images. An image still to be fetched keeps its one line until its
file arrives. Search matches are found in the runs; `match_line` tells how far down the body
one of them is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from tui.ui import images
from tui.ui.body import ImageSpot, Run
from tui.ui.format import fold


class ImageBox(Vertical):
    """One image: its label over the rows it will take, then the picture in those rows."""

    DEFAULT_CSS = """
    ImageBox { height: auto; margin: 1 0; }
    ImageBox > .image-space { height: 0; }
    ImageBox > .image-label { color: $text-muted; }
    """

    def __init__(self, spot: ImageSpot, mode: str, columns: int) -> None:
        super().__init__()
        self.spot, self.mode, self.columns = spot, mode, max(1, columns)
        self.pixels = spot.pixels
        self.picture: Widget | None = None

    def compose(self) -> ComposeResult:
        yield Vertical(classes="image-space")
        alt = f"[image: {self.spot.alt}]" if self.spot.alt else "[image]"
        yield Static(Text(f"{alt} [{self.spot.number}]"), classes="image-label")

    @property
    def space(self) -> Vertical:
        return self.query_one(".image-space", Vertical)

    def on_mount(self) -> None:
        self._fit()
        if self.spot.path is not None:
            self._decode(self.spot.path)

    def arrived(self, path: Path) -> None:
        """The image's file was fetched: draw it."""
        if self.picture is None:
            self._decode(path)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width and event.size.width != self.columns:
            self.columns = event.size.width
            self._fit()

    def _fit(self) -> None:
        """Size the kept space (and the picture in it) for the current width."""
        if self.pixels is None:
            return
        across, down = images.cells(self.pixels, self.columns)
        self.space.styles.height = down
        if self.picture is not None:
            self.picture.styles.width, self.picture.styles.height = across, down

    @work(thread=True, exit_on_error=False, group="images")
    def _decode(self, path: Path) -> None:
        pixels = self.pixels or images.pixel_size(path)
        try:
            picture = images.decode(path)
        except (OSError, ValueError):
            return  # the label stays: the image is unreadable, the text is not
        self.app.call_from_thread(self._show, picture, pixels or picture.size)

    def _show(self, picture: Any, pixels: tuple[int, int]) -> None:
        widget_class = images.widget_class(self.mode)
        if widget_class is None or not self.is_attached:
            return
        # Both sizes in cells: with `height: auto`, textual-image measures its rows from a
        # width it only knows after a first layout, and would keep zero rows until another.
        self.pixels, self.picture = pixels, widget_class(picture)
        self._fit()
        self.space.mount(self.picture)


class TextRun(Widget):
    """A run of the article's text, drawn from the lines it was wrapped into."""

    DEFAULT_CSS = "TextRun { height: auto; }"

    def __init__(self, run: Run, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.text, self.lines = run.text, run.lines

    def use(self, run: Run) -> None:
        """Show `run` instead."""
        self.text, self.lines = run.text, run.lines
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines)

    def render_line(self, y: int) -> Strip:
        line = self.lines[y] if y < len(self.lines) else Strip.blank(0)
        return line.extend_cell_length(self.size.width).apply_style(self.rich_style)


class ArticleBody(Vertical):
    """Text runs and images of one article."""

    DEFAULT_CSS = """
    ArticleBody { height: auto; }
    ArticleBody > .body-text { margin-bottom: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.runs: list[tuple[TextRun, Text]] = []

    def compose(self) -> ComposeResult:
        yield TextRun(Run(Text(), []), classes="body-text")

    def show(self, parts: list[Run | ImageSpot], mode: str, columns: int) -> None:
        """Replace the body with `parts`, images at most `columns` wide."""
        only = self.children[0] if len(self.children) == 1 else None
        if len(parts) <= 1 and all(isinstance(p, Run) for p in parts) and isinstance(only, TextRun):
            run = parts[0] if parts and isinstance(parts[0], Run) else Run(Text(), [])
            only.use(run)  # the usual article, no images: no widgets come or go
            self.runs = [(only, run.text)]
            return
        self.remove_children()
        self.runs = []
        widgets: list[TextRun | ImageBox] = []
        for part in parts:
            if isinstance(part, Run):
                widget = TextRun(part, classes="body-text")
                self.runs.append((widget, part.text))
                widgets.append(widget)
            else:
                widgets.append(ImageBox(part, mode, columns))
        self.mount_all(widgets)

    def arrived(self, url: str, path: Path) -> None:
        """A fetched image's file is here: the boxes waiting for it draw it."""
        for box in self.query(ImageBox):
            if box.spot.url == url:
                box.arrived(path)

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
