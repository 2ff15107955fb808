"""Snippets for search hits: the text around the matches, on one line, matches marked.

FTS5's `snippet()` cuts them from the indexed body, where CJK runs stand as pairs of
characters (see `cjk.segment`) and Greek, Cyrillic and ß are folded (see `folding`);
`unfolded` puts the original text back in and `tidy` the CJK runs together. For queries with
CJK words, a search in Python does the job instead, and about ten times cheaper, because FTS5
tokenizes the whole column to cut a snippet and marks pairs, not words. Filter-only results
show the start of the body.
"""

# No `from __future__ import annotations`: a NamedTuple compiles each field's annotation
# string when defined (~0.06 ms a field, at every start of a command).
import re
from functools import cache
from typing import NamedTuple

from tui.models import MATCH_CLOSE, MATCH_OPEN
from tui.store import bodies
from tui.store.cjk import CJK_CHAR, has_cjk
from tui.store.folding import fold, may_fold, to_original
from tui.store.query import ParsedQuery

SNIPPET_TOKENS = 16
"""Tokens in an FTS5 snippet."""
CJK_CONTEXT = 12
"""Characters shown before a CJK match (twice as many after it)."""
WORD_REACH = 30
"""How far a snippet's cut is moved to a word's start or end (a long URL is cut)."""
LEAD_CHARS = 150
"""Length of the body start shown for filter-only results."""


def _fts_snippet(full_text: str, body: str) -> str:
    """SQL of the snippet from the body (column 2: the list shows the title already), given
    the SQL of the article's `full_text` and `body` columns. A body without a match gives its
    first words, like a filter-only result."""
    cut = (
        f"snippet(articles_fts, 2, char({ord(MATCH_OPEN)}), char({ord(MATCH_CLOSE)}), '…', "
        f"{SNIPPET_TOKENS})"
    )
    return f"nd_unfolded({cut}, {full_text}, {body})"


_ARTICLE_COLUMN = "(SELECT {} FROM articles WHERE id = articles_fts.rowid)"


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
        if self.cjk is None:
            return _fts_snippet("a.full_text", "a.body")
        return "coalesce(a.full_text, nd_body(a.body))"

    @property
    def ahead_column(self) -> str:
        """`column` inside a MATCH query on `articles_fts` alone (FTS5 snippets only)."""
        return _fts_snippet(_ARTICLE_COLUMN.format("full_text"), _ARTICLE_COLUMN.format("body"))

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
    start = _word_start(text, max(0, first.start() - CJK_CONTEXT))
    end = _word_end(text, min(len(text), first.end() + 2 * CJK_CONTEXT))
    marked = pattern.sub(lambda m: MATCH_OPEN + m[0] + MATCH_CLOSE, text[start:end].strip())
    return ("…" if start else "") + marked + ("…" if end < len(text) else "")


def _word_start(text: str, at: int) -> int:
    """`at`, or the start of the word it falls in (a snippet of a CJK query's hit without
    CJK starts at a word, as FTS5's do; CJK text has no spaces and may start anywhere)."""
    floor = max(0, at - WORD_REACH)
    while at > floor and _inside_word(text, at):
        at -= 1
    return at


def _word_end(text: str, at: int) -> int:
    """`at`, or the end of the word it falls in."""
    ceiling = min(len(text), at + WORD_REACH)
    while at < ceiling and _inside_word(text, at):
        at += 1
    return at


def _inside_word(text: str, at: int) -> bool:
    """Whether a cut before `text[at]` (0 < at < len(text)) splits a word: neither side is a
    space or a CJK character."""
    before, after = text[at - 1], text[at]
    return not (before.isspace() or after.isspace() or has_cjk(before + after))


def unfolded(snippet: str | None, full_text: str | None, body: bodies.Stored) -> str | None:
    """An FTS5 `snippet` of the article's body (`full_text` if any) as a piece of the
    original text, marks and '…' where FTS5 put them (SQL's `nd_unfolded`). Without CJK, the
    text the index saw is `fold(original)`: the piece is found there and mapped back."""
    if snippet is None or (full_text is None and bodies.indexed_as_is(body)):
        return snippet
    original = bodies.text(body) if full_text is None else full_text
    if not may_fold(original):
        return snippet
    head = "…" if snippet.startswith("…") else ""
    tail = "…" if snippet.endswith("…") and len(snippet) > len(head) else ""
    core = snippet[len(head) : len(snippet) - len(tail)]
    at = fold(original).find(core.replace(MATCH_OPEN, "").replace(MATCH_CLOSE, ""))
    if at < 0:  # CJK runs too: the snippet stays as the index saw it
        return snippet
    starts, pieces = to_original(original), []
    for part in _MARK_SPLIT.split(core):
        if part in (MATCH_OPEN, MATCH_CLOSE):
            pieces.append(part)
            continue
        pieces.append(original[starts[at] : starts[at + len(part)]])
        at += len(part)
    return head + "".join(pieces) + tail


_MARK_SPLIT = re.compile(f"([{MATCH_OPEN}{MATCH_CLOSE}])")


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
