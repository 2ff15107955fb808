"""Greek and Cyrillic letters with accents, and the German ß, as the full-text index sees them.

The index's tokenizer (`unicode61 remove_diacritics 2`) takes accents off Latin letters only,
so "Αθήνα" was not found by `αθηνα`, "Ёлка" not by `елка`, "Straße" not by `strasse`. The
index text and the query words are folded here first: a precomposed Greek or Cyrillic letter
that is a base letter plus accents becomes that letter (й stays: it is a letter of its own),
ß and ẞ become "ss", full-width ASCII (ＦＮＶ) the ASCII it is. Only these: a general accent
strip would change Hindi vowel signs, Japanese dakuten and Hangul, parts of their letters.
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
_FIRST = "\u0370"
"""Below this, only `SHARP_S` folds: Latin text is checked without the pattern."""
_SHORT = 500
"""Up to this length, a text is checked without the pattern (see `may_fold`)."""


@cache
def folds() -> dict[str, str]:
    """Each character that folds, and what it folds to (built once, on first use: ~0.5 ms)."""
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
        return "ß" in text  # ẞ is above it
    return foldable().search(text) is not None


def fold(text: str) -> str:
    """`text` with its Greek and Cyrillic accents and its ß folded (see the module docstring)."""
    return foldable().sub(_folded, text) if may_fold(text) else text


def _folded(found: re.Match[str]) -> str:
    return folds()[found[0]]


def to_original(original: str) -> list[int]:
    """Where each character of `fold(original)`, and its end, starts in `original` (only ß
    and ẞ change the length: each becomes two characters)."""
    starts: list[int] = []
    for at, char in enumerate(original):
        starts += (at, at) if char in SHARP_S else (at,)
    return [*starts, len(original)]
