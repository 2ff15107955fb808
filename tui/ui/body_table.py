"""A table row of the article body laid out at the reader's width.

A table whose columns fit (each given at least `NARROWEST` cells, or fewer if it asks for
fewer) keeps them: its widest columns are narrowed and each cell wraps inside its column, so
a row is one block of rows with its columns lined up. A table with more columns than that
(30 columns in 80 cells would leave one cell each) is shown a row at a time instead, each
cell on a line of its own after its column's header (`col3: value`), the rows apart, under
a line saying so: nothing is cut, as the reader does not scroll sideways.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console
from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip

from tui.ui.breaks import cuts

NARROWEST = 6
"""Cells a column needs at least (a short word) for the table to be drawn in columns."""
_NOTICE = "[table: {} columns, a row at a time]"
_LABEL_END = ": "
_HANG = 2
"""A record's line wider than the reader goes on this many cells in."""


@dataclass(frozen=True)
class Row:
    """A table row: its cells laid out in the table's columns, narrowed to fit the reader,
    each cell wrapped inside its column, so a row is one block of rows, columns lined up."""

    cells: tuple[tuple[int, int], ...]
    """(start, end) of each cell in the line."""
    widths: tuple[int, ...]
    """The width each column of the table asks for."""
    bar: Text
    """What stands between two columns (styled with spans, as `Hang.indent`)."""
    number: int = 0
    """Its place in the table: 0 is the first row, the header."""


Header = tuple[Text, Row]
"""A table's first row: its line and its cells."""


def table_rows(line: Text, row: Row, header: Header, console: Console, width: int) -> list[Strip]:
    """The rows the table row `row` of `line` takes at `width` cells (the table's `header`
    names the columns when they do not fit)."""
    room = width - row.bar.cell_len * (len(row.widths) - 1)
    if sum(min(asked, NARROWEST) for asked in row.widths) <= room:
        return _in_columns(line, row, console, _fitted(row.widths, room))
    if row.number == 0:  # its cells name the others' lines: said once, above them
        notice = Text(_NOTICE.format(len(row.widths)), row.bar.get_style_at_offset(console, 0))
        return _hanging(notice, console, width)
    return [Strip.blank(0), *_record(line, row, header, console, width)]


def _in_columns(line: Text, row: Row, console: Console, widths: list[int]) -> list[Strip]:
    """A table row as rows of cells: each cell wrapped inside its column's width."""
    pieces: list[list[Text]] = [
        list(cell.divide(cuts(cell.plain, 0, column, False)))
        for cell, column in zip(_cells(line, row), widths, strict=False)
    ]
    bar = list(row.bar.render(console))
    strips: list[Strip] = []
    for depth in range(max(len(cell) for cell in pieces)):
        segments: list[Segment] = []
        for index, column in enumerate(widths):
            if index:
                segments += bar
            cell = pieces[index] if index < len(pieces) else []
            text = cell[depth] if depth < len(cell) else Text()
            text.rstrip()
            segments += text.render(console)
            if index < len(widths) - 1:
                segments.append(Segment(" " * max(0, column - text.cell_len)))
        strips.append(Strip(segments))
    return strips


def _record(line: Text, row: Row, header: Header, console: Console, width: int) -> list[Strip]:
    """A table row as a record: a line a cell, after its column's header (`col3: value`)."""
    names = _cells(*header)
    strips: list[Strip] = []
    for index, cell in enumerate(_cells(line, row)):
        name = names[index] if index < len(names) else Text()
        label = name if name.plain.strip() else Text(f"#{index + 1}")
        strips += _hanging(Text.assemble(label, _LABEL_END, cell), console, width)
    return strips


def _cells(line: Text, row: Row) -> list[Text]:
    """The cells of `row` in `line`, cut in one pass: a slice of a Text goes through all its
    styles (a 500-column table's rows took 30 s cut a cell at a time)."""
    pieces = line.divide(offset for cell in row.cells for offset in cell)
    return [pieces[2 * index + 1] for index in range(len(row.cells))]


def _hanging(text: Text, console: Console, width: int) -> list[Strip]:
    """`text` wrapped at `width` cells, its rows after the first `_HANG` cells in."""
    lead = min(_HANG, len(text.plain))
    indent = list(Text(" " * lead).render(console))
    strips = []
    for number, piece in enumerate(text.divide(cuts(text.plain, lead, width - lead, False))):
        piece.rstrip()
        strips.append(Strip([*(indent if number else []), *piece.render(console)]))
    return strips


def _fitted(widths: tuple[int, ...], room: int) -> list[int]:
    """Column widths that fit in `room` cells: the narrow columns keep their width, the wide
    ones share what is left alike (each at least one cell)."""
    if sum(widths) <= room:
        return list(widths)
    fitted = list(widths)
    order = sorted(range(len(widths)), key=widths.__getitem__)
    left = room
    for rank, index in enumerate(order):
        share = left // (len(order) - rank)
        if widths[index] > share:
            wide = order[rank:]
            for place, column in enumerate(wide):
                extra = 1 if place < left % len(wide) else 0
                fitted[column] = max(1, left // len(wide) + extra)
            break
        left -= widths[index]
    return fitted
