"""What the store computes from an article's text alone, computed wherever the text is in hand.

A big refresh parses in its parser process (`tui.sources.parse_worker`), which has CPU to
spare while the refresh process (event loop and writer thread on one GIL) is the bottleneck:
there the body is compressed, checked for text the search index changes, and its story keys
computed beside the parse, and all of it is sent with the articles. The store uses what it
is given and computes what it is not (local files, a sync pull, parsing in-process). No SQL
and no store here: sources and store both import it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from tui.models import Article

LEVEL = 1
"""The deflate level: at a feed body's size, zlib's 6 saves another ~7 % of its bytes for
~1.7x the time of zlib's 1 (44 % -> 41 % of the text, 39 -> 65 us a body, on the 100k corpus).
ISA-L's 1 (`isal`) writes a zlib stream that any zlib reads, smaller than zlib's 1 (43.5 %
against 44.6 %) in 2.5x less time (9.7 against 24.7 us a body of the refresh benchmark)."""


CJK_FROM = "\u2e80"
"""The first character the search index segments (`tui.store.cjk`): a body with none from
here up (and no `JOIN_CONTROLS`) is indexed as it is."""
NON_JOINER = "\u200c"
"""The zero-width non-joiner, which Persian writes inside words (می‌خواهم)."""
JOINER = "\u200d"
"""The zero-width joiner: emoji sequences (👩‍💻), Indic half forms (क्‍ष), Arabic joining forms."""
ZERO_WIDTH_SPACE = "\u200b"
"""A word break without a space (Thai, Khmer, Lao, Burmese): kept, and a break to the index."""
JOIN_CONTROLS = NON_JOINER + JOINER
"""Shown, but not indexed (the index would split the word at one), so that a word is found
typed with them or without (queries drop them too)."""
_GREEK_CYRILLIC = range(0xCD, 0xD4)
"""Lead bytes of U+0340-U+04FF, where the index folds Greek and Cyrillic (`tui.store.folding`)."""
_ARABIC_MARKS = 0xD9
"""The lead byte of U+0640-U+067F, which holds the Arabic vowel marks and the tatweel the
index drops: a body with it is checked by the index's pattern (one byte scanned here, where
a scan for each mark took 26 us a body: +0.26 s of a 10,000-article refresh)."""
_BYTES_PASSED = bytes(b for b in range(0xE3) if b not in _GREEK_CYRILLIC and b != _ARABIC_MARKS)
_E2_CHANGED = (
    *(control.encode() for control in JOIN_CONTROLS),
    *(bytes((0xE2, second)) for second in range(0xBA, 0xC0)),
)
_FOLDED_ELSEWHERE = (
    "ß".encode(),
    "ẞ".encode(),
    "ı".encode(),
    *(bytes((0xE1, second)) for second in range(0xBC, 0xC0)),  # Greek Extended
)


class Prepared(NamedTuple):
    """One article's text-only work, done ahead."""

    deflated: bytes | None
    """The body as `deflate` gives it."""
    as_is: bool
    """The search index takes the body as it is (`index_as_is`)."""
    sentences: int
    keys: tuple[int, ...]
    """The story keys (`features.key_hashes`): how many are sentences, and their hashes."""


def deflate(text: str) -> bytes | None:
    """`text` zlib-compressed, or None when that would not save a byte (short bodies are kept
    as text: the stored form spends one byte on a mark)."""
    return _deflate(text.encode())


def _deflate(data: bytes) -> bytes | None:
    from isal.isal_zlib import compress  # here: reading commands never compress

    packed = compress(data, LEVEL)
    return packed if len(packed) + 1 < len(data) else None


def unjoined(text: str) -> str:
    """`text` without `JOIN_CONTROLS`: the words as the index and the story keys take them."""
    for control in JOIN_CONTROLS:
        if control in text:  # a substring search in C: most text has neither
            text = text.replace(control, "")
    return text


def index_as_is(data: bytes) -> bool:
    """Whether UTF-8 `data` holds no character the search index changes: none from
    `CJK_FROM` (U+2E80) up, so no lead byte from E3 (U+3000 and up) and no E2 followed by
    BA-BF (U+2E80-U+2FFF), and no `JOIN_CONTROLS` (E2 80 8C-8D); no Greek or Cyrillic (lead
    bytes CD-D3), Greek Extended (E1 BC-BF), ß, ı or Arabic vowel marks, which it folds.
    C-level scans: 2.4 us a body of the 100k corpus, where the index's pattern over the text
    takes 13 (37 when the text is not ASCII), in the refresh process."""
    if data.isascii():  # most bodies: nothing the index changes
        return True
    if data.translate(None, _BYTES_PASSED):
        return False
    if b"\xe2" in data and any(part in data for part in _E2_CHANGED):
        return False
    return not any(part in data for part in _FOLDED_ELSEWHERE)


def prepare(article: Article) -> Prepared:
    """What the store would compute from `article`'s text; its `content_hash` is cached too."""
    from tui.stories.features import key_hashes  # here: a reading command never needs it

    article.content_hash  # noqa: B018 - a cached property: pickled with the article
    data = article.body.encode()
    keys = key_hashes(article.title, article.body)
    return Prepared(_deflate(data), index_as_is(data), *keys)
