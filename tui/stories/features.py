"""What an article's text says about its story: candidate keys, and the sketch two candidates
are judged by.

Two costs, two steps. `keys` runs for every new article and must be cheap (a few C-level
regular-expression passes over the title and the first `KEY_CHARS` of the body): the hashes of
the lead's first sentences (an agency copy keeps most of them whatever it does to the headline
or the ending; a one-line item's headline and text) and of its names and numbers (reports
written apart share those). `sketch`
reads more (the first `LEAD_CHARS`) and runs only for the few articles a key brought together.

Hashes are CRC-32 of UTF-8 text and tuples of them hashed by Python (the same in every process,
unlike string hashes), so keys computed in one process are found again in another.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass
from itertools import filterfalse

from tui.prepared import unjoined

FLASH_WORDS = 4
"""Headline words a flash shares with its full text at least ("Stocks fall" is every day's)."""

KEY_CHARS = 400
"""Body characters `keys` reads: the first sentences of the lead."""
LEAD_CHARS = 1000
"""Body characters `sketch` reads: agency copies keep the lead when they trim the ending, and
reports written apart put their names, places and numbers there."""
SENTENCE_KEYS = 3
SENTENCE_MIN_CHARS = 40
"""Sentences shorter than this ("He said.") are no evidence of a copy."""
CJK_MIN_CHARS = 12
"""The same for Chinese, Japanese and Korean, where a character says more."""
NAME_KEYS = 6
"""Names and numbers kept as keys (numbers and the longest names first: the rarest)."""

_WORD = re.compile(r"[^\W_]+(?:[’'.,-][^\W_]+)*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_PLAIN_WORD = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"\d[\d.,]*\d")
_PUNCTUATION = "\"'“”‘’«»()[],.;:!?"
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)([^\W_]+)")
_SENTENCE_END = re.compile(r"[.!?]\s")
_NAME = "\x00"
"""Before a name hashed as a key: no sentence starts with it (text is sanitized)."""
_UPDATE = re.compile(
    r"^\W*(update[ds]?|updated|breaking|exclusive|live|watch)\b(?:\s+\d{1,2}-)?\W*", re.I
)
"""A headline's prefix an outlet adds to the same report ("UPDATE 1-", "BREAKING:")."""


# Function words of the languages told apart; a capitalised one starts a sentence, not a name.
_STOPWORDS = {
    "en": "the a an of and to in is that for on with as was by at from it its are be has have "
    "he she they his her this will said after over into not but who which were been their "
    "about some around nearly more most many several all also only there when while",
    "fr": "le la les de des du un une et est dans pour sur avec pas plus par au aux qui que "
    "son sa ses ont été il elle ce cette après selon",
    "de": "der die das und ist nicht mit für auf den dem des ein eine einer sich von zu im "
    "nach bei wird wurde hat sind auch als aus",
    "es": "el la los las de y en que por para con un una del al se su sus es fue ha tras "
    "según como más",
    "it": "il lo gli le di e che per con un una del della dei nel sul è sono ha dopo come",
    "pt": "o os as de e em que para com um uma do da dos das no na se foi após como mais",
    "nl": "de het een en van in is op met voor niet zijn dat die te aan door werd heeft",
}
_FUNCTION_BY_LANGUAGE = {lang: frozenset(words.split()) for lang, words in _STOPWORDS.items()}
FUNCTION_WORDS = frozenset().union(*_FUNCTION_BY_LANGUAGE.values())
"""Every language's function words (a capitalised one starts a sentence, it names nothing)."""
_DAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
# Capitalised words every day's news has: no evidence of one event.
_COMMON_NAMES = frozenset([*_DAYS, *_MONTHS, "update", "breaking"])
_WEEKDAYS = frozenset(
    _DAYS
    + "lunedì martedì mercoledì giovedì venerdì sabato domenica montag dienstag mittwoch "
    "donnerstag freitag samstag sonntag lundi mardi mercredi jeudi vendredi samedi dimanche "
    "lunes martes miércoles jueves viernes sábado domingo segunda-feira terça-feira "
    "quarta-feira quinta-feira sexta-feira maandag dinsdag woensdag donderdag vrijdag zaterdag "
    "zondag".split()
)
"""Days a report names ("on Tuesday"): two reports naming only other days tell of two days."""
_DATE = re.compile(rf"\b(?:(\d{{1,2}})\s+)?({'|'.join(_MONTHS)})\b(?:\s+(\d{{1,2}})\b)?")
OPENING_WORDS = 12
"""Words of the lead's opening: a copy keeps it (whatever it adds before or trims after)."""
_SCRIPTS = (
    ("cjk", _CJK),
    ("cyrillic", re.compile(r"[\u0400-\u04ff]")),
    ("arabic", re.compile(r"[\u0600-\u06ff]")),
    ("greek", re.compile(r"[\u0370-\u03ff]")),
    ("hebrew", re.compile(r"[\u0590-\u05ff]")),
)


def keys(title: str, body: str) -> tuple[list[str], list[str]]:
    """(sentences, names and numbers) of an article: the words a candidate shares with it.

    String methods rather than regular expressions, and one pass over the words: this runs
    for every new article. A name is a capitalised word that does not start a sentence (a
    headline in Title Case gives none); a number has a digit and no letter case. A one-line
    item's sentence is short ("Stocks fell sharply on Monday."), no key within a longer text:
    its headline and its text, their words alone, are its keys."""
    lead, parts, sentences = _lead(body)
    title = unjoined(title)
    headline = _plain(_UPDATE.sub("", title))
    if _one_line(lead, sentences):  # its headline and its whole text are what it says
        sentences = list(dict.fromkeys([*sentences, *headline, *_plain(lead)]))
    elif _says_enough(headline):  # a flash of the same headline finds the full text, in
        sentences = list(dict.fromkeys([*sentences, *headline]))  # whichever order they come
    if not _title_case(title):
        parts.append(_UPDATE.sub("", title))
    found: set[str] = set()
    for part in parts:  # C-level filtering: most words are lower case
        found.update(filterfalse(str.islower, part.split()[1:]))
    found = {key for w in found for key in _name_keys(w.strip(_PUNCTUATION).lower())}
    names = [w for w in found - _COMMON_NAMES if len(w) > 2 or (len(w) == 2 and w.isdigit())]
    names.sort(key=lambda w: (not w[0].isdigit(), -len(w), w))
    return sentences, names[:NAME_KEYS]


def _name_keys(word: str) -> list[str]:
    """A name without its possessive ("portugal's" is "portugal"), a vote's or a score's
    numbers apart ("121-104": "121" and "104"), as reports written apart give them."""
    word = word.removesuffix("'s").removesuffix("’s")
    numbers = word.split("-")
    return numbers if len(numbers) == 2 and all(map(str.isdigit, numbers)) else [word]


def _lead(body: str) -> tuple[str, list[str], list[str]]:
    """The start of a body `keys` reads (CJK full stops made ". "), its parts split at full
    stops, and the first sentences long enough to be evidence of a copy (lowercased)."""
    # Outlets differ in writing the (non-)joiner (Persian, Hindi): the words are the same.
    lead = unjoined(body[:KEY_CHARS])
    shortest = SENTENCE_MIN_CHARS
    if not lead.isascii() and _CJK.search(lead):
        shortest = CJK_MIN_CHARS
        for stop in "。！？":
            lead = lead.replace(stop, ". ")
    parts = lead.split(". ")
    # Once each: a lead repeating a sentence would otherwise be its own candidate. Without the
    # last part's stop: a copy cut after its first sentence ends there, the full text does not.
    firsts = (p.lower().rstrip(".") for p in parts[:SENTENCE_KEYS])
    sentences = list(dict.fromkeys(p for p in firsts if len(p) >= shortest))
    return lead, parts, sentences


def _one_line(lead: str, sentences: list[str]) -> bool:
    """Whether a lead is a one-line item's: a single sentence, none long enough to be a
    key (a feed's summary of one line, "Stocks fell sharply on Monday."), or none at all (a
    flash: its headline alone)."""
    return not sentences or not _SENTENCE_END.search(lead.strip())


def _says_enough(headline: list[str]) -> bool:
    """Whether a headline has the words a flash must share to join (`FLASH_WORDS`):
    "Latest news" as a key finds a day of news, crowding out the story's own candidates."""
    return bool(headline) and len(set(headline[0].split()) - FUNCTION_WORDS) >= FLASH_WORDS


def _plain(*texts: str) -> list[str]:
    """The texts that have words, as their words (lowercased, without punctuation): an
    outlet's copy of a one-line item differs in case, quotes and stops at most."""
    found = (" ".join(_PLAIN_WORD.findall(text.lower())) for text in texts)
    return [words for words in found if words]


def key_hashes(title: str, body: str) -> tuple[int, tuple[int, ...]]:
    """`keys` as the pass's index holds them: how many are sentences, and CRC-32s of the
    sentences, then of the names (apart from any sentence's). Small enough to be kept for
    every article a run stores, and the same in every process: a refresh's parser process
    computes them beside the parse."""
    sentences, names = keys(title, body)
    return len(sentences), (*map(_crc, sentences), *(_crc(_NAME + name) for name in names))


def _title_case(title: str) -> bool:
    words = title.split()
    return sum(map(str.istitle, words)) * 5 >= len(words) * 3


@dataclass(frozen=True)
class Sketch:
    """An article's story features."""

    shingles: frozenset[int]
    """Hashes of the lead's overlapping word triples (title excluded: headlines change)."""
    opening: frozenset[int]
    """Those of its first `OPENING_WORDS` words."""
    first: frozenset[int]
    """Those of its first sentence."""
    days: frozenset[str]
    """The weekdays and dates ("12-01" for "December 1" or "1 December") the title and lead
    name."""
    words: frozenset[str]
    """The lead's words as written (a template's fillings differ in capitalised ones only)."""
    title: frozenset[int]
    """Hashes of the title's words other than function words."""
    keys: frozenset[int]
    """Hashes of the names (capitalised words) and numbers of the title and lead."""
    numbers: frozenset[int]
    """The subset of `keys` that are numbers."""
    language: str
    """A language code or script name guessed from function words ("" when unsure)."""
    one_line: bool
    """Whether the text is a one-line item (see `keys`): its headline is half of what it
    says."""


def sketch(title: str, body: str) -> Sketch:
    """The story features of an article."""
    # Outlets differ in writing apostrophes: "Apple’s" and "Apple's" are one word.
    title = _UPDATE.sub("", title).replace("’", "'")
    lead = body[:LEAD_CHARS].replace("’", "'")
    start, _, sentences = _lead(body)
    lead_words = _words(lead)
    title_words = _words(title)
    lowered = [w.lower() for w in lead_words or title_words]
    names = _names(title_words, lead_words, lead)
    numbers = {n.replace(",", "") for n in _NUMBER.findall(title + " " + lead)}
    return Sketch(
        shingles=frozenset(_shingles(lowered)),
        opening=frozenset(_shingles(lowered[:OPENING_WORDS])),
        first=frozenset(_shingles([w.lower() for w in _words(_SENTENCE_END.split(lead, 1)[0])])),
        days=_WEEKDAYS.intersection(w.lower() for w in (*title_words, *lead_words))
        | _dates(title + " " + lead),
        words=frozenset(lead_words or title_words),
        title=frozenset(map(_crc, {w.lower() for w in title_words} - FUNCTION_WORDS)),
        keys=frozenset(map(_crc, names | numbers)),
        numbers=frozenset(map(_crc, numbers)),
        language=_language(title + " " + lead, lowered),
        one_line=_one_line(start, sentences),
    )


def _dates(text: str) -> set[str]:
    """The days of the year `text` names in English ("December 1", "1 December")."""
    found = set()
    for day, month, day_after in _DATE.findall(text.lower()):
        if day or day_after:  # "in May" names no day
            found.add(f"{_MONTHS.index(month) + 1:02d}-{int(day or day_after):02d}")
    return found


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def _words(text: str) -> list[str]:
    """Words, with each CJK character a word of its own (triples of them make the shingles)."""
    if text.isascii():
        return _WORD.findall(text)
    return _WORD.findall(_CJK.sub(lambda m: f" {m.group(0)} ", text))


def _shingles(words: list[str]) -> set[int]:
    ids = [_crc(w) for w in words]
    if len(ids) < 3:
        return {hash(tuple(ids))} if ids else set()
    return set(map(hash, zip(ids, ids[1:], ids[2:], strict=False)))


def _names(title_words: list[str], lead_words: list[str], lead: str) -> set[str]:
    """Capitalised words (lowercased) other than function words, counting only those met more
    often than they start a sentence; a headline in Title Case gives none."""
    words = list(lead_words)
    if not _title_case(" ".join(title_words)):
        words += title_words[1:]
    starts = Counter(_SENTENCE_START.findall(lead))
    capitalised = Counter(w for w in words if not w.islower() and not w[0].isdigit()) - starts
    names = {w.lower() for w in capitalised}
    return {name for name in names - FUNCTION_WORDS - _WEEKDAYS if len(name) > 2}


def _language(text: str, lowered: list[str]) -> str:
    for name, pattern in _SCRIPTS:
        if pattern.search(text):
            return name
    present = FUNCTION_WORDS.intersection(lowered)
    counts = {lang: len(words & present) for lang, words in _FUNCTION_BY_LANGUAGE.items()}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] >= 2 else ""
