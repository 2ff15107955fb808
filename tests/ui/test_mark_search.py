"""`M` on a search's results: counted and marked in the store by the query (not the results
loaded a page at a time first), and `u` after it a return to the state before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.conftest import AppFactory, record_calls, settle
from tests.ui.data import build_big_cache
from tests.ui.test_flags import asked
from tui.models import Rule
from tui.store import Store, View

SOME = 3_000
MATCHES = 1_111
"""Articles whose number starts with 2: 2, 20-29, 200-299, 2000-2999."""


@pytest.fixture
def some_store(tmp_path: Path) -> Iterator[Store]:
    """A cache of a few thousand articles ("Bulk article number 0" ...)."""
    path = tmp_path / "some" / "newsdesk.db"
    path.parent.mkdir()
    build_big_cache(path, SOME)
    opened = Store.open(path)
    yield opened
    opened.close()


def read_numbers(store: Store) -> set[str]:
    """The numbers of the articles read."""
    return {hit.row.title.rsplit(" ", 1)[1] for hit in store.search("is:read", limit=SOME).hits}


async def test_mark_all_on_a_search_counts_and_marks_in_the_store_and_u_undoes_it(
    new_app: AppFactory, some_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    [first_two] = some_store.search("2000").hits  # read already: not counted, not undone
    some_store.set_read([first_two.row.id])
    app = new_app(store=some_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "2", "asterisk", "enter")
        await settle(pilot)
        pages = record_calls(monkeypatch, Store, "search")
        await pilot.press("M")
        assert f"Mark {MATCHES - 1:,} unread" in (await asked(pilot)).question
        assert pages == []  # no result page loaded to count them
        await pilot.press("y")
        await settle(pilot)
        assert read_numbers(some_store) == {str(i) for i in range(SOME) if str(i).startswith("2")}
        await pilot.press("u")
        await settle(pilot)
        assert read_numbers(some_store) == {"2000"}
    # Unread again as before `M`, not "marked unread by hand": a read rule still reaches them.
    some_store.apply_rules([Rule(query="bulk", action="read")])
    assert some_store.count(View(unread=True)) == 0
