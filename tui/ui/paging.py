"""Rows for the article list without ever loading the whole view.

`PagedRows` keeps a window of a few hundred rows of one store `View` (and the view's first
and last rows) and grows it by keyset pages (never OFFSET) fetched ahead of the cursor; a far
jump seeks a new window. `HitRows` holds search results in memory and fetches the next page
of them when the list scrolls onto its last row. Nothing here runs SQL on the event loop:
`want` says what is missing, the list fetches it through the data door in a worker (the
functions taking a `Store` run on the database thread) and `apply` takes it in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import NamedTuple, Protocol

from tui.models import ArticleRow, SearchHit
from tui.store import SortKey, Store, View

PAGE = 200
"""Rows fetched by one keyset query when the window grows."""
WINDOW = 800
"""Most rows kept in memory at once."""
NEAR = 300
"""A gap the window bridges by growing (one query); farther, a new window is sought."""
AHEAD = 200
"""Rows kept loaded beyond what is on screen: pages are fetched before the cursor needs them."""
ENDS = 100
"""Rows kept of each end of the view (for `g` and `G`)."""
WALK = 1000
"""Rows per query while seeking far into a view."""


def with_flags(row: ArticleRow, read: bool | None, saved: bool | None) -> ArticleRow:
    """The row with its read and/or saved flag changed (None keeps a flag)."""
    return row._replace(
        read=row.read if read is None else read,
        saved=row.saved if saved is None else saved,
    )


def flagged(
    row: ArticleRow, article_id: int, story: int | None, read: bool | None, saved: bool | None
) -> ArticleRow:
    """`row` after `article_id`'s flags changed: that article's row, or (`story` given) the
    row standing for its story in a grouped list, which is read as the story is and shows
    the save (after an unsave the list is read again: another article may still be saved)."""
    if row.id == article_id:
        row = with_flags(row, read, saved)
    elif story is None or row.story != story:
        return row
    else:
        row = with_flags(row, read, None)
    return row if saved is None or story is None else row._replace(story_saved=saved)


class Rows(Protocol):
    """What the article list reads its rows from (on the event loop: no SQL here)."""

    @property
    def total(self) -> int: ...
    @property
    def complete(self) -> bool:
        """False while more rows may follow the loaded ones (search results page on)."""
        ...

    @property
    def searched(self) -> bool:
        """True for search results (rows carry snippets and highlighted terms)."""
        ...

    @property
    def terms(self) -> tuple[str, ...]:
        """Words to highlight in titles."""
        ...

    def get(self, index: int) -> ArticleRow | None: ...
    def snippet(self, index: int) -> str | None: ...
    def want(self, start: int, stop: int) -> Fetch | None:
        """What to fetch (database thread) so rows [start, stop) and some ahead are loaded."""
        ...

    def index_of(self, article_id: int) -> int | None: ...
    def update(
        self, article_id: int, *, read: bool | None, saved: bool | None, story: int | None = None
    ) -> None: ...


@dataclass(frozen=True)
class Fetch:
    """Rows the list lacks: `count` rows next to the window, after (or, `backward`, before)
    the key `after`; or, with no count, a new window around `index` (a far jump)."""

    index: int
    after: SortKey | None = None
    count: int = 0
    backward: bool = False

    @property
    def far(self) -> bool:
        return self.count == 0


class PagedRows:
    """A sliding window over one view; `start` is the index of `rows[0]` within the view.

    The first and last rows of the view (`head`, `tail`) stay loaded beside the window, so
    `g` and `G` answer at once however far the window is; the window follows the cursor with
    pages fetched ahead of it.
    """

    searched = False
    complete = True
    terms: tuple[str, ...] = ()

    def __init__(
        self,
        view: View,
        total: int,
        start: int = 0,
        rows: Sequence[ArticleRow] = (),
        head: Sequence[ArticleRow] = (),
        tail: Sequence[ArticleRow] = (),
    ) -> None:
        self.view, self.total = view, total
        self.start, self.rows = start, list(rows)
        self.head, self.tail = list(head), list(tail)

    @property
    def stop(self) -> int:
        return self.start + len(self.rows)

    def _segments(self) -> Iterator[tuple[int, list[ArticleRow]]]:
        """(index of the first row, rows) of the window and the two ends."""
        yield self.start, self.rows
        yield 0, self.head
        yield self.total - len(self.tail), self.tail

    def get(self, index: int) -> ArticleRow | None:
        for first, rows in self._segments():
            if first <= index < first + len(rows):
                return rows[index - first]
        return None

    def snippet(self, index: int) -> str | None:
        return None

    def index_of(self, article_id: int) -> int | None:
        for first, rows in self._segments():
            for offset, row in enumerate(rows):
                if row.id == article_id:
                    return first + offset
        return None

    def update(
        self, article_id: int, *, read: bool | None, saved: bool | None, story: int | None = None
    ) -> None:
        for _, rows in self._segments():
            rows[:] = [flagged(row, article_id, story, read, saved) for row in rows]

    def want(self, start: int, stop: int) -> Fetch | None:
        start, stop = max(0, start), min(self.total, stop)
        if start >= stop:
            return None
        if not (self.rows and self.start - NEAR <= start and stop <= self.stop + NEAR):
            return Fetch(start)  # far from the window (maybe on an end): a new window there
        if start < self.start:
            return self._backward(start)
        if stop > self.stop or (self.stop < self.total and stop + AHEAD > self.stop):
            return self._forward(stop)
        if self.start > 0 and start - AHEAD < self.start:
            return self._backward(start)
        return None

    def _forward(self, stop: int) -> Fetch:
        count = min(max(stop - self.stop, 0) + PAGE, self.total - self.stop)
        return Fetch(stop, self.rows[-1].sort_key, count)

    def _backward(self, start: int) -> Fetch:
        count = min(max(self.start - start, 0) + PAGE, self.start)
        return Fetch(start, self.rows[0].sort_key, count, backward=True)

    def apply(self, fetch: Fetch, found: PagedRows | list[ArticleRow]) -> None:
        """Take in what `fetch` found (on the event loop), if the window did not move since."""
        if isinstance(found, PagedRows):
            self.start, self.rows = found.start, found.rows
        elif not self.rows:
            return
        elif fetch.backward and fetch.after == self.rows[0].sort_key:
            self._prepend(fetch.count, found)
        elif not fetch.backward and fetch.after == self.rows[-1].sort_key:
            self._append(fetch.count, found)

    def _append(self, count: int, page: list[ArticleRow]) -> None:
        if len(page) < count:  # rows left the view since it was counted
            self.total, self.tail = self.stop + len(page), []
        self.rows.extend(page)
        if len(self.rows) > WINDOW:
            cut = len(self.rows) - WINDOW
            del self.rows[:cut]
            self.start += cut

    def _prepend(self, count: int, page: list[ArticleRow]) -> None:
        self.start = max(0, self.start - len(page)) if len(page) == count else 0
        self.rows[:0] = page
        del self.rows[WINDOW:]


def fetch_rows(store: Store, rows: PagedRows, fetch: Fetch) -> PagedRows | list[ArticleRow]:
    """What `fetch` asks for: a page next to the window, or a new window (database thread)."""
    if fetch.far:
        return seek_rows(store, rows.view, rows.total, fetch.index)
    return store.page(rows.view, after=fetch.after, limit=fetch.count, backward=fetch.backward)


def open_rows(store: Store, view: View, anchor: SortKey | None) -> tuple[PagedRows, int]:
    """Count the view and load the window around `anchor`, and its two ends (database thread).

    Returns the rows and the index of the anchor (or of the row that took its place).
    """
    total = store.count(view)
    head = store.page(view, limit=ENDS)
    tail = store.page(view, backward=True, limit=ENDS) if total > ENDS else []
    if anchor is None or total == 0:
        rows = store.page(view, limit=WINDOW // 2)
        return PagedRows(view, total, 0, rows, head, tail), 0
    position = store.position(view, anchor)
    before = store.page(view, after=anchor, backward=True, limit=WINDOW // 4)
    # (ts, id + 1) is just above the anchor, so the anchor itself is the first row returned.
    after = store.page(view, after=(anchor[0], anchor[1] + 1), limit=WINDOW // 2)
    if position is None:  # deep in a long view: its index is estimated, so no ends are kept
        index = estimated_index(anchor, head, tail, total)
        return PagedRows(view, total, max(0, index - len(before)), before + after), index
    index = min(position, total - 1)
    start = max(0, index - len(before))
    return PagedRows(view, total, start, before + after, head, tail), index


def estimated_index(
    anchor: SortKey, head: Sequence[ArticleRow], tail: Sequence[ArticleRow], total: int
) -> int:
    """Where a row too far from both ends of a view to be counted stands, by its date
    between the view's newest and oldest rows (counting the rows before it would read them
    all). The window around it is read by keyset as always; only the scrollbar's place is
    estimated, and a jump to either end reads that end again."""
    newest, oldest = head[0].sort_key[0], tail[-1].sort_key[0]
    share = (newest - anchor[0]) / (newest - oldest) if newest > oldest else 0.5
    return min(max(round(share * (total - 1)), 0), total - 1)


def seek_rows(store: Store, view: View, total: int, index: int) -> PagedRows:
    """A window around `index`, reached by walking keyset pages from the nearer end (database
    thread). Memory stays at one walk page plus the window, however far the walk goes."""
    low, high = max(0, index - WINDOW // 4), min(total, index + WINDOW // 2)
    key: SortKey | None = None
    if index < total // 2:
        position = 0  # rows before `key` (the newest ones) were walked past
        while position + WALK <= low:
            page = store.page(view, after=key, limit=WALK)
            if not page:
                break
            position, key = position + len(page), page[-1].sort_key
        rows = store.page(view, after=key, limit=max(1, high - position))
        skip = max(0, low - position)
        return PagedRows(view, total, position + skip, rows[skip:])
    position = total  # rows from `position` on (the oldest ones) were walked past
    while position - WALK >= high:
        page = store.page(view, after=key, backward=True, limit=WALK)
        if not page:
            break
        position, key = position - len(page), page[0].sort_key
    rows = store.page(view, after=key, backward=True, limit=max(1, position - low))
    first = max(0, position - len(rows))
    return PagedRows(view, total, first, rows[: max(0, high - first)])


NextPage = Callable[[Store, SortKey], list[SearchHit]]
"""The hits after the one at a key, in the same ranked order (run in the database thread)."""


def next_page(
    query: str,
    first: Sequence[SearchHit],
    limit: int,
    view: View | None = None,
    stories: bool = False,
) -> NextPage | None:
    """Fetches `limit` more hits of `query` after a key; None when the `first` page of `limit`
    was not full (it holds every hit)."""
    return partial(_hits_after, query, limit, view, stories) if len(first) >= limit else None


def _hits_after(
    query: str, limit: int, view: View | None, stories: bool, store: Store, key: SortKey
) -> list[SearchHit]:
    return store.search(query, limit=limit, offset_key=key, view=view, stories=stories).hits


class Searched(NamedTuple):
    """What results were searched with: `M` marks every one by it, in the store."""

    query: str
    view: View | None = None


@dataclass
class HitRows:
    """Search results with their snippets, a page at a time."""

    hits: list[SearchHit]
    terms: tuple[str, ...] = ()
    more: NextPage | None = None
    """Fetches the hits after the last one; None when these are all."""
    stories: bool = False
    """Each story once, by its first hit (a grouped list): its other outlets are its `+N`."""
    found_by: Searched | None = None
    """The search that found them (None: no results, nothing to mark)."""
    after: SortKey | None = None
    """Where the next page starts: after the last hit fetched, shown or left out."""
    searched = True

    def __post_init__(self) -> None:
        if self.after is None and self.hits:
            self.after = self.hits[-1].row.sort_key
        if self.stories:
            seen: set[int] = set()
            self.hits = [h for h in self.hits if h.row.story is None or _first(h.row.story, seen)]

    @property
    def total(self) -> int:
        # While more may follow, one row more: scrolling onto it loads the next page.
        return len(self.hits) + (self.more is not None)

    @property
    def complete(self) -> bool:
        return self.more is None

    def grown(self, store: Store) -> HitRows:
        """These hits and the next page of them (in the database thread)."""
        if self.more is None or self.after is None:
            return self
        page = self.more(store, self.after)
        if not page:
            return replace(self, more=None)
        return replace(self, hits=[*self.hits, *page], after=page[-1].row.sort_key)

    def get(self, index: int) -> ArticleRow | None:
        return self.hits[index].row if 0 <= index < len(self.hits) else None

    def snippet(self, index: int) -> str | None:
        return self.hits[index].snippet if 0 <= index < len(self.hits) else None

    def want(self, start: int, stop: int) -> Fetch | None:
        """The next page once the list reaches the last hit (`index` is where it starts)."""
        return None if self.more is None or stop < len(self.hits) else Fetch(len(self.hits))

    def index_of(self, article_id: int) -> int | None:
        return next((i for i, hit in enumerate(self.hits) if hit.row.id == article_id), None)

    def update(
        self, article_id: int, *, read: bool | None, saved: bool | None, story: int | None = None
    ) -> None:
        self.hits = [
            hit._replace(row=flagged(hit.row, article_id, story, read, saved)) for hit in self.hits
        ]


def _first(story: int, seen: set[int]) -> bool:
    """Whether `story` is met for the first time (then it is seen)."""
    if story in seen:
        return False
    seen.add(story)
    return True


EMPTY = HitRows([])
