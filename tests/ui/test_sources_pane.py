"""The sources pane's lines: names cut to leave the count in view, counts redrawn when they
change, colours following the theme (the article list's too)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.ui.conftest import AppFactory, settle
from tests.ui.data import NOW
from tests.ui.test_reading import parts
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store
from tui.ui.widgets.article_list import ArticleList
from tui.ui.widgets.sources import SourcesPane

LONG = "The Northern Harbour Districts Evening Gazette and Weekly Almanac of Absolutely Everything"


def line_of(pane: SourcesPane, key: str) -> str:
    """The text of the entry's line as drawn (it must be on screen)."""
    index = pane.get_option_index(key)
    return pane.render_line(index - pane.scroll_offset.y).text


def add_long_source(store: Store, articles: int) -> None:
    source_id = store.ensure_source(LONG, SourceKind.WEB, "https://gazette.example/rss")
    found = [
        Article(title=f"Gazette {n}", body="Text.", published=NOW - timedelta(hours=n), guid=str(n))
        for n in range(articles)
    ]
    store.record_refresh(source_id, found, FetchOutcome(status=200), now=NOW.timestamp())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_a_long_name_is_cut_and_its_count_stays_in_view(
    new_app: AppFactory, store: Store, size: tuple[int, int]
) -> None:
    add_long_source(store, 3)
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("h")  # on a narrow terminal the pane only shows when it is current
        await settle(pilot)
        pane = parts(app)[0].sources
        line = line_of(pane, f"source:{LONG}")
        assert len(line) == pane.scrollable_content_region.width
        assert line.endswith("…3")
        assert line.startswith("The Northern Harbour")
        assert line_of(pane, "source:Tech Daily").rstrip().endswith(" 4")
        assert line_of(pane, "source:Broken Feed").startswith("! Broken Feed")


async def test_counts_are_redrawn_when_flags_change(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = parts(app)[0].sources
        assert line_of(pane, "source:World News").endswith(" 5")
        await pilot.press("m")  # the newest article, from World News, is now read
        await settle(pilot)
        assert line_of(pane, "source:World News").endswith(" 4")
        assert line_of(pane, "all").endswith(" 9")
        assert line_of(pane, "source:Tech Daily").endswith(" 4")


async def test_counts_and_rows_take_the_new_theme_colours(new_app: AppFactory) -> None:
    # Both panes keep the lines they drew; a theme must still reach them.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        before = count_colour(screen.sources), age_colour(articles)
        app.theme = "textual-light" if app.current_theme.dark else "textual-dark"
        await settle(pilot)
        after = count_colour(screen.sources), age_colour(articles)
        assert after[0] != before[0] and after[1] != before[1]
        assert after == (
            screen.sources.get_component_rich_style("sources--count").color,
            articles.get_component_rich_style("article-list--date").color,
        )


def age_colour(articles: ArticleList) -> object:
    """The colour the second row's age ("5h") is drawn in."""
    age = next(s for s in articles.render_line(1) if s.text.strip() == "5h")
    return age.style.color if age.style else None


def count_colour(pane: SourcesPane) -> object:
    """The colour the count of Tech Daily is drawn in."""
    index = pane.get_option_index("source:Tech Daily")
    segments = list(pane.render_line(index - pane.scroll_offset.y))
    count = next(s for s in segments if s.text.strip() == "4")
    return count.style.color if count.style else None


@pytest.mark.parametrize(("unread", "shown"), [(1_000, " 1,000"), (1_001, " 1,000+")])
async def test_a_saved_search_counts_up_to_a_thousand(
    new_app: AppFactory, store: Store, unread: int, shown: str
) -> None:
    # Counted at every start: beyond a thousand it says so instead of reading every match.
    source_id = store.ensure_source("Climate Desk", SourceKind.WEB, "https://climate.example/")
    more = unread - store.search_count("climate", unread_only=True)
    found = [
        Article(title=f"Climate {n}", body="Text.", published=NOW - timedelta(hours=n), guid=str(n))
        for n in range(more)
    ]
    store.record_refresh(source_id, found, FetchOutcome(status=200), now=NOW.timestamp())
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = parts(app)[0].sources
        assert line_of(pane, "search:Climate").endswith(shown)
