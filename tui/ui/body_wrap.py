"""A text run of the article body wrapped into the reader's lines, block by block.

Each line of a run may say how it wraps (`Hang`): list items and quotes keep their marker out
of the wrapping, so their text goes on under the text (a hanging indent, the quote's bar on
every row) and a long first word or CJK text never leaves the marker alone on its row; code
is kept verbatim (never broken at spaces) and broken at the exact width, going on under the
code line's own indent (under the block's margin where that indent would leave less than
half the width): the reader has no sideways scrolling, so cutting it would hide what no key
shows. Where a line breaks is `tui.ui.breaks`'s; tables are laid out by `tui.ui.body_table`.
Each row remembers where in the run's text it starts, for the search matches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import overload

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual.strip import Strip

from tui.ui.body_table import Header, Row, table_rows
from tui.ui.breaks import cuts

CODE_MARGIN = 2
"""Cells a code block stands in from the text."""


@dataclass(frozen=True)
class Hang:
    """How one line of a run wraps when it is wider than the reader."""

    lead: int = 0
    """Characters of its marker (`• `, `12. `, `▌ `; code's margin and indent): kept out of
    the wrapping."""
    indent: Text = field(default_factory=Text)
    """What the rows after the first start with (as wide as the marker); styled with spans,
    as `Text.render` draws a Text without spans unstyled."""
    verbatim: bool = False
    """Code: broken at the exact width, never at spaces."""


@dataclass
class Flow:
    """A text run being written, with how each of its lines wraps (by line number)."""

    text: Text = field(default_factory=lambda: Text(end=""))
    hangs: dict[int, Hang | Row] = field(default_factory=dict)
    line: int = 0
    """The number of the line being written."""

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
    header: Header | None = None
    for number, line in enumerate(flow.text.split("\n", allow_blank=True)):
        hang = flow.hangs.get(number, _PLAIN)
        plain = line.plain
        if isinstance(hang, Row):
            header = (line, hang) if hang.number == 0 or header is None else header
            rows = table_rows(line, hang, header, console, width)
            lines.pieces += rows
            starts += [offset] * len(rows)
            offset += len(plain) + 1
            continue
        lead = _lead(plain, hang, width)
        breaks = cuts(plain, lead, max(1, width - cell_len(plain[:lead])), hang.verbatim)
        indent = hang.indent[:lead] if breaks and hang.indent else None
        for start, end in zip([0, *breaks], [*breaks, len(plain)], strict=True):
            lines.pieces.append((line, start, end, indent if start else None))
            starts.append(offset + start)
        offset += len(plain) + 1
    return lines, starts


_PLAIN = Hang()


def _lead(plain: str, hang: Hang, width: int) -> int:
    """The characters of the line kept out of its wrapping: a code line's own indent only
    while it leaves half the width to the code."""
    lead = min(hang.lead, len(plain))
    if hang.verbatim and cell_len(plain[:lead]) > width // 2:
        return min(CODE_MARGIN, lead)
    return lead
