"""Snippets for search hits: the text around the matches, on one line, matches marked.

FTS5's `snippet()` cuts them from the indexed body, where CJK runs stand as pairs of
characters (see `cjk.segment`) and Greek, Cyrillic and ß are folded (see `folding`);
`unfolded` puts the original text back in and `tidy` the CJK runs together. For queries with
CJK words, a search in Python does the job instead, and about ten times cheaper, because FTS5
tokenizes the whole column to cut a snippet and marks pairs, not words. FTS5 also scores
a window at each match against every match of the column (a 5 MB body holding the words
thousands of times took a minute): a text over `LONG_TEXT` is searched here too, as the
reader finds the words (`matching.term_spans`), a piece at a time up to the first match.
Filter-only results show the start of the body.
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
from tui.store.matching import bare_key, first_words, term_spans
from tui.store.query import ParsedQuery

SNIPPET_TOKENS = 16
"""Tokens in an FTS5 snippet."""
CJK_CONTEXT = 12
"""Characters shown before a CJK match (twice as many after it)."""
WORD_REACH = 30
"""How far a snippet's cut is moved to a word's start or end (a long URL is cut)."""
LEAD_CHARS = 150
"""Length of the body start shown for filter-only results."""
LONG_TEXT = 20_000
"""Characters (bytes of UTF-8, of a compressed body) beyond which a snippet is cut here, not
by FTS5 (see the module's doc)."""
PIECE = 32_768
"""Characters of a long text searched at a time for the words (with `term_spans`)."""
WORD_CONTEXT = (40, 80)
"""Characters shown before and after a match in a long text (about FTS5's 16 tokens)."""


def _fts_snippet(full_text: str, body: str) -> str:
    """SQL of the snippet from the body (column 2: the list shows the title already), given
    the SQL of the article's `full_text` and `body` columns. A body without a match gives its
    first words, like a filter-only result."""
    cut = (
        f"snippet(articles_fts, 2, char({ord(MATCH_OPEN)}), char({ord(MATCH_CLOSE)}), '…', "
        f"{SNIPPET_TOKENS})"
    )
    # coalesce() stops at the first value not NULL: FTS5 never cuts a long text.
    return f"coalesce(nd_long_text({full_text}, {body}), nd_unfolded({cut}, {full_text}, {body}))"


_ARTICLE_COLUMN = "(SELECT {} FROM articles WHERE id = articles_fts.rowid)"


class Snippets(NamedTuple):
    """How the hits of one query get their snippet."""

    cjk: re.Pattern[str] | None = None
    """Set when a word is CJK (and none is for the title or author only): the words to find."""
    words: tuple[str, ...] = ()
    """The words and phrases to find in a long text (`ParsedQuery.terms`, the reader's)."""

    @classmethod
    def of(cls, parsed: ParsedQuery) -> "Snippets":
        terms = [term for group in parsed.groups for term in group]
        if not any(has_cjk(t.text) for t in terms) or any(t.column for t in terms):
            return cls(words=parsed.terms)
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

    def make(self, title: str, selected: str | bytes) -> str:
        """The snippet from what `column` selected: a long text comes whole, as UTF-8."""
        if isinstance(selected, bytes):
            text = selected.decode()
            found = _in_long(self.words, text) or lead(text)
        elif self.cjk is not None:
            found = _around(self.cjk, selected) or _around(self.cjk, title) or lead(selected)
        else:
            return tidy(selected)
        return " ".join(found.split())


def long_text(full_text: str | None, body: bodies.Stored) -> bytes | None:
    """The text a hit's snippet is cut from (`full_text`, else the body) as UTF-8 when it is
    over `LONG_TEXT` bytes, else None: FTS5 cuts it (SQL's `nd_long_text`)."""
    if full_text is not None:
        return full_text.encode() if len(full_text) > LONG_TEXT else None
    return bodies.utf8(body) if bodies.longer_than(body, LONG_TEXT) else None


def _in_long(words: tuple[str, ...], text: str) -> str | None:
    """The text around the first match of `words` in a long text, every match in it marked,
    searched a `PIECE` at a time: the matches of a piece are looked for only where its folded
    text holds a first word, and the search stops at the first piece with one."""
    needles = first_words(words)
    start = 0
    while start < len(text):
        end = _word_end(text, min(len(text), start + PIECE))
        piece = text[start:end]
        key = bare_key(piece)
        if any(needle in key for needle in needles):
            if spans := term_spans(piece, words):
                return _cut(text, [(a + start, b + start) for a, b in spans], WORD_CONTEXT)
        # The next piece starts a little before, for a phrase across the two.
        start = end if end == len(text) else _word_start(text, end - WORD_CONTEXT[1])
    return None


def _around(pattern: re.Pattern[str], text: str) -> str | None:
    """The text around the first match of `pattern`, every match in it marked."""
    first = pattern.search(text)
    if first is None:
        return None
    reach = first.end() + 2 * CJK_CONTEXT + WORD_REACH
    spans = [m.span() for m in pattern.finditer(text, first.start(), reach)]
    return _cut(text, spans, (CJK_CONTEXT, 2 * CJK_CONTEXT))


def _cut(text: str, spans: list[tuple[int, int]], context: tuple[int, int]) -> str:
    """The text around the first of `spans` (sorted), `context` characters before and after
    it moved to a word's edge, with the spans inside marked."""
    first_start, first_end = spans[0]
    start = _word_start(text, max(0, first_start - context[0]))
    end = _word_end(text, min(len(text), first_end + context[1]))
    pieces, at = [], start
    for span_start, span_end in spans:
        if span_start >= at and span_end <= end:
            pieces += [text[at:span_start], MATCH_OPEN, text[span_start:span_end], MATCH_CLOSE]
            at = span_end
    marked = ("".join(pieces) + text[at:end]).strip()
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
