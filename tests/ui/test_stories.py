"""Stories in the TUI: listed once with +N, "also reported by" with A, read as one, counted
once; `group_stories = false` lists and reads every article on its own. `m` and Enter follow
a story row's mark (unread while any of its articles is), and the open reader's "Also
reported by" follows outlets joining the story."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.feedserver import FeedServer
from tests.stories.test_detection import PORT
from tests.ui.conftest import AppFactory, settle
from tests.ui.data import NOW, make_config
from tests.ui.test_reading import marks, parts, row_line
from tui.config import SourceConfig
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store, View
from tui.stories.grouping import group_stories
from tui.ui import NewsdeskApp
from tui.ui.format import UNREAD_MARK

OUTLETS = (
    ("Wire", "Rotterdam dockers strike over automation", PORT, 5),
    ("Herald", "UPDATE: Rotterdam port at a standstill", "UPDATE: " + PORT, 4),
    ("Times", "Strike halts Rotterdam", PORT[:300], 3),
)


@pytest.fixture
def story_store(tmp_path: Path) -> Store:
    """Three outlets with one story, and one article standing alone, grouped as a refresh
    groups them."""
    store = Store.open(tmp_path / "stories.db")
    stamp = NOW.timestamp()
    new: list[int] = []
    alone = ("Wire", "Museum reopens after repairs", "The city museum reopened its doors.", 1)
    for source, title, body, hours in (*OUTLETS, alone):
        source_id = store.ensure_source(source, SourceKind.WEB, f"https://{source}.example/feed")
        article = Article(
            title=title, body=body, guid=title, published=NOW - timedelta(hours=hours)
        )
        new += store.record_refresh(source_id, [article], FetchOutcome(200), now=stamp).new_ids
    group_stories(store, new)
    return store


@pytest.fixture
def grouped(new_app: AppFactory, story_store: Store, tmp_path: Path) -> NewsdeskApp:
    """The app on the story cache with the default settings (stories grouped)."""
    return new_app(store=story_store, config=make_config(tmp_path))


def lines(app: object, count: int) -> list[str]:
    return [row_line(app, i) for i in range(count)]  # type: ignore[arg-type]


async def test_a_story_is_listed_once_with_its_other_outlets(grouped: NewsdeskApp) -> None:
    app = grouped
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        assert articles.rows.total == 2
        shown = lines(app, 2)
        # By its best-sourced article: the Herald's update holds the most text (the Wire's
        # first report is older, the Times' copy trimmed).
        assert any("UPDATE: Rotterdam port at a standstill +2" in line for line in shown)
        assert not any("dockers strike" in line or "Strike halts" in line for line in shown)
        assert screen.sources.entries["unread"].count == 2  # a story counts once
        assert screen.sub_title == "All · 2 stories"  # the rows are stories, not articles


async def test_the_reader_lists_the_other_outlets_and_a_opens_each(
    grouped: NewsdeskApp, story_store: Store
) -> None:
    app = grouped
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(app)
        articles.move_to(1)  # the story: listed by its best-sourced article, below the newer one
        await pilot.press("enter")
        await settle(pilot)
        assert reader.article is not None and reader.article.row.source == "Herald"
        assert reader.article.row.story == reader.article.also[0].id  # the id: its first article
        header = reader.query_one("#reader-meta", Static)
        lines = [header.render_line(y).text.rstrip() for y in range(header.size.height)]
        also = lines[lines.index("Also reported by (A opens each):") + 1 :]
        assert "Times" in also[0]  # listed in the order A opens them
        assert any("Wire" in line and "Rotterdam dockers strike over automation" in line
                   for line in also)  # fmt: skip
        assert any("Times" in line and "Strike halts Rotterdam" in line for line in also)
        assert all(line.startswith("  ") for line in also if line)  # each outlet indented
        opened = []
        for _ in range(3):
            await pilot.press("A")
            await settle(pilot)
            opened.append(reader.article.row.source if reader.article else None)
        assert opened == ["Times", "Wire", "Herald"]  # the next by date, round and round
        # Opening marked the story read: every outlet's article, and it counts no more.
        assert story_store.count(View(unread=True)) == 1
        assert screen.sources.entries["unread"].count == 1


async def test_with_grouping_off_every_article_is_listed_and_read_alone(
    new_app: AppFactory, story_store: Store, tmp_path: Path
) -> None:
    app = new_app(store=story_store, config=make_config(tmp_path, group_stories=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        assert articles.rows.total == 4
        assert screen.sources.entries["unread"].count == 4
        assert screen.sub_title == "All · 4 articles"
        assert not any(" +" in line for line in lines(app, 4))  # no story count beside titles
        articles.move_to(3)
        await pilot.press("m")
        await settle(pilot)
        assert story_store.count(View(unread=True)) == 3


def test_a_user_s_flags_survive_a_story_growing(story_store: Store) -> None:
    """Regrouping never touches read or saved: only the reading rule does, in the UI."""
    first, second = (story_store.page(View(source=name))[-1] for name in ("Wire", "Herald"))
    story_store.set_saved([second.id])
    source_id = story_store.ensure_source("Chronicle", SourceKind.WEB, "https://c.example/feed")
    late = Article(title="Rotterdam walkout", body=PORT, guid="late", published=NOW)
    result = story_store.record_refresh(source_id, [late], FetchOutcome(200), now=NOW.timestamp())
    group_stories(story_store, result.new_ids)
    rows = {r.id: r for r in story_store.page(View())}
    assert rows[result.new_ids[0]].story == rows[first.id].story is not None
    assert rows[second.id].saved and not rows[second.id].read
    assert not rows[first.id].read and not rows[first.id].saved


async def test_a_search_lists_a_story_once_too(grouped: NewsdeskApp) -> None:
    # Every outlet's copy matches "rotterdam": listed three times, each with +2, it read as
    # three stories.
    app = grouped
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        await pilot.press("slash", *"rotterdam")
        await settle(pilot)
        assert articles.rows.total == 1
        assert "+2" in lines(app, 1)[0]
        assert "1 result" in screen.sub_title


async def test_marking_another_outlets_article_unread_shows_on_the_storys_row(
    grouped: NewsdeskApp,
) -> None:
    app = grouped
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, articles, reader = parts(app)
        articles.move_to(1)
        await pilot.press("enter")  # the Herald's row: opening it reads the story
        await settle(pilot)
        row = articles.rows.get(1)
        assert row is not None and row.read
        await pilot.press("A")  # the Times' copy: another article than the row's
        await settle(pilot)
        assert reader.article is not None and reader.article.row.source == "Times"
        await pilot.press("m")  # unread again: the whole story
        await settle(pilot)
        row = articles.rows.get(1)
        assert row is not None and not row.read


async def test_saving_another_outlets_article_marks_the_storys_row_saved(
    grouped: NewsdeskApp, story_store: Store
) -> None:
    app = grouped
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(app)
        articles.move_to(1)
        await pilot.press("enter", "A")  # the Times' copy, not the Herald's the row shows
        await settle(pilot)
        assert reader.article is not None and reader.article.row.source == "Times"
        await pilot.press("s")
        await settle(pilot)
        assert marks(app, 1) == " ★ "  # read (opened), and saved: another outlet's copy
        screen.views.reload_list()  # as the store reads it
        await settle(pilot)
        assert marks(app, 1) == " ★ "
        await pilot.press("slash", *"rotterdam")  # a search result stands for the story too
        await settle(pilot)
        assert marks(app, 0) == " ★ "
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter", "A", "s")  # the Times' copy unsaved: nothing is any more
        await settle(pilot)
        assert marks(app, 1) == "   "
        herald = articles.rows.get(1)
        assert herald is not None and not herald.saved  # the row's own article was never saved
    assert not any(row.saved for row in story_store.page(View()))


async def test_marking_search_results_read_marks_their_whole_stories(
    grouped: NewsdeskApp, story_store: Store
) -> None:
    app = grouped
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"rotterdam", "enter")
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        # The one row stands for three outlets' articles: all read, the lone one untouched.
        assert story_store.count(View(unread=True)) == 1
        await pilot.press("u")
        await settle(pilot)
        assert story_store.count(View(unread=True)) == 4


STORY_ROW = 1
"""The story's row (its best-sourced article, the Herald's), below the lone newer one."""


def another_outlet_reports(path: Path) -> None:
    """Another process (a cron `newsdesk refresh`) stores a fourth outlet's copy of the story."""
    other = Store.open(path)
    try:
        source = other.ensure_source("Chronicle", SourceKind.WEB, "https://c.example/feed")
        late = Article(title="Rotterdam walkout", body=PORT, guid="late", published=NOW)
        result = other.record_refresh(source, [late], FetchOutcome(200), now=NOW.timestamp())
        group_stories(other, result.new_ids)
    finally:
        other.close()


def another_process_marks_unread(path: Path) -> None:
    """`newsdesk unread ID` of the Wire's article of the story (not the one the row shows)."""
    other = Store.open(path)
    try:
        (wire,) = (row for row in other.page(View(source="Wire")) if "dockers" in row.title)
        other.set_read([wire.id], False)
    finally:
        other.close()


async def test_m_on_an_unread_story_row_marks_it_all_read_though_its_article_is_read(
    grouped: NewsdeskApp, story_store: Store
) -> None:
    (herald,) = story_store.page(View(source="Herald"))
    story_store.set_read([herald.id])  # the row's own article alone: another is unread
    app = grouped
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, articles, _ = parts(app)
        assert UNREAD_MARK in marks(app, STORY_ROW)
        articles.move_to(STORY_ROW)
        await pilot.press("m")
        await settle(pilot)
        assert UNREAD_MARK not in marks(app, STORY_ROW)
        assert story_store.count(View(unread=True)) == 1  # the lone article alone
        await pilot.press("m")  # and back: the whole story unread
        await settle(pilot)
        assert UNREAD_MARK in marks(app, STORY_ROW)
        assert story_store.count(View(unread=True)) == 4


@pytest.mark.parametrize("change", [another_outlet_reports, another_process_marks_unread])
async def test_enter_on_the_open_story_come_unread_again_marks_it_read(
    grouped: NewsdeskApp, story_store: Store, change: object
) -> None:
    app = grouped
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(app)
        articles.move_to(STORY_ROW)
        await pilot.press("enter")  # the Herald's article: the story read
        await settle(pilot)
        assert story_store.count(View(unread=True)) == 1
        change(story_store.path)  # type: ignore[operator]
        screen.refreshing.check_outside_writes()
        await settle(pilot)
        assert UNREAD_MARK in marks(app, STORY_ROW)
        assert reader.article is not None and reader.article.row.read  # shown: read itself
        screen.focus_pane("list")
        await pilot.press("enter")
        await settle(pilot)
        assert UNREAD_MARK not in marks(app, STORY_ROW)
        assert story_store.count(View(unread=True)) == 1
        assert screen.sources.entries["unread"].count == 1


def chronicle_feed(server: FeedServer) -> str:
    """A fourth outlet's feed carrying its copy of the story."""
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Chronicle</title>'
        "<link>https://c.example/</link><description>d</description>"
        f"<item><title>Rotterdam walkout</title><guid>late</guid><description>{PORT}"
        f"</description><pubDate>{format_datetime(NOW)}</pubDate></item></channel></rss>"
    )
    return server.feed("/chronicle.xml", feed.encode())


@pytest.mark.parametrize("by", ["refresh", "another process"])
async def test_the_open_readers_also_reported_by_lists_an_outlet_joining_later(
    new_app: AppFactory, story_store: Store, feed_server: FeedServer, tmp_path: Path, by: str
) -> None:
    chronicle = SourceConfig("Chronicle", url=chronicle_feed(feed_server))
    config = replace(make_config(tmp_path), sources=(chronicle,))
    app = new_app(store=story_store, config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(app)
        articles.move_to(STORY_ROW)
        await pilot.press("enter")
        await settle(pilot)
        if by == "refresh":
            await pilot.press("R")
        else:
            another_outlet_reports(story_store.path)
            screen.refreshing.check_outside_writes()
        await settle(pilot)
        assert "+3" in articles.render_line(STORY_ROW).text  # the row says so
        header = reader.query_one("#reader-meta", Static)
        lines = [header.render_line(y).text for y in range(header.size.height)]
        assert any("Chronicle" in line and "Rotterdam walkout" in line for line in lines)
        assert reader.article is not None and len(reader.article.also) == 3
