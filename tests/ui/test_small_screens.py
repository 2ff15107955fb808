"""A small terminal (40x12): the pickers show several rows, a long one cut with an ellipsis;
a toast covers a row or two, for a short time."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from tests.ui.conftest import AppFactory, pressed, settle
from tests.ui.test_reader_media import add_sample
from tests.ui.test_reader_snapshots import ATTACHMENTS
from tui.models import Enclosure
from tui.store import Store, View
from tui.ui.app import SMALL_TOAST_SECONDS, TOASTS_AT_ONCE
from tui.ui.screens.dialogs import LinkPicker
from tui.ui.state import UiState, save_state
from tui.ui.widgets.reader_attachments import NO_ATTACHMENT
from tui.ui.widgets.reader_text import ReaderHeader


def picker_rows(app: Any) -> list[str]:
    """The picker's rows as drawn, all inside its dialog on the screen."""
    options = app.screen.query_one(OptionList)
    dialog = app.screen.query_one("#link-dialog")
    assert app.screen.region.contains_region(dialog.region)
    assert dialog.content_region.contains_region(options.region)
    return [options.render_line(y).text.strip() for y in range(options.size.height)]


def choices(rows: list[str]) -> list[str]:
    """The picker's choices, each with the rows it goes on in under its start."""
    return "".join(rows).replace("[", "\n[").split("\n")[1:]


async def test_the_pickers_show_their_choices_whole_at_40x12(
    new_app: AppFactory, store: Store
) -> None:
    add_sample(store, ATTACHMENTS)  # two links (one local) and three attachments
    app = new_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        await pilot.press("g", "L")
        await settle(pilot)
        assert isinstance(app.screen, LinkPicker)
        shown = choices(picker_rows(app))
        assert [choice[:3] for choice in shown] == ["[1]", "[2]", "[▶]", "[▶]"]  # scrolls on
        assert shown[2].startswith("[▶] audio") and shown[2].endswith("42.9 MB · 1:02:03")
        await pilot.press("escape", "e")  # the attachments alone
        await settle(pilot)
        shown = choices(picker_rows(app))
        assert [choice[:9] for choice in shown] == ["[▶] audio", "[▶] video", "[▶] file "]


async def test_a_toast_at_40x12_is_compact_and_short_lived(new_app: AppFactory) -> None:
    # Half the reader's width and padded, a one-line notice covered six of its eight rows.
    app = new_app()
    async with app.run_test(size=(40, 12), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("enter", "e")  # an article without attachments: a notice says so
        await settle(pilot)
        [toast] = app.screen.query("Toast")
        assert NO_ATTACHMENT in str(toast.render())
        assert toast.region.height <= 2 and toast.region.width >= 36  # across, not down
        await pilot.pause(SMALL_TOAST_SECONDS + 0.5)
        assert not app.screen.query("Toast")


async def test_a_toast_told_again_is_counted_and_a_few_stay_on_screen(new_app: AppFactory) -> None:
    # 30 quick `s` on pages that cannot be fetched stacked 30 toasts over the reader.
    app = new_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        for _ in range(30):
            app.notify("Saved (feed text kept): unreachable", severity="warning")
        app.notify("Marked 3 articles read")
        await pilot.pause()
        toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert len(toasts) == 2
        assert "Saved (feed text kept): unreachable (×30)" in toasts[0]
        for n in range(5):
            app.notify(f"Notice {n}")
        await pilot.pause()
        toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert len(toasts) == TOASTS_AT_ONCE and "Notice 4" in toasts[-1]
        # What only informs gives way before a warning: the unreachable save stays.
        assert "Saved (feed text kept): unreachable (×30)" in toasts[0]


def cursor_on_screen(app: Any) -> bool:
    articles = app.screen.articles
    top = round(articles.scroll_y)
    return top <= articles.cursor * articles.line_height < top + articles.size.height


async def test_the_list_cursor_stays_on_screen_at_20x10(new_app: AppFactory, store: Store) -> None:
    # Left at the ninth row of a tall terminal, the list opened at 20x10 (5 rows) with the
    # cursor below its last row: Enter opened an article not in sight.
    rows = store.page(View())
    save_state(store, UiState(article=rows[8].id, sort_key=rows[8].sort_key, list_offset=8))
    app = new_app()
    async with app.run_test(size=(20, 10)) as pilot:
        await settle(pilot)
        assert app.screen.articles.cursor == 8 and cursor_on_screen(app)
        app.screen.views.changed(rows=True)  # what a refresh's new articles do
        await settle(pilot)
        assert app.screen.articles.cursor == 8 and cursor_on_screen(app)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.resize_terminal(20, 10)
        await settle(pilot)
        assert cursor_on_screen(app)


@pytest.mark.parametrize("size", [(40, 12), (80, 24)], ids=["40x12", "80x24"])
async def test_the_pickers_cursor_stays_in_sight_past_the_rows_that_fit(
    new_app: AppFactory, store: Store, size: tuple[int, int]
) -> None:
    # The list kept its 20 rows inside a dialog with room for fewer: it never scrolled, and
    # the cursor went on below the dialog's edge, so Enter opened a link nobody could see.
    many = tuple(Enclosure(f"https://pod.example.org/ep/part{n:02}.mp3") for n in range(22))
    add_sample(store, many)
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("g", "L", *["down"] * 20)
        await settle(pilot)
        rows = picker_rows(app)
        assert app.screen.query_one(OptionList).highlighted == 20
        assert any("part18" in row for row in rows)  # the 21st row: 2 links, then part00...


async def opened_header(pilot: Pilot[None]) -> tuple[ReaderHeader, list[str]]:
    """The highlighted article opened: the reader's header and its rows as drawn."""
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    header = pilot.app.screen.query_one(ReaderHeader)
    return header, [header.render_line(y).text.rstrip() for y in range(header.size.height)]


async def test_the_readers_byline_breaks_between_its_parts_at_40x12(
    new_app: AppFactory, store: Store
) -> None:
    # At 40 columns "Source · Author · date · 1 min read" broke inside "1 min read".
    app = new_app()
    async with app.run_test(size=(40, 12)) as pilot:
        header, rows = await opened_header(pilot)
        meta = str(header.content).splitlines()[1].split(" · ")
        assert len(" · ".join(meta)) > header.size.width  # it does not fit one row
        parts = [part for row in rows for part in row.split(" · ")]
        assert all(part in parts for part in meta)  # each part whole on its row


LONG_LINKS = tuple(f"http://127.0.0.1:8765/links/a-long-path/to-page-{n}.html" for n in (1, 2))


@pytest.mark.parametrize("width", [50, 40, 30])
async def test_the_pickers_long_links_go_on_under_their_start(
    new_app: AppFactory, store: Store, width: int
) -> None:
    # Below 60 columns each was cut with `…` after the same start: two links read alike.
    add_sample(store, (), links=LONG_LINKS)
    app = new_app()
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        await pressed(pilot, "g", "L")
        rows = picker_rows(app)
        assert not any(row.endswith("…") for row in rows)
        assert choices(rows) == [f"[{n}] {link}" for n, link in enumerate(LONG_LINKS, 1)]
