"""Snippets for search hits: the text around the matches, on one line, matches marked.

FTS5's `snippet()` cuts them from the indexed body, where CJK characters stand apart (see
`db.segment`); `tidy` puts the text back together. For queries of CJK words only, a substring
search in Python does the same job about ten times cheaper, because FTS5 tokenizes the whole
column to cut a snippet and CJK text is one token per character. Filter-only results show the
start of the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tui.models import MATCH_CLOSE, MATCH_OPEN
from tui.store.db import segment
from tui.store.query import ParsedQuery

SNIPPET_TOKENS = 16
"""Tokens in an FTS5 snippet."""
CJK_CONTEXT = 12
"""Characters shown before a CJK match (twice as many after it)."""
LEAD_CHARS = 150
"""Length of the body start shown for filter-only results."""

# From the body (column 2): the list shows the title already. A body without a match gives
# its first words, like a filter-only result.
_FTS_SNIPPET = (
    f"snippet(articles_fts, 2, char({ord(MATCH_OPEN)}), char({ord(MATCH_CLOSE)}), '…', "
    f"{SNIPPET_TOKENS})"
)


@dataclass(frozen=True)
class Snippets:
    """How the hits of one query get their snippet."""

    cjk: re.Pattern[str] | None = None
    """Set when every word is CJK: the words to find in the text."""

    @classmethod
    def of(cls, parsed: ParsedQuery) -> Snippets:
        terms = [term for group in parsed.groups for term in group]
        if not terms or not all(t.column is None and all(map(is_cjk, t.text)) for t in terms):
            return cls()
        longest_first = sorted({t.text for t in terms}, key=len, reverse=True)
        return cls(re.compile("|".join(map(re.escape, longest_first))))

    @property
    def column(self) -> str:
        """The SQL expression to select (inside a MATCH query on `articles_fts` and `a`)."""
        return _FTS_SNIPPET if self.cjk is None else "coalesce(a.full_text, a.body)"

    def make(self, title: str, selected: str) -> str:
        """The snippet from what `column` selected."""
        if self.cjk is None:
            return tidy(selected)
        found = _around(self.cjk, selected) or _around(self.cjk, title) or lead(selected)
        return " ".join(found.split())


def _around(pattern: re.Pattern[str], text: str) -> str | None:
    """The text around the first match of `pattern`, every match in it marked."""
    first = pattern.search(text)
    if first is None:
        return None
    start = max(0, first.start() - CJK_CONTEXT)
    end = min(len(text), first.end() + 2 * CJK_CONTEXT)
    marked = pattern.sub(lambda m: MATCH_OPEN + m[0] + MATCH_CLOSE, text[start:end])
    return ("…" if start else "") + marked + ("…" if end < len(text) else "")


def lead(body: str) -> str:
    """The start of a body as a one-line snippet, cut at a word when it is long."""
    text = " ".join(body.split())
    if len(text) <= LEAD_CHARS:
        return text
    cut = text.rfind(" ", LEAD_CHARS // 2, LEAD_CHARS)
    return text[: cut if cut > 0 else LEAD_CHARS] + "…"


def tidy(snippet: str) -> str:
    """An FTS5 snippet on one line, with the spaces the CJK segmentation added taken out."""
    if segment(snippet) != snippet:
        snippet = _unsegment(snippet)
    return " ".join(snippet.split())


@lru_cache(maxsize=8192)
def is_cjk(char: str) -> bool:
    """Whether the index stores `char` as a token of its own."""
    return segment(char) != char


def _unsegment(text: str) -> str:
    """Undo `segment`: drop the one space it put on each side of a CJK character."""
    # Markers hug the token, so a space may sit just outside one: ` \x02東  京\x03 `.
    dropped = [False] * len(text)
    for index, char in enumerate(text):
        if is_cjk(char):
            for step in (-1, 1):
                _drop_space(text, index + step, step, dropped)
    return "".join(c for c, gone in zip(text, dropped, strict=True) if not gone)


def _drop_space(text: str, index: int, step: int, dropped: list[bool]) -> None:
    if 0 <= index < len(text) and text[index] in (MATCH_OPEN, MATCH_CLOSE):
        index += step
    if 0 <= index < len(text) and text[index] == " " and not dropped[index]:
        dropped[index] = True
