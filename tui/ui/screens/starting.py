"""Start-up: the remembered list first (the first frame is for it), the rest once it is drawn.

The pane that was in front when the app closed is in front again, with the focus, at every
width; until the saved state is put back (`restored`), a save writes it as it was.

`Starting` is a helper the main screen holds (not a base class). Before the first frame only
the list's first page is read; the sources pane's counts, the watch for other processes'
writes and the refresh on start begin after it, since on the database thread and the network
they would compete with drawing the list for the interpreter.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from textual.dom import DOMNode

from tui.store import Store
from tui.ui.screens.panes import pane_named
from tui.ui.state import UiState
from tui.ui.workers import background

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen


class Starting:
    """Opens the remembered view, then starts the rest."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.restored = False
        """The saved state is put back (until then, it is what a save writes)."""

    @property
    def node(self) -> DOMNode:
        return self.screen

    @background(group="restore")
    async def restore(self, state: UiState) -> None:
        """Open the remembered view, selection, article, search and pane; then, once that
        is drawn, start the rest.

        The pane in front when the app closed is in front again (the screen is composed
        with it), with the focus, whatever the width: the refresh on start adds what is new
        to the list (in its place by date) and counts it, and takes no pane away from the
        user."""
        screen = self.screen
        try:
            await screen.views.load_scope(state.sort_key, state.list_offset)
            if state.opened is not None:
                detail = await screen.db.call(Store.article, state.opened)
                if detail is not None:  # scrolled once laid out, off screen or not
                    screen.reader.show(
                        detail, state.reader_scroll, state.reader_terms, state.reader_place
                    )
            if state.search_active and state.search:
                screen.views.state.land_on = state.search_article
                screen.views.start_search("search", state.search)  # the list pane's bar
            screen.focus_pane(pane_named(state.pane))
            bar = screen.search_bar  # shown while it has the focus, as after Enter
            bar.display = bar.display and screen.focused is bar.input
        finally:
            self.restored = True
            screen.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        # What the first frame needed (modules, classes, widgets) is kept for good: set aside
        # now, the full collections that filling the sources pane triggers do not go through
        # it again (at 20,000 sources four of 75-115 ms each, under the first keys). When the
        # command line has held the collector while the UI loaded, `_fill_in` lets it go.
        if gc.isenabled():
            gc.freeze()
        screen = self.screen
        config = screen.config
        due = config.sync is not None or any(source.enabled for source in config.sources)
        self._fill_in(know_sources=screen.refresh_on_start and not due)
        screen.refreshing.watch_outside_writes()
        if screen.refresh_on_start and due:
            screen.refresher.start(None)

    @background(group="start")
    async def _fill_in(self, know_sources: bool) -> None:
        """Count the sources pane (after making the store know the configured sources when
        there is nothing to refresh: no network code is loaded then); then leave what
        start-up built (modules, classes, the widgets, the pane's lines) out of the
        collector's full passes, which otherwise stall a key press for 40-110 ms every few
        hundred keys (undone by `end`)."""
        try:
            if know_sources:
                await self.screen.refresher.sync()
            await self.screen.views.load_sources()
        finally:
            gc.collect()  # the garbage made since goes first, or it would stay for good
            gc.freeze()
            gc.enable()  # held by the command line from its start (`run_tui`)

    def end(self) -> None:
        """The screen goes: what was set aside is the collector's again."""
        gc.unfreeze()
