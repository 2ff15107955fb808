"""Whether two articles report the same event, from their sketches and dates.

Two kinds of evidence join them:
- the same text: most of the shorter lead's word triples are in the other (an agency copy with
  a new headline, edits or a trimmed ending), its opening among them (briefs ending with the
  same footer are not copies) unless it is an update that rewrote the lead, naming the same
  people and places (briefs that open with the same stock lines, "This is a developing
  story...", are not) and giving the same figures where both give several (a template filled
  in with another day's is not, an update revising them within `REVISED_SECONDS` is); two
  one-line items share some headline words too (a stock line under two headlines is not one
  text); a one-line flash under the full text's own headline is its copy the same day;
- the same facts, written apart: in the same language, within `REWRITE_SECONDS`, they share
  several names and numbers (one fewer when three are numbers; a good share of the smaller
  set) including two numbers, or one number, more names and some headline words. Names
  without numbers never join: the same minister or club in two articles is usually another
  day's news.
Nothing joins beyond `WINDOW_SECONDS` (the same wording a year apart is another story), nor
two reports naming only different days (Tuesday's and Wednesday's, December 1's and 2's), nor
one template filled in for two places (texts differing only in names and figures), nor a text
a day on sharing less than `LATE_COPY_CONTAINMENT` of the other (a daily briefing's intro).
"""

from __future__ import annotations

from tui.stories.features import FLASH_WORDS, FUNCTION_WORDS, Sketch

WINDOW_SECONDS = 3 * 86400
"""Articles are compared only with those dated within this of their own date."""
REWRITE_SECONDS = 2 * 86400
COPY_CONTAINMENT = 0.5
"""Share of the shorter lead's triples found in the other for a copy."""
COPY_MIN_SHARED = 4
REWRITTEN_MIN_SHARED = 3
"""Triples of its first sentence, and names, an update that rewrote its lead shares with the
report before it at least (a footer shares neither; one template filled in for two cities
shares wording but not the names)."""
KEYS_MIN_SHARED = 5
NUMBERS_FOR_FEWER_KEYS = 3
"""Numbers two rewrites share that let one name fewer do (2.25%, 1.9% and 0.4%, Macklem)."""
KEYS_MIN_OVERLAP = 0.4
"""Share of the smaller set of names and numbers the two have in common."""
TITLE_MIN_OVERLAP = 0.2
SAME_DAY_SECONDS = 18 * 3600
REVISED_SECONDS = 6 * 3600
"""Within this, a copy revising its figures is an update (a template's other day is later)."""
LATE_COPY_CONTAINMENT = 0.8
"""A copy published more than `SAME_DAY_SECONDS` after the other shares this much of the
shorter lead at least (an outlet's late copy is the agency's text, most of it)."""
TEMPLATE = -1.0
"""What `_copy` says of one text filled in with other names: a bot's quake report for another
place, another city's weather. Its fillings share wording and figures alike, so they are not
taken for reports of one event written apart either."""
TEMPLATE_WORDS = 2
"""Other words two fillings of one template may differ in ("north" / "east")."""
FIGURES_COMPARED = 2
"""Figures each of two copies must give before disagreeing ones tell them apart (names: one)."""
COPY_MIN_SAME_NAMES = 1 / 2
COPY_MIN_SAME_FIGURES = 1 / 2
"""Shares of the smaller set of names, and of figures, two copies have in common at least."""


def score(a: Sketch, a_ts: float, b: Sketch, b_ts: float) -> float:
    """How surely `a` and `b` report one event: 0 when they do not, else above 0 (a copy
    scores from 1, a rewrite below 1)."""
    apart = abs(a_ts - b_ts)
    if apart > WINDOW_SECONDS or (a.days and b.days and not a.days & b.days):
        return 0.0  # too far apart, or telling of other days ("on Tuesday", "on Wednesday")
    if _other_names_only(a.words, b.words):
        return 0.0  # one template filled in for two places (however short the text)
    if apart <= SAME_DAY_SECONDS and _flash_of(a, b):
        return 2.0  # a one-line flash under the full text's own headline
    copy = _copy(a, b, revised=apart <= REVISED_SECONDS)
    if 0 < copy < LATE_COPY_CONTAINMENT and apart > SAME_DAY_SECONDS:
        return 0.0  # a day on, sharing part of one text: a daily briefing's intro and byline
    if copy:
        return 1.0 + copy if copy > 0 else 0.0  # a template's two fillings share no facts
    if apart > REWRITE_SECONDS or a.language != b.language:
        return 0.0
    return _rewrite(a, b)


def _copy(a: Sketch, b: Sketch, *, revised: bool = False) -> float:
    """The share of the shorter lead in the other (from `COPY_CONTAINMENT`), 0 if they are
    not one text, `TEMPLATE` if they are one text filled in with other facts. `revised`:
    close enough in time for an update revising figures (it keeps `LATE_COPY_CONTAINMENT`)."""
    shared = a.shingles & b.shingles
    smaller = min(len(a.shingles), len(b.shingles))
    if len(shared) < min(COPY_MIN_SHARED, smaller) or not smaller:
        return 0.0
    containment = len(shared) / smaller
    if containment < COPY_CONTAINMENT:
        return 0.0
    shorter, other = (a, b) if len(a.shingles) <= len(b.shingles) else (b, a)
    if _ending_only(shorter, other):
        return 0.0  # a footer ("Reporting by ...")
    if a.one_line and b.one_line and _other_headlines(a, b):
        return 0.0  # a stock line ("Click here for the full story") under two headlines
    if _disagree(a.keys - a.numbers, b.keys - b.numbers, COPY_MIN_SAME_NAMES, 1):
        return TEMPLATE
    if _disagree(a.numbers, b.numbers, COPY_MIN_SAME_FIGURES, FIGURES_COMPARED):
        if not (revised and containment >= LATE_COPY_CONTAINMENT):  # else an "UPDATE 1-"
            return 0.0  # a template's other day; a rewrite is still compared as a report
    return containment


def _flash_of(a: Sketch, b: Sketch) -> bool:
    """Whether one is a one-line item whose headline is the other's, word for word (function
    words and an `UPDATE:` or `BREAKING:` aside), and says enough to be no stock line."""
    return (a.one_line or b.one_line) and a.title == b.title and len(a.title) >= FLASH_WORDS


def _ending_only(shorter: Sketch, other: Sketch) -> bool:
    """Whether only the ending of `shorter`'s lead is in `other`: not half its opening, and
    not an update that rewrote the lead (it keeps some wording of the first sentence, and the
    people and places)."""
    if 2 * len(shorter.opening & other.shingles) >= len(shorter.opening):
        return False
    names = (shorter.keys - shorter.numbers) & (other.keys - other.numbers)
    return min(len(shorter.first & other.shingles), len(names)) < REWRITTEN_MIN_SHARED


def _other_headlines(a: Sketch, b: Sketch) -> bool:
    """Whether both have headlines and they share less than `TITLE_MIN_OVERLAP` of their
    words: what a one-line item says is half in its headline."""
    fewer = min(len(a.title), len(b.title))
    return fewer > 0 and len(a.title & b.title) < TITLE_MIN_OVERLAP * fewer


def _other_names_only(mine: frozenset[str], theirs: frozenset[str]) -> bool:
    """Whether each text has capitalised words the other lacks, and besides them and figures
    at most `TEMPLATE_WORDS` words differ: "Amsterdam will be cloudy" / "Utrecht will be
    cloudy" (an edited copy changes lower-case words too)."""
    only = mine ^ theirs
    named = [w for w in only if w[0].isupper() and w.lower() not in FUNCTION_WORDS]
    if not (set(named) & mine and set(named) & theirs):
        return False
    return sum(1 for w in only if not w[0].isupper() and not w[0].isdigit()) <= TEMPLATE_WORDS


def _disagree(mine: frozenset[int], theirs: frozenset[int], least: float, each: int) -> bool:
    """Whether both name at least `each` things (people and places, or figures) and fewer
    than `least` of the smaller set are the same."""
    fewer = min(len(mine), len(theirs))
    return fewer >= each and len(mine & theirs) < least * fewer


def _rewrite(a: Sketch, b: Sketch) -> float:
    shared = a.keys & b.keys
    numbers = len(a.numbers & b.numbers)
    if len(shared) < KEYS_MIN_SHARED - (numbers >= NUMBERS_FOR_FEWER_KEYS):
        return 0.0
    overlap = len(shared) / min(len(a.keys), len(b.keys))
    if overlap < KEYS_MIN_OVERLAP or not numbers:
        return 0.0  # names alone (the same minister, the same club) are another day's news
    if numbers == 1:  # one shared number may be chance (a year): ask for more
        titles = len(a.title & b.title) / max(1, min(len(a.title), len(b.title)))
        if len(shared) < KEYS_MIN_SHARED + 2 or titles < TITLE_MIN_OVERLAP:
            return 0.0
    return min(0.99, overlap)
