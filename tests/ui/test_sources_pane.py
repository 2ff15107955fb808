"""The sources pane's lines: names cut to leave the count in view, counts redrawn when they
change, colours following the theme (the article list's too); its keys and mouse, and a
pane of 20,000 sources drawing only what is on screen."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from textual.events import MouseScrollDown

from tests.ui.conftest import AppFactory, record_calls, settle
from tests.ui.data import NOW, make_config
from tests.ui.test_day_two import list_lines, show_scope
from tests.ui.test_dialogs import inside, shown
from tests.ui.test_reading import parts
from tui.models import Article, FetchOutcome, Rule, SourceKind
from tui.store import Store, View
from tui.ui.scopes import Scope, ScopeKind
from tui.ui.screens.dialogs import NoteDialog
from tui.ui.source_lines import Entry
from tui.ui.widgets.article_list import ArticleList
from tui.ui.widgets.footer import KeysFooter
from tui.ui.widgets.sources import SourcesPane

LONG = "The Northern Harbour Districts Evening Gazette and Weekly Almanac of Absolutely Everything"


def line_of(pane: SourcesPane, key: str) -> str:
    """The text of the entry's line as drawn (it must be on screen)."""
    index = pane.index_of(key)
    assert index is not None
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
        assert line.endswith("… 3")  # a space between the cut name and its count
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


async def test_saved_counts_every_saved_article_read_or_not(
    new_app: AppFactory, store: Store
) -> None:
    # One article saved and read showed "Saved 0" over a list of one.
    newest = store.page(View())[0].id
    store.set_saved([newest])
    store.set_read([newest])
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert line_of(parts(app)[0].sources, "saved").split() == ["Saved", "1"]


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
    index = pane.index_of("source:Tech Daily")
    assert index is not None
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


def scrolled_to_cursor(pane: SourcesPane) -> bool:
    """Whether the pane is scrolled down and its cursor's line is on screen."""
    top, height = pane.scroll_offset.y, pane.scrollable_content_region.height
    return top > 0 and pane.cursor is not None and top <= pane.cursor < top + height


def highlighted(pane: SourcesPane) -> str:
    entry = pane.highlighted_entry
    assert entry is not None
    return entry.scope.key


async def test_keys_step_over_the_headings_and_stop_at_the_ends(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = parts(app)[0].sources
        await pilot.press("h", "k")
        assert highlighted(pane) == "all"  # the top: no wrap to the bottom
        await pilot.press("j", "j", "j")
        assert highlighted(pane) == "search:Climate"  # "Searches" passed over
        await pilot.press("j")
        assert highlighted(pane) == "tag:en"  # "Tags" passed over
        await pilot.press("k")
        assert highlighted(pane) == "search:Climate"
        last = pane.lines[-1]
        assert isinstance(last, Entry)
        await pilot.press("G", "j")
        assert highlighted(pane) == last.scope.key  # the last line, and it stays
        await pilot.press("g")
        assert highlighted(pane) == "all"


async def test_page_keys_move_a_screen_and_keep_the_cursor_in_view(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 14)) as pilot:
        await settle(pilot)
        pane = parts(app)[0].sources
        height = pane.scrollable_content_region.height
        assert len(pane.lines) > height + 2
        await pilot.press("h", "pagedown")
        assert pane.cursor == height - 1 and pane.scroll_y == 0  # to the screen's last line
        await pilot.press("pagedown")
        await settle(pilot)
        assert scrolled_to_cursor(pane)
        await pilot.press("pageup", "pageup", "pageup")
        await settle(pilot)
        assert highlighted(pane) == "all" and pane.scroll_y == 0


async def test_a_click_shows_the_source_and_the_mouse_marks_its_line(
    new_app: AppFactory,
) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = parts(app)[0]
        pane = screen.sources
        tech, heading = pane.index_of("source:Tech Daily"), pane.index_of("tag:en")
        assert tech is not None and heading is not None
        # Offsets count the pane's top border: line n is at y = n + 1.
        await pilot.click(pane, offset=(2, heading))  # the "Tags" heading: nothing
        await settle(pilot)
        assert screen.views.state.scope.key == "all"
        plain = list(pane.render_line(tech))[0].style
        await pilot.hover(pane, offset=(2, tech + 1))
        assert list(pane.render_line(tech))[0].style != plain
        await pilot.click(pane, offset=(2, tech + 1))
        await settle(pilot)
        assert screen.views.state.scope.key == "source:Tech Daily"
        assert highlighted(pane) == "source:Tech Daily"


async def test_the_wheel_brings_the_cursor_into_view(new_app: AppFactory) -> None:
    # As in the article list: Enter after a wheel scroll picks a line on screen.
    app = new_app()
    async with app.run_test(size=(120, 14)) as pilot:
        await settle(pilot)
        pane = parts(app)[0].sources
        await pilot.press("h")
        wheel = MouseScrollDown(pane, 5, 1, 0, 1, 0, False, False, False, screen_x=5, screen_y=5)
        for _ in range(3):
            pane.post_message(wheel)
        await settle(pilot)
        assert scrolled_to_cursor(pane)
        picked = highlighted(pane)
        await pilot.press("enter")
        await settle(pilot)
        assert parts(app)[0].views.state.scope.key == picked != "all"


async def test_twenty_thousand_sources_draw_only_the_lines_on_screen(
    new_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = parts(app)[0].sources
        drawn = record_calls(monkeypatch, pane, "_strip")
        many = (Entry(Scope(ScopeKind.SOURCE, f"Feed {n:05}"), n) for n in range(20_000))
        pane.set_lines([*pane.lines, *many])
        await pilot.press("h", "G")
        await settle(pilot)
        assert highlighted(pane) == "source:Feed 19999"
        assert line_of(pane, "source:Feed 19999").rstrip().endswith(" 19,999")
        assert len(drawn) < 3 * pane.size.height


async def test_a_tag_a_rule_adds_is_listed_with_the_config_tags(
    new_app: AppFactory, store: Store, tmp_path: Path
) -> None:
    # `tag:research` found them, but the pane listed only the sources' tags.
    rules = (Rule("museum OR compiler", "tag", tag="research"), Rule("museum", "tag", tag="JA"))
    store.apply_rules(rules)
    config = replace(make_config(tmp_path), rules=rules)
    app = new_app(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = parts(app)[0].sources
        tags = [line_of(pane, f"tag:{tag}").split() for tag in ("en", "JA", "research", "tech")]
        assert tags == [["#en", "9"], ["#JA", "2"], ["#research", "2"], ["#tech", "4"]]
        assert pane.index_of("tag:ja") is None  # a source's tag and a rule's, one entry
        await show_scope(pilot, "tag:research")
        shown = "\n".join(list_lines(app, 3))
        assert "Museum reopens" in shown and "New compiler" in shown
        assert parts(app)[1].rows.total == 2
        await pilot.press("q")
    again = new_app(config=config)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert parts(again)[1].rows.total == 2  # the tag's list comes back after a restart


WHOLE_ERROR = (
    "not a feed: an HTML page without a feed link (a hotel's or an airport's sign-in page "
    "answers every address until you sign in) (https://broken.example/rss)"
)


def shown_words(text: str) -> str:
    """`text` as `shown` gives what is drawn: without spaces and words of no letter."""
    return "".join(word for word in text.split() if any(c.isalnum() for c in word))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_i_shows_a_failed_sources_whole_error(
    new_app: AppFactory, store: Store, size: tuple[int, int]
) -> None:
    """The status line cuts a long error at the screen's width; `i` on the failed source
    shows it whole, wrapped, in a dialog (and the footer offers `i` only there)."""
    source_id = store.ensure_source("Broken Feed", SourceKind.WEB, "https://broken.example/rss")
    store.record_refresh(source_id, None, FetchOutcome(error=WHOLE_ERROR), now=NOW.timestamp())
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = parts(app)[0]
        await pilot.press("exclamation_mark")  # the pane in front, on the failed source
        await settle(pilot)
        assert "i" in screen.active_bindings
        [status] = screen.status.render_lines(screen.status.region.reset_offset)
        assert status.text.rstrip().endswith("…")  # the status line cuts it
        await pilot.press("i")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        assert shown(dialog.query_one("#note-text")).startswith(shown_words(WHOLE_ERROR))
        assert inside(dialog.query_one("#note-text"), dialog.region)
        await pilot.press("escape")
        await pilot.press("j")  # a source without an error: nothing to show
        await settle(pilot)
        assert app.screen is screen and "i" not in screen.active_bindings
        await pilot.press("i")
        assert app.screen is screen


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_article_keys_wait_for_the_list_in_the_sources_pane(
    new_app: AppFactory, size: tuple[int, int]
) -> None:
    # At 120 columns `m` and `s` were offered there and acted on the list's row, out of the
    # user's sight; at 80 they did nothing. Now neither width offers or does them there.
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        row = articles.current
        assert row is not None and not row.read and not row.saved
        await pilot.press("shift+tab")
        await settle(pilot)
        assert screen.focused is screen.sources
        assert not {"Read", "Save"} & set(screen.query_one(KeysFooter).labels)
        await pilot.press("m", "s", "M")
        await settle(pilot)
        listed = articles.rows.get(0)
        assert listed is not None and not listed.read and not listed.saved
        assert articles.current == row
