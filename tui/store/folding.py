"""Greek and Cyrillic letters with accents, and the German ß, as the full-text index sees them.

The index's tokenizer (`unicode61 remove_diacritics 2`) takes accents off Latin letters only,
so "Αθήνα" was not found by `αθηνα`, "Ёлка" not by `елка`, "Straße" not by `strasse`. The
index text and the query words are folded here first: a precomposed Greek or Cyrillic letter
that is a base letter plus accents becomes that letter (й stays: it is a letter of its own),
ß and ẞ become "ss", full-width ASCII (ＦＮＶ) the ASCII it is, the Turkish dotless ı "i"
(as the tokenizer makes I: `kirikkale` finds "Kırıkkale"), and Arabic vowel marks (harakat)
and the tatweel go ("مُحَمَّد" is found by `محمد`; the tokenizer split a word at each mark).
Only these: a general accent strip would change Hindi vowel signs, Japanese dakuten and Hangul,
parts of their letters. Schema 21 added the last two (`folds_v20`: the table before).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_RANGES = ((0x0370, 0x03FF), (0x0400, 0x04FF), (0x1F00, 0x1FFF))
"""Greek, Cyrillic, Greek Extended."""
_FULL_WIDTH = range(0xFF01, 0xFF5F)
"""Full-width ASCII (ＦＮＶ, ２０２６, in Chinese and Japanese text): folded to the ASCII it is,
so `FNV` finds ＦＮＶ and the other way round."""
_FULL_WIDTH_OFFSET = 0xFEE0
_DISTINCT = "йЙ"
"""Cyrillic letters written with a mark that are letters of their own."""
SHARP_S = "ßẞ"
DOTLESS_I = "ı"
_ARABIC_MARKS = "\u0640" + "".join(map(chr, range(0x064B, 0x0660))) + "\u0670"
"""The tatweel, the harakat and the superscript alef: folded to nothing."""
_FIRST = "\u0370"
"""Below this, only `SHARP_S` and `DOTLESS_I` fold: Latin text is checked without the
pattern."""
_SHORT = 500
"""Up to this length, a text is checked without the pattern (see `may_fold`)."""


@cache
def folds() -> dict[str, str]:
    """Each character that folds, and what it folds to (built once, on first use: ~0.5 ms)."""
    return {**folds_v20(), DOTLESS_I: "i", **dict.fromkeys(_ARABIC_MARKS, "")}


@cache
def folds_v20() -> dict[str, str]:
    """`folds` as caches up to schema 20 indexed text: what migration 21 takes out of it."""
    table = dict.fromkeys(SHARP_S, "ss")
    table.update({chr(code): chr(code - _FULL_WIDTH_OFFSET) for code in _FULL_WIDTH})
    for start, end in _RANGES:
        for char in map(chr, range(start, end + 1)):
            decomposed = unicodedata.normalize("NFD", char)
            base, marks = decomposed[0], decomposed[1:]
            if char in _DISTINCT or not marks or unicodedata.category(base)[0] != "L":
                continue
            if all("\u0300" <= mark <= "\u036f" for mark in marks):
                table[char] = base
    return table


@cache
def foldable() -> re.Pattern[str]:
    """Any character that folds (compiled on first use)."""
    return re.compile("[" + "".join(folds()) + "]")


def may_fold(text: str) -> bool:
    """False when `text` has nothing to fold, told without the pattern for short Latin text
    (a query word, a title): most of them are below the first Greek letter."""
    if text.isascii():
        return False
    if len(text) <= _SHORT and max(text) < _FIRST:
        return "ß" in text or DOTLESS_I in text  # ẞ is above it
    return foldable().search(text) is not None


def fold(text: str) -> str:
    """`text` with its Greek and Cyrillic accents and its ß folded (see the module docstring)."""
    return foldable().sub(_folded, text) if may_fold(text) else text


def _folded(found: re.Match[str]) -> str:
    return folds()[found[0]]


def to_original(original: str) -> list[int]:
    """Where each character of `fold(original)`, and its end, starts in `original` (ß and ẞ
    become two characters, Arabic marks none)."""
    starts: list[int] = []
    table = folds()
    for at, char in enumerate(original):
        starts += (at,) * len(table.get(char, char))
    return [*starts, len(original)]


def folds_since_v20(text: str | None) -> bool:
    """Whether `text` holds a character schema 21 began to fold (SQL's `nd_folds_v21`)."""
    return text is not None and any(char in text for char in (DOTLESS_I, *_ARABIC_MARKS))


def fold_v20(text: str) -> str:
    """`text` folded as caches up to schema 20 indexed it (see `folds_v20`)."""
    table = folds_v20()
    return "".join(table.get(char, char) for char in text)
