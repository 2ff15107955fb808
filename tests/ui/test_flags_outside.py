"""The open article's flags after another process changed them (`newsdesk unsave`, `unread`
in another terminal): the reader's header follows the store, and `s` and `m` act on the
flags as stored, not on the reader's copy."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Static

from tests.ui.conftest import AppFactory, settle
from tests.ui.test_reading import parts
from tui.models import ArticleRow
from tui.store import Store, View
from tui.ui.widgets.reader import Reader


async def opened_first(pilot: Pilot[None]) -> tuple[Reader, ArticleRow]:
    """The first article opened in the reader (which marks it read), once all is settled."""
    await settle(pilot)
    await pressed(pilot, "enter")
    reader = parts(pilot.app)[2]
    assert reader.article is not None
    return reader, reader.article.row


async def pressed(pilot: Pilot[None], key: str) -> None:
    await pilot.press(key)
    await settle(pilot)


def saved_in_header(reader: Reader) -> bool:
    return "★ saved" in str(reader.query_one("#reader-meta", Static).content)


async def test_the_reader_follows_an_unsave_by_another_process(
    new_app: AppFactory, store: Store
) -> None:
    first = store.page(View(), limit=1)[0]
    store.set_saved([first.id], True)
    async with new_app().run_test(size=(120, 40)) as pilot:
        reader, shown = await opened_first(pilot)
        assert shown.id == first.id and saved_in_header(reader)
        other = Store.open(store.path)  # `newsdesk unsave ID` in another terminal
        other.set_saved([first.id], False)
        other.close()
        parts(pilot.app)[0].refreshing.check_outside_writes()  # the look taken every 2 s
        await settle(pilot)
        assert not saved_in_header(reader)
        await pressed(pilot, "s")  # the user wants it saved again: saved, not "Removed"
        stored = store.row(first.id)
        assert stored is not None and stored.saved and saved_in_header(reader)


async def test_m_marks_read_what_another_process_marked_unread(
    new_app: AppFactory, store: Store
) -> None:
    """`m` pressed before the screen's next look (it looks every 2 s): on the stored flag."""
    async with new_app().run_test(size=(120, 40)) as pilot:
        reader, shown = await opened_first(pilot)
        assert shown.read
        other = Store.open(store.path)  # `newsdesk unread ID` in another terminal
        other.set_read([shown.id], False)
        other.close()
        await pressed(pilot, "m")
        stored = store.row(shown.id)
        assert stored is not None and stored.read  # marked read, not "unread" once more
        assert reader.article is not None and reader.article.row.read
