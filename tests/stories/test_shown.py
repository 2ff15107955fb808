"""Which article a grouped list shows for a story: the best-sourced (the most text), the
oldest of equals, among those the view selects; the story's id stays its first article's."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.stories.test_detection import GERMAN, PORT, WHEN, Cache
from tui.config import load_config
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store
from tui.store.rows import View
from tui.ui.scopes import ScopeKind
from tui.ui.source_lines import Entry, load_entries

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


def test_every_pane_count_is_the_unread_rows_its_grouped_list_shows(
    grouped: Cache, tmp_path: Path
) -> None:
    # The Wire carries a story twice (its flash, then its full copy) beside a lone article;
    # a second outlet has the story too. Each source's and tag's count is its unread rows.
    store = grouped.store
    wire = store.ensure_source("Wire", SourceKind.WEB, "https://wire.example/feed", ["News"])
    herald = store.ensure_source("Herald", SourceKind.WEB, "https://herald.example/feed", ["News"])
    grouped.sources.update({"Wire": wire, "Herald": herald})
    grouped.add("Wire", "Rotterdam dockers strike", PORT[:300])
    grouped.add("Wire", "UPDATE: Rotterdam dockers strike", PORT, WHEN + HOUR)
    grouped.add("Wire", "Eurowings cancels 300 flights", GERMAN, WHEN + HOUR)
    grouped.add("Herald", "Port at a standstill", PORT, WHEN + 2 * HOUR)
    config_file = tmp_path / "feeds.toml"
    config_file.write_text("[settings]\ngroup_stories = true\n", encoding="utf-8")
    counts = {
        (line.scope.kind, line.scope.name): line.count
        for line in load_entries(store, load_config(config_file), WHEN)
        if isinstance(line, Entry)
    }
    assert (
        counts[(ScopeKind.SOURCE, "Wire")]
        == 2
        == len(shown(grouped, View(source="Wire", unread=True, stories=True)))
    )
    assert counts[(ScopeKind.SOURCE, "Herald")] == 1
    assert (
        counts[(ScopeKind.TAG, "News")]
        == 2
        == store.count(View(tag="News", unread=True, stories=True))
    )


def test_an_article_its_story_leaves_alone_stands_alone_again(grouped: Cache) -> None:
    first = grouped.add("Agency", "Rotterdam dockers strike", PORT)
    later = grouped.add("Herald", "UPDATE: Rotterdam strike", PORT, WHEN + HOUR)
    assert grouped.story(later) == first
    grouped.store.forget_source("Agency")  # its article goes with it
    assert grouped.story(later) is None


def test_a_search_hit_is_unread_while_its_story_is(grouped: Cache) -> None:
    # The hit is the one outlet's copy already read; another outlet's is not: as its row in
    # a grouped list, the hit is unread (and read as itself where lists show articles).
    first = grouped.add("Agency", "Rotterdam dockers strike", PORT)
    grouped.add("Herald", "UPDATE: Rotterdam strike", PORT, WHEN + HOUR)
    grouped.store.set_read([first])
    hits = grouped.store.search("dockers", stories=True).hits
    assert [(h.row.id, h.row.read) for h in hits] == [(first, False)]
    assert [h.row.read for h in grouped.store.search("dockers").hits] == [True]


def test_a_saved_searchs_unread_count_counts_a_story_once(grouped: Cache) -> None:
    grouped.add("Agency", "Rotterdam dockers strike", PORT)
    grouped.add("Herald", "UPDATE: Rotterdam strike", PORT, WHEN + HOUR)
    grouped.add("Times", "Rotterdam opens a museum", "The Rotterdam museum opened today.")
    count = grouped.store.search_count
    assert count("rotterdam", unread_only=True, stories=True) == 2
    assert count("rotterdam", unread_only=True, stories=True, limit=1000) == 2
    assert count("rotterdam", unread_only=True) == 3


def test_counts_agree_with_rows_when_a_storys_outlets_differ_in_read(grouped: Cache) -> None:
    # The Agency's copy was read, the Herald's is not: the story's row is unread in the
    # Agency's list too, and in a saved search matching the Agency's words alone.
    first = grouped.add("Agency", "Rotterdam dockers strike", PORT)
    grouped.add("Herald", "UPDATE: Rotterdam strike", PORT, WHEN + HOUR)
    grouped.store.set_read([first])
    by_source, _ = grouped.store.unread_grouped_away()
    agency = grouped.sources["Agency"]
    unread_rows = [r for r in grouped.store.page(View(source="Agency", stories=True), None, 9)]
    assert [r.read for r in unread_rows] == [False]
    assert 0 - by_source.get(agency, 0) == 1  # no unread article there, one unread row
    count = grouped.store.search_count
    assert count("dockers strike", unread_only=True, stories=True) == 1


def test_the_saved_count_is_its_rows_a_story_once(grouped: Cache, tmp_path: Path) -> None:
    first = grouped.add("Agency", "Rotterdam dockers strike", PORT)
    later = grouped.add("Herald", "UPDATE: Rotterdam strike", PORT, WHEN + HOUR)
    grouped.store.set_read([first])
    grouped.store.set_saved([first])  # saved and read; the Herald's copy is unread
    config_file = tmp_path / "feeds.toml"
    config_file.write_text("[settings]\ngroup_stories = true\n", encoding="utf-8")
    entries = [
        e
        for e in load_entries(grouped.store, load_config(config_file), WHEN)
        if isinstance(e, Entry)
    ]
    saved_rows = grouped.store.page(View(saved=True, stories=True), None, 9)
    assert [r.read for r in saved_rows] == [False]
    assert next(e.count for e in entries if e.scope.kind is ScopeKind.SAVED) == 1
    grouped.store.set_saved([later])
    grouped.store.set_read([later])  # both copies saved, and read: one row still
    entries = [
        e
        for e in load_entries(grouped.store, load_config(config_file), WHEN)
        if isinstance(e, Entry)
    ]
    assert next(e.count for e in entries if e.scope.kind is ScopeKind.SAVED) == 1


def paired_stories(store: Store, pairs: int) -> tuple[list[int], list[int]]:
    """The Wire's `pairs` stories, each a flash and its full copy stored one after the
    other; the ids of the flashes and of the copies, in the same order."""
    wire = store.ensure_source("Wire", SourceKind.LOCAL, "wire")
    copies = [
        Article(title=f"Harbour report {n}", body="The port reopened." * (1 + n % 2),
                guid=str(n), published=WHEN - n * HOUR)
        for n in range(2 * pairs)
    ]  # fmt: skip
    ids = store.record_refresh(wire, copies, FetchOutcome(status=200)).new_ids
    flashes, full = ids[::2], ids[1::2]
    store.set_stories([(f, f) for f in flashes] + list(zip(flashes, full, strict=True)))
    return flashes, full


def test_a_capped_count_stops_at_a_thousand_stories_not_a_thousand_articles(
    grouped: Cache,
) -> None:
    # 1,200 stories of two articles each: the pane's cap (1,001: "1,000+") is of the rows a
    # grouped list shows. Counting stopped after 1,001 articles, it said 501 stories, and a
    # narrower search (is:unread) more than the broader one.
    store = grouped.store
    flashes, _ = paired_stories(store, 1_200)
    store.set_read(flashes[:700])  # their full copies keep those stories unread
    count = store.search_count
    for query in ("harbour", "harbour is:unread", "is:unread", "source:wire"):
        exact = count(query, unread_only=True, stories=True)
        assert exact == 1_200, query
        assert count(query, unread_only=True, stories=True, limit=1_001) == 1_001, query
        assert count(query, stories=True, limit=1_001) == 1_001, query
    assert count("harbour", stories=True, limit=5_000) == 1_200
