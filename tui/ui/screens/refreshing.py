"""What the refresh keys do, and how a refresh shows: progress, notices, the summary line.

`Refreshing` is a helper the main screen holds (not a base class); the screen routes the
`Refresher` widget's messages to it. `r` refreshes what is selected, `R` everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.refresh.summary import SYNC
from tui.text import clean_line, plural
from tui.ui.refresher import Refresher
from tui.ui.scopes import ScopeKind

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen


class Refreshing:
    """Starts refreshes and reports them on the status line and in notices."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._last_reload = 0.0
        self._failures = 0
        """Sources failed in the refresh running now (one notice counts them at the end)."""

    def start_all(self) -> None:
        screen = self.screen
        if not screen.config.sources and not screen.config.sync:
            screen.notify("No sources configured", severity="warning")
        elif not screen.refresher.start(None, force=True):
            screen.notify("A refresh is already running")

    def start_selected(self) -> None:
        names, of_article = self.selected_sources()
        if not names:
            self.screen.notify("Nothing to refresh here: pick a source", severity="warning")
        elif not self.screen.refresher.start(names, force=True):
            self.screen.notify("A refresh is already running")
        elif of_article:  # All, Unread, a search: say which source `r` took
            said = f"Refreshing {names[0]}, the selected article's source (R: all)"
            self.screen.notify(said, markup=False)  # a feed's title may hold [brackets]

    def selected_sources(self) -> tuple[list[str], bool]:
        """The configured sources `r` means: the highlighted or current source or tag, else
        the selected article's source (then True)."""
        screen = self.screen
        scope, config = screen.views.state.scope, screen.config
        if screen.panes.pane == "sources" and (entry := screen.sources.highlighted_entry):
            scope = entry.scope
        configured = {s.name for s in config.sources}
        if scope.kind is ScopeKind.SOURCE:
            return [scope.name] if scope.name in configured else [], False
        if scope.kind is ScopeKind.TAG:
            return [s.name for s in config.sources if scope.name in s.tags], False
        row = screen.actions.target_row()
        return ([row.source] if row and row.source in configured else []), True

    def progress(self, event: Refresher.Progress) -> None:
        progress = event.event
        self.screen.status.progress(progress)
        if progress.state == "failed" and progress.source == SYNC:  # no row to show why
            said = f"Sync failed: {clean_line(progress.message or 'no reason given')}"
            self.screen.notify(said, severity="error", timeout=8, markup=False)
        elif progress.state == "failed":  # why: in the sources pane, when highlighted
            self._failures += 1
        if progress.new and event.time - self._last_reload > 1.0:
            self._last_reload = event.time  # new articles show up while the refresh goes on
            self.screen.views.changed(rows=True)

    def finished(self, event: Refresher.Finished) -> None:
        screen = self.screen
        if self._failures:  # one short notice however many (offline, every source fails)
            failed = plural(self._failures, "source")
            screen.notify(f"{failed} failed: marked ! in Sources", severity="warning", timeout=4)
        self._failures = 0
        if event.summary is None:
            screen.status.say(f"refresh failed: {event.error}", error=True)
            screen.notify(event.error or "refresh failed", severity="error", markup=False)
            screen.views.changed(rows=True)  # what arrived before the error is stored
            return
        summary = event.summary
        screen.status.say(summary.line(), error=bool(summary.failed and not summary.ok))
        for notice in summary.notices:
            screen.notify(notice, markup=False)
        screen.views.changed(rows=True)
