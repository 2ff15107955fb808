"""What the refresh keys do, and how a refresh shows: progress, notices, the summary line;
and what another process's refresh wrote, shown without a key press.

`Refreshing` is a helper the main screen holds (not a base class); the screen routes the
`Refresher` widget's messages to it. `r` refreshes what is selected, `R` everything.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.dom import DOMNode

from tui.local_time import local
from tui.refresh.summary import SYNC, unrecorded_line
from tui.store import Store, View
from tui.text import clean_line, plural
from tui.ui.feeds import FeedCommands
from tui.ui.paging import PagedRows
from tui.ui.refresher import Refresher
from tui.ui.scopes import ScopeKind
from tui.ui.workers import background

if TYPE_CHECKING:
    from collections.abc import Container

    from tui.ui.screens.main import MainScreen

REFRESH_BINDINGS = [
    Binding(
        "r",
        "refresh_source",
        "Refresh",
        id="refresh.source",
        show=False,
        tooltip="Refresh the selected source (or tag)",
    ),  # fmt: skip
    Binding("R", "refresh_all", "Refresh all", id="refresh.all", show=False),
]
WATCH_EVERY = 2.0
"""Seconds between looks for writes by another process (a cron `newsdesk refresh`)."""


def file_stamp(path: Path) -> tuple[int, int] | None:
    """A file's modification time and size (None when it cannot be read)."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size


class Refreshing:
    """Starts refreshes and reports them on the status line and in notices."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._last_reload = 0.0
        self._failing: set[str] = set()
        """The sources failing as the refreshes so far left them: the automatic refresh, each
        minute, toasts a failure only when it is new (at 80x24 the toasts hid the reader)."""
        self._said: set[str] = set()
        """The notices toasted so far: the automatic refresh toasts only the others."""
        self._stopped: str | None = None
        """Why the last refresh stopped (None: it ended): told again only if asked for."""
        self.config_read = file_stamp(screen.config.path)
        """The config file as it was when last read: `R` reads it again once it changed."""
        self._broken: tuple[int, int] | None = None
        """The config file as last found broken: the automatic refresh tells it once."""
        self._seen: tuple[int, int] | None = None
        """The cache's data version when last looked at, and the refreshes run by then."""
        self._reopened = self._replaced = 0
        """The store's connection opened again so far, and for a file replaced on disk."""

    @property
    def node(self) -> DOMNode:
        return self.screen

    def start_all(self) -> None:
        """`R`: everything, with the config file read again first if it was edited."""
        if (stamp := file_stamp(self.screen.config.path)) != self.config_read:
            self._read_config_then_refresh(stamp)
        else:
            self.refresh_all()

    @background(group="config")
    async def _read_config_then_refresh(self, stamp: tuple[int, int] | None) -> None:
        """A broken file is told (not again by the automatic refresh) and the config read
        before stays (then refreshed); a good one comes in, and `MainScreen` refreshes
        everything once it is in use."""
        feeds = self.screen.query_one(FeedCommands)
        if not await feeds.reload_config([], everything=True):
            self._broken = stamp
            self.refresh_all()

    def automatic(self) -> None:
        """The automatic refresh of the sources due; first, the config file read again if
        it changed on disk (its size and time: cheap), so the rules and saved searches of
        an edit apply to it. A file broken by the edit is told once, and the config read
        before stays in force."""
        stamp = file_stamp(self.screen.config.path)
        unchanged = stamp in (self.config_read, self._broken, None)  # None: moved for a moment
        if self.screen.refresher.running or unchanged:
            self.screen.refresher.refresh_due()
        else:
            self._read_config_then_due(stamp)

    @background(group="config")
    async def _read_config_then_due(self, stamp: tuple[int, int] | None) -> None:
        feeds = self.screen.query_one(FeedCommands)
        if not await feeds.reload_config([], due=True):
            self._broken = stamp
            self.screen.refresher.refresh_due()

    def config_in_use(self, event: FeedCommands.ConfigChanged) -> None:
        """A config read again is in use: its file is as read; refresh what it asks for."""
        self.config_read = file_stamp(event.config.path)
        if event.due:
            self.screen.refresher.refresh_due()
        if event.everything:
            self.refresh_all()
        elif event.added and not self.screen.refresher.start(event.added, force=True):
            self.screen.notify("A refresh is running: refresh the new feeds with r afterwards")

    def refresh_all(self) -> None:
        screen = self.screen
        if not screen.config.sources and not screen.config.sync:
            broken = "The config has errors (see ?): fix it, then R"
            screen.notify(
                broken if screen.config_error else "No sources configured",
                severity="warning",
                markup=False,
            )
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
        configured = {s.name for s in config.sources} | ({SYNC} if config.sync else set())
        if scope.kind is ScopeKind.SOURCE:
            return [scope.name] if scope.name in configured else [], False
        if scope.kind is ScopeKind.TAG:
            return [s.name for s in config.sources if scope.name in s.tags], False
        row = screen.actions.target_row()
        return ([row.source] if row and row.source in configured else []), True

    def progress(self, event: Refresher.Progress) -> None:
        progress = event.event
        self.screen.status.progress(progress, event.waiting)
        told = event.automatic and SYNC in self._failing  # a server down for an hour: once
        if progress.state == "failed" and progress.source == SYNC and not told:
            said = f"Sync failed: {clean_line(progress.message or 'no reason given')}"
            self.screen.notify(said, severity="error", timeout=8, markup=False)
        if progress.new and event.time - self._last_reload > 1.0:
            self._last_reload = event.time  # new articles show up while the refresh goes on
            self.screen.views.changed(rows=True)

    def finished(self, event: Refresher.Finished) -> None:
        screen = self.screen
        unrecorded = event.summary.unrecorded if event.summary else {}
        self._tell_failures(self._failures_to_tell(event, unrecorded), [*unrecorded.values()])
        stopped, self._stopped = self._stopped, event.error
        if event.summary is None:
            screen.status.say(f"refresh failed: {event.error}", error=True)
            if not (event.automatic and event.error == stopped):  # a full disk, each minute
                screen.notify(event.error or "refresh failed", severity="error", markup=False)
            screen.views.changed(rows=True)  # what arrived before the error is stored
            return
        summary = event.summary
        when = f"{local(screen.now()):%H:%M}"  # the line stays: how old it is
        screen.status.say(
            f"{summary.line()} · {when}", error=bool(summary.failed and not summary.ok)
        )
        told = {*screen.config.skipped, *screen.config.notes}  # by the app, once: not again
        if event.automatic:  # each minute: only what the refreshes before did not say
            told |= self._said
        told.update(unrecorded_line(*failed) for failed in summary.unrecorded.items())  # above
        for notice in summary.all_notices:
            if notice not in told:
                screen.notify(notice, markup=False)
        self._said.update(summary.all_notices)
        screen.views.changed(rows=True)
        screen.actions.follow_story()  # its stories grouped: the open one may have grown

    def _failures_to_tell(self, event: Refresher.Finished, unrecorded: Container[str]) -> int:
        """How many sources the refresh that ended saw fail and the cache recorded (why: in
        the sources pane): all of them, or for the automatic refresh those that did not fail
        before."""
        failed = {name for name, bad in event.outcomes.items() if bad and name not in unrecorded}
        told = failed - self._failing if event.automatic else failed
        self._failing = (self._failing - event.outcomes.keys()) | failed
        return len(told)

    def _tell_failures(self, recorded: int, unrecorded: list[str]) -> None:
        """One short notice however many failed (offline, every source fails); `!` goes only
        to those the cache recorded (a full disk may have refused even that)."""
        if recorded:
            said = f"{plural(recorded, 'source')} failed: marked ! in Sources (! goes to each)"
            self.screen.notify(said, severity="warning", timeout=4, markup=False)
        if unrecorded:
            failed = plural(len(unrecorded), "source")
            said = f"{failed} failed, and the cache could not record which: {unrecorded[0]}"
            self.screen.notify(said, severity="error", markup=False)

    # -- other processes' writes -----------------------------------------------------------

    def watch_outside_writes(self) -> None:
        """Look for other processes' writes now and every `WATCH_EVERY` seconds."""
        self.check_outside_writes()
        self.screen.set_interval(WATCH_EVERY, self.check_outside_writes)

    @background(group="watch")
    async def check_outside_writes(self) -> None:
        """Show what another process wrote (new articles, counts) without a key press, and
        a cache file replaced on disk (its folder deleted), which the store opened instead.

        The app's own refreshes write on a connection of their own, which the data version
        counts as another's: a look taken while one ran (or one ran since the last look)
        only takes the version as seen, since the refresh's end reloads the list anyway."""
        refresher = self.screen.refresher
        before = (refresher.runs, refresher.running)
        version, reopened, replaced = await self.screen.db.call(Store.changes)
        if replaced != self._replaced:  # a new cache knows no source yet: as at a start
            self._replaced = replaced
            self._forget_old_cache(replaced)
            await refresher.sync()
            self.screen.status.say("the cache was deleted or replaced on disk: reopened")
            self.screen.notify(
                "The cache was deleted or replaced on disk: reopened", severity="warning"
            )
        if reopened != self._reopened:  # another file, or one that can be written again
            self._reopened = reopened
            self._seen = None
            self.screen.views.changed(rows=True)
            return
        if refresher.running or before != (refresher.runs, False):
            self._seen = None
            return
        seen, self._seen = self._seen, (version, refresher.runs)
        if seen is not None and seen[1] == refresher.runs and seen[0] != version:
            self.screen.views.changed(rows=True)
            await self.screen.actions.follow_store()  # the reader's flags too, not only rows
            self.screen.actions.follow_story()

    def _forget_old_cache(self, replaced: int) -> None:
        """The rows, the open article and the undo of the file before name articles by ids
        that the file now at the path gives to others, or to none: they go, and the UI's
        writes from now on are this file's (`Data.cache`)."""
        screen = self.screen
        screen.articles.show_rows(PagedRows(View(), 0))  # until the new file's are read
        screen.reader.clear()
        screen.actions.all.undo_ids.clear()
        screen.db.cache = replaced
