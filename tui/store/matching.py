"""Where a search's words are in a text, found as the full-text index finds them.

The reader's highlights and its `]`/`[`, and the list's highlighted titles, show the matches
the search found: whole words, not pieces of longer ones ("strasse" is not in
"Bahnhofstrasse"), with case, Latin accents, ß, full-width ASCII and Greek and Cyrillic
accents folded as `folding` folds the index's text ("Hauptstraße" holds `strasse`,
"２０２６" `2026`), and apostrophes and other punctuation between words, as the index's
tokenizer does ("doesn’t" holds `doesn't`). A term ending in `*` is a prefix; a Chinese or
Japanese one is found anywhere in the text, as its pairs of characters are in the index.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from itertools import chain, compress

from tui.store.cjk import CJK_CHAR, has_cjk
from tui.store.folding import fold, to_original


@cache
def _token() -> re.Pattern[str]:
    """A word as the index's tokenizer sees one: letters and digits with their marks (a
    decomposed "é" is one word with its letter, "परियोजना" one with its vowel signs), not
    Chinese or Japanese ones (`segment` puts spaces around their runs: "年２０２６年" holds the
    word "２０２６"). Made once, on first use: `re` knows no class of marks, so each character
    of `_WITH_MARKS` is asked its category (~10 ms; a pattern for each text's own marks took
    ~1 ms a text, and a search's hits hold many sets of them)."""
    chars = "".join(map(chr, chain.from_iterable(_WITH_MARKS)))
    marks = "".join(compress(chars, [unicodedata.category(char)[0] == "M" for char in chars]))
    return re.compile(rf"(?:(?!{CJK_CHAR})[^\W_]|[{re.escape(marks)}])+")


_WITH_MARKS = (
    range(0x300, 0x3400),  # up to the CJK ideographs
    range(0xA4D0, 0xAC00),  # from Yi's end to the Hangul syllables
    range(0xFB00, 0x1F000),  # from the presentation forms on, plane 1 with them
    range(0xE0100, 0xE01F0),  # the variation selectors supplement
)
"""Where marks are: the ideographs, Yi, Hangul syllables, surrogates, private use and tags
between and past these hold none."""
_ASCII_WORD = re.compile("[0-9A-Za-z]+")
"""A word of ASCII text (no marks to look for)."""


_MARKS = re.compile("[\u0300-\u036f]")
_LATIN = ((0x00C0, 0x024F), (0x1E00, 0x1EFF))
"""Latin letters with accents, which the tokenizer (`remove_diacritics 2`) takes off."""


@cache
def _latin_bases() -> dict[int, str]:
    """Each accented Latin letter and its base letter (built once, on first use)."""
    table: dict[int, str] = {}
    for start, end in _LATIN:
        for code in range(start, end + 1):
            decomposed = unicodedata.normalize("NFD", chr(code))
            if len(decomposed) > 1 and not _MARKS.sub("", decomposed[1:]):
                table[code] = decomposed[0]
    return table


def index_key(text: str) -> str:
    """`fold(text)` lower-cased, its Latin accents off: as long as `fold(text)`, one character
    for each of its characters, so an offset in one is the same in the other."""
    folded = fold(text)
    lowered = folded.lower()
    if len(lowered) != len(folded):  # "İ" lower-cased is two characters: it stays
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)
    return lowered if lowered.isascii() else lowered.translate(_latin_bases())


def _words(key: str) -> list[tuple[int, int, str]]:
    """Each word of `key`: where it starts and ends, and the word without its marks."""
    found = (_ASCII_WORD if key.isascii() else _token()).finditer(key)
    return [(m.start(), m.end(), _MARKS.sub("", m[0])) for m in found]


def first_words(terms: Iterable[str]) -> list[str]:
    """The first word of each of the `terms` as `bare_key` writes it: a text whose
    `bare_key` holds none of them holds no match of the terms (a test in C before
    `term_spans`, which goes word by word). A Chinese or Japanese term is found whole."""
    found = []
    for term in terms:
        needle = index_key(_needle(term))
        if has_cjk(needle):
            found.append(needle)
        elif words := _words(needle):
            found.append(words[0][2])
    return found


def bare_key(text: str) -> str:
    """`index_key(text)` without its accent marks."""
    return _MARKS.sub("", index_key(text))


def _needle(term: str) -> str:
    return term.strip('"*^ ')


def term_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """(start, end) in `text` of every match of the `terms` (words or phrases), sorted."""
    key = index_key(text)
    words = _words(key)
    found: set[tuple[int, int]] = set()
    for term in terms:
        prefix = term.rstrip().endswith("*")
        needle = index_key(_needle(term))
        if has_cjk(needle):
            found.update(_anywhere(key, needle))
        elif wanted := [word for _, _, word in _words(needle)]:
            found.update(_in_words(words, wanted, prefix))
    if not found or len(key) == len(text):
        return sorted(found)
    starts = to_original(text)  # ß folded to "ss": offsets back to the text's
    return sorted((starts[start], starts[end]) for start, end in found)


def _anywhere(key: str, needle: str) -> Iterable[tuple[int, int]]:
    start = key.find(needle)
    while start >= 0:
        yield start, start + len(needle)
        start = key.find(needle, start + len(needle))


def _in_words(
    words: list[tuple[int, int, str]], wanted: list[str], prefix: bool
) -> Iterable[tuple[int, int]]:
    """Runs of `words` that are the `wanted` words in order (the last one's start with a
    prefix)."""
    *whole, last = wanted
    for at in range(len(words) - len(wanted) + 1):
        run = words[at : at + len(wanted)]
        if [word for _, _, word in run[:-1]] != whole:
            continue
        tail = run[-1][2]
        if tail == last or (prefix and tail.startswith(last)):
            yield run[0][0], run[-1][1]
