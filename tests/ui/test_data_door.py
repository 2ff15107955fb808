"""The UI reaches the cache through its one async door: no widget or helper holds a `Store`,
and every store the app opens is opened (and used) on the database thread, not the event loop."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.ui.conftest import AppFactory, settle
from tui.store import Store


async def test_no_part_of_the_ui_holds_a_store_or_opens_one_on_the_event_loop(
    new_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened_on: list[str] = []
    real_open = Store.open

    def open_and_note(path: Path) -> Store:
        opened_on.append(threading.current_thread().name)
        return real_open(path)

    monkeypatch.setattr(Store, "open", staticmethod(open_and_note))
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter", "m", "s", "escape", "G", "slash", *"budget", "escape")
        await settle(pilot)
        screen = app.screen
        parts = [app, screen, *screen.walk_children(), *vars(screen).values()]
        holders = [
            type(part).__name__
            for part in parts
            if any(isinstance(value, Store) for value in getattr(part, "__dict__", {}).values())
        ]
        assert holders == []
    assert opened_on and threading.main_thread().name not in opened_on
