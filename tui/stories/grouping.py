"""Story detection after a refresh or an import: one pass over the run's new articles.

The new articles are taken in date order, a chunk at a time. Each one's keys (see
`features.keys`) are looked up in an in-memory index of the new articles dated within
`WINDOW_SECONDS` before it (older entries leave the index as the pass moves on, so it holds
one window, never the run), and, when the cache holds articles of earlier runs in those days,
in the search index (`Store.story_candidates`). Only the few candidates a key brought are
sketched and scored (`matching.score`); the article joins the story of the best one. Only the
`story` column is written, once at the end: flags never change here.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from tui.store import Store
from tui.store.stories import Probe, StoryText
from tui.stories.features import KEY_CHARS, LEAD_CHARS, Sketch, keys, sketch
from tui.stories.matching import WINDOW_SECONDS, score

CHUNK = 500
"""New articles read from the cache at once."""
PER_KEY = 16
"""Articles kept per key: a key that many share (boilerplate, a name in every headline) says
little, and keeping all of them would cost as the run grows."""
MOST_CANDIDATES = 8
"""Candidates scored per new article, those sharing the most keys first."""
MIN_SHARED_NAMES = 2
"""Names and numbers a candidate shares at least (one shared sentence is enough)."""
SKETCHES = 500
"""Sketches kept for reuse (a story's first article is compared with each newcomer)."""


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

    index: dict[int, list[_Member]] = field(default_factory=dict)
    window: deque[_Member] = field(default_factory=deque)
    sketches: dict[int, Sketch] = field(default_factory=dict)
    joins: dict[int, int] = field(default_factory=dict)
    stored: dict[int, _Member] = field(default_factory=dict)
    """Articles of earlier runs met as candidates."""


def group_stories(store: Store, new_ids: Sequence[int]) -> int:
    """Find the stories of a run's new articles; returns how many joined one."""
    if not new_ids:
        return 0
    dated = sorted(store.story_dates(new_ids))
    earlier = store.story_window(
        dated[0][0] - WINDOW_SECONDS, dated[-1][0] + WINDOW_SECONDS, min(new_ids)
    )
    state = _Pass()
    for start in range(0, len(dated), CHUNK):
        ids = [i for _, i in dated[start : start + CHUNK]]
        texts = sorted(store.story_texts(ids, LEAD_CHARS), key=lambda t: (t.ts, t.id))
        found = _stored_candidates(store, texts, earlier, min(new_ids))
        _place_all(store, state, texts, found)
    store.set_stories([(story, i) for i, story in state.joins.items()])
    return sum(1 for i in new_ids if i in state.joins)


def _stored_candidates(
    store: Store, texts: list[StoryText], earlier: int | None, first_new: int
) -> dict[int, list[int]]:
    """Candidates among the articles stored before the run (none when it has none nearby)."""
    if earlier is None:
        return {}
    probes = [Probe(t.id, t.ts, *keys(t.title, t.lead[:KEY_CHARS])) for t in texts]
    return store.story_candidates(probes, (earlier, first_new), WINDOW_SECONDS)


def _place_all(
    store: Store, state: _Pass, texts: list[StoryText], stored: dict[int, list[int]]
) -> None:
    """Index a chunk's articles and decide their stories, in date order."""
    chosen: list[tuple[StoryText, _Member, list[_Member]]] = []
    for text in texts:
        member, candidates = _index(state, text)
        chosen.append((text, member, candidates))
    earlier = {i for c in stored.values() for i in c}
    wanted = {m.id for _, _, c in chosen for m in c} | earlier
    missing = [i for i in wanted if i not in state.sketches or i not in state.stored]
    by_id = {t.id: t for t in texts}
    for text in store.story_texts([i for i in missing if i not in by_id], LEAD_CHARS):
        by_id[text.id] = text
        if text.id in earlier and text.id not in state.stored:
            state.stored[text.id] = _Member(text.id, text.ts, text.story, ())
    for text, member, candidates in chosen:
        others = candidates + [state.stored[i] for i in stored.get(text.id, ())]
        if others:
            _decide(state, by_id, text, member, others)


def _index(state: _Pass, text: StoryText) -> tuple[_Member, list[_Member]]:
    """Put an article in the index; returns it and its candidates there."""
    while state.window and state.window[0].ts < text.ts - WINDOW_SECONDS:
        _forget(state, state.window.popleft())
    sentences, names = keys(text.title, text.lead[:KEY_CHARS])
    sentence_keys = [hash(s) for s in sentences]
    name_keys = [hash(("name", n)) for n in names]
    hits = Counter[int]()
    members: dict[int, _Member] = {}
    for weight, group in ((MIN_SHARED_NAMES, sentence_keys), (1, name_keys)):
        for key in group:
            for other in state.index.get(key, ()):
                hits[other.id] += weight
                members[other.id] = other
    member = _Member(text.id, text.ts, None, (*sentence_keys, *name_keys))
    for key in member.keys:
        entries = state.index.setdefault(key, [])
        if len(entries) < PER_KEY:
            entries.append(member)
    state.window.append(member)
    best = [i for i, n in hits.most_common(MOST_CANDIDATES) if n >= MIN_SHARED_NAMES]
    return member, [members[i] for i in best]


def _forget(state: _Pass, member: _Member) -> None:
    for key in member.keys:
        kept = [m for m in state.index.get(key, ()) if m is not member]
        if kept:
            state.index[key] = kept
        else:
            state.index.pop(key, None)


def _decide(
    state: _Pass,
    texts: dict[int, StoryText],
    text: StoryText,
    member: _Member,
    others: list[_Member],
) -> None:
    """Join `member` to the story of its surest candidate, if any is sure at all."""
    mine = _sketch(state, texts, text.id)
    best, best_score = None, 0.0
    for other in others:
        theirs = _sketch(state, texts, other.id)
        if theirs is None or mine is None:
            continue
        value = score(mine, text.ts, theirs, other.ts)
        if value > best_score:
            best, best_score = other, value
    if best is None:
        return
    if best.story is None:
        best.story = best.id
        state.joins[best.id] = best.id
    member.story = best.story
    state.joins[member.id] = best.story


def _sketch(state: _Pass, texts: dict[int, StoryText], article_id: int) -> Sketch | None:
    found = state.sketches.get(article_id)
    if found is None and article_id in texts:
        text = texts[article_id]
        found = state.sketches[article_id] = sketch(text.title, text.lead)
        if len(state.sketches) > SKETCHES:
            del state.sketches[next(iter(state.sketches))]
    return found
