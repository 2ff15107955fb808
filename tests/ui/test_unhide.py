"""`U` shows again an article a hide rule hid, found with `is:hidden` in the search."""

from __future__ import annotations

from tests.ui.conftest import AppFactory, record_notifications, settle
from tests.ui.test_reading import parts
from tui.store import Store
from tui.ui.widgets.footer import KeysFooter


async def test_u_restores_a_hidden_article_found_with_is_hidden(
    new_app: AppFactory, store: Store
) -> None:
    # A user who found a hidden article with `is:hidden` had no way to restore it but the CLI.
    [museum] = [hit.row for hit in store.search("museum").hits]
    store.set_hidden([museum.id], True)
    app = new_app()
    notes = record_notifications(app)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        _, articles, _ = parts(app)
        footer = app.screen.query_one(KeysFooter)
        assert "Unhide" not in footer.labels  # nothing hidden listed: no key to show
        await pilot.press("slash", *"is:hidden", "enter")
        await settle(pilot)
        assert articles.current is not None and articles.current.id == museum.id
        assert "Unhide" in footer.labels
        await pilot.press("U")
        await settle(pilot)
        assert ("", "1 article restored") in notes
        assert articles.rows.total == 0 and "Unhide" not in footer.labels
        assert [hit.row.id for hit in store.search("museum").hits] == [museum.id]
    assert store.search("is:hidden").hits == []
