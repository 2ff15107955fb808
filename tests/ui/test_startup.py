"""Start-up: the TUI loads what its first screen needs, and starts the rest after drawing it."""

from __future__ import annotations

import subprocess
import sys

from tests.ui.conftest import AppFactory, settle
from tests.ui.test_reading import TITLES, parts

LATER = ("httpx", "tui.sources.fetch", "tui.refresh.run", "tui.offline.saving")
"""Modules (and their imports: the network stack) that wait for the first refresh, download
or save."""


def test_the_tui_loads_no_network_code_before_its_first_screen() -> None:
    code = (
        "import sys, tui.cli, tui.ui\n"
        f"print(' '.join(name for name in {LATER!r} if name in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == ""


async def test_the_sources_pane_fills_in_after_the_list(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = parts(app)[0]
        await settle(pilot)
        assert screen.articles.current and screen.articles.current.title == TITLES[0]
        assert screen.sources.entries["source:World News"].count == 5
        assert screen.sources.entries["all"].count == len(TITLES)
