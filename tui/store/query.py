"""The search query language: text in, a `ParsedQuery` out. Pure Python; `store.search` runs it.

The language is the README's "Search" section: words (all must match), "phrases", `OR`,
`-word` or `NOT word`, `prefix*`, and the filters `source:`, `tag:`, `author:`, `title:`,
`is:`, `since:` and `before:` (`-` in front of one excludes it). Any text is a valid query:
what is not taken literally (an operator newsdesk doesn't know, an unbalanced quote, a bad
date, an operator or a filter left without its word or value) is searched as plain words or
ignored, and said in a one-line notice. At most `MAX_TERMS` words are used.
"""

# No `from __future__ import annotations`: a NamedTuple compiles each field's annotation
# string when defined (~0.06 ms a field: 1.4 ms for this module's, at every search).
import re
import time
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import NamedTuple

from tui.prepared import ZERO_WIDTH_SPACE
from tui.store.cjk import query_tokens
from tui.store.notices import NOTHING, PARENTHESES, UNBALANCED, quote

MAX_TERMS = 32
"""Words/phrases used from one query; more only slow the search without narrowing it."""
MAX_CHARS = 1000
"""Query text used; the rest of a pasted page is ignored (with a notice)."""
_PARENTHESIS = re.compile("[()]")

COLUMNS = ("title", "author")
"""Filters that are full-text searches restricted to one column of the index."""
_FILTERS = frozenset({"source", "tag", "is", "since", "before", *COLUMNS})
_STATES = ("unread", "read", "saved", "hidden")
_UNITS = {"h": 3600.0, "d": 86400.0, "w": 7 * 86400.0, "m": 30 * 86400.0, "y": 365 * 86400.0}
_RELATIVE = re.compile(r"(\d{1,6})([hdwmy])", re.IGNORECASE | re.ASCII)
_ABSOLUTE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", re.ASCII)
# A filter's key right before the text's end (`source:` of `source:"Wire`).
_FILTER_KEY_END = re.compile(rf"(?:^|\s)-*(?:{'|'.join(sorted(_FILTERS))}):\Z", re.IGNORECASE)
_OPERATORS = ("OR", "AND", "NOT")
# With quotes balanced, every `"` opens a quoted lexeme that closes.
_LEXEME = re.compile(r'(\s+)|"([^"]*)"|([^\s"]+)')


# -- the result ----------------------------------------------------------------------------
# Named tuples, not dataclasses: a fifth of the cost of defining one, which every
# `newsdesk search` pays at start-up.


class Term(NamedTuple):
    """One thing to find in the full-text index: a word or phrase, maybe a prefix or in a column."""

    text: str
    column: str | None = None
    """"title" or "author" to search only that column; None for every column."""
    prefix: bool = False

    @property
    def fts(self) -> str:
        """FTS5 syntax: one double-quoted string, so user text can never be an FTS operator."""
        # A CJK word is its pairs of characters in the index; a lone character, a prefix.
        tokens, lone = query_tokens(self.text)
        quoted = '"' + tokens.replace('"', '""') + '"'
        if self.prefix or lone:
            quoted += " *"
        return f"{self.column} : {quoted}" if self.column else quoted


class ParsedQuery(NamedTuple):
    """A query taken apart: full-text terms, filters, and what was reinterpreted (notices)."""

    groups: tuple[tuple[Term, ...], ...] = ()
    """Every group must match; the terms of a group are alternatives (OR)."""
    excluded: tuple[Term, ...] = ()
    sources: tuple[str, ...] = ()
    excluded_sources: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    excluded_tags: tuple[str, ...] = ()
    unread: bool | None = None
    """True: unread only; False: read only; None: either."""
    saved: bool | None = None
    hidden: bool = False
    """True: hidden articles only; False: hidden articles are left out."""
    since: float | None = None
    """Only articles with a sort time at or after this timestamp."""
    before: float | None = None
    """Only articles with a sort time before this timestamp."""
    notices: tuple[str, ...] = ()

    @property
    def match(self) -> str | None:
        """The FTS5 MATCH expression, or None when there is no word to look for."""
        if not self.groups:
            return None
        positive = " AND ".join(_group_fts(group) for group in self.groups)
        excluded = self.exclusion
        return f"({positive}) NOT ({excluded})" if excluded else positive

    @property
    def exclusion(self) -> str | None:
        """MATCH expression for the excluded terms (any of them), or None."""
        return " OR ".join(term.fts for term in self.excluded) or None

    @property
    def terms(self) -> tuple[str, ...]:
        """Words and phrases a title could show highlighted (not author-only terms), a prefix
        with `*` after it."""
        found = [
            _bare(t.text) + "*" * t.prefix for g in self.groups for t in g if t.column != "author"
        ]
        return tuple(dict.fromkeys(found))

    @property
    def notice(self) -> str | None:
        """One line for the status bar when the query was not taken literally."""
        return "; ".join(self.notices) or None


def _group_fts(group: tuple[Term, ...]) -> str:
    if len(group) == 1:
        return group[0].fts
    return "(" + " OR ".join(term.fts for term in group) + ")"


def _bare(text: str) -> str:
    """`text` without the punctuation around it (`(brexit),` -> `brexit`)."""
    start, end = 0, len(text)
    while start < end and not searchable(text[start]):
        start += 1
    while end > start and not searchable(text[end - 1]):
        end -= 1
    return text[start:end]


def searchable(text: str) -> bool:
    """Whether the index tokenizer finds a token in `text` (letters, digits, marks, private
    use: `index_schema.WORDS`; the rest separates tokens)."""
    return any(unicodedata.category(c)[0] in "LNM" or unicodedata.category(c) == "Co" for c in text)


# -- lexing --------------------------------------------------------------------------------


class _Lexeme(NamedTuple):
    text: str
    quoted: bool
    glued: bool
    """No space between this and the previous lexeme (`source:"Le Monde"`, `"a b"*`)."""


class _Unit(NamedTuple):
    """A lexed item: an operator, a word or phrase, or a filter."""

    kind: str  # "or", "and", "not", "word", "filter", "skip"
    text: str = ""
    key: str = ""
    negated: bool = False
    quoted: bool = False
    prefix: bool = False


_INVISIBLE = re.compile("[\u200c-\u200f\u2060-\u2064\ufeff]")


def _prepare(text: str) -> tuple[str, list[str]]:
    """Tidied query text: bounded, NFC, no control characters, quotes balanced."""
    notices: list[str] = []
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        notices.append(f"query too long: only the first {MAX_CHARS} characters were used")
    # Control characters, lone surrogates that SQLite cannot even encode, and the zero-width
    # space (a word break the text keeps, as the index takes it) separate words.
    text = "".join(
        " " if c == ZERO_WIDTH_SPACE or unicodedata.category(c) in ("Cc", "Cs") else c for c in text
    )
    # The index holds no other zero-width characters (the sanitizer takes them out, `segment`
    # the non-joiner and the joiner that text keeps), so a word typed with one ("می‌خواهم",
    # as Persian keyboards put it) is searched without it.
    text = _INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    if text.count('"') % 2:
        # Quotes pair up left to right, so the last one is the stray. Opening a filter's
        # value (`source:"Wire`), it goes without a space: the filter keeps its value.
        cut = text.rindex('"')
        gap = "" if _FILTER_KEY_END.search(text[:cut]) else " "
        text = text[:cut] + gap + text[cut + 1 :]
        notices.append(UNBALANCED)
    return text, notices


def _lexemes(text: str) -> list[_Lexeme]:
    found: list[_Lexeme] = []
    glued = False
    for spaces, quoted, bare in _LEXEME.findall(text):
        if spaces:
            glued = False
            continue
        is_quoted = not bare
        found.append(_Lexeme(quoted if is_quoted else bare, is_quoted, glued and bool(found)))
        glued = True
    return found


def _units(lexemes: list[_Lexeme]) -> Iterator[_Unit]:
    index = 0
    while index < len(lexemes):
        unit, index = _unit_at(lexemes, index)
        yield unit


def _unit_at(lexemes: list[_Lexeme], index: int) -> tuple[_Unit, int]:
    """The unit starting at `index` and the index after it."""
    current = lexemes[index]
    following = lexemes[index + 1] if index + 1 < len(lexemes) else None
    glued = following if following is not None and following.glued else None
    if current.quoted:
        if glued is not None and not glued.quoted and glued.text.strip("*") == "":
            return _Unit("word", current.text, quoted=True, prefix=True), index + 2
        return _Unit("word", current.text, quoted=True), index + 1
    if current.text in _OPERATORS:
        return _Unit(current.text.lower()), index + 1
    body = current.text.lstrip("-")
    negated = body != current.text
    if not body:  # a lone `-`, or one in front of a quoted phrase
        if glued is not None and glued.quoted:
            unit, after = _unit_at(lexemes, index + 1)
            return unit._replace(negated=True), after
        return _Unit("skip"), index + 1
    key, colon, value = body.partition(":")
    if colon and key.lower() in _FILTERS:
        if not value and glued is not None and glued.quoted:
            return _Unit("filter", glued.text, key.lower(), negated, quoted=True), index + 2
        return _Unit("filter", value, key.lower(), negated), index + 1
    word = body.rstrip("*")
    return _Unit("word", word, negated=negated, prefix=word != body), index + 1


# -- parsing -------------------------------------------------------------------------------


class _Builder:
    """Accumulates units into a ParsedQuery."""

    def __init__(self, now: float) -> None:
        self.now = now
        self.groups: list[list[Term]] = []
        self.excluded: list[Term] = []
        self.lists: dict[str, list[str]] = {}
        self.states: dict[str, bool] = {}
        self.since: float | None = None
        self.before: float | None = None
        self.notices: list[str] = []
        self.pending_or = False
        self.pending_not = False
        self.after_term = False
        """The previous unit was a positive term, so an OR may follow."""

    def add(self, unit: _Unit) -> None:
        if unit.kind == "or":
            self._or()
            return
        if unit.kind == "not":
            self.pending_not = not self.pending_not
            return
        if unit.kind == "skip":
            self.note("- needs a word after it: ignored")
            return
        if unit.kind == "and":
            return
        if self.pending_not:  # `NOT x` is `-x`
            unit, self.pending_not = unit._replace(negated=not unit.negated), False
        if unit.kind == "word" or unit.key in COLUMNS:
            self._term(unit)
            return
        self._lone_or()
        self.after_term = False
        self._filter(unit)

    def _or(self) -> None:
        if self.after_term and not self.pending_or:
            self.pending_or = True
        else:
            self.note("OR needs a word on each side: ignored")

    def _lone_or(self) -> None:
        if self.pending_or:
            self.note("OR needs a word on each side: ignored")
            self.pending_or = False

    def _term(self, unit: _Unit) -> None:
        text, prefix = unit.text, unit.prefix
        if unit.kind == "filter" and not unit.quoted and text.endswith("*"):
            text, prefix = text.rstrip("*"), True
        if not searchable(text):
            self._lone_or()
            self.after_term = False
            if text.strip():
                self.note(f"{NOTHING} in {quote(text)}: ignored")
            elif unit.kind == "filter":
                self._no_value(unit.key)
            return
        term = Term(text, unit.key or None, prefix)
        if self._count() >= MAX_TERMS:
            self.note(f"too many words: only the first {MAX_TERMS} were used")
            return
        if unit.negated:
            self._lone_or()
            self.excluded.append(term)
            self.after_term = False
            return
        if self.pending_or and self.groups:
            self.groups[-1].append(term)
        else:
            self.groups.append([term])
        self.pending_or, self.after_term = False, True

    def _count(self) -> int:
        return sum(len(group) for group in self.groups) + len(self.excluded)

    def _filter(self, unit: _Unit) -> None:
        value = unit.text.strip()
        if not value:
            self._no_value(unit.key)
            return
        if unit.key in ("source", "tag"):
            name = ("excluded_" if unit.negated else "") + unit.key + "s"
            self.lists.setdefault(name, []).append(value)
        elif unit.key == "is":
            self._state(value.lower(), unit.negated)
        else:
            self._date(unit.key, value, unit.negated)

    def _state(self, state: str, negated: bool) -> None:
        if state not in _STATES:
            self.note(f"is:{state} is not a filter (is:unread, is:read, is:saved, is:hidden)")
            return
        if state in ("unread", "read"):
            # `-is:unread` is `is:read`; both unread and read: the last one counts.
            wanted = (state == "unread") != negated
            if self.states.get("unread", wanted) != wanted:
                self.note("is:read and is:unread together: the last one counts")
            self.states["unread"] = wanted
            return
        self.states[state] = not negated

    def _date(self, key: str, value: str, negated: bool) -> None:
        stamp = parse_date(value, self.now)
        if stamp is None:
            self.note(f"{key}:{value} is not a date (2026-01-31, 7d, 12h, 2w, 3m, 1y): ignored")
            return
        if (key == "since") != negated:
            self.since = stamp if self.since is None else max(self.since, stamp)
        else:
            self.before = stamp if self.before is None else min(self.before, stamp)

    def _no_value(self, key: str) -> None:
        self.note(f"{key}: needs a value: ignored")

    def note(self, notice: str) -> None:
        if notice not in self.notices:
            self.notices.append(notice)

    def build(self) -> ParsedQuery:
        self._lone_or()  # `genoa OR`
        if self.pending_not:  # `genoa NOT`, `NOT`
            self.note("NOT needs a word after it: ignored")
        return ParsedQuery(
            groups=tuple(tuple(group) for group in self.groups),
            excluded=tuple(self.excluded),
            sources=tuple(self.lists.get("sources", ())),
            excluded_sources=tuple(self.lists.get("excluded_sources", ())),
            tags=tuple(self.lists.get("tags", ())),
            excluded_tags=tuple(self.lists.get("excluded_tags", ())),
            unread=self.states.get("unread"),
            saved=self.states.get("saved"),
            hidden=self.states.get("hidden", False),
            since=self.since,
            before=self.before,
            notices=tuple(self.notices),
        )


def parse_date(value: str, now: float) -> float | None:
    """A since:/before: value as a timestamp (UTC days; relative to `now`), or None."""
    relative = _RELATIVE.fullmatch(value)
    if relative:
        return now - int(relative[1]) * _UNITS[relative[2].lower()]
    absolute = _ABSOLUTE.fullmatch(value)
    if absolute is None:
        return None
    year, month, day = (int(part) if part else 1 for part in absolute.groups())
    try:
        return datetime(year, month, day, tzinfo=UTC).timestamp()
    except ValueError:  # month 13, day 32, year 0
        return None


_NEWSBOAT_FILTER = re.compile(
    r"\b(?:unread|title|author|tags|feedtitle|feedurl|age|flags|content)\s*(?:=~|!~|!=|=|#|<|>)"
)
"""newsboat's filter language (`unread = "yes"`, `title =~ "x"`), which people coming from it
type out of habit."""


def parse_query(text: str, now: float | None = None) -> ParsedQuery:
    """Take a query apart (see the module docstring). Never raises: any text is a query."""
    builder = _Builder(time.time() if now is None else now)
    habit = _NEWSBOAT_FILTER.search(text) is not None
    text, builder.notices = _prepare(text)
    if habit:
        builder.note("try is:unread, title:WORD, tag:NAME (newsboat's filters are not read here)")
    lexemes = _lexemes(text)
    if any(not lexeme.quoted and _PARENTHESIS.search(lexeme.text) for lexeme in lexemes):
        builder.note(PARENTHESES)
    for unit in _as_words_when_alone(list(_units(lexemes))):
        builder.add(unit)
    parsed = builder.build()
    if is_nothing(parsed):  # a lone `"` was not searched as anything
        return parsed._replace(notices=tuple(n for n in parsed.notices if n != UNBALANCED))
    return parsed


def _as_words_when_alone(units: list[_Unit]) -> list[_Unit]:
    """Operators with nothing else in the query (`OR`, `NOT`, `AND`) have no operand to
    join or negate: whoever typed only them is looking for the word."""
    if any(unit.kind not in ("or", "and", "not") for unit in units):
        return units
    return [_Unit("word", unit.kind) for unit in units]


def nothing_to_find(text: str) -> str | None:
    """Why `text` is no query, or None: one that neither searches nor filters once read
    (`source:` alone, a lone quote or `-`, `NOT`, `*`, a bad date) would select every
    article, so it is refused as an empty one is: by the config (a rule, a saved search),
    the command line and the search (no results)."""
    if is_nothing(parse_query(text)):
        return f"{quote(text)} has {NOTHING} or filter by"
    return None


def is_nothing(parsed: ParsedQuery) -> bool:
    """Whether a parsed query neither searches nor filters."""
    return parsed._replace(notices=()) == ParsedQuery()


def plain_words(text: str, notice: str) -> ParsedQuery:
    """The query as nothing but plain words (the fallback when a parsed query failed)."""
    text, _ = _prepare(text.replace('"', " "))
    terms = [Term(word) for word in text.split() if searchable(word)][:MAX_TERMS]
    return ParsedQuery(groups=tuple((term,) for term in terms), notices=(notice,))
