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
from typing import TYPE_CHECKING

from tui.prepared import JOINER

if TYPE_CHECKING:
    from collections.abc import Iterator

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
    """The start of `text` that a terminal draws in at most `width` cells, cut between
    grapheme clusters (`clusters`): never after a joiner, nor before a mark or a skin tone."""
    if text.isascii():
        return text[:width]
    if fits(text, width):
        return text
    cells = kept = 0
    for cluster in clusters(text):
        cells += terminal_cells(cluster)
        if cells > width:
            break
        kept += len(cluster)
    return text[:kept]


def ellipsized(text: str, width: int) -> str:
    """`text` in at most `width` cells: whole, or cut (`cut_to_cells`) with `…` right after
    its last character, the spaces before the cut dropped (`新华社…`, not `新华社 …`)."""
    if fits(text, width):
        return text
    return cut_to_cells(text, max(0, width - 1)).rstrip() + "…"


def clusters(text: str) -> Iterator[str]:
    """`text` in grapheme clusters, what a reader takes for one character and a cut must not
    split: a letter and its marks (गाँ), an emoji with its VS16, skin tone and the pictographs
    its joiners join (👩🏽‍💻), a pair of regional indicators (a flag), an Indic conjunct (क्ष,
    क्‍ष with a joiner, ស្រី). Unicode's rules (UAX #29) for the text of titles and names, in a
    few lines rather than a dependency (`regex`'s `\\X`: 6 ms to import, in every command
    that prints a row); Hangul jamo and prepended marks, which titles do not write, are left
    out."""
    start, half_flag, linked = 0, False, False
    for at, char in enumerate(text):
        if at and not _continues(text[at - 1], char, half_flag, linked):
            yield text[start:at]
            start = at
        half_flag = char in _REGIONAL and not half_flag  # a flag's first half, alone yet
        linked = char in _LINKERS or (linked and _inside_conjunct(char))
    if text:
        yield text[start:]


def _continues(before: str, char: str, half_flag: bool, linked: bool) -> bool:
    """Whether `char` belongs to the cluster `before` ends; `linked`: a linker (a virama)
    came before it, with only marks and joiners since (Unicode's GB9c)."""
    if unicodedata.category(char) in _MARKS or char == JOINER or char in _EXTENDERS:
        return True
    if linked and _consonant().match(char):  # क्ष, क्‍ष: the conjunct's next consonant
        return True
    if before == JOINER:
        return _pictograph().match(char) is not None  # 👩‍💻: the joined emoji
    return half_flag and char in _REGIONAL


def _inside_conjunct(char: str) -> bool:
    """Whether a linker still links across `char`: a joiner or a nonspacing mark (क्‍ष, क्ंष)
    does, a vowel sign does not (क्ि ends its cluster)."""
    return char == JOINER or unicodedata.category(char) in ("Mn", "Me")


_MARKS = frozenset(("Mn", "Mc", "Me"))
"""Nonspacing, spacing (Indic vowel signs) and enclosing marks, VS16 (Mn) among them."""
_EXTENDERS = frozenset(map(chr, (*SKIN_TONES, 0xE33, 0xEB3, *range(0xE0020, 0xE0080))))
"""No marks, but part of the cluster before them: skin tones, Thai and Lao sara am (น้ำ),
the tags of a subdivision flag (🏴 of Scotland)."""
_REGIONAL = frozenset(map(chr, range(0x1F1E6, 0x1F200)))
"""The regional indicators: two make a flag (🇮🇹)."""
_LINKERS = frozenset("\u094d\u09cd\u0acd\u0b4d\u0c4d\u0d4d\u1039\u17d2")
"""The viramas that link consonants into one cluster: Unicode 15.1's conjunct linkers
(Devanagari, Bengali, Gujarati, Oriya, Telugu, Malayalam) and two of those a later Unicode
added (the `regex` module's, the tests' oracle, has them): Myanmar's (န္မ) and the Khmer coeng
(ស្រី). Its others (Balinese, Javanese, Tai Tham, ...) are left out: more consonant ranges to
keep, for scripts news titles seldom use."""
_CONSONANTS = (
    "\u0915-\u0939\u0958-\u095f\u0978-\u097f"  # Devanagari
    "\u0995-\u09a8\u09aa-\u09b0\u09b2\u09b6-\u09b9\u09dc\u09dd\u09df\u09f0\u09f1"  # Bengali
    "\u0a95-\u0aa8\u0aaa-\u0ab0\u0ab2\u0ab3\u0ab5-\u0ab9\u0af9"  # Gujarati
    "\u0b15-\u0b28\u0b2a-\u0b30\u0b32\u0b33\u0b35-\u0b39\u0b5c\u0b5d\u0b5f\u0b71"  # Oriya
    "\u0c15-\u0c28\u0c2a-\u0c39\u0c58-\u0c5a"  # Telugu
    "\u0d15-\u0d3a"  # Malayalam
    "\u1000-\u102a\u103f\u1050-\u1055\u105a-\u105d\u1061\u1065\u1066\u106e-\u1070"
    "\u1075-\u1081\u108e"  # Myanmar
    "\u1780-\u17b3"  # Khmer
)
"""The letters a linker joins to the one before it (Unicode's InCB=Consonant): consonants,
not independent vowels (न्अ is two clusters)."""


@cache
def _consonant() -> re.Pattern[str]:
    """A consonant a linker joins (compiled on first use: most text has no linker)."""
    return re.compile(f"[{_CONSONANTS}]")


@cache
def _pictograph() -> re.Pattern[str]:
    """A pictograph a joiner joins (compiled on first use: most text has no joiner)."""
    return re.compile(f"[{_PICTOGRAPHS}]")


def fits(text: str, width: int) -> bool:
    """Whether a terminal draws `text` in at most `width` cells (measured only when it must:
    a character takes at most two)."""
    return 2 * len(text) <= width or terminal_cells(text) <= width


def pad_to_cells(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` terminal cells (none if it is wider)."""
    return text + " " * (width - terminal_cells(text))
