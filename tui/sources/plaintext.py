"""Plain-text articles: title line, byline, stated date and trailing boilerplate.

A saved article usually reads: a title line, a blank line, maybe a byline ("di …", "By …"),
paragraphs, and at the end a newsletter call, share buttons or the title again. None of the
layout rules depend on the language; bylines, dates and boilerplate know a few words in many
(those of bylines and boilerplate in `tui.sources.wordlists`).
Everything is conservative: a line is only taken out of the body when it clearly is metadata.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from tui.content.spans import escaped_lines, unmarked
from tui.local_time import stated_day
from tui.sources import wordlists
from tui.text import clean_body, clean_line

MAX_TITLE_CHARS = 200
"""A first line longer than this is a paragraph, not a title."""
_MAX_BYLINE_CHARS = 80
_MAX_DATE_CHARS = 60
_MAX_BOILERPLATE_CHARS = 120
_EDGE_LINES = 5
"""Dates are looked for among this many non-empty lines at the top and at the bottom."""
_STAND_IN_CHARS = 80


@dataclass
class Parts:
    """What a local file states about its article, before it becomes an `Article`."""

    title: str | None
    author: str | None
    body: str
    published: datetime | None
    url: str | None = None
    links: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    problems: list[str] = field(default_factory=list)
    """Warnings about the file that did not stop the import (bad front matter)."""


def parse_plain(text: str) -> Parts:
    """Split a plain-text article into title, author, date and body."""
    lines = clean_body(text).split("\n")
    published = take_date(lines)
    title = take_title(lines)
    author, stated = take_byline(lines)
    published = published or stated
    trim_tail(lines, title)
    author = author or take_closing_byline(lines)
    body = escaped_lines(clean_body("\n".join(lines)))  # its `*` and `_` are text
    return Parts(title or stand_in_title(body), author, body, published)


def take_title(lines: list[str]) -> str | None:
    """Remove and return the first line if it stands alone and is short enough to be a title."""
    index = _first_text(lines, 0)
    if index is None:
        return None
    line = lines[index].strip()
    after = lines[index + 1] if index + 1 < len(lines) else ""
    if len(line) > MAX_TITLE_CHARS or (after.strip() and byline_name(after) is None):
        return None  # the first line runs on into a paragraph: there is no title line
    del lines[: index + 1]
    return clean_line(line)


def take_byline(lines: list[str]) -> tuple[str | None, datetime | None]:
    """Remove the first remaining line if it is a byline; the author and the date it states
    ("By Jane Doe | December 1, 2023")."""
    index = _first_text(lines, 0)
    found = byline(lines[index]) if index is not None else None
    if index is None or found is None:
        return None, None
    del lines[: index + 1]
    return found


def take_closing_byline(lines: list[str]) -> str | None:
    """Remove the last line if it is a byline of the kind that ends a Korean article ("홍길동
    기자 hong@yna.co.kr": a name, then the reporter's title); the author it names."""
    index = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), None)
    if index is None or not _NAME_FIRST.match(lines[index].strip()):
        return None
    found = byline(lines[index])
    if found is not None:
        del lines[index]
    return None if found is None else found[0]


def stand_in_title(body: str) -> str:
    """A title for text without one: the start of its first line (without the body's marks
    and escapes), cut at a word."""
    first = next((unmarked(line).strip() for line in body.split("\n") if line.strip()), "")
    if len(first) <= _STAND_IN_CHARS:
        return first
    cut = first[:_STAND_IN_CHARS].rsplit(" ", 1)[0] or first[:_STAND_IN_CHARS]
    return cut.rstrip(" ,;:") + "…"


def _first_text(lines: list[str], start: int) -> int | None:
    """Index of the first non-blank line from `start`."""
    return next((i for i in range(start, len(lines)) if lines[i].strip()), None)


def fold(text: str) -> str:
    """Lower case without accents and with single spaces, for comparing and keyword tests."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


# -- bylines --------------------------------------------------------------------------------

_COLON = r"\s*[:：]\s*"
_BYLINE = re.compile(
    rf"""^(?:
        (?:{wordlists.BY})(?:{_COLON}|\s+)
      | (?:{wordlists.WITH_COLON}){_COLON}
      | (?:{wordlists.CJK})\s*[:：・/／]\s*
      | {wordlists.REPORTER}(?:\s*[:：・/／]\s*|\s+)
      | (?P<genitive>{wordlists.GENITIVE})\s+
    )(?P<name>.+)$""",
    re.IGNORECASE | re.VERBOSE,
)
_HANGUL, _HAN, _KANA = r"\uac00-\ud7a3", r"\u3400-\u9fff々", r"\u3041-\u30ff"
_ASIAN_NAME = rf"(?:[{_HANGUL}]{{2,4}}|[{_HAN}]{{1,3}}\s?[{_HAN}{_KANA}]{{1,3}})"
"""A Korean name is one word of two to four syllables; a Japanese or Chinese one a few
ideographs (and kana), maybe spaced between family and given name."""
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_NAME_FIRST = re.compile(  # "홍길동 기자", "김민준·이서연 기자 (kim@yna.co.kr)", "山田太郎 記者"
    rf"""^(?P<name>{_ASIAN_NAME}(?:\s*[·ㆍ・,、]\s*{_ASIAN_NAME})*)\s*(?:{wordlists.AFTER_NAME})
    (?:\s*[(\[<（]?\s*{_EMAIL}\s*[)\]>）]?)?\s*=?$""",
    re.VERBOSE,
)
_CJK_RUN = re.compile(rf"[{_HANGUL}{_HAN}{_KANA}]{{6,}}")
"""Six ideographs, kana or syllables in a row make a phrase, not a name."""
_NAME_SEPARATOR = re.compile(r"\s+[|·•—–-]\s+")
_INITIAL = re.compile(r"(?:\b\w|\bjr|\bsr)\.$", re.IGNORECASE)


def byline_name(line: str) -> str | None:
    """The author named by a byline ("di Mario Rossi", "By Jane Doe | 12 May 2024"), or None."""
    found = byline(line)
    return None if found is None else found[0]


def byline(line: str) -> tuple[str, datetime | None] | None:
    """The author a byline names and the date it states, if any; None if it is no byline.

    Why so strict: the line under a title is as often a subtitle; a byline is short, starts
    with a byline word (or, in Korean and Japanese, ends with one), names someone with a
    capital letter where the script has them and is not a sentence.
    """
    line = line.strip().strip("*_").strip()
    match = _BYLINE.match(line) or _NAME_FIRST.match(line)
    if match is None or len(line) > _MAX_BYLINE_CHARS:
        return None
    name, stated = _name_and_date(match.group("name"))
    if not name or name[0].islower() or not name[0].isalpha() or len(name.split()) > 8:
        return None
    if name[-1] in ".!?;:…。！？।؟" and not _INITIAL.search(name):
        return None
    if _CJK_RUN.search(name) or (match.groupdict().get("genitive") and not _named(name)):
        return None  # a Chinese sentence after "作者："; Greek "Της χρονιάς η Ελλάδα ..."
    cleaned = clean_line(name)
    return (cleaned, stated) if cleaned else None


_GREEK_AND = re.compile(wordlists.GREEK_AND)


def _named(names: str) -> bool:
    """Whether `names` is one or two names of capitalised words (a Greek byline's shape)."""
    parts = _GREEK_AND.split(names, maxsplit=1)
    return all(part.split() and all(w[0].isupper() for w in part.split()) for part in parts)


def _name_and_date(rest: str) -> tuple[str, datetime | None]:
    """A byline's name, and the date after it ("Jane Doe | May 1, 2024", "Jane Doe, 1. Mai
    2024"); a part after a separator that is no date is dropped (a role, a place)."""
    parts = _NAME_SEPARATOR.split(rest, maxsplit=1)
    if len(parts) == 2:
        return parts[0].strip(), parse_date_line(parts[1])
    for comma in (i for i, char in enumerate(rest) if char == ","):
        stated = parse_date_line(rest[comma + 1 :])
        if stated is not None:
            return rest[:comma].strip(), stated
    return rest.strip(), None


# -- dates ----------------------------------------------------------------------------------

_LABEL = re.compile(
    r"^(?:published|posted|updated|last updated|date|pubblicato|aggiornato|data|veroffentlicht"
    r"|aktualisiert|datum|stand|publie|mis a jour|publicado|actualizado|atualizado|fecha"
    r"|gepubliceerd|bijgewerkt)(?: (?:on|il|am|le|el|em|op|en))?\s*[:：\-–—]?\s*"
)
_TIME = re.compile(
    r"(?:[,\s]+(?:at|um|alle ore|alle|ore|a las|as|a|om|-|–|—|\|))?\s*(?<![\d.])(\d{1,2})[:h.]"
    r"(\d{2})(?!\d)(?::\d{2})?\s*(am|pm|uhr|h)?\s*(?:[a-z]{2,5}|[+-]\d{2}:?\d{2})?$"
)
_WEEKDAY = r"(?:[a-z]+,?\s+)?"
_DAY_SUFFIX = r"(?:er|o|°|st|nd|rd|th)?\.?"
_DMY = r"(\d{1,2})" + _DAY_SUFFIX + r"\s+(?:de\s+)?([a-z]+)\.?,?\s+(?:de\s+)?(\d{4})"
_MDY = r"([a-z]+)\.?\s+(\d{1,2})" + _DAY_SUFFIX + r",?\s+(\d{4})"
_CJK = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*[(（]\w{1,3}[)）])?"
_DATE_FORMS: tuple[tuple[re.Pattern[str], tuple[int, int, int]], ...] = (
    # (pattern, group numbers of year, month, day)
    (re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\.?"), (1, 2, 3)),
    (re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})"), (3, 2, 1)),
    (re.compile(_WEEKDAY + _DMY), (3, 2, 1)),
    (re.compile(_WEEKDAY + _MDY), (3, 1, 2)),
    (re.compile(_CJK), (1, 2, 3)),
)


def take_date(lines: list[str]) -> datetime | None:
    """Remove and return the first date-only line among the top and bottom few lines."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for index in dict.fromkeys(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:][::-1]):
        found = parse_date_line(lines[index])
        if found is not None:
            del lines[index]
            return found
    return None


def parse_date_line(line: str) -> datetime | None:
    """A line that is just a date ("12 novembre 2024", "Published: 2024-11-12 10:30"), in UTC.

    A time without a zone is local time (the person writing the file wrote theirs); a date
    without a time is `stated_day`'s, shown as that day in every zone.
    """
    if len(line) > 2 * _MAX_DATE_CHARS:
        return None
    text = fold(line).strip("*_ ")
    if not text or len(text) > _MAX_DATE_CHARS or not any(c.isdigit() for c in text):
        return None
    text = _LABEL.sub("", text).strip(" ,.")
    iso = _iso(text)
    if iso is not None:
        return iso
    clock = None
    time_match = _TIME.search(text)
    if time_match and time_match.start() > 0:
        clock = _clock(time_match)
        text = text[: time_match.start()].strip(" ,")
    return _calendar_date(text, clock)


def _iso(text: str) -> datetime | None:
    """An ISO 8601 date-time ("2024-11-12T10:30:00+01:00"; local time without an offset)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}.*", text):
        return None
    try:
        parsed = datetime.fromisoformat(text.upper())
    except ValueError:
        return None
    # A naive one is taken as local time; to the second: a fraction could fake the day mark
    return parsed.astimezone(UTC).replace(microsecond=0)


def _clock(match: re.Match[str]) -> time | None:
    """The time of a time match, 12-hour clocks converted; None when it is no time."""
    hour, minute, half = int(match.group(1)), int(match.group(2)), match.group(3)
    if half == "pm" and hour < 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _calendar_date(text: str, clock: time | None) -> datetime | None:
    """The date when the whole of `text` is one of the known forms, at `clock` local time
    (or the day alone)."""
    for pattern, (y, m, d) in _DATE_FORMS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        year, day, month_text = int(match.group(y)), int(match.group(d)), match.group(m)
        month = int(month_text) if month_text.isdigit() else wordlists.MONTHS.get(month_text, 0)
        if month > 12 and day <= 12:  # 11/12/2024 is read day-first; 11/25/2024 cannot be
            month, day = day, month
        try:
            found = date(year, month, day)
        except ValueError:
            return None
        if not 1900 <= year <= 2100:
            return None
        if clock is None:
            return stated_day(found)
        return datetime.combine(found, clock).astimezone(UTC)  # the writer's local time
    return None


# -- trailing boilerplate -------------------------------------------------------------------


def _phrases(phrases: tuple[str, ...]) -> str:
    """Alternatives matching `phrases` as `fold` writes them (for patterns on folded text)."""
    return "|".join(re.escape(fold(phrase)) for phrase in phrases)


_CLOSING = re.compile(  # a line starting with these is a share or follow button
    r"""^(?:share\b|condividi|teilen\b|artikel\s+teilen|partage[rz]
      |compart(?:ir|e|ilhe|ilhar)\b|deel\b|delen\b|follow\s+us|seguici|folg(?:en\s+sie|e)\s+uns
      |suivez[-\s]nous|siguenos|siga[-\s]nos|volg\s+ons|"""
    + _phrases(wordlists.SHARE)
    + ")",
    re.VERBOSE,
)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)\s*\d{4}|copyright\b)")
_RESERVED = re.compile(
    r"""all\s+rights\s+reserved|tutti\s+i\s+diritti\s+riservati|alle\s+rechte\s+vorbehalten
    | tous\s+droits\s+reserves|todos\s+(?:los\s+derechos\s+reservados|os\s+direitos\s+reservados)
    | alle\s+rechten\s+voorbehouden|無断転載|転載を禁|"""
    + _phrases(wordlists.RESERVED),
    re.VERBOSE,
)
_CALL = re.compile(  # a newsletter's call, wherever it is in the line
    r"""newsletter|\bsubscribe\b|\bsign\s+up\b|\biscriviti\b|\babbonati\b|\babonnez\b
    | \babonnieren\b|\bsuscribe|\binscreva|\babonneer|ニュースレター|シェア|"""
    + _phrases(wordlists.CALLS),
    re.VERBOSE,
)
_TO_THE_READER = re.compile(
    r"\b(?:our|your|you|nostr[ao]|tuo|tua|notre|nos|votre|vos|unser\w*|ihr\w*|nuestr[ao]s?"
    r"|tu|nosso|nossa|onze|uw|je)\b"
)
_CALL_WORDS = 12
"""A longer line naming a newsletter is a sentence of the article, unless it speaks to the
reader ("our newsletter") or starts with the call ("Sign up for ...")."""
_COPYRIGHT_WORDS = 6
"""A longer `©` line without a year is a sentence ("© The copyright law reform passed ...")."""
_RELATED = re.compile(
    r"^(?:read\s+(?:more|also|next)|see\s+also|related(?:\s+articles?)?|more\s+on\s+this"
    r"|leggi\s+anche|leggi\s+(?:di\s+piu|altro)|approfondisci|lesen\s+sie\s+(?:auch|mehr)"
    r"|mehr\s+zum\s+thema|(?:a\s+)?lire\s+aussi|lee\s+tambien|leia\s+(?:tambem|mais)"
    r"|lees\s+ook|関連記事)\b\s*[:：]?"
)
_RELATED_REACH = 6
"""How many trailing lines a "Read more:" block may span."""


def trim_tail(lines: list[str], title: str | None) -> None:
    """Drop trailing blank lines, boilerplate, "read more" blocks and a repeated title."""
    title_key = fold(title or "")
    while lines:
        line = lines[-1].strip()
        if not line or is_boilerplate(line) or _same_title(line, title_key):
            lines.pop()
            continue
        cut = _related_block(lines)
        if cut is None:
            return
        del lines[cut:]


def _same_title(line: str, title_key: str) -> bool:
    """True when `line` repeats the title, ignoring case, accents and spacing."""
    return bool(title_key) and len(line) < 2 * len(title_key) + 10 and fold(line) == title_key


def is_boilerplate(line: str) -> bool:
    """A short closing line that is not article text (newsletter, share, copyright)."""
    if len(line) > _MAX_BOILERPLATE_CHARS:
        return False
    text = fold(line)
    words = len(text.split())
    if _CLOSING.match(text) or _RESERVED.search(text) or _RELATED.match(text):
        return True
    if _COPYRIGHT.match(text):
        return words <= _COPYRIGHT_WORDS or re.search(r"\b\d{4}\b", text) is not None
    call = _CALL.search(text)
    if call is None:
        return False
    return words <= _CALL_WORDS or call.start() == 0 or _TO_THE_READER.search(text) is not None


def _related_block(lines: list[str]) -> int | None:
    """Where a trailing "Read more:" header starts if only short lines (titles) follow it."""
    filled = [i for i, line in enumerate(lines) if line.strip()][-_RELATED_REACH:]
    for index in filled[:-1]:
        after = [lines[i] for i in filled if i > index]
        short = all(len(line.strip()) <= _MAX_BOILERPLATE_CHARS for line in after)
        if short and _RELATED.match(fold(lines[index])):
            return index
    return None
