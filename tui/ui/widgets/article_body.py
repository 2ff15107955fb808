"""The reader's body: one widget that draws the article's lines and pictures on demand.

The reader's worker wraps the text into lines (`Run`); here they are laid out as rows once,
each image taking the rows its picture will fill (from its file's header, or the page's
`width`/`height`), blank until drawn, over its `[image: alt] [N]` label. A thread decodes
each picture and draws it into lines of cells (`images.picture_lines`); the rows kept for it
then show those lines, so neither the text nor the screen's layout moves: only the body is
painted again. Like toolong's log view, only the rows in view are ever drawn, and the body is
one widget whatever the article holds, so opening one mounts nothing. An image whose size is
unknown keeps one line until its file arrives. Search matches are found in the runs;
`match_line` tells how far down the body one of them is, and the one `]`/`[` went to is drawn
in a style of its own over the others' highlight.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.selection import Selection
from textual.strip import Strip
from textual.widget import Widget
from textual.worker import get_current_worker

from tui.content.blocks import image_marker
from tui.store.matching import term_spans
from tui.ui import images
from tui.ui.body import ImageSpot, Run
from tui.ui.body_wrap import Lines
from tui.ui.format import without_background
from tui.ui.workers import background

PictureRow = tuple[str, int]
"""Row `index` of the picture of this URL."""
TextRow = tuple[Lines, int]
"""Row `index` of a text run's lines (made when drawn)."""


@dataclass
class Pictures:
    """The body's pictures: the files to draw, what was learnt and drawn of each (by URL)."""

    files: dict[str, Path] = field(default_factory=dict)
    pixels: dict[str, tuple[int, int]] = field(default_factory=dict)
    decoded: dict[str, Any] = field(default_factory=dict)
    drawn: dict[str, images.Lines] = field(default_factory=dict)

    def forget_drawn(self) -> None:
        """Drop the drawn lines (another width), freeing what the terminal keeps of them."""
        for lines in self.drawn.values():
            lines.cleanup()
        self.drawn.clear()


class ArticleBody(Widget):
    """Text runs and images of one article, drawn line by line."""

    DEFAULT_CSS = """
    ArticleBody { height: auto; }
    ArticleBody > .article-body--label { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"article-body--label", "article-body--current-match"}

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.parts: list[Run | ImageSpot] = []
        self.mode, self.columns = "off", 0
        self.rows: list[Strip | PictureRow | TextRow] = []
        self.runs: list[tuple[int, Text]] = []
        """(first row, text) of each text run."""
        self.starts: list[list[int]] = []
        """Where in its run's text each of its rows starts, by run."""
        self.spots: dict[str, tuple[int, int]] = {}
        """URL -> (columns, rows) its picture takes, for those of known size."""
        self.pictures = Pictures()
        self.match = -1
        """Which of `spans` `]` and `[` last went to (-1: none yet, or another article)."""
        self.spans: list[tuple[int, int, int]] = []
        """(run, start, end) of each search match, as found when `]` or `[` was pressed."""

    def show(self, parts: list[Run | ImageSpot], mode: str, columns: int) -> None:
        """Replace the body with `parts`, images at most `columns` wide; draw the pictures
        whose files are known."""
        self.workers.cancel_group(self, "pictures")
        urls = {p.url for p in parts if isinstance(p, ImageSpot)}
        kept = self.pictures
        if columns != self.columns or mode != self.mode or not urls >= set(kept.drawn):
            kept.forget_drawn()
        self.pictures = Pictures(
            {p.url: p.path for p in parts if isinstance(p, ImageSpot) and p.path is not None},
            {url: size for url, size in kept.pixels.items() if url in urls},
            {url: picture for url, picture in kept.decoded.items() if url in urls},
            kept.drawn,
        )
        self.parts, self.mode, self.columns = parts, mode, max(1, columns)
        self._lay_out()
        if self.pictures.files:  # once the text is on screen: it need not share the CPU
            self.call_after_refresh(self._draw)

    def arrived(self, url: str, path: Path) -> None:
        """A fetched image's file is here: draw its picture."""
        if any(isinstance(p, ImageSpot) and p.url == url for p in self.parts):
            self.pictures.files[url] = path
            self._draw()

    @property
    def waiting(self) -> int:
        """How many pictures with a file are not drawn yet."""
        return sum(url not in self.pictures.drawn for url in self.pictures.files)

    # -- rows ------------------------------------------------------------------------------

    def _lay_out(self) -> None:
        """The rows of the parts: each run's lines, each image's rows and label, one blank
        row after each part."""
        self.rows, self.runs, self.starts, self.spots = [], [], [], {}
        label = without_background(self.get_component_rich_style("article-body--label"))
        for part in self.parts:
            if isinstance(part, Run):
                self.runs.append((len(self.rows), part.text))
                self.starts.append(part.starts)
                self.rows += [(part.lines, index) for index in range(len(part.lines))]
            else:
                self.rows += self._picture_rows(part)
                marker = f"{image_marker(part.alt)} [{part.number}]"
                self.rows.append(Strip([Segment(marker, label)]))
            self.rows.append(Strip.blank(0))
        self.refresh(layout=True)

    def _picture_rows(self, spot: ImageSpot) -> list[PictureRow]:
        pixels = self.pictures.pixels.get(spot.url) or spot.pixels
        if pixels is None:
            return []
        size = self.spots[spot.url] = images.cells(pixels, self.columns)
        return [(spot.url, index) for index in range(size[1])]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.rows)

    def render_line(self, y: int) -> Strip:
        strip = self._row(y).crop_extend(0, self.size.width, None).apply_style(self.rich_style)
        if self._is_picture(y):
            return strip  # cells of a picture: no text to select
        if (cells := self._current_match_cells(y)) is not None:
            style = self.get_component_rich_style("article-body--current-match")
            strip = _restyled(strip, *cells, without_background(style))
        if (selection := self.text_selection) is not None:
            strip = self._selected(strip, selection.get_span(y))
        return strip.apply_offsets(0, y)  # where the mouse is in the text, for selecting

    def _is_picture(self, y: int) -> bool:
        row = self.rows[y] if y < len(self.rows) else None
        return isinstance(row, tuple) and not isinstance(row[0], Lines)

    def _row(self, y: int) -> Strip:
        """Row `y` as drawn, before it is fitted to the width."""
        row = self.rows[y] if y < len(self.rows) else Strip.blank(0)
        if isinstance(row, tuple):
            source, index = row
            if isinstance(source, Lines):
                return source[index]
            drawn = self.pictures.drawn.get(source)
            return drawn.strips[index] if drawn and index < len(drawn.strips) else Strip.blank(0)
        return row

    # -- selecting with the mouse ----------------------------------------------------------

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The text selected, as drawn (a picture's rows are blank lines)."""
        rows = ("" if self._is_picture(y) else self._row(y).text for y in range(len(self.rows)))
        return selection.extract("\n".join(rows)), "\n"

    def _selected(self, strip: Strip, span: tuple[int, int] | None) -> Strip:
        """The strip with the characters of `span` (the selection on its row) highlighted."""
        if span is None:
            return strip
        text, (start, end) = strip.text, span
        cuts = cell_len(text[:start]), cell_len(text if end == -1 else text[:end])
        style = self.screen.get_component_rich_style("screen--selection", partial=True)
        return _restyled(strip, *cuts, style)

    # -- pictures --------------------------------------------------------------------------

    def _draw(self) -> None:
        """Draw the pictures not drawn yet (one worker at a time)."""
        self.workers.cancel_group(self, "pictures")
        self._draw_pictures(self.pictures)

    @background(thread=True, group="pictures")
    def _draw_pictures(self, pictures: Pictures) -> None:
        """Decode and draw each picture in a thread; each is shown as soon as it is drawn."""
        worker = get_current_worker()
        for url in [url for url in pictures.files if url not in pictures.drawn]:
            if worker.is_cancelled or pictures is not self.pictures:
                return
            try:
                picture = pictures.decoded.get(url) or images.decode(pictures.files[url])
            except (OSError, ValueError):
                continue  # the label stays: the image is unreadable, the text is not
            # The rows kept for it win over the file's own size (a page's `width`/`height`)
            size = self.spots.get(url) or images.cells(picture.size, self.columns)
            lines = images.picture_lines(picture, size, self.mode, self.app.console)
            self.app.call_from_thread(self._drawn, pictures, url, (picture, picture.size, lines))

    def _drawn(self, pictures: Pictures, url: str, found: tuple[Any, Any, images.Lines]) -> None:
        picture, pixels, lines = found
        if pictures is not self.pictures:  # another article, or another width, since
            lines.cleanup()
            return
        pictures.decoded[url], pictures.pixels[url], pictures.drawn[url] = found
        if url in self.spots and self.spots[url][1] == len(lines.strips):
            self.refresh()  # its rows were kept: paint them, nothing moves
        else:
            self._lay_out()  # its size was not known: the rows below move down

    # -- search matches --------------------------------------------------------------------

    @property
    def plain(self) -> str:
        """All the text of the body (without images)."""
        return "\n\n".join(text.plain for _, text in self.runs)

    def matches(self, terms: tuple[str, ...]) -> list[tuple[int, int, int]]:
        """(run, start, end) of every match of the search terms, in reading order."""
        return [
            (index, start, end)
            for index, (_, text) in enumerate(self.runs)
            for start, end in term_spans(text.plain, terms)
        ]

    def go_to_match(
        self, terms: tuple[str, ...], step: int, top: float, height: int
    ) -> tuple[int, int]:
        """Make the match `step` (+1, -1) from the last one gone to the current one (as
        `next_match` picks it, the reader at `top`, `height` rows tall) and draw it so: how
        far down the reader's canvas it is, and how many matches there are (0: none)."""
        self.spans = self.matches(terms)
        if not self.spans:
            return 0, 0
        rows = [self.top + self.match_line(run, start) for run, start, _ in self.spans]
        self.match = next_match(rows, self.match, top, height, step)
        self.refresh()
        return rows[self.match], len(rows)

    def _current_match_cells(self, y: int) -> tuple[int, int] | None:
        """The cells of row `y` the current match covers (a phrase may go on to the next
        row), or None; a table's cells are laid out apart from the text, and left alone."""
        if not 0 <= self.match < len(self.spans):
            return None
        run, start, end = self.spans[self.match]
        if not self.match_line(run, start) <= y <= self.match_line(run, end - 1):
            return None
        row = self.rows[y]
        if not (isinstance(row, tuple) and isinstance(row[0], Lines)):
            return None
        if not isinstance(piece := row[0].pieces[row[1]], tuple):
            return None
        _, row_start, row_end, indent = piece
        first, text = self.runs[run]
        at = self.starts[run][y - first]  # where the row starts in the run's text
        begin, stop = max(start, at), min(end, at + row_end - row_start)
        left = (cell_len(indent.plain) if indent else 0) + cell_len(text.plain[at:begin])
        return left, left + cell_len(text.plain[begin:stop])

    def match_line(self, run: int, offset: int) -> int:
        """How many rows down the body the character at `offset` of run `run` is drawn."""
        return self.runs[run][0] + max(0, bisect_right(self.starts[run], offset) - 1)

    @property
    def top(self) -> int:
        """How far down the reader the body starts (below the header): its place in the
        reader's scrolled canvas, not less the reader's own place on the screen."""
        return self.virtual_region.y

    def place_at(self, row: int) -> tuple[int, int] | None:
        """(run, offset) of the text drawn at `row` or, on a picture's or a blank row, of the
        next text: the same place in the article at any width (`match_line` finds its row)."""
        index = bisect_right([first for first, _ in self.runs], row) - 1
        if index >= 0 and row - self.runs[index][0] < len(self.starts[index]):
            return index, self.starts[index][row - self.runs[index][0]]
        return (index + 1, 0) if index + 1 < len(self.runs) else None


def _restyled(strip: Strip, start: int, end: int, style: Style) -> Strip:
    """The strip with `style` laid over its cells from `start` to `end`."""
    before, inside, after = strip.divide([start, end, strip.cell_length])
    inside = Strip(Segment.apply_style(inside, post_style=style), inside.cell_length)
    return Strip.join([before, inside, after])


def next_match(rows: list[int], current: int, top: float, height: int, step: int) -> int:
    """The match `step` (+1, -1) goes to from match `current` (-1: none yet), with the view
    at `top`, `height` rows tall: from the current one while it is in view, else from where
    the view is (as less's `n`: after a `G`, not the top nor the last match)."""
    shown_at = rows[current] - top if 0 <= current < len(rows) else -1
    if not 0 <= shown_at < height:
        ahead = [n for n, row in enumerate(rows) if row > top + 2]
        current = (ahead[0] if ahead else len(rows)) - (step > 0)
    return (current + step) % len(rows)
