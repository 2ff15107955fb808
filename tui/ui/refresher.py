"""Runs refreshes in a worker and reports progress as messages; also the auto-refresh timer.

A non-visual widget, so the screen receives `Refresher.Progress` and `Refresher.Finished`
like any other widget message. Start-up never waits for it: it only starts workers.

Auto-refresh checks once a minute which sources are due (each source's `refresh_minutes`,
else the settings'), leaving out dead sources and those backing off after failures, and
whether the `[sync]` server is due (every `refresh_minutes`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from textual.message import Message
from textual.widget import Widget

from tui.config import Config
from tui.refresh.known import sync_sources, told
from tui.refresh.schedule import due_sources
from tui.store import Store, StoreError
from tui.sync.due import sync_due
from tui.text import one_line
from tui.ui.data import Data
from tui.ui.workers import background

if TYPE_CHECKING:
    from tui.refresh.summary import ProgressEvent, RefreshSummary
    from tui.store.settle import Settled


TICK_SECONDS = 60.0


def _sync(store: Store, config: Config) -> Settled:
    """`sync_sources` in the database thread's argument order."""
    return sync_sources(config, store)


class Refresher(Widget):
    """Owns the refresh worker; at most one refresh runs at a time."""

    DEFAULT_CSS = "Refresher { display: none; }"

    @dataclass
    class Progress(Message):
        """One source started or finished."""

        event: ProgressEvent
        waiting: str = ""
        """The source in flight the longest, if any (the one the refresh waits on)."""
        automatic: bool = False
        """Of the minute's refresh of the sources due (`Finished.automatic`)."""

        def can_replace(self, message: Message) -> bool:
            # A newer event supersedes this one unless this one reports a failure (which
            # becomes a notification and must not be lost).
            return isinstance(message, Refresher.Progress) and self.event.state != "failed"

    @dataclass
    class Renamed(Message):
        """Sources followed the config to new names (`told` is what to say of it)."""

        names: dict[str, str]
        """Old name -> new name."""
        told: list[str]

    class Due(Message):
        """A minute passed: the screen refreshes the sources due (`refresh_due`), reading
        the config file again first when it was edited."""

    @dataclass
    class Finished(Message):
        """The refresh is over (`summary` is None if it stopped on an error: what arrived
        before it is stored)."""

        summary: RefreshSummary | None
        error: str | None = None
        automatic: bool = False
        """The minute's refresh of the sources due (not `R`, `r` or the one at start)."""
        outcomes: dict[str, bool] = field(default_factory=dict)
        """The sources that finished, each with whether it failed (skipped ones aside)."""

    def __init__(self, config: Config, db: Data, now: Callable[[], datetime]) -> None:
        super().__init__()
        self.config, self.db = config, db
        self.now = now  # the clock the schedule is read by: the app's (a test's moves)
        self.running = False
        self.runs = 0
        """Refreshes started: their writes, on a connection of their own, are not another
        program's (the screen's watch for those tells them apart by this)."""
        self._in_flight: dict[str, None] = {}
        """The sources started and not finished, in the order they started (read as they
        come: a newer Progress message supersedes an older one)."""
        self._outcomes: dict[str, bool] = {}
        """The sources finished so far, each with whether it failed (`Finished.outcomes`)."""
        self._automatic = False
        """Whether the refresh running is the minute's (`Progress.automatic`)."""

    def on_mount(self) -> None:
        # Ticking even while auto-refresh is off: `R` may bring a config that turns it on.
        self.set_interval(TICK_SECONDS, lambda: self.post_message(self.Due()))

    @background(group="refresh-due")
    async def refresh_due(self) -> None:
        """Refresh the sources that are due, if no refresh is running (none while
        `refresh_minutes` is 0: auto-refresh off)."""
        if self.running or self.config.settings.refresh_minutes <= 0:
            return
        config, now = self.config, self.now().timestamp()
        names = await self.db.call(lambda store: due_sources(config, store.sources(), now))
        syncing = await self.db.call(lambda store: sync_due(config, store, now))
        if names or syncing:
            self.start(names, sync=syncing, automatic=True)

    def use_config(self, config: Config) -> None:
        """Refresh what `config` names from now on (the config file was edited)."""
        self.config = config

    async def sync(self) -> None:
        """Make the store know every configured source (database thread); sources it
        finds renamed are told (`Renamed`)."""
        settled = await self.db.call(_sync, self.config)
        if renamed := dict((*settled.set_aside, *settled.renames)):
            self.post_message(self.Renamed(renamed, told(settled, self.config)))

    def start(
        self,
        names: Sequence[str] | None,
        *,
        force: bool = False,
        sync: bool | None = None,
        automatic: bool = False,
    ) -> bool:
        """Refresh these sources (all when None, with the `[sync]` server unless `sync` says
        otherwise); False if a refresh is already running."""
        if self.running:
            return False
        self.running, self.runs, self._in_flight, self._outcomes = True, self.runs + 1, {}, {}
        self._automatic = automatic
        self._refresh(list(names) if names is not None else None, force, sync, automatic)
        return True

    @background(exclusive=True, group="refresh")
    async def _refresh(
        self, names: list[str] | None, force: bool, sync: bool | None, automatic: bool
    ) -> None:
        # Imported here: the network stack is not needed for the first frame.
        from tui.refresh.run import refresh

        try:
            await self.sync()
            summary = await refresh(
                self.config, self.db, names, progress=self._progress, force=force, sync=sync
            )
        except (OSError, ValueError, StoreError) as exc:  # a full disk, a locked cache
            self.post_message(self.Finished(None, one_line(exc), automatic, self._outcomes))
        else:
            self.post_message(self.Finished(summary, None, automatic, self._outcomes))
        finally:
            self.running = False

    def _progress(self, event: ProgressEvent) -> None:
        if event.state == "started":
            self._in_flight[event.source] = None
        else:
            self._in_flight.pop(event.source, None)
        if event.state in ("failed", "ok", "not_modified"):  # the sync too: marked `!` alike
            self._outcomes[event.source] = event.state == "failed"
        waiting = next(iter(self._in_flight), "")
        self.post_message(self.Progress(event, waiting, self._automatic))
