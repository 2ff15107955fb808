"""Search as you type, filter within a view, and Esc back to the view and selection."""

from __future__ import annotations

import asyncio
import threading

from textual.events import Key
from textual.widgets import Label

from tests.ui.conftest import AppFactory, pressed, settle
from tests.ui.test_reading import parts
from tui.store import Store
from tui.ui.paging import HitRows, PagedRows
from tui.ui.widgets.footer import KeysFooter
from tui.ui.widgets.search_bar import RESULT_LIMIT, as_you_type


async def test_search_replaces_list_and_escape_restores_view_and_selection(
    new_app: AppFactory,
) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        await pilot.press("j", "j", "j")
        before = articles.current
        assert before is not None and articles.cursor == 3
        await pilot.press("slash", *"budget")
        await settle(pilot)
        assert isinstance(articles.rows, HitRows)
        shown = [articles.render_line(y).text for y in range(2 * articles.rows.total)]
        assert any("Markets calm as budget talks resume" in line for line in shown)
        assert "Search: budget" in screen.sub_title
        line = articles.render_line(0)
        assert "budget" in line.text.lower() or "Budget" in line.text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(articles.rows, PagedRows)
        assert articles.current == before
        assert articles.cursor == 3
        assert "All · 10 stories" in screen.sub_title


async def test_the_header_names_the_words_of_the_results_listed(new_app: AppFactory) -> None:
    # Not newer words whose search still runs: they showed over the old results and count.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"budget")
        await settle(pilot)
        screen = parts(app)[0]
        assert screen.sub_title == "Search: budget · 2 results"
        busy = threading.Event()  # the database thread held: the next search waits
        held = asyncio.ensure_future(screen.db.call(lambda _: busy.wait()))
        try:
            await pilot.press(*" talks")
            await pilot.resize_terminal(110, 40)  # the header is written again
            await pilot.pause()
            assert screen.sub_title == "Search: budget · 2 results"  # not " talks" over them
        finally:
            busy.set()
        await held
        await settle(pilot)
        assert screen.sub_title.startswith("Search: budget talks · 1 result")


async def test_matched_words_are_highlighted(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, articles, _ = parts(app)
        await pilot.press("slash", *"museum")
        await settle(pilot)
        assert articles.rows.total == 1
        match = articles.get_component_rich_style("article-list--match")
        title_line = articles.render_line(0)
        styled = [seg for seg in title_line if "Museum" in seg.text]
        assert styled and all(seg.style and match.bold == seg.style.bold for seg in styled)
        snippet = articles.render_line(1).text
        assert "museum" in snippet.lower()


async def test_enter_keeps_results_and_opens_from_them(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(app)
        await pilot.press("slash", *"compiler", "enter")
        await settle(pilot)
        assert screen.focused is articles
        await pilot.press("enter")
        await settle(pilot)
        assert reader.article and "compiler" in reader.article.row.title.lower()
        assert isinstance(articles.rows, HitRows)


async def test_nonsense_query_never_fails(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, articles, _ = parts(app)
        await pilot.press("slash", *'"unbalanced ( NEAR * ^ :')
        await settle(pilot)
        assert isinstance(articles.rows, HitRows)
        assert articles.rows.total == 0
        assert "No matches." in articles.render_line(1).text


async def test_q_in_the_search_bar_is_typed_not_quit(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        await pilot.press("slash", "q")
        await settle(pilot)
        assert app.is_running
        assert screen.search_bar.input.value == "q"


async def test_filter_searches_within_the_current_view(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        screen.sources.highlight("source:Tech Daily")
        screen.sources.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert screen.sub_title == "Tech Daily · 4 stories"
        await pilot.press("f", *"new")  # a World News title says "new" too
        await settle(pilot)
        rows = [articles.rows.get(i) for i in range(articles.rows.total)]
        assert [r.title for r in rows if r] == ["New compiler makes builds twice as fast"]
        assert screen.sub_title == "Tech Daily › Filter: new · 1 result"  # within Tech Daily
        await pilot.press("escape")
        await settle(pilot)
        assert screen.sub_title == "Tech Daily · 4 stories"


async def test_saved_search_scope_lists_its_hits(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        screen.sources.highlight("search:Climate")
        screen.sources.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(articles.rows, HitRows)
        assert articles.current and "Climate" in articles.current.title


async def test_keys_typed_in_one_burst_after_slash_reach_the_search(new_app: AppFactory) -> None:
    """Like a fast typist or keys sent in one go: nothing waits between the keys."""
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        for key, char in (("slash", "/"), ("b", "b"), ("u", "u"), ("d", "d"), ("g", "g")):
            app.post_message(Key(key, char))
        await settle(pilot)
        assert screen.search_bar.input.value == "budg"
        assert articles.current and "budget" in articles.current.title  # a prefix while typing
        assert articles.cursor == 0


async def test_editing_keys_in_a_burst_apply_in_the_order_typed(new_app: AppFactory) -> None:
    # Textual ran a bound key of the input (backspace) only after the characters that came
    # in the same burst: "budx", backspace, "g" searched "bud" instead of "budg".
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        app.post_message(Key("slash", "/"))
        await settle(pilot)
        for key, char in (*((c, c) for c in "budx"), ("backspace", None), ("g", "g")):
            app.post_message(Key(key, char))
        await settle(pilot)
        assert screen.search_bar.input.value == "budg"
        assert articles.current and "budget" in articles.current.title


async def test_one_letter_typed_keeps_the_list_until_the_next(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        listed = screen.sub_title
        await pilot.press("slash", "b")
        await settle(pilot)
        assert not articles.rows.searched and articles.cursor == 0
        assert screen.sub_title == listed.replace("All", "Search: b")  # articles, not results
        await pilot.press("u")
        await settle(pilot)
        assert articles.current and "budget" in articles.current.title.lower()
        assert "Search: bu · " in screen.sub_title and " result" in screen.sub_title


async def test_enter_searches_a_last_single_letter_as_the_word_it_is(new_app: AppFactory) -> None:
    # "Formula 1", "vitamin D": the letter waited for the next key, and went on waiting.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        await pilot.press("slash", *"new a")
        await settle(pilot)
        assert "Search: new a · 3 results" in screen.sub_title  # "a" waits: "new" decides
        await pilot.press("enter")
        await settle(pilot)
        assert "Search: new a · 2 results" in screen.sub_title


def test_the_word_being_typed_is_a_prefix() -> None:
    assert as_you_type("budg") == "budg*"
    assert as_you_type("climate pl") == "climate pl*"
    assert as_you_type("bu") == "bu*"
    assert as_you_type("b") == ""  # one letter waits for the next, alone
    assert as_you_type("police  t") == "police"  # or after words
    assert as_you_type("nato OR b") == "nato OR b*"
    assert as_you_type("formula 1", finished=True) == "formula 1"  # Enter: the word it is
    assert as_you_type("budg", finished=True) == "budg*"
    for query in ("budget ", "tag:x", '"phrase', "a OR", "東京", "-budg", "since:7d"):
        assert as_you_type(query) == query


async def test_search_results_page_on_as_the_list_scrolls(
    new_app: AppFactory, big_store: Store
) -> None:
    app = new_app(store=big_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        await pilot.press("slash", *"number", "enter")
        await settle(pilot)
        assert isinstance(articles.rows, HitRows)
        first = [hit.row.id for hit in articles.rows.hits]
        assert len(first) == RESULT_LIMIT and f"{RESULT_LIMIT}+ results" in screen.sub_title
        await pilot.press("G")  # onto the last row, which loads the next page
        await settle(pilot)
        assert isinstance(articles.rows, HitRows)
        ids = [hit.row.id for hit in articles.rows.hits]
        assert ids[:RESULT_LIMIT] == first and len(set(ids)) == 2 * RESULT_LIMIT
        assert f"{2 * RESULT_LIMIT}+ results" in screen.sub_title
        assert articles.cursor == RESULT_LIMIT and articles.current is not None
        assert articles.current.id == ids[RESULT_LIMIT]  # the cursor now sits on a hit
        assert round(articles.scroll_y) % 2 == 0  # the top line is a title, not a snippet


async def test_the_footer_follows_the_focus_into_the_search_and_back(
    new_app: AppFactory,
) -> None:
    def footer() -> list[str]:
        return app.screen.query_one(KeysFooter).labels

    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listed = footer()
        assert "Open" in listed and "Close search" not in listed
        await pilot.press("slash")
        await settle(pilot)
        assert "Close search" in footer() and "Open" not in footer()
        await pilot.press("escape")
        await settle(pilot)
        assert footer() == listed
        await pilot.press("tab", "shift+tab")  # away and back: the same keys again
        await settle(pilot)
        assert footer() == listed


async def test_what_the_search_says_of_the_query_is_shown_in_the_bar(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        await pilot.press("slash", *'budget "talks')
        await settle(pilot)
        notice = screen.search_bar.query_one("#search-notice", Label)
        assert str(notice.content) == "unbalanced quote: searched as plain words"
        await pilot.press(*["backspace"] * 6, *"talks")  # balanced again
        await settle(pilot)
        assert str(notice.content) == ""


async def test_a_query_that_means_nothing_finds_nothing_and_says_why(new_app: AppFactory) -> None:
    # `source:` alone (on the way to `source:bbc`), `*`, `NOT`: every article was listed.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        await pilot.press("slash", *"source:")
        await settle(pilot)
        assert isinstance(articles.rows, HitRows) and articles.rows.total == 0
        assert "0 results" in screen.sub_title
        notes = screen.search_bar.query_one("#search-notes", Label)
        assert [notes.render_line(y).text.strip() for y in range(notes.size.height)] == [
            "source: needs a value: ignored",
            "nothing to search for or filter by",
        ]
        await pilot.press(*"tech")
        await settle(pilot)
        assert articles.rows.total > 0


async def test_an_operator_typed_alone_is_searched_as_the_word(new_app: AppFactory) -> None:
    # `NOT` alone found nothing ("nothing to search for"), as `newsdesk search NOT` refused it:
    # with no word to negate, the word is what is looked for; once one follows, NOT is NOT.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        await pilot.press("slash", *"NOT")
        await settle(pilot)
        assert articles.rows.total == 1 and "Not bold" in articles.render_line(0).text
        assert str(screen.search_bar.query_one("#search-notice", Label).content) == ""
        await pilot.press("space", *"bold")
        await settle(pilot)
        shown = [articles.render_line(y).text for y in range(2 * articles.rows.total)]
        assert articles.rows.total > 1 and not any("Not bold" in line for line in shown)


async def test_the_bar_tells_each_filter_naming_nothing(new_app: AppFactory) -> None:
    # `source:zzz tag:xxx` told the tag alone.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pressed(pilot, "slash", *"genoa source:zzz tag:xxx")
        notes = parts(app)[0].search_bar.query_one("#search-notes", Label)
        assert [notes.render_line(y).text.strip() for y in range(notes.size.height)] == [
            "no source named 'zzz'",
            "no source or article tagged 'xxx'",
        ]


async def test_at_80_columns_every_notice_is_told_and_the_typed_query_stays_in_view(
    new_app: AppFactory,
) -> None:
    # Two notices were joined beside the query and cut: the second never reached the user.
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        typed = 'since:2026-13-45 "genoa port'
        await pilot.press("slash", *typed)
        await settle(pilot)
        bar = screen.search_bar
        assert typed in bar.input.render_line(0).text
        notes = bar.query_one("#search-notes", Label)
        assert [notes.render_line(y).text.strip() for y in range(notes.size.height)] == [
            "unbalanced quote: searched as plain words",
            "since:2026-13-45 is not a date (2026-01-31, 7d, 12h, 2w, 3m, 1y): ignored",
        ]
        assert str(bar.query_one("#search-notice", Label).content) == ""  # not told twice
        await pilot.press(*["backspace"] * 11, *"genoa")  # the quote gone: one notice, beside
        await settle(pilot)
        assert not notes.display
        assert str(bar.query_one("#search-notice", Label).content).startswith("since:2026-13-45")


async def test_the_bar_opens_over_the_status_line_and_nothing_moves(new_app: AppFactory) -> None:
    # In the list pane it took a line from the list: the list and its scrollbar took new
    # sizes, and the screen was laid out once more (a frame more before the letter showed).
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(app)
        regions = articles.region, reader.region, screen.sources.region
        await pilot.press("slash", "s")
        await settle(pilot)
        assert screen.focused is screen.search_bar.input
        assert (articles.region, reader.region, screen.sources.region) == regions
        assert screen.search_bar.region == screen.status.region


async def test_a_search_from_the_zoomed_reader_is_seen(new_app: AppFactory) -> None:
    # The bar opened unseen behind a maximized reader, and took the keys typed.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(app)
        await pilot.press("enter", "z")
        await settle(pilot)
        assert reader.is_maximized
        await pilot.press("slash", *"budget")
        await settle(pilot)
        assert not reader.is_maximized
        assert screen.search_bar.region.height == 1 and articles.region.height > 0
        assert isinstance(articles.rows, HitRows) and articles.rows.total > 0


async def test_enter_gives_the_status_line_back_and_slash_reopens(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        await pilot.press("slash", *"compiler", "enter")
        await settle(pilot)
        assert not screen.search_bar.display and screen.status.region.height == 1
        assert screen.sub_title.startswith("Search: compiler")
        await pilot.press("slash")
        await settle(pilot)
        assert screen.focused is screen.search_bar.input
        assert screen.search_bar.input.value == "compiler"
        await pilot.press(*"xqzv", "enter")  # nothing found: the focus stays in the bar
        await settle(pilot)
        assert screen.search_bar.display and screen.focused is screen.search_bar.input


async def test_a_lone_emoji_is_said_once_beside_the_query(new_app: AppFactory) -> None:
    # Two notices went over the bar, where a pane's edge under the emoji drew it as blanks.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        await pilot.press("slash", "🚀")
        await settle(pilot)
        notice = screen.search_bar.query_one("#search-notice", Label)
        assert str(notice.content) == "nothing to search for in '🚀': ignored"
        assert not screen.search_bar.query_one("#search-notes", Label).display
