"""Panes: one at a time below 100 columns, keys and mouse between them, the sources pane."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.color import Color
from textual.events import MouseScrollDown
from textual.widget import Widget

from tests.ui.conftest import AppFactory, record_calls, settle
from tests.ui.data import NOW
from tests.ui.test_reading import TITLES, focused_pane, parts
from tui.models import FetchOutcome, SourceKind
from tui.store import Store
from tui.ui.widgets.footer import KeysFooter


async def test_narrow_terminal_shows_one_pane_at_a_time(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(app)
        assert screen.has_class("-narrow") and focused_pane(screen) == "list"
        assert articles.display and not screen.sources.display and not reader.display
        assert articles.region.width >= 74
        await pilot.press("enter")
        await settle(pilot)
        assert focused_pane(screen) == "reader" and reader.region.width >= 74
        assert screen.sub_title == "All › Reader"
        assert not screen.query_one("#list-pane").display
        await pilot.press("escape")
        assert focused_pane(screen) == "list" and screen.focused is articles
        await pilot.press("h")
        await settle(pilot)
        assert focused_pane(screen) == "sources" and screen.sources.region.width >= 74
        assert screen.sub_title == "Sources"
        await pilot.press("G", "enter")  # the last source: 東京ニュース
        await settle(pilot)
        assert screen.focused is articles
        assert articles.rows.total == 1
        assert screen.sub_title.startswith("東京ニュース")


async def test_wide_terminal_shows_all_panes(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(app)
        assert not screen.has_class("-narrow")
        assert screen.sources.region.width and articles.region.width and reader.region.width
        await pilot.press("tab")
        assert focused_pane(screen) == "reader"
        await pilot.press("tab")
        assert focused_pane(screen) == "sources"
        await pilot.press("l")
        assert focused_pane(screen) == "list"


async def test_layout_follows_resizes(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        await pilot.resize_terminal(90, 30)
        await settle(pilot)
        assert screen.has_class("-narrow") and not screen.sources.display
        await pilot.resize_terminal(170, 40)
        await settle(pilot)
        assert not screen.has_class("-narrow") and not screen.has_class("-stacked")


async def test_highlighting_a_failed_source_explains_why_and_since_when(
    new_app: AppFactory, store: Store
) -> None:
    # A feed failing for days showed its last error alone, as if it had failed once.
    broken = store.ensure_source("Broken Feed", SourceKind.WEB, "https://broken.example/rss")
    days_ago = (NOW - timedelta(days=5, hours=1)).timestamp()
    store.record_refresh(broken, [], FetchOutcome(status=200), now=days_ago - 3600)
    failure = FetchOutcome(status=500, error="HTTP 500 Internal Server Error")
    store.record_refresh(broken, None, failure, now=days_ago)  # its first failure since
    store.record_refresh(broken, None, failure, now=NOW.timestamp())
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        entry = screen.sources.entries["source:Broken Feed"]
        said = "HTTP 500 Internal Server Error; failing since 2026-02-24 (5 days)"
        assert entry.problem == said
        screen.sources.focus()
        screen.sources.highlight("source:Broken Feed")
        await settle(pilot)
        assert f"Broken Feed: {said}" in screen.status.detail


async def test_click_selects_and_wheel_scrolls(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 16)) as pilot:
        await settle(pilot)
        _, articles, reader = parts(app)
        await pilot.click(articles, offset=(10, 2))
        await settle(pilot)
        assert articles.cursor == 2 and reader.article is None
        await pilot.click(articles, offset=(10, 2))
        await settle(pilot)
        assert reader.article and reader.article.row.title == TITLES[2]
        assert articles.max_scroll_y > 0 and articles.scroll_y == 0
        wheel = MouseScrollDown(
            articles, 5, 1, 0, 1, 0, False, False, False, screen_x=5, screen_y=5
        )
        for _ in range(3):
            articles.post_message(wheel)
        await settle(pilot)
        assert articles.scroll_y > 0
        # The cursor came along: the highlighted row is on screen, and Enter opens it.
        assert 0 <= articles.cursor_offset < articles.scrollable_content_region.height
        highlighted = articles.current
        assert highlighted is not None and highlighted.title != TITLES[2]
        articles.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert reader.article and reader.article.row.title == highlighted.title


async def test_a_move_between_panes_restyles_only_those_panes(
    new_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A class on the screen restyled every widget (header, footer keys, all panes) at each
    # Tab; the current pane's class is on its box now. The footer shows the reader's keys.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, reader = parts(app)
        list_pane = screen.query_one("#list-pane")
        restyled = record_calls(monkeypatch, app.stylesheet, "apply")
        await pilot.press("tab")
        await settle(pilot)
        assert focused_pane(screen) == "reader"
        left_to_right = (list_pane, reader, screen.query_one(KeysFooter))  # it shows new keys
        widgets = [node for node, *_ in restyled if isinstance(node, Widget)]
        assert widgets and all(
            any(box in node.ancestors_with_self for box in left_to_right) for node in widgets
        )
        highlight = Color.parse(app.theme_variables["border"])
        assert reader.styles.border_top[1] == highlight != list_pane.styles.border_top[1]


async def test_an_article_opened_on_a_narrow_terminal_is_wrapped_at_the_readers_width(
    new_app: AppFactory,
) -> None:
    # The reader is off screen while the list fills a narrow terminal: the second article
    # opened was wrapped at no width at all (one letter a line), and never again.
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _, _, reader = parts(app)
        await pilot.press("enter", "escape", "j", "enter")
        await settle(pilot)
        assert reader.article is not None and reader.region.width
        assert reader.built_width == reader.scrollable_content_region.width
        assert len(reader.body.rows) < len(reader.article.text) / 10
