"""A TOML text cut at its top-level table headers, and whole lines put in or taken out of it.

tomllib decides where a header is: a line starting with `[` begins a new piece only when the
text since the previous header parses on its own (a `[` line inside a multi-line string or
array leaves that text unfinished). So nothing here lexes TOML by hand, a header-like line in
a string stays text, and tables of one array may sit anywhere among the others.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from itertools import accumulate, takewhile
from typing import Any

_MAYBE_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)
_LINE = re.compile(r"[^\n]*\n|[^\n]+")


@dataclass(frozen=True)
class Piece:
    """The text from one header (or the file's start) up to the next header."""

    start: int
    end: int
    data: dict[str, Any]
    """The piece parsed on its own: `{"sources": [{...}]}` for a `[[sources]]` table."""


def split_tables(text: str) -> list[Piece]:
    """The pieces of a valid TOML text in file order: first the lines before any header
    (perhaps none), then one piece per table header."""
    pieces: list[Piece] = []
    start = 0
    for match in _MAYBE_HEADER.finditer(text):
        data = _parsed(text[start : match.start()])
        if data is not None:  # else the `[` line is inside a value
            pieces.append(Piece(start, match.start(), data))
            start = match.start()
    pieces.append(Piece(start, len(text), tomllib.loads(text[start:])))
    return pieces


def own_end(text: str, piece: Piece) -> int:
    """Where a table's own lines end: after its last key. The blank lines and comments below
    it belong to what follows (a comment above the next header, a commented-out table)."""
    lines = _lines(text[piece.start : piece.end])
    below = list(takewhile(_blank_or_comment, reversed(lines)))[::-1]
    ends = accumulate(map(len, below), initial=piece.end - sum(map(len, below)))
    # A "comment" line may close a multi-line string: the first end keeping the table whole.
    return next(end for end in ends if _parsed(text[piece.start : end]) == piece.data)


def insert_lines(text: str, at: int, block: str, newline: str) -> str:
    """`block` (whole lines) put at `at`, a line's start or the end of the text, with a blank
    line between it and any text above or below that has none there already."""
    head, tail = text[:at], text[at:]
    if head and not head.endswith("\n"):  # the last line had no line break
        head += newline
    if not _blank(head) and not _blank(_lines(head)[-1]):
        block = newline + block
    if not _blank(tail) and not _blank(_lines(tail)[0]):
        block += newline
    return head + block + tail


def cut_lines(text: str, start: int, end: int) -> str:
    """The text without the whole lines from `start` to `end`. The blank lines meeting at the
    cut become one run, the longer of the two; none at the start or the end of the file."""
    above, below = _lines(text[:start]), _lines(text[end:])
    above_blank = len(list(takewhile(_blank, reversed(above))))
    below_blank = len(list(takewhile(_blank, below)))
    kept_above, kept_below = above[: len(above) - above_blank], below[below_blank:]
    gap: list[str] = []
    if kept_above and kept_below:
        gap = above[len(kept_above) :] if above_blank >= below_blank else below[:below_blank]
    return "".join(kept_above + gap + kept_below)


def _parsed(text: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def _lines(text: str) -> list[str]:
    """The lines of `text`, each with its line break (the last may have none)."""
    return _LINE.findall(text)


def _blank(text: str) -> bool:
    return not text.strip(" \t\r\n")


def _blank_or_comment(line: str) -> bool:
    return _blank(line) or line.lstrip(" \t").startswith("#")
