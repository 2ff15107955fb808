"""The list's row window agrees with the store's own listing at every index and page size."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.data import build_big_cache
from tui.models import ArticleRow
from tui.store import Store, View
from tui.ui import paging
from tui.ui.paging import HitRows, PagedRows, fetch_rows, open_rows, seek_rows

COUNT = 57


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tiny pages and windows, so every edge is crossed with few rows."""
    monkeypatch.setattr(paging, "PAGE", 2)
    monkeypatch.setattr(paging, "WINDOW", 8)
    monkeypatch.setattr(paging, "NEAR", 3)
    monkeypatch.setattr(paging, "WALK", 5)
    monkeypatch.setattr(paging, "AHEAD", 2)
    monkeypatch.setattr(paging, "ENDS", 2)


@pytest.fixture
def rows_store(tmp_path: Path) -> Store:
    build_big_cache(tmp_path / "rows.db", COUNT)
    return Store.open(tmp_path / "rows.db")


def listing(store: Store, view: View) -> list[ArticleRow]:
    return store.page(view, limit=10_000)


def load(store: Store, rows: PagedRows, start: int, stop: int) -> int:
    """What the list does while drawing rows [start, stop): fetch what `want` asks for (here
    at once) until nothing is missing; returns how many fetches it took."""
    fetches = 0
    while (fetch := rows.want(start, stop)) is not None:
        rows.apply(fetch, fetch_rows(store, rows, fetch))
        fetches += 1
        assert fetches < 10, "the window never settles"
    return fetches


@pytest.mark.usefixtures("small_pages")
def test_seek_finds_every_index(rows_store: Store) -> None:
    expected = listing(rows_store, View())
    for index in range(COUNT):
        rows = seek_rows(rows_store, View(), COUNT, index)
        assert rows.get(index) == expected[index], index
        assert len(rows.rows) <= paging.WINDOW


@pytest.mark.usefixtures("small_pages")
def test_scrolling_down_and_up_matches_the_listing(rows_store: Store) -> None:
    expected = listing(rows_store, View())
    rows, index = open_rows(rows_store, View(), None)
    assert index == 0
    for step in (*range(0, COUNT, 3), *range(COUNT - 1, -1, -2)):
        load(rows_store, rows, step, step + 2)
        assert rows.get(step) == expected[step], step
        assert rows.get(step + 1) in (None, expected[min(step + 1, COUNT - 1)])
        assert len(rows.rows) <= paging.WINDOW


@pytest.mark.usefixtures("small_pages")
def test_open_around_an_anchor(rows_store: Store) -> None:
    expected = listing(rows_store, View())
    for index in (0, 1, 30, COUNT - 1):
        rows, found = open_rows(rows_store, View(), expected[index].sort_key)
        assert found == index and rows.get(index) == expected[index]


def test_a_vanished_anchor_lands_on_its_successor(rows_store: Store) -> None:
    expected = listing(rows_store, View())
    rows_store.set_read([expected[10].id])
    rows, found = open_rows(rows_store, View(unread=True), expected[10].sort_key)
    assert found == 10 and rows.get(found) == expected[11]


def test_rows_that_left_the_view_shrink_the_total(rows_store: Store) -> None:
    view = View(unread=True)
    rows = PagedRows(view, COUNT + 5, 0, rows_store.page(view, limit=50))
    load(rows_store, rows, 45, 50)
    assert rows.total == COUNT


def test_flags_update_in_place() -> None:
    row = ArticleRow(1, "S", "T", None, None, None, False, False)
    hits = HitRows([paging.SearchHit(row, "", 1.0)])
    hits.update(1, read=True, saved=None)
    assert hits.get(0) == ArticleRow(1, "S", "T", None, None, None, True, False)
    assert hits.index_of(1) == 0 and hits.index_of(2) is None and hits.get(5) is None


def test_a_page_of_hits_all_of_stories_already_shown_still_moves_on() -> None:
    # With stories grouped, a page whose hits all belong to stories on show adds no row: the
    # next page must start after it, not fetch it again (the list would ask for ever).
    def hit(article_id: int, story: int | None) -> paging.SearchHit:
        row = ArticleRow(article_id, "S", f"T{article_id}", None, None, None, False, False)
        row = row._replace(story=story, sort_key=(float(-article_id), article_id))
        return paging.SearchHit(row, "", 1.0)

    pages = {None: [hit(1, 7), hit(2, None)], 2: [hit(3, 7), hit(4, 7)], 4: [hit(5, None)]}
    asked: list[int] = []

    def more(store: object, after: tuple[float, int]) -> list[paging.SearchHit]:
        asked.append(after[1])
        return pages.get(after[1], [])

    rows = HitRows(pages[None], (), more, stories=True)
    rows = rows.grown(None).grown(None).grown(None)  # type: ignore[arg-type]
    assert [h.row.id for h in rows.hits] == [1, 2, 5] and rows.complete
    assert asked == [2, 4, 5]


@pytest.mark.usefixtures("small_pages")
def test_the_ends_of_the_view_answer_at_once(rows_store: Store) -> None:
    """`g` and `G` find their rows loaded however far the window is."""
    expected = listing(rows_store, View())
    rows, _ = open_rows(rows_store, View(), expected[30].sort_key)
    assert rows.get(0) == expected[0] and rows.get(COUNT - 1) == expected[-1]
    assert rows.get(15) is None  # between the window and the ends: fetched when drawn


@pytest.mark.usefixtures("small_pages")
def test_pages_are_fetched_ahead_of_the_cursor(rows_store: Store) -> None:
    expected = listing(rows_store, View())
    rows, _ = open_rows(rows_store, View(), None)
    load(rows_store, rows, 0, 2)
    assert rows.stop >= 2 + paging.AHEAD  # the next key down finds its row
    assert [rows.get(i) for i in range(rows.stop)] == expected[: rows.stop]
