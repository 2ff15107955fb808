"""A `[keys]` entry by its action's name (the README says it works beside the id) remaps its
binding in the running app."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import AppFactory, settle
from tests.ui.data import make_config
from tests.ui.test_reading import parts
from tui.config import Config


async def test_an_action_name_remaps_its_binding(new_app: AppFactory, tmp_path: Path) -> None:
    base = make_config(tmp_path)
    keys = {"next_article": "n,ctrl+n"}  # the action's name, which the README says works too
    app = new_app(config=Config(base.path, base.sources, base.searches, base.settings, keys))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, articles, _ = parts(app)
        assert app.main.config_error is None
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert articles.cursor == 1
        await pilot.press("n")
        await settle(pilot)
        assert articles.cursor == 2
