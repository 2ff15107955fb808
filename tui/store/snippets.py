"""Snippets for search hits: the text around the matches, on one line, matches marked.

FTS5's `snippet()` cuts them from the indexed body, where CJK runs stand as pairs of
characters (see `cjk.segment`); `tidy` puts the text back together. For queries with CJK words,
a search in Python does the job instead, and about ten times cheaper, because FTS5 tokenizes
the whole column to cut a snippet and marks pairs, not words. Filter-only results show the
start of the body.
"""

# No `from __future__ import annotations`: a NamedTuple compiles each field's annotation
# string when defined (~0.06 ms a field, at every start of a command).
import re
from functools import cache
from typing import NamedTuple

from tui.models import MATCH_CLOSE, MATCH_OPEN
from tui.store.cjk import CJK_CHAR, has_cjk
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


class Snippets(NamedTuple):
    """How the hits of one query get their snippet."""

    cjk: re.Pattern[str] | None = None
    """Set when a word is CJK (and none is for the title or author only): the words to find."""

    @classmethod
    def of(cls, parsed: ParsedQuery) -> "Snippets":
        terms = [term for group in parsed.groups for term in group]
        if not any(has_cjk(t.text) for t in terms) or any(t.column for t in terms):
            return cls()
        longest_first = sorted({t.text for t in terms}, key=len, reverse=True)
        return cls(re.compile("|".join(map(re.escape, longest_first)), re.IGNORECASE))

    @property
    def column(self) -> str:
        """The SQL expression to select (inside a MATCH query on `articles_fts` and `a`)."""
        return _FTS_SNIPPET if self.cjk is None else "coalesce(a.full_text, nd_body(a.body))"

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
    """An FTS5 snippet on one line, with CJK runs put back together (see `cjk.segment`)."""
    if has_cjk(snippet):
        snippet = _segmented_run().sub(_joined, snippet)
    return " ".join(snippet.split())


# A run as `segment` wrote it: tokens of one or two CJK characters one space apart, with the
# space it put on each side. Marks FTS5 put around a token are part of it.
_MARKS = f"[{MATCH_OPEN}{MATCH_CLOSE}]*"
_CJK_TOKEN = f"{_MARKS}{CJK_CHAR}{{1,2}}{_MARKS}"


@cache
def _segmented_run() -> re.Pattern[str]:
    """Compiled on first use: compiling its character classes is a tenth of the store's
    import time, which every `newsdesk search` pays, with or without CJK."""
    return re.compile(f" ?({_CJK_TOKEN}(?: {_CJK_TOKEN})*) ?")


def _joined(run: re.Match[str]) -> str:
    """The characters of a segmented run: each pair's first, then the last token whole (a
    snippet may end inside a run). Marks inside a run are dropped: CJK words are marked by the
    Python snippets."""
    tokens = [t.replace(MATCH_OPEN, "").replace(MATCH_CLOSE, "") for t in run.group(1).split(" ")]
    return "".join(t[0] for t in tokens[:-1]) + tokens[-1]
