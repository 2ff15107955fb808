"""A failed background job reaches the user in one line, whichever job it was."""

from __future__ import annotations

import sqlite3

from tests.ui.conftest import AppFactory, record_notifications, settle
from tui.store import Store
from tui.ui.screens.main import MainScreen
from tui.ui.workers import WorkFailed


async def test_a_failing_worker_is_reported_in_one_line(new_app: AppFactory, store: Store) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = record_notifications(app)
        # Another program breaks the cache under the app: saving the UI state now fails.
        with sqlite3.connect(store.path) as other:
            other.execute("DROP TABLE ui_state")
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.persist()
        for _ in range(50):  # not `settle`: waiting on a failed worker raises its error
            await pilot.pause()
            if notes:
                break
    messages = [message for _, message in notes]
    assert any(m.startswith("Persist failed:") and "ui_state" in m for m in messages), messages
    assert all("\n" not in m for m in messages)


def test_a_failure_line_never_carries_control_or_escape_sequences() -> None:
    # The message may quote what a feed or a page held (a parser's complaint about its text).
    error = ValueError("bad markup near \x1b[2J\x1b]0;owned\x07<table>\r\nrow")
    assert (
        WorkFailed("Lay out article", error).line
        == "Lay out article failed: bad markup near <table> row"
    )
