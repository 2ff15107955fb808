"""Which article a grouped list shows for a story: the best-sourced (the most text), the
oldest of equals, among those the view selects; the story's id stays its first article's."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.stories.test_detection import PORT, WHEN, Cache
from tui.store.rows import View

HOUR = timedelta(hours=1)


@pytest.fixture
def grouped(tmp_path: Path) -> Cache:
    return Cache(tmp_path / "cache.db")


def shown(cache: Cache, view: View) -> list[str]:
    return [row.title for row in cache.store.page(view, None, 100)]


def test_the_fullest_report_shows_the_story_not_the_first_trimmed_copy(grouped: Cache) -> None:
    trimmed = grouped.add("Times", "Strike halts Rotterdam", PORT[:250])
    grouped.add("Agency", "Rotterdam dockers strike", PORT, WHEN + HOUR)
    grouped.add("Herald", "Port at a standstill", PORT[:300], WHEN + 2 * HOUR)
    assert shown(grouped, View(stories=True)) == ["Rotterdam dockers strike"]
    rows = grouped.store.page(View(), None, 100)
    assert {row.story for row in rows} == {trimmed}  # the id: still the first article's


def test_of_equal_copies_the_oldest_shows_and_filters_pick_among_the_rest(
    grouped: Cache,
) -> None:
    first = grouped.add("Agency", "Rotterdam dockers strike", PORT)
    grouped.add("Herald", "UPDATE: Rotterdam strike", PORT, WHEN + HOUR)
    grouped.add("Times", "Strike halts Rotterdam", PORT[:250], WHEN + 2 * HOUR)
    assert shown(grouped, View(stories=True)) == ["Rotterdam dockers strike"]
    grouped.store.set_read([first])  # read alone here: the store's flag, not the story rule
    assert shown(grouped, View(unread=True, stories=True)) == ["UPDATE: Rotterdam strike"]
    assert grouped.store.count(View(unread=True, stories=True)) == 1


def test_a_story_row_is_read_only_once_every_outlet_is(grouped: Cache) -> None:
    # The first outlet's copy was read; a second outlet's arrives: the story is unread again
    # (as the unread counts say), and marking its row read as the list does marks both.
    first = grouped.add("Agency", "Rotterdam dockers strike", PORT)
    grouped.store.set_story_read([first])
    later = grouped.add("Herald", "UPDATE: Rotterdam strike", PORT, WHEN + HOUR)
    (row,) = grouped.store.page(View(stories=True), None, 100)
    assert row.id == first and not row.read
    assert grouped.store.count(View(unread=True, stories=True)) == 1
    grouped.store.set_story_read([row.id])
    (row,) = grouped.store.page(View(stories=True), None, 100)
    assert row.read and grouped.store.count(View(unread=True, stories=True)) == 0
    assert all(r.read for r in grouped.store.page(View(), None, 100) if r.id in (first, later))
