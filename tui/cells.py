"""Widths in terminal cells, the one measure that keeps columns aligned: a CJK character or an
emoji takes two cells, a combining mark none, an Indic vowel sign one.

Rich counts spacing combining marks (Unicode category Mc: the Devanagari and other Indic
vowel signs such as ि and ा) as zero cells; terminals (wcwidth, xterm, tmux, VTE, kitty) give
each one cell. Rich also counts the character after a zero-width joiner as none: right for
an emoji sequence (👩‍💻) on a terminal that draws it as one emoji, wrong on those that do not
(tmux, xterm) and for the joiner's other uses (Indic half forms, Arabic joining forms),
where terminals count both letters: the UI draws text through `drawable`. Everything else
(CJK, emoji, Thai and Arabic marks) they agree on. Rich is loaded only for text that is not
ASCII (most rows of a list never load it).
"""

from __future__ import annotations

import unicodedata

from tui.prepared import JOINER


def drawable(text: str) -> str:
    """`text` as the UI gives it to Rich and the terminal: without zero-width joiners, so
    that every terminal gives it the cells Rich counts. An emoji sequence is drawn as the
    emoji it joins (👩💻), the joiner's other uses as terminals lay those letters out anyway
    (tmux and xterm draw a joined sequence as its parts, wider than Rich counts it, and a
    row ran past its border). The stored text keeps them: the search, exports and the
    command line's text have them."""
    return text.replace(JOINER, "") if JOINER in text else text


def terminal_cells(text: str) -> int:
    """The cells a terminal gives `text`: Rich's count of what is drawn plus one per spacing
    vowel sign."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(drawable(text)) + sum(1 for char in text if uncounted_mark(char))


def uncounted_mark(char: str) -> bool:
    """A spacing vowel sign Rich gives no cell (terminals give it one)."""
    from rich.cells import cell_len

    return unicodedata.category(char) == "Mc" and not cell_len(char)


def cut_to_cells(text: str, width: int) -> str:
    """The start of `text` that a terminal draws in at most `width` cells."""
    if text.isascii():
        return text[:width]
    if fits(text, width):
        return text
    cells = 0
    for at, char in enumerate(text):
        cells += terminal_cells(char)
        if cells > width:
            return text[:at]
    return text


def fits(text: str, width: int) -> bool:
    """Whether a terminal draws `text` in at most `width` cells (measured only when it must:
    a character takes at most two)."""
    return 2 * len(text) <= width or terminal_cells(text) <= width


def pad_to_cells(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` terminal cells (none if it is wider)."""
    return text + " " * (width - terminal_cells(text))
