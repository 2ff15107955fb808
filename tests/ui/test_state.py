"""What survives a restart: view, selection, scroll, open article, pane, last search."""

from __future__ import annotations

from tests.ui.conftest import AppFactory, settle
from tests.ui.test_reading import parts
from tui.store import Store
from tui.ui.paging import HitRows, PagedRows
from tui.ui.state import STATE_KEY, UiState, load_state


async def test_restart_restores_view_selection_article_and_pane(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        screen.sources.highlight("source:World News")
        screen.sources.focus()
        await pilot.press("enter")
        await settle(pilot)  # the source's articles are listed
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        opened = screen.reader.article
        assert opened and articles.cursor == 2
        await pilot.press("q")
    assert not app.is_running

    again = new_app()
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(again)
        assert screen.sub_title.startswith("World News · ")
        assert articles.cursor == 2 and articles.current == opened.row._replace(read=True)
        assert reader.article and reader.article.row.id == opened.row.id
        assert screen.focused is reader  # the pane in front when the app closed


async def test_restart_restores_the_last_search(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "slash", *"budget", "enter")
        await settle(pilot)
        await pilot.press("q")

    again = new_app()
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(again)
        assert screen.search_bar.input.value == "budget"
        assert screen.sub_title.startswith("Search: budget · ")
        assert isinstance(articles.rows, HitRows)
        assert articles.current and "budget" in articles.current.title
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(articles.rows, PagedRows) and articles.cursor == 1


async def test_restart_puts_the_cursor_back_on_the_result_it_was_on(
    new_app: AppFactory,
) -> None:
    # It came back on the first result: a reader half-way down the results lost the place.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"news", "enter")
        await settle(pilot)
        _, articles, _ = parts(app)
        assert articles.rows.total >= 3
        await pilot.press("j", "j")
        chosen = articles.current
        await pilot.press("q")

    again = new_app()
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(again)
        assert isinstance(articles.rows, HitRows)
        assert chosen is not None and articles.current is not None
        assert (articles.cursor, articles.current.id) == (2, chosen.id)
        screen.views.changed(rows=True)  # what the refresh on start does when it ends
        await settle(pilot)
        assert articles.current is not None and articles.current.id == chosen.id


async def test_state_is_saved_without_quitting(new_app: AppFactory, store: Store) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        screen, articles, _ = parts(app)
        screen.persist()  # what the periodic save does
        await settle(pilot)
        selected = articles.current
    assert selected is not None and load_state(store).article == selected.id


def test_unreadable_state_falls_back_to_defaults(store: Store) -> None:
    junks = ("not json", "[1, 2]", '{"pane": "nowhere", "scope": 3}', '{"bogus": 1}',
             '{"reader_terms": [1, 2]}', '{"reader_terms": "budget"}')  # fmt: skip
    for junk in junks:
        store.set_state(STATE_KEY, junk)
        state = load_state(store)
        assert state.pane in ("sources", "list", "reader") and state.reader_terms == ()
    store.set_state(STATE_KEY, '{"sort_key": [1.5, 7], "article": 7}')
    assert load_state(store) == UiState(article=7, sort_key=(1.5, 7))


async def test_the_article_left_open_scrolls_after_a_narrow_restart(new_app: AppFactory) -> None:
    # At 80x24 the reader is off screen at start: the article restored into it could not be
    # laid out, and opening it again found it "already shown": no key scrolled it.
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")  # the long compiler article
        await settle(pilot)
        await pilot.press("q")

    again = new_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen, _, reader = parts(again)
        await pilot.press("g", "j", "enter")
        await settle(pilot)
        assert reader.article and reader.max_scroll_y > 0
        await pilot.press("space")
        await settle(pilot)
        assert reader.scroll_y > 0


async def test_two_apps_on_one_cache_the_last_one_closed_wins(
    new_app: AppFactory, store: Store
) -> None:
    # A (on All) quit with q while B searched: B's next periodic save wrote its search over
    # A's quit, and A started again came back in B's state.
    first, second = new_app(), new_app()
    async with first.run_test(size=(120, 40)) as a:
        await settle(a)
        async with second.run_test(size=(120, 40)) as b:
            await settle(b)
            await b.press("slash", *"budget", "enter")
            await settle(b)
            parts(second)[0].persist()  # B's periodic save
            await settle(b)
            assert load_state(store).search_active
            await a.press("j", "q")
            await settle(b)
            left_by_a = load_state(store)
            assert not left_by_a.search_active and left_by_a.article is not None
            parts(second)[0].persist()  # B saves as it goes: another app's quit is newer
            await settle(b)
            assert load_state(store) == left_by_a
            await b.press("q")  # B's quit always writes: B was closed last
        assert load_state(store).search_active

    again = new_app()
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert parts(again)[0].sub_title.startswith("Search: budget · ")
