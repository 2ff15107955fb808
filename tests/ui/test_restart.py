"""A restart puts back the pane that was in front (with the focus) and the article left open in
the reader at its scroll, at 80x24 (one pane at a time), at 120x40 and across the two; and
nothing saves a worse state over the one it starts from."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

import pytest
from textual.pilot import Pilot
from textual.widget import Widget

from tests.ui.conftest import AppFactory, settle
from tests.ui.data import NOW
from tests.ui.test_reading import focused_pane, parts
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store
from tui.ui.paging import HitRows
from tui.ui.state import UiState, load_state
from tui.ui.widgets.reader import Reader

NARROW, WIDE = (80, 24), (120, 40)
LONG_TITLE = "The long read about the quokka census"
LONG_BODY = "\n\n".join(
    f"Paragraph {n}: the {'quokka' if n % 10 == 0 else 'wallaby'} census goes on."
    for n in range(150)
)
DOWN = 20
"""Lines the reader is scrolled down with `j` before quitting."""


def add_long_read(store: Store) -> None:
    """A 150-paragraph article, the newest (the list's first row); every tenth paragraph
    names the quokka."""
    source = store.ensure_source("Long Reads", SourceKind.WEB, "https://long.example/rss")
    article = Article(title=LONG_TITLE, body=LONG_BODY, published=NOW - timedelta(minutes=5),
                      url="https://long.example/quokka", guid="quokka")  # fmt: skip
    store.record_refresh(source, [article], FetchOutcome(status=200), now=NOW.timestamp())


async def leave(new_app: AppFactory, size: tuple[int, int], *keys: str) -> float:
    """Open the long read at `size`, scroll it down `DOWN` lines, press `keys`, then quit
    with q (the app saves its state on the way out); the reader's scroll at the end."""
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(app)
        assert articles.current is not None and articles.current.title == LONG_TITLE
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*["j"] * DOWN, *keys)
        await settle(pilot)
        scroll = reader.scroll_y
        await pilot.press("q")
    assert not app.is_running
    return scroll


def shown(widget: Widget) -> bool:
    """Whether a user sees `widget`: on screen, with room."""
    return bool(widget.display and widget.region.width and widget.region.height)


async def saved_now(pilot: Pilot[None], store: Store) -> UiState:
    """What the periodic save writes at this moment."""
    parts(pilot.app)[0].persist()
    await settle(pilot)
    return load_state(store)


WIDTHS = [(NARROW, NARROW), (WIDE, WIDE), (WIDE, NARROW), (NARROW, WIDE)]


@pytest.mark.parametrize(("before", "after"), WIDTHS, ids=["80", "120", "120-80", "80-120"])
async def test_the_reader_comes_back_in_front_at_its_scroll(
    new_app: AppFactory, store: Store, before: tuple[int, int], after: tuple[int, int]
) -> None:
    add_long_read(store)
    assert await leave(new_app, before) == DOWN
    saved = load_state(store)
    assert (saved.pane, saved.reader_scroll) == ("reader", DOWN)

    again = new_app()
    async with again.run_test(size=after) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(again)
        assert focused_pane(screen) == "reader" and shown(reader)
        assert shown(articles) == (after == WIDE)  # one pane at a time below 100 columns
        assert reader.article is not None and reader.article.row.title == LONG_TITLE
        assert reader.scroll_y == DOWN
        assert await saved_now(pilot, store) == saved  # nothing lost by the next save
        await pilot.press("j")
        await settle(pilot)
        assert reader.scroll_y == DOWN + 1  # the keys go on from there


WRAPPED_TITLE = "Tokens, wrapped"
WRAPPED_BODY = "\n\n".join(" ".join(f"p{n}w{k}" for k in range(40)) for n in range(30))
"""Paragraphs of unique words, wrapped in other places at 80 and at 120 columns."""


def top_words(reader: Reader, below: int = 0) -> list[str]:
    """The words on the reader's top row (or `below` it), as drawn."""
    row = round(reader.scroll_y) + below - reader.body.top
    return reader.body.render_line(row).text.split()


@pytest.mark.parametrize(("before", "after"), WIDTHS[2:], ids=["120-80", "80-120"])
async def test_the_reader_comes_back_at_the_same_text_at_another_width(
    new_app: AppFactory, store: Store, before: tuple[int, int], after: tuple[int, int]
) -> None:
    source = store.ensure_source("Wraps", SourceKind.WEB, "https://wraps.example/rss")
    article = Article(title=WRAPPED_TITLE, body=WRAPPED_BODY, published=NOW,
                      url="https://wraps.example/a", guid="wrapped")  # fmt: skip
    store.record_refresh(source, [article], FetchOutcome(status=200), now=NOW.timestamp())
    app = new_app()
    async with app.run_test(size=before) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(app)
        await pilot.press("enter", *["j"] * 40)
        await settle(pilot)
        first = top_words(reader)[0]
        assert first.startswith("p")  # in the body, not its header
        await pilot.press("q")

    again = new_app()
    async with again.run_test(size=after) as pilot:
        await settle(pilot)
        reader = parts(again)[2]
        assert focused_pane(parts(again)[0]) == "reader"
        assert first in top_words(reader)  # the row that was on top is on top, rewrapped


@pytest.mark.parametrize(("before", "after"), WIDTHS, ids=["80", "120", "120-80", "80-120"])
async def test_the_list_comes_back_in_front_with_the_article_beside_it_at_its_scroll(
    new_app: AppFactory, store: Store, before: tuple[int, int], after: tuple[int, int]
) -> None:
    add_long_read(store)
    await leave(new_app, before, "escape")  # back to the list, the article left open
    saved = load_state(store)
    assert (saved.pane, saved.reader_scroll, saved.opened) == ("list", DOWN, saved.article)

    again = new_app()
    async with again.run_test(size=after) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(again)
        assert focused_pane(screen) == "list" and shown(articles)
        assert articles.current is not None and articles.current.title == LONG_TITLE
        assert shown(reader) == (after == WIDE)
        if shown(reader):
            assert reader.scroll_y == DOWN
        # The reader, off screen at 80x24, has not laid the article out: its scroll is saved
        # as it was, not as 0 (which the next save wrote, for good).
        assert await saved_now(pilot, store) == saved
        await pilot.press("tab")
        await settle(pilot)
        assert focused_pane(screen) == "reader" and shown(reader)
        assert reader.article is not None and reader.article.row.title == LONG_TITLE
        assert reader.scroll_y == DOWN


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80", "120"])
async def test_a_save_before_the_start_has_put_everything_back_keeps_the_saved_state(
    new_app: AppFactory, store: Store, size: tuple[int, int]
) -> None:
    add_long_read(store)
    await leave(new_app, size)
    saved = load_state(store)
    again = new_app()
    async with again.run_test(size=size) as pilot:
        screen = parts(again)[0]
        screen.persist()  # at once: the list, the article and its scroll may be on their way
        await settle(pilot)
        assert load_state(store) == saved
        await pilot.press("q")  # so does quitting
    assert load_state(store) == saved


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80", "120"])
async def test_a_search_comes_back_with_the_reader_in_front_at_the_match_it_was_on(
    new_app: AppFactory, store: Store, size: tuple[int, int]
) -> None:
    add_long_read(store)
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(app)
        await pilot.press("slash", *"quokka", "enter")
        await settle(pilot)
        assert isinstance(articles.rows, HitRows) and articles.rows.total == 1
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*["right_square_bracket"] * 5)  # to the fifth match
        await settle(pilot)
        at_match, terms = reader.scroll_y, reader.terms
        assert at_match > 40 and terms
        await pilot.press("q")
    saved = load_state(store)
    assert (saved.pane, saved.search_active, saved.reader_scroll) == ("reader", True, at_match)

    again = new_app()
    async with again.run_test(size=size) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(again)
        assert focused_pane(screen) == "reader" and shown(reader)
        assert str(screen.sub_title).startswith("Search: quokka")
        assert reader.article is not None and reader.article.row.title == LONG_TITLE
        assert reader.scroll_y == at_match
        assert reader.terms == terms  # its matches highlighted as they were
        assert await saved_now(pilot, store) == saved
        await pilot.press("right_square_bracket")  # on to the sixth, not back to the first
        await settle(pilot)
        assert reader.scroll_y > at_match
        assert "quokka" in top_words(reader, below=2)  # on the third row, at every width
        await pilot.press("escape")  # back to the results, the cursor on the article
        await settle(pilot)
        assert focused_pane(screen) == "list" and shown(articles)
        assert isinstance(articles.rows, HitRows)
        assert articles.current is not None and articles.current.title == LONG_TITLE


async def test_what_the_refresh_on_start_brings_goes_to_the_top_of_the_list_behind_the_reader(
    new_app: AppFactory, store: Store
) -> None:
    # At 80x24 the list behind the reader has never been laid out: a reload (the refresh on
    # start's) put its cursor on the first line of a list no lines high, and that was saved.
    app = new_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        _, articles, _ = parts(app)
        await pilot.press(*["j"] * 5, "enter")
        await settle(pilot)
        chosen = articles.current
        assert chosen is not None and articles.cursor_offset == 5
        await pilot.press("q")
    saved = load_state(store)

    again = new_app()
    async with again.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(again)
        screen.views.changed(rows=True)  # what the refresh on start does when it ends
        await settle(pilot)
        assert await saved_now(pilot, store) == saved
        add_long_read(store)  # a new article, then the same
        screen.views.changed(rows=True)
        await settle(pilot)
        assert focused_pane(screen) == "reader" and reader.article is not None
        assert reader.article.row.id == chosen.id  # what is new takes no pane away
        await pilot.press("escape")
        await settle(pilot)
        assert focused_pane(screen) == "list"
        first = articles.rows.get(0)
        assert first is not None and first.title == LONG_TITLE
        assert articles.current is not None and articles.current.id == chosen.id
        assert articles.cursor_offset == 6  # the new one above it, the first row in sight


async def test_the_list_says_it_is_loading_until_its_rows_come(
    new_app: AppFactory, store: Store
) -> None:
    # On a big cache the first rows take a few frames: the list said "No articles here."
    # under "All · 0 stories", which a user just upgraded took for their articles lost.
    app = new_app()
    busy = threading.Event()  # the database thread held, as by a big cache's first read
    held = asyncio.ensure_future(app.db.call(lambda _: busy.wait()))
    async with app.run_test(size=WIDE) as pilot:
        try:
            await pilot.pause()
            screen, articles, _ = parts(app)
            assert articles.render_line(1).text.strip() == "Loading…"
            assert str(screen.sub_title) == "All"  # no count before there is one
        finally:
            busy.set()  # or the app could not close
        await held
        await settle(pilot)
        assert articles.rows.total > 0
        assert str(screen.sub_title) == f"All · {articles.rows.total} stories"
