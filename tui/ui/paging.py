"""Rows for the article list without ever loading the whole view.

`PagedRows` keeps a window of a few hundred rows of one store `View` and grows it by keyset
pages (never OFFSET) as the list scrolls; a far jump is either cheap (near the top or the
bottom) or done by `seek` in the database thread. `HitRows` holds search results in memory
and fetches the next page of them when the list scrolls onto its last row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Protocol

from tui.models import ArticleRow, SearchHit
from tui.store import SortKey, Store, View

PAGE = 100
"""Rows fetched by one keyset query when the window grows."""
WINDOW = 800
"""Most rows kept in memory at once."""
NEAR = 300
"""A gap the window may bridge synchronously with one query."""
WALK = 1000
"""Rows per query while seeking far into a view."""


def with_flags(row: ArticleRow, read: bool | None, saved: bool | None) -> ArticleRow:
    """The row with its read and/or saved flag changed (None keeps a flag)."""
    return replace(
        row,
        read=row.read if read is None else read,
        saved=row.saved if saved is None else saved,
    )


class Rows(Protocol):
    """What the article list reads its rows from."""

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
    def ensure(self, store: Store, start: int, stop: int) -> bool: ...
    def index_of(self, article_id: int) -> int | None: ...
    def update(self, article_id: int, *, read: bool | None, saved: bool | None) -> None: ...


class PagedRows:
    """A sliding window over one view; `start` is the index of `rows[0]` within the view."""

    searched = False
    complete = True
    terms: tuple[str, ...] = ()

    def __init__(
        self, view: View, total: int, start: int = 0, rows: Sequence[ArticleRow] = ()
    ) -> None:
        self.view, self.total = view, total
        self.start, self.rows = start, list(rows)

    @property
    def stop(self) -> int:
        return self.start + len(self.rows)

    def get(self, index: int) -> ArticleRow | None:
        if self.start <= index < self.stop:
            return self.rows[index - self.start]
        return None

    def snippet(self, index: int) -> str | None:
        return None

    def index_of(self, article_id: int) -> int | None:
        for offset, row in enumerate(self.rows):
            if row.id == article_id:
                return self.start + offset
        return None

    def update(self, article_id: int, *, read: bool | None, saved: bool | None) -> None:
        for offset, row in enumerate(self.rows):
            if row.id == article_id:
                self.rows[offset] = with_flags(row, read, saved)

    def ensure(self, store: Store, start: int, stop: int) -> bool:
        """Load rows [start, stop) if one short query can; False when a `seek` is needed."""
        start, stop = max(0, start), min(self.total, stop)
        if start >= stop or (self.start <= start and stop <= self.stop):
            return True
        if self.rows and self.start - NEAR <= start < self.start:
            self._grow_backward(store, self.start - start + PAGE)
        if self.rows and self.stop < stop <= self.stop + NEAR:
            self._grow_forward(store, stop - self.stop + PAGE)
        if self.start <= start and stop <= self.stop:
            return True
        if stop <= WINDOW // 2:
            self._load_head(store)
        elif start >= self.total - WINDOW // 2:
            self._load_tail(store)
        else:
            return False
        return True

    def _grow_forward(self, store: Store, count: int) -> None:
        page = store.page(self.view, after=self.rows[-1].sort_key, limit=count)
        if len(page) < count:
            self.total = self.stop + len(page)  # rows left the view since it was counted
        self.rows.extend(page)
        if len(self.rows) > WINDOW:
            cut = len(self.rows) - WINDOW
            del self.rows[:cut]
            self.start += cut

    def _grow_backward(self, store: Store, count: int) -> None:
        page = store.page(self.view, after=self.rows[0].sort_key, backward=True, limit=count)
        self.start = max(0, self.start - len(page)) if len(page) == count else 0
        self.rows[:0] = page
        del self.rows[WINDOW:]

    def _load_head(self, store: Store) -> None:
        self.rows = store.page(self.view, limit=WINDOW // 2)
        self.start = 0
        if len(self.rows) < WINDOW // 2:
            self.total = len(self.rows)

    def _load_tail(self, store: Store) -> None:
        self.rows = store.page(self.view, backward=True, limit=WINDOW // 2)
        self.start = max(0, self.total - len(self.rows))


def open_rows(store: Store, view: View, anchor: SortKey | None) -> tuple[PagedRows, int]:
    """Count the view and load the window around `anchor` (database thread).

    Returns the rows and the index of the anchor (or of the row that took its place).
    """
    total = store.count(view)
    if anchor is None or total == 0:
        return PagedRows(view, total, 0, store.page(view, limit=WINDOW // 2)), 0
    index = min(store.position(view, anchor), total - 1)
    before = store.page(view, after=anchor, backward=True, limit=WINDOW // 4)
    # (ts, id + 1) is just above the anchor, so the anchor itself is the first row returned.
    after = store.page(view, after=(anchor[0], anchor[1] + 1), limit=WINDOW // 2)
    rows = PagedRows(view, total, max(0, index - len(before)), before + after)
    return rows, index


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
    query: str, first: Sequence[SearchHit], limit: int, view: View | None = None
) -> NextPage | None:
    """Fetches `limit` more hits of `query` after a key; None when the `first` page of `limit`
    was not full (it holds every hit)."""
    return partial(_hits_after, query, limit, view) if len(first) >= limit else None


def _hits_after(
    query: str, limit: int, view: View | None, store: Store, key: SortKey
) -> list[SearchHit]:
    return store.search(query, limit=limit, offset_key=key, view=view).hits


@dataclass
class HitRows:
    """Search results with their snippets, a page at a time."""

    hits: list[SearchHit]
    terms: tuple[str, ...] = ()
    more: NextPage | None = None
    """Fetches the hits after the last one; None when these are all."""
    searched = True

    @property
    def total(self) -> int:
        # While more may follow, one row more: scrolling onto it loads the next page.
        return len(self.hits) + (self.more is not None)

    @property
    def complete(self) -> bool:
        return self.more is None

    def grown(self, store: Store) -> HitRows:
        """These hits and the next page of them (in the database thread)."""
        if self.more is None or not self.hits:
            return self
        page = self.more(store, self.hits[-1].row.sort_key)
        return replace(self, hits=[*self.hits, *page], more=self.more if page else None)

    def every_page(self, store: Store) -> HitRows:
        """These hits and all that follow (in the database thread; for marking all read)."""
        rows = self
        while not rows.complete:
            rows = rows.grown(store)
        return rows

    def get(self, index: int) -> ArticleRow | None:
        return self.hits[index].row if 0 <= index < len(self.hits) else None

    def snippet(self, index: int) -> str | None:
        return self.hits[index].snippet if 0 <= index < len(self.hits) else None

    def ensure(self, store: Store, start: int, stop: int) -> bool:
        return self.more is None or stop < len(self.hits)

    def index_of(self, article_id: int) -> int | None:
        return next((i for i, hit in enumerate(self.hits) if hit.row.id == article_id), None)

    def update(self, article_id: int, *, read: bool | None, saved: bool | None) -> None:
        for index, hit in enumerate(self.hits):
            if hit.row.id == article_id:
                self.hits[index] = replace(hit, row=with_flags(hit.row, read, saved))


EMPTY = HitRows([])
