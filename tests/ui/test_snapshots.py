"""Pinned screens (pytest-textual-snapshot): main at 120x40 and 80x24, search results, an
article with links, help. Data and "now" are fixed; each SVG was looked at before it was kept.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.ui.conftest import AppFactory, settle
from tests.ui.data import PINNED_CONFIG, make_config

WIDE, NARROW = (120, 40), (80, 24)
Compare = Callable[..., bool]


def after(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Wait for the cache to load, press `keys`, and wait again."""

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await pilot.wait_for_scheduled_animations()

    return run


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
def test_main_screen(snap_compare: Compare, new_app: AppFactory, size: tuple[int, int]) -> None:
    assert snap_compare(new_app(), terminal_size=size, run_before=after())


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
def test_search_results(snap_compare: Compare, new_app: AppFactory, size: tuple[int, int]) -> None:
    keys = ("slash", *"budget OR museum", "enter")
    assert snap_compare(new_app(), terminal_size=size, run_before=after(*keys))


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
def test_article_with_links(
    snap_compare: Compare, new_app: AppFactory, size: tuple[int, int]
) -> None:
    assert snap_compare(new_app(), terminal_size=size, run_before=after("enter"))


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
def test_help(snap_compare: Compare, new_app: AppFactory, size: tuple[int, int]) -> None:
    config = make_config(PINNED_CONFIG, refresh_minutes=30)
    app = new_app(config=config)
    assert snap_compare(app, terminal_size=size, run_before=after("question_mark"))


def test_sources_pane_narrow(snap_compare: Compare, new_app: AppFactory) -> None:
    assert snap_compare(new_app(), terminal_size=NARROW, run_before=after("h", "G"))
