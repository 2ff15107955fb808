"""A rule that fails at refresh time is named, with why, on the status line."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App

from tests.test_refresh_rules import BROKEN, WHY, failing_rule
from tests.ui.conftest import AppFactory, settle
from tui.config import Config, Settings, SourceConfig
from tui.models import Rule
from tui.ui.widgets.status import Status

__all__ = ["failing_rule"]  # the fixture, for this module's tests


def status_line(app: App[None]) -> str:
    """The status line as drawn."""
    return app.screen.query_one(Status).render_line(0).text


@pytest.mark.usefixtures("failing_rule")
async def test_status_line_names_the_rule_that_failed(new_app: AppFactory, tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "hello.md").write_text("# Hello\n\nA note.\n", encoding="utf-8")
    position = "feeds.toml:6: rules[1]"  # short: the status line is one line
    config = Config(
        path=tmp_path / "feeds.toml",
        sources=(SourceConfig("Notes", path=tmp_path / "notes"),),
        rules=(Rule(BROKEN, "hide", position=position),),
        settings=Settings(refresh_minutes=0),
    )
    app = new_app(config=config)
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        line = status_line(app)
        assert f"rule failed: {position}: query '{BROKEN}' cannot run: {WHY}" in line
        assert "1 new article" in line
