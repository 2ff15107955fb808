"""A text run of the article body wrapped into the reader's lines, block by block.

Each line of a run may say how it wraps (`Hang`): list items and quotes keep their marker out
of the wrapping, so their text goes on under the text (a hanging indent, the quote's bar on
every row) and a long first word or CJK text never leaves the marker alone on its row; code
is kept verbatim (never broken at spaces) and broken at the exact width, its indent kept on
every row: the reader has no sideways scrolling, so cutting it would hide what no key shows.
Words are broken at spaces (Korean's too), Chinese and Japanese between any two characters, a
word wider than the line at the width. Each row remembers where in the run's text it starts,
for the search matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

from rich.cells import cell_len, chop_cells
from rich.console import Console
from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip

_WIDE = (
    "\u2e80-\u303e\u3041-\u312f\u3190-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
)
"""Wide Chinese and Japanese characters: a line may break between any two of them. Not
Korean's Hangul (U+1100, U+3130, U+A960, U+AC00 blocks): Korean puts spaces between its
words and breaks there, as Latin text does."""
_WORD = re.compile(rf"([{_WIDE}]|[^\s{_WIDE}]+)?(\s*)")
"""A word (or one Chinese or Japanese character, which may be broken after) and the spaces
after it."""


@dataclass(frozen=True)
class Hang:
    """How one line of a run wraps when it is wider than the reader."""

    lead: int = 0
    """Characters of its marker (`• `, `12. `, `▌ `): kept out of the wrapping."""
    indent: Text = field(default_factory=Text)
    """What the rows after the first start with (as wide as the marker); styled with spans,
    as `Text.render` draws a Text without spans unstyled."""
    verbatim: bool = False
    """Code: broken at the exact width, never at spaces."""


@dataclass(frozen=True)
class Row:
    """A table row: its cells laid out in the table's columns, narrowed to fit the reader,
    each cell wrapped inside its column, so a row is one block of rows, columns lined up."""

    cells: tuple[tuple[int, int], ...]
    """(start, end) of each cell in the line."""
    widths: tuple[int, ...]
    """The width each column of the table asks for."""
    bar: Text
    """What stands between two columns (styled with spans, as `indent`)."""


@dataclass
class Flow:
    """A text run being written, with how each of its lines wraps (by line number)."""

    text: Text = field(default_factory=lambda: Text(end=""))
    hangs: dict[int, Hang | Row] = field(default_factory=dict)
    line: int = 0
    """The number of the line being written."""
    items: dict[int, tuple[str, int]] = field(default_factory=dict)
    """The kind (`ul`, `ol`) of the last list item at each depth and where its text starts
    (its column): a nested item starts under it."""

    def newline(self, count: int = 1) -> None:
        self.text.append("\n" * count)
        self.line += count

    def hang(self, hang: Hang | Row) -> None:
        """The line being written wraps as `hang` says."""
        self.hangs[self.line] = hang


class Lines(Sequence[Strip]):
    """A run's rows, each made into a `Strip` when it is first drawn and a few hundred kept:
    a long text holds tens of thousands of rows, and made at once (with the caches each Strip
    carries) a 5 MB file's took 320 MB and most of the 6.7 s it took to open."""

    KEPT = 512
    """Rows kept made: a few screens' worth, so scrolling back and forth makes none again."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.pieces: list[tuple[Text, int, int, Text | None] | Strip] = []
        """Each row: its line, where in it the row starts and ends, and what it starts with
        (a hanging indent); or the row made already (a table's)."""
        self.made: dict[int, Strip] = {}

    def __len__(self) -> int:
        return len(self.pieces)

    @overload
    def __getitem__(self, index: int) -> Strip: ...

    @overload
    def __getitem__(self, index: slice) -> list[Strip]: ...

    def __getitem__(self, index: int | slice) -> Strip | list[Strip]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        made = self.made.get(index)
        if made is None:
            made = self.made[index] = self._make(self.pieces[index])
            if len(self.made) > self.KEPT:
                del self.made[next(iter(self.made))]
        return made

    def _make(self, piece: tuple[Text, int, int, Text | None] | Strip) -> Strip:
        if isinstance(piece, Strip):
            return piece
        line, start, end, indent = piece
        text = line[start:end]
        text.rstrip()
        segments = list(text.render(self.console))
        return Strip([*indent.render(self.console), *segments] if indent else segments)


def wrap_flow(flow: Flow, console: Console, width: int) -> tuple[Lines, list[int]]:
    """The run's rows at `width` cells, and the offset in its text where each row starts."""
    lines = Lines(console)
    starts: list[int] = []
    offset = 0
    for number, line in enumerate(flow.text.split("\n", allow_blank=True)):
        hang = flow.hangs.get(number, _PLAIN)
        plain = line.plain
        if isinstance(hang, Row):
            rows = _table_rows(line, hang, console, width)
            lines.pieces += rows
            starts += [offset] * len(rows)
            offset += len(plain) + 1
            continue
        lead = min(hang.lead, len(plain))
        room = max(1, width - cell_len(plain[:lead]))
        cuts = _cuts(plain, lead, room, hang.verbatim)
        indent = hang.indent if cuts and hang.indent else None
        for start, end in zip([0, *cuts], [*cuts, len(plain)], strict=True):
            lines.pieces.append((line, start, end, indent if start else None))
            starts.append(offset + start)
        offset += len(plain) + 1
    return lines, starts


_PLAIN = Hang()


def _cuts(plain: str, lead: int, width: int, verbatim: bool) -> list[int]:
    """Where the line breaks: offsets into `plain`, its first `lead` characters aside."""
    if cell_len(plain) - cell_len(plain[:lead]) <= width:
        return []
    if verbatim:
        return list(_chopped(plain[lead:], width, lead))[:-1]
    if plain.isascii() and plain.isprintable():  # a cell a character, spaces alone between
        return _ascii_cuts(plain, lead, width)
    return list(_word_cuts(plain, lead, width))


def _chopped(text: str, width: int, start: int) -> Iterator[int]:
    """The end offset of each piece of `text` cut at `width` cells (from `start`)."""
    for piece in chop_cells(text, width):
        start += len(piece)
        yield start


def _word_cuts(plain: str, lead: int, width: int) -> Iterator[int]:
    """Greedy word wrap: break before the word that does not fit; fold a word too wide."""
    column = 0
    for match in _WORD.finditer(plain, lead):
        word, spaces = match.group(1) or "", match.group(2)
        if not word and not spaces:
            continue
        size = cell_len(word)
        if column and column + size > width:
            yield match.start()
            column = 0
        if size > width:
            *pieces, last = _chopped(word, width, match.start())
            yield from pieces
            size = cell_len(plain[pieces[-1] : last]) if pieces else size
        column += size + cell_len(spaces)


def _ascii_cuts(plain: str, lead: int, width: int) -> list[int]:
    """`_word_cuts` of printable ASCII, a row at a time rather than a word at a time (a 5 MB
    text: 0.3 s, not 2.4): a row breaks before the word that crosses its end, or, starting
    with a word wider than itself, inside that word."""
    cuts: list[int] = []
    row, end = lead, len(plain.rstrip(" "))
    while end - row > width:
        limit = row + width
        start = plain.rfind(" ", row, limit + 1) + 1  # of the word at the row's end
        if plain[limit] == " ":  # the row ends between words: the next one starts a row
            start = len(plain) - len(plain[limit:].lstrip(" "))
        if start > row:
            cuts.append(row := start)
            continue
        word_end = plain.find(" ", row)
        folds = range(row + width, len(plain) if word_end < 0 else word_end, width)
        cuts += folds
        row = folds[-1]
    return cuts


def _table_rows(line: Text, row: Row, console: Console, width: int) -> list[Strip]:
    """A table row as rows of cells: each cell wrapped inside its column's width."""
    widths = _fitted(row.widths, width - row.bar.cell_len * (len(row.widths) - 1))
    pieces: list[list[Text]] = [
        list(line[start:end].divide(_cuts(line.plain[start:end], 0, column, False)))
        for (start, end), column in zip(row.cells, widths, strict=False)
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
