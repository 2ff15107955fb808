"""The sources pane with hundreds of sources: natural order, type-ahead, the failed ones."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.events import Key
from textual.pilot import Pilot

from tests.ui.conftest import AppFactory, settle
from tests.ui.test_reading import parts
from tests.ui.test_sources_pane import highlighted
from tui.models import FetchOutcome, SourceKind
from tui.store import Store
from tui.ui import NewsdeskApp
from tui.ui.app import help_sections
from tui.ui.keys import known_ids
from tui.ui.scopes import ScopeKind
from tui.ui.source_lines import Entry

NAMES = [f"News {n}" for n in range(1, 401)] + ["Türkiye Haber", "élan vital", "Zeitung"]
NAMES += ["Südwest Presse"]


def add_many(store: Store, failing: tuple[str, ...] = ()) -> None:
    """400 sources and a few more, added in no order; `failing` ones failed their refresh."""
    for name in random.Random(7).sample(NAMES, len(NAMES)):
        source = store.ensure_source(name, SourceKind.WEB, f"https://example.org/{name}")
        if name in failing:
            store.record_refresh(source, None, FetchOutcome(status=500, error="HTTP 500"))


@asynccontextmanager
async def many_sources(
    new_app: AppFactory,
    store: Store,
    size: tuple[int, int] = (120, 40),
    failing: tuple[str, ...] = (),
) -> AsyncIterator[tuple[NewsdeskApp, Pilot[None]]]:
    """The app on a cache of 400 sources and more, settled."""
    add_many(store, failing)
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield app, pilot


def source_names(lines: list[object]) -> list[str]:
    return [
        line.scope.name
        for line in lines
        if isinstance(line, Entry) and line.scope.kind is ScopeKind.SOURCE
    ]


async def test_sources_are_in_natural_order_case_and_accents_aside(
    new_app: AppFactory, store: Store
) -> None:
    # "News 72" came before "News 8", and "élan vital" after "Zeitung".
    async with many_sources(new_app, store) as (app, pilot):
        names = source_names(list(parts(app)[0].sources.lines))
        assert names.index("News 8") < names.index("News 72") < names.index("News 400")
        assert names.index("élan vital") < names.index("News 1")
        assert names.index("Tech Daily") < names.index("Türkiye Haber") < names.index("Zeitung")


async def test_typing_after_an_apostrophe_goes_to_the_source_it_starts(
    new_app: AppFactory, store: Store
) -> None:
    async with many_sources(new_app, store) as (app, pilot):
        screen = parts(app)[0]
        pane = screen.sources
        await pilot.press("h", "apostrophe", *"news 7")  # `n`, `s` and space: text, not keys
        assert highlighted(pane) == "source:News 7"
        assert str(pane.border_subtitle) == "find: news 7"
        await pilot.press("2")
        assert highlighted(pane) == "source:News 72"
        await pilot.press("backspace", "down")  # the next that "news 7" starts
        assert highlighted(pane) == "source:News 70"
        await pilot.press("up", "up")  # round the end, backwards
        assert highlighted(pane) == "source:News 79"
        await pilot.press("escape")  # back where it started, type-ahead over
        assert highlighted(pane) == "all" and str(pane.border_subtitle) == ""
        await pilot.press("apostrophe", *"TUR")  # case and accents aside
        assert highlighted(pane) == "source:Türkiye Haber"
        await pilot.press(*"q?")  # no match: the cursor stays, and `q` did not quit
        assert app.is_running and highlighted(pane) == "source:Türkiye Haber"
        assert str(pane.border_subtitle) == "find: TURq? (no match)"
        await pilot.press("backspace", "backspace", "enter")  # shown, as Enter does
        await settle(pilot)
        assert screen.views.state.scope.key == "source:Türkiye Haber"
        assert pane.border_subtitle == "" and screen.panes.pane == "list"


async def test_a_burst_after_the_apostrophe_is_text_and_another_key_ends_it(
    new_app: AppFactory, store: Store
) -> None:
    # In a terminal `'sud` arrives at once: the pane had the letters before the type-ahead
    # began, and `s` (save), `u` (undo) and `d` were neither text nor keys.
    async with many_sources(new_app, store) as (app, pilot):
        screen = parts(app)[0]
        await pilot.press("h")
        for key, char in (("apostrophe", "'"), ("s", "s"), ("u", "u"), ("d", "d")):
            app.post_message(Key(key, char))
        await settle(pilot)
        assert str(screen.sources.border_subtitle) == "find: sud"
        assert highlighted(screen.sources) == "source:Südwest Presse"
        await pilot.press("tab")  # not text: it ends the type-ahead and moves on
        assert screen.panes.pane == "list" and str(screen.sources.border_subtitle) == ""
        await pilot.press("shift+tab", "j")  # `j` moves the cursor again
        assert highlighted(screen.sources) == "source:Tech Daily"


async def test_an_exclamation_mark_goes_to_each_failed_source_in_turn(
    new_app: AppFactory, store: Store
) -> None:
    # "2 sources failed: marked ! in Sources" left finding them among 400 to the eye.
    failing = ("News 250", "News 31")
    async with many_sources(new_app, store, (80, 24), failing) as (app, pilot):
        screen = parts(app)[0]
        assert screen.panes.pane == "list"
        await pilot.press("exclamation_mark")  # from the list: the pane comes to the front
        await settle(pilot)
        assert screen.panes.pane == "sources" and app.focused is screen.sources
        assert highlighted(screen.sources) == "source:Broken Feed"  # the fixture's own
        await pilot.press("exclamation_mark")
        assert highlighted(screen.sources) == "source:News 31"
        await pilot.press("exclamation_mark", "exclamation_mark")
        assert highlighted(screen.sources) == "source:Broken Feed"  # round the end


def test_help_lists_the_find_and_failed_keys() -> None:
    assert {"sources.find", "pane.failed"} <= known_ids(help_sections())
