"""The open article's flags after another process changed them (`newsdesk unsave`, `unread`
in another terminal): the reader's header follows the store, and `s` and `m` act on the
flags as stored, not on the reader's copy."""

from __future__ import annotations

from textual.widgets import Static

from tests.ui.conftest import AppFactory, settle
from tests.ui.test_reading import parts
from tui.store import Store, View


def header_meta(app: object) -> str:
    _, _, reader = parts(app)  # type: ignore[arg-type]
    return str(reader.query_one("#reader-meta", Static).content)


async def test_the_reader_follows_an_unsave_by_another_process(
    new_app: AppFactory, store: Store
) -> None:
    first = store.page(View(), limit=1)[0]
    store.set_saved([first.id], True)
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(app)
        await pilot.press("enter")
        await settle(pilot)
        assert reader.article is not None and reader.article.row.id == first.id
        assert "★ saved" in header_meta(app)
        other = Store.open(store.path)  # `newsdesk unsave ID` in another terminal
        other.set_saved([first.id], False)
        other.close()
        screen.refreshing.check_outside_writes()  # the look taken every 2 s
        await settle(pilot)
        assert "★ saved" not in header_meta(app)
        await pilot.press("s")  # the user wants it saved again: saved, not "Removed"
        await settle(pilot)
        row = store.row(first.id)
        assert row is not None and row.saved
        assert "★ saved" in header_meta(app)


async def test_m_marks_read_what_another_process_marked_unread(
    new_app: AppFactory, store: Store
) -> None:
    """`m` pressed before the screen's next look (it looks every 2 s): on the stored flag."""
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, articles, reader = parts(app)
        await pilot.press("enter")  # opened: marked read
        await settle(pilot)
        assert reader.article is not None and reader.article.row.read
        opened = reader.article.row.id
        other = Store.open(store.path)  # `newsdesk unread ID` in another terminal
        other.set_read([opened], False)
        other.close()
        await pilot.press("m")
        await settle(pilot)
        row = store.row(opened)
        assert row is not None and row.read  # marked read, not "unread" once more
        assert reader.article.row.read
