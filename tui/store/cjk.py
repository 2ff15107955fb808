"""Chinese, Japanese and Korean text for the full-text index, which splits words at spaces.

CJK ideographs, kana and hangul have no spaces between words. Each run of them is indexed as
its overlapping pairs of characters plus its last character (東京都 → 東京 京都 都): a
two-character word, the commonest length, is then one token, a longer one a phrase of pairs,
and any single character the prefix of a token, so a word in the middle of a sentence is
found without a dictionary.
"""

from __future__ import annotations

import re
from functools import cache

from tui.prepared import CJK_FROM, NON_JOINER, unjoined
from tui.store.folding import fold, fold_v20, folds

_CJK_CLASS = (
    f"{CJK_FROM}-\u2fdf\u3040-\u30ff\u3100-\u312f\u3131-\u318e\u31a0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f"
)
CJK_CHAR = f"[{_CJK_CLASS}]"


@cache
def cjk_runs() -> re.Pattern[str]:
    """A run of CJK characters. Compiled on first use: ~1 ms, which a search of text with no
    character as high as CJK's (`may_hold_cjk`) never pays."""
    return re.compile(f"{CJK_CHAR}+")


def may_hold_cjk(text: str) -> bool:
    """False when no character of `text` is as high as the first CJK one: for the short texts
    of a search (query words, snippets), so the pattern is never compiled for Latin text
    (`max` makes an object per character: a long body is scanned faster by the pattern)."""
    return not text.isascii() and max(text) >= CJK_FROM


def has_cjk(text: str) -> bool:
    return may_hold_cjk(text) and cjk_runs().search(text) is not None


def segment(text: str | None) -> str:
    """Text as the full-text index sees it: each CJK run as its pairs and its last character,
    Greek, Cyrillic and ß folded (`folding`), without the joiner and the non-joiner (the
    index would split the word at one)."""
    if not text or text.isascii():  # isascii is O(1) for ASCII-only strings
        return text or ""
    text = unjoined(text)
    if len(text) <= _SHORT and not may_hold_cjk(text):
        return fold(text)  # a title or a name read back for a snippet: no CJK pattern
    if _index_changes().search(text) is None:
        return text  # most long bodies: one scan for both changes
    return cjk_runs().sub(_pairs_and_last, fold(text))


def segment_v16(text: str | None) -> str:
    """`segment` as caches up to version 16 indexed text (no folding): what migration 17 takes
    out of their index."""
    if not text or text.isascii():
        return text or ""
    text = text.replace(NON_JOINER, "")  # the joiner never reached those caches
    return cjk_runs().sub(_pairs_and_last, text) if may_hold_cjk(text) else text


def segment_v20(text: str | None) -> str:
    """`segment` as caches up to version 20 indexed text (`fold_v20`): what migration 21 takes
    out of their index."""
    if not text or text.isascii():
        return text or ""
    return cjk_runs().sub(_pairs_and_last, fold_v20(unjoined(text)))


_SHORT = 500
"""Up to this length `may_hold_cjk` looks first; the pattern scans a long body faster."""


@cache
def _index_changes() -> re.Pattern[str]:
    """A CJK character or one that folds. (One class is scanned faster than `cjk_runs`:
    22 us for 5 KB of English text against 46.)"""
    return re.compile(f"[{_CJK_CLASS}{''.join(folds())}]")


def _pairs_and_last(run: re.Match[str]) -> str:
    chars = run.group(0)
    return " " + " ".join([*_pairs(chars), chars[-1]]) + " "


def query_tokens(text: str) -> tuple[str, bool]:
    """A query word or phrase as index tokens (CJK runs as their pairs: 東京都 → 東京 京都),
    and whether its last token is a lone CJK character, to be searched as a prefix. Greek,
    Cyrillic and ß are folded as in the index."""
    text = fold(text)
    if not may_hold_cjk(text):
        return " ".join(text.split()), False
    tokens = cjk_runs().sub(_pairs_or_single, text).split()
    lone = bool(tokens) and len(tokens[-1]) == 1 and cjk_runs().fullmatch(tokens[-1]) is not None
    return " ".join(tokens), lone


def _pairs_or_single(run: re.Match[str]) -> str:
    chars = run.group(0)
    return " " + " ".join(_pairs(chars) or [chars]) + " "


def _pairs(chars: str) -> list[str]:
    """The overlapping pairs of `chars` (none for a single character)."""
    return [chars[i : i + 2] for i in range(len(chars) - 1)]
