"""Widths in terminal cells, the one measure that keeps columns aligned: a CJK character or an
emoji takes two cells, a combining mark none, an Indic vowel sign one.

Rich counts spacing combining marks (Unicode category Mc: the Devanagari and other Indic
vowel signs such as ि and ा) as zero cells; terminals (wcwidth, xterm, tmux, VTE, kitty) give
each one cell. On emoji sequences terminals disagree with each other, and with Rich: a
zero-width joiner's sequence (👩‍💻) is one emoji of two cells in kitty, WezTerm and tmux 3.3,
its parts (four) in xterm, VTE and older tmux; a skin tone (👍🏽) is one emoji in the first,
two in xterm and tmux 3.3 (Rich: one); VS16 (❤️, 1️⃣) makes a narrow character two cells in
kitty and Rich, not in xterm or tmux 3.3. Flags (🇮🇹: two cells) they all agree on. So the
app asks the terminal how it draws the three (`tui.ui.terminal`, into `DRAWING`) and draws
text through `drawable`, in a form whose cells it counts as that terminal does: a joiner
kept where the terminal joins, VS16 where it widens, a skin tone given its own cells where
it stands apart. Rich is loaded only for text that is not ASCII (most rows of a list never
load it).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from tui.prepared import JOINER

VS16 = "\ufe0f"
"""Variation selector 16: the character before it drawn as an emoji (❤️)."""
SKIN_TONES = range(0x1F3FB, 0x1F400)
"""The emoji modifiers, Fitzpatrick skin tones (👍🏽)."""
_PICTOGRAPHS = "\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff"
"""The blocks of the pictographs emoji sequences join (🏳️‍🌈, ❤️‍🔥, 🐈‍⬛, 👩🏽‍💻)."""


class Drawing:
    """How the terminal draws emoji sequences, as it answered; until it does (and with no
    terminal), as glibc's wcwidth counts them, which xterm, VTE and older tmux follow. A plain
    class, not a dataclass: `dataclasses` loads `inspect`, ~4.5 ms of every `newsdesk search`."""

    joins: bool = False
    """A joiner's sequence (👩‍💻) is one emoji, two cells; else its parts are drawn."""
    tones_join: bool = False
    """A skin tone is part of its emoji (👍🏽, two cells); else it takes two of its own."""
    widens: bool = False
    """VS16 makes a narrow character (❤, 1) an emoji of two cells."""


DRAWING = Drawing()


@cache
def _letter_joiner() -> re.Pattern[str]:
    """A joiner that does not join two pictographs (the first may end in VS16 or a skin
    tone). Compiled on first use: most text has no joiner."""
    return re.compile(f"(?<![{_PICTOGRAPHS}\ufe0f]){JOINER}|{JOINER}(?![{_PICTOGRAPHS}])")


def drawable(text: str) -> str:
    """`text` as the UI gives it to Rich and the terminal, in cells both count alike: a
    joiner stays only between pictographs on a terminal that joins them (terminals draw the
    joiner's other uses, Indic half forms and Arabic joining forms, as both letters, where
    Rich counts the second as none); VS16 only where the terminal widens with it. The stored
    text keeps them: the search, exports and the command line's text have them."""
    if text.isascii():
        return text
    if JOINER in text:
        text = _letter_joiner().sub("", text) if DRAWING.joins else text.replace(JOINER, "")
    return text if DRAWING.widens or VS16 not in text else text.replace(VS16, "")


def terminal_cells(text: str) -> int:
    """The cells a terminal gives `text`: Rich's count of what is drawn plus the cells Rich
    misses (a spacing vowel sign's, a skin tone's drawn apart)."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    drawn = drawable(text)
    return cell_len(drawn) + sum(uncounted_cells(char) for char in drawn)


def uncounted_cells(char: str) -> int:
    """The cells a terminal gives `char` that Rich does not: one for a spacing vowel sign,
    two for a skin tone on a terminal that draws it apart from its emoji."""
    if unicodedata.category(char) == "Mc":
        cells = 1
    elif ord(char) in SKIN_TONES and not DRAWING.tones_join:
        cells = 2
    else:
        return 0
    from rich.cells import cell_len

    return 0 if cell_len(char) else cells


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


def ellipsized(text: str, width: int) -> str:
    """`text`, cut to `width` cells with `…` when it takes more (the CLI's long names and
    titles)."""
    if fits(text, width):
        return text
    return cut_to_cells(text, width - 1) + "…"


def fits(text: str, width: int) -> bool:
    """Whether a terminal draws `text` in at most `width` cells (measured only when it must:
    a character takes at most two)."""
    return 2 * len(text) <= width or terminal_cells(text) <= width


def pad_to_cells(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` terminal cells (none if it is wider)."""
    return text + " " * (width - terminal_cells(text))
