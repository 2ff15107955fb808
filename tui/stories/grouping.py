"""Story detection after a refresh, an import or a sync: one pass over the run's new articles.

The new articles are taken in date order, a chunk at a time. Each one's keys (see
`features.keys`; computed before the pass, by a refresh's parser process or as the store
wrote the article, and kept by the writing connection: `Store.story_keys`, so the article is
not read back) are looked up in an in-memory index of the new articles dated within
`WINDOW_SECONDS` before it (older entries leave the index as the pass moves on, so it holds
one window, never the run), and, when the cache holds articles of earlier runs in those days,
in the search index (`Store.story_candidates`). Only the few candidates a key brought are
sketched and scored (`matching.score`); the article joins the story of the best one. Only the
`story` column is written, once at the end: flags never change here.

A cache upgraded from before stories holds articles never grouped: the first pass after the
upgrade groups those of its last days first (`catch_up`), as if they were one run's.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from tui.store import Store, StoreError
from tui.store.stories import Probe, StoryText
from tui.store.written import Keys, Written
from tui.stories.features import KEY_CHARS, LEAD_CHARS, Sketch, key_hashes, keys, sketch
from tui.stories.matching import WINDOW_SECONDS, score
from tui.text import clean_line

CHUNK = 500
"""New articles read from the cache at once."""
PER_KEY = 12
"""Articles of one window a key may have: a key more share (boilerplate, a name in every
headline, a word a language capitalises) is no evidence, and is looked up no more."""
MOST_CANDIDATES = 8
"""Candidates scored per new article, those sharing the most keys first."""
MIN_SHARED_NAMES = 2
"""Names and numbers a candidate shares at least (one shared sentence is enough)."""
SKETCHES = 200
"""Sketches kept from one chunk to the next (a story's first article is compared with each
newcomer)."""
ANALYZE_AFTER = 5000
"""Refresh planner statistics after storing more articles than this."""
LAST_ID = 2**63 - 1
"""Above every article's id: a changed article's candidates may be newer than it."""


@dataclass(slots=True, eq=False)
class _Member:
    """An article in the index: its id, date, story and index keys."""

    id: int
    ts: float
    story: int | None
    keys: tuple[int, ...]


@dataclass
class _Pass:
    """The state of one detection pass."""

    index: dict[int, _Member | list[_Member]] = field(default_factory=dict)
    window: deque[_Member] = field(default_factory=deque)
    sketches: dict[int, Sketch] = field(default_factory=dict)
    folders: dict[int, int | None] = field(default_factory=dict)
    """The local source of each article sketched (None: a feed's)."""
    notes: dict[int, set[int]] = field(default_factory=dict)
    """The local sources of each story this pass joined articles to."""
    joins: dict[int, int] = field(default_factory=dict)
    stored: dict[int, _Member] = field(default_factory=dict)
    """Articles of earlier runs met as candidates."""


def settle_intake(store: Store, new_ids: Sequence[int], now: float | None = None) -> str | None:
    """After a refresh, an import or a sync: group the stories of its new articles (and,
    once after an upgrade, those of the cache's last days before `now`, the run's clock), and
    refresh the planner's statistics after a big one. The articles are stored by then: a
    cache refusing these writes (a full disk) is a notice, returned, not an error that would
    hide what was stored."""
    clock = time.time() if now is None else now
    try:
        catch_up(store, new_ids, clock)  # first: the run's articles then join the stories it makes
        group_stories(store, new_ids)
        written = store.story_keys()
        changed, written.changed = written.changed, []
        rejoin_changed(store, changed)
        if len(new_ids) > ANALYZE_AFTER:
            store.analyze()
    except StoreError as exc:
        return clean_line(f"stories not grouped this time: {exc}")
    return None


def group_stories(store: Store, new_ids: Sequence[int]) -> int:
    """Find the stories of a run's new articles; returns how many joined one."""
    if not new_ids:
        return 0
    joins = _joins(store, store.story_order(new_ids))
    store.set_stories([(story, i) for i, story in joins.items()])
    return sum(1 for i in new_ids if i in joins)


def catch_up(store: Store, new_ids: Sequence[int], now: float) -> None:
    """A cache from before stories (upgraded) never grouped its articles: once, its articles
    of the `WINDOW_SECONDS` before `now` stored before the run are grouped as one run's
    (among themselves, and with those just before them). Older ones stay as they were: the
    top of the list is what a user reads, and the pass stays as quick as a refresh's."""
    backlog = store.story_backlog(now - WINDOW_SECONDS, min(new_ids, default=LAST_ID))
    if backlog is not None:  # else none is due: every cache but one just upgraded
        joins = _joins(store, backlog)
        store.set_stories([(story, i) for i, story in joins.items()], caught_up=True)


def _joins(store: Store, order: Sequence[int]) -> dict[int, int]:
    """The stories of articles taken as one run's (`order`: their ids, oldest first), as
    article id -> story id (the articles they join included)."""
    if not order:  # none left (pruned before the pass)
        return {}
    written = store.story_keys()
    dates = {t.id: t.ts for t in store.story_texts([order[0], order[-1]], 0)}
    first, last = dates[order[0]], dates[order[-1]]
    lowest = min(order)
    earlier = store.story_window(first - WINDOW_SECONDS, last + WINDOW_SECONDS, lowest)
    state = _Pass()
    for start in range(0, len(order), CHUNK):
        ids = list(order[start : start + CHUNK])
        arrivals, texts = _arrivals(store, written, ids, probing=earlier is not None)
        found = _stored_candidates(store, texts, earlier, lowest)
        _place_all(store, state, arrivals, found)
    return state.joins


def rejoin_changed(store: Store, ids: Sequence[int]) -> int:
    """Articles changed in place that still stand alone (an agency's short flash, then its
    full text under the same guid) are compared again with the articles of their days, all
    of them, as a new article is with earlier runs'; returns how many joined one."""
    alone = [t for t in store.story_texts(sorted(set(ids)), LEAD_CHARS) if t.story is None]
    if not alone:
        return 0
    dates = [t.ts for t in alone]
    end = max(dates) + WINDOW_SECONDS
    first = store.story_window(min(dates) - WINDOW_SECONDS, end, LAST_ID)
    if first is None:
        return 0
    probes = [Probe(t.id, t.ts, *keys(t.title, t.lead)) for t in alone]
    found = store.story_candidates(probes, (first, LAST_ID), WINDOW_SECONDS)
    texts = {t.id: t for t in alone}
    others = sorted({i for c in found.values() for i in c} - texts.keys())
    texts.update((t.id, t) for t in store.story_texts(others, LEAD_CHARS))
    members = {i: _Member(i, t.ts, t.story, ()) for i, t in texts.items()}
    state = _Pass()
    for text in alone:
        candidates = [members[i] for i in found.get(text.id, ()) if i in members and i != text.id]
        if candidates:
            arrival = Keys(text.id, text.ts, 0, ())
            _decide(state, texts, arrival, members[text.id], candidates)
    store.set_stories([(story, i) for i, story in state.joins.items()])
    return sum(1 for t in alone if t.id in state.joins)


def _arrivals(
    store: Store, written: Written, ids: list[int], *, probing: bool
) -> tuple[list[Keys], list[StoryText]]:
    """A chunk's articles (`ids`, in date order) with their keys, as written or else read
    back; and their texts when articles of earlier runs are to be probed (words, not hashes)."""
    found = {i: k for i in ids if (k := written.get(i)) is not None}
    wanted = ids if probing else [i for i in ids if i not in found]
    texts = store.story_texts(wanted, KEY_CHARS) if wanted else []
    for text in texts:
        if text.id not in found:
            found[text.id] = Keys(text.id, text.ts, *key_hashes(text.title, text.lead))
    return [found[i] for i in ids if i in found], texts


def _stored_candidates(
    store: Store, texts: list[StoryText], earlier: int | None, first_new: int
) -> dict[int, list[int]]:
    """Candidates among the articles stored before the run (none when it has none nearby)."""
    if earlier is None:
        return {}
    probes = [Probe(t.id, t.ts, *keys(t.title, t.lead)) for t in texts]
    return store.story_candidates(probes, (earlier, first_new), WINDOW_SECONDS)


def _place_all(
    store: Store, state: _Pass, arrivals: list[Keys], stored: dict[int, list[int]]
) -> None:
    """Index a chunk's articles and decide their stories, in date order."""
    chosen: list[tuple[Keys, _Member, list[_Member]]] = []
    for arrival in arrivals:
        member, candidates = _index(state, arrival)
        chosen.append((arrival, member, candidates))
    earlier = {i for c in stored.values() for i in c}
    wanted = {m.id for _, _, c in chosen for m in c} | earlier
    wanted |= {t.id for t, _, c in chosen if c or stored.get(t.id)}
    unknown = earlier - state.stored.keys()
    missing = [i for i in wanted if i not in state.sketches or i in unknown]
    by_id: dict[int, StoryText] = {}
    for text in store.story_texts(missing, LEAD_CHARS) if missing else ():
        by_id[text.id] = text
        if text.id in earlier and text.id not in state.stored:
            state.stored[text.id] = _Member(text.id, text.ts, text.story, ())
    for arrival, member, candidates in chosen:
        others = candidates + [state.stored[i] for i in stored.get(arrival.id, ())]
        if others:
            _decide(state, by_id, arrival, member, others)
    for old in list(state.sketches)[:-SKETCHES]:  # the newest stay for the next chunk
        del state.sketches[old]
        del state.folders[old]


def _index(state: _Pass, arrival: Keys) -> tuple[_Member, list[_Member]]:
    """Put an article in the index; returns it and its candidates there."""
    while state.window and state.window[0].ts < arrival.ts - WINDOW_SECONDS:
        _forget(state, state.window.popleft())
    member = _Member(arrival.id, arrival.ts, None, arrival.keys)
    hits: dict[_Member, int] = {}
    index = state.index
    for number, key in enumerate(member.keys):
        found = index.get(key)
        if found is None:  # most keys: one article, kept without a list
            index[key] = member
            continue
        entries = [found] if isinstance(found, _Member) else found
        if len(entries) < PER_KEY:  # else the key is common: no evidence
            weight = MIN_SHARED_NAMES if number < arrival.sentences else 1
            for other in entries:
                hits[other] = hits.get(other, 0) + weight
        if len(entries) <= PER_KEY:  # one past: marks the key as common
            index[key] = [*entries, member]
    state.window.append(member)
    if not hits:
        return member, []
    best = sorted((m for m, n in hits.items() if n >= MIN_SHARED_NAMES), key=hits.__getitem__)
    return member, best[-MOST_CANDIDATES:]


def _forget(state: _Pass, member: _Member) -> None:
    index = state.index
    for key in member.keys:
        found = index.get(key)
        if found is member:  # most keys: this article's alone
            del index[key]
            continue
        if found is None:
            continue
        kept = [m for m in (found if isinstance(found, list) else [found]) if m is not member]
        if kept:
            index[key] = kept if len(kept) > 1 else kept[0]
        else:
            del index[key]


def _decide(
    state: _Pass,
    texts: dict[int, StoryText],
    arrival: Keys,
    member: _Member,
    others: list[_Member],
) -> None:
    """Join `member` to the story of its surest candidate, if any is sure at all; a local
    note never joins another note of its folder, nor a story holding one (daily notes from
    one template are one person's days, not one news told by several outlets)."""
    mine = _sketch(state, texts, arrival.id)
    if mine is None:
        return
    folder = state.folders[arrival.id]
    best, best_score = None, 0.0
    for other in others:
        theirs = _sketch(state, texts, other.id)
        if theirs is None or (folder is not None and _holds_note(state, other, folder)):
            continue
        value = score(mine, arrival.ts, theirs, other.ts)
        if value > best_score:
            best, best_score = other, value
    if best is None:
        return
    if best.story is None:
        best.story = best.id
        state.joins[best.id] = best.id
    member.story = best.story
    state.joins[member.id] = best.story
    notes = state.notes.setdefault(best.story, set())
    notes.update(f for f in (folder, state.folders[best.id]) if f is not None)


def _holds_note(state: _Pass, other: _Member, folder: int) -> bool:
    """Whether `other` is a note of `folder`, or its story holds one that this pass joined."""
    if state.folders.get(other.id) == folder:
        return True
    return other.story is not None and folder in state.notes.get(other.story, ())


def _sketch(state: _Pass, texts: dict[int, StoryText], article_id: int) -> Sketch | None:
    found = state.sketches.get(article_id)
    if found is None and article_id in texts:
        text = texts[article_id]
        found = state.sketches[article_id] = sketch(text.title, text.lead)
        state.folders[article_id] = text.folder
    return found
