"""The main screen: composes the panes, starts up from the saved state, routes messages.

Widgets never talk to each other; they post messages, and the screen decides what happens.
It is built in layers, one feature each: `PanedScreen` (layout and panes), `ArticleActions`
(what keys do to articles), `ViewsScreen` (what the list shows, search) and this one
(composition, start-up, refresh and remembering state). Work without a place on screen is
done by non-visual widgets it composes: `Refresher`, `Saver` (offline copies) and
`FeedCommands` (the palette's feed commands).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from textwrap import shorten

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.widgets import Footer, Header

from tui.config import Config
from tui.store import Store
from tui.text import plural
from tui.ui.commands import Keyless
from tui.ui.data import Data
from tui.ui.feeds import FeedCommands
from tui.ui.refresher import Refresher
from tui.ui.saving import Saver
from tui.ui.scopes import ALL, Scope, ScopeKind
from tui.ui.screens.actions import ArticleActions
from tui.ui.screens.panes import PanedScreen
from tui.ui.screens.views import ViewsScreen
from tui.ui.state import UiState, load_state, save_state
from tui.ui.widgets.article_list import ArticleList
from tui.ui.widgets.reader import Reader
from tui.ui.widgets.reader_media import reader_media
from tui.ui.widgets.search_bar import SearchBar
from tui.ui.widgets.sources import SourcesPane
from tui.ui.widgets.status import Status
from tui.ui.workers import background

CONFIG_TOAST = 100
"""Characters of a config error in its notice (the status line holds the rest)."""
WATCH_EVERY = 2.0
"""Seconds between looks for writes by another process (a cron `newsdesk refresh`)."""
PERSIST_EVERY = 5.0
"""Seconds between saves of the UI state while it changes (it is also saved on quit)."""


class MainScreen(ViewsScreen):
    """Sources | list | reader, with header, status line and footer."""

    NAV_BINDINGS = [
        *PanedScreen.PANE_BINDINGS,
        *ViewsScreen.VIEW_BINDINGS,
        Binding(
            "r",
            "refresh_source",
            "Refresh",
            id="refresh.source",
            show=False,
            tooltip="Refresh the selected source (or tag)",
        ),
        Binding("R", "refresh_all", "Refresh all", id="refresh.all", show=False),
    ]
    BINDINGS = [*NAV_BINDINGS, *ArticleActions.ACTION_BINDINGS]
    AUTO_FOCUS = "#articles"

    def __init__(
        self,
        config: Config,
        store: Store,
        db: Data,
        now: Callable[[], datetime],
        *,
        refresh_on_start: bool = True,
        config_error: str | None = None,
    ) -> None:
        super().__init__(config, store, db)
        self.now = now
        self.refresh_on_start = refresh_on_start
        self.config_error = config_error
        self._last_reload = 0.0
        self._failures = 0
        """Sources failed in the refresh running now (one notice counts them at the end)."""
        self._no_row = True
        self._data_version: int | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Horizontal(id="panes"):
            yield SourcesPane(id="sources")
            with Container(id="content"):
                with Vertical(id="list-pane"):
                    yield SearchBar(self.db, id="search-bar")
                    yield ArticleList(self.store, self.db, self.now, id="articles")
                yield Reader(self.now, reader_media(self.config, self.db, self.store), id="reader")
        yield Status(id="status")
        yield Footer()
        yield Refresher(self.config, self.store, self.db)
        yield Saver(self.config, self.store, self.db)
        yield FeedCommands(self.config, self.db)

    def palette_commands(self) -> Iterator[Keyless]:
        for pane, title in (("sources", "sources pane"), ("list", "article list"),
                            ("reader", "reader")):  # fmt: skip
            yield Keyless(f"Show {title}", f"Move to the {title}", f"go_pane('{pane}')")

    # -- start-up ------------------------------------------------------------------------

    def on_mount(self) -> None:
        state = load_state(self.store)
        self.sources.border_title = "Sources"
        self.query_one("#list-pane").border_title = "Articles"
        self.reader.border_title = "Reader"
        self.set_layout(self.app.size.width)
        self.scope = self._saved_scope(state.scope)
        self.search_query = state.search
        self.sources.highlight(self.scope.key)
        self._restore(state)  # the list first: it is what the first frame is for
        self.reload_sources()
        if self.config_error:
            self.status.say(f"config error: {self.config_error}", error=True)
            short = shorten(self.config_error, CONFIG_TOAST, placeholder=" …")
            self.notify(short, title="Config error", severity="error", markup=False)
        self.set_interval(PERSIST_EVERY, self._persist_if_dirty)
        self.check_outside_writes()
        self.set_interval(WATCH_EVERY, self.check_outside_writes)
        if self.refresh_on_start and (self.config.sources or self.config.sync):
            self.refresher.start(None)

    def _saved_scope(self, key: str) -> Scope:
        """The remembered scope; a saved search that left the config falls back to All."""
        scope = Scope.from_key(key)
        if scope.kind is not ScopeKind.SEARCH:
            return scope
        match = next((s for s in self.config.searches if s.name == scope.name), None)
        return Scope(ScopeKind.SEARCH, scope.name, match.query) if match else ALL

    @background(group="restore")
    async def _restore(self, state: UiState) -> None:
        """Open the remembered view, selection, article, search and pane."""
        await self.load_scope(state.sort_key, state.list_offset)
        if state.opened is not None and (detail := self.store.article(state.opened)):
            self.reader.show(detail, state.reader_scroll)
        if state.search_active and state.search:
            self.start_search("search", state.search)
        self.focus_pane("list")  # what is new comes first; the article stays open beside it

    # -- routing -------------------------------------------------------------------------

    @on(ArticleList.Highlighted)
    def _row_highlighted(self, event: ArticleList.Highlighted) -> None:
        self.dirty = True
        if (event.row is None) != self._no_row:  # the footer's article keys come or go
            self._no_row = event.row is None
            self.refresh_bindings()

    @on(ArticleList.Opened)
    def _row_opened(self, event: ArticleList.Opened) -> None:
        self.open_article(event.row)

    @on(Reader.AtEnd)
    def _reader_at_end(self) -> None:
        self.action_next_unread()

    @on(Reader.OpenAlso)
    def _open_also(self, event: Reader.OpenAlso) -> None:
        self.open_article(event.row)

    @on(Reader.Activity)
    def _reader_activity(self, event: Reader.Activity) -> None:
        self.status.say(event.line, error=event.error)

    @on(FeedCommands.ConfigChanged)
    async def _config_changed(self, event: FeedCommands.ConfigChanged) -> None:
        """The config file was edited: its sources enter the store and the pane, new ones
        are refreshed (the message goes on to the app, which keeps the config too)."""
        self.config = event.config
        self.refresher.use_config(event.config)
        self.query_one(Saver).config = event.config
        await self.refresher.sync()
        self.reload_sources()
        if event.added and not self.refresher.start(event.added, force=True):
            self.notify("A refresh is running: refresh the new feeds with r afterwards")

    # -- refresh -------------------------------------------------------------------------

    def action_refresh_all(self) -> None:
        if not self.config.sources and not self.config.sync:
            self.notify("No sources configured", severity="warning")
        elif not self.refresher.start(None, force=True):
            self.notify("A refresh is already running")

    def action_refresh_source(self) -> None:
        names = self._selected_sources()
        if not names:
            self.notify("Nothing to refresh here: pick a source", severity="warning")
        elif not self.refresher.start(names, force=True):
            self.notify("A refresh is already running")

    def _selected_sources(self) -> list[str]:
        """The configured sources `r` means: the highlighted or current source or tag, else
        the selected article's source."""
        scope = self.scope
        if self.pane == "sources" and (option := self.sources.highlighted_option):
            scope = Scope.from_key(option.id or "")
        configured = {s.name for s in self.config.sources}
        if scope.kind is ScopeKind.SOURCE:
            return [scope.name] if scope.name in configured else []
        if scope.kind is ScopeKind.TAG:
            return [s.name for s in self.config.sources if scope.name in s.tags]
        row = self.target_row()
        return [row.source] if row and row.source in configured else []

    @on(Refresher.Progress)
    def _refresh_progress(self, event: Refresher.Progress) -> None:
        progress = event.event
        self.status.progress(progress)
        if progress.state == "failed":  # why: in the sources pane, when highlighted
            self._failures += 1
        if progress.new and event.time - self._last_reload > 1.0:
            self._last_reload = event.time  # new articles show up while the refresh goes on
            self.changed(rows=True)

    @on(Refresher.Finished)
    def _refresh_finished(self, event: Refresher.Finished) -> None:
        if self._failures:  # one short notice however many (offline, every source fails)
            failed = plural(self._failures, "source")
            self.notify(f"{failed} failed: marked ! in Sources", severity="warning", timeout=4)
        self._failures = 0
        if event.summary is None:
            self.status.say(f"refresh failed: {event.error}", error=True)
            self.notify(event.error or "refresh failed", severity="error", markup=False)
            return
        summary = event.summary
        self.status.say(summary.line(), error=bool(summary.failed and not summary.ok))
        for notice in summary.notices:
            self.notify(notice, markup=False)
        self.changed(rows=True)

    @background(group="watch")
    async def check_outside_writes(self) -> None:
        """Show what another process wrote (new articles, counts) without a key press."""
        version = await self.db.call(Store.data_version)
        seen, self._data_version = self._data_version, version
        if seen is not None and version != seen and not self.refresher.running:
            self.changed(rows=True)

    # -- remembering ---------------------------------------------------------------------

    def ui_state(self) -> UiState:
        """Everything that should survive a restart, as it is now."""
        current = self.articles.current
        selection = (current.id, current.sort_key) if current else None
        offset = self.articles.cursor_offset
        if self.search_mode:  # remember the view under the search, and the search
            selection, offset = self.before_search, self.before_offset
        theme = self.app.theme if self.app.theme != self.config.settings.theme else None
        return UiState(
            scope=self.scope.key,
            article=selection[0] if selection else None,
            sort_key=selection[1] if selection else None,
            list_offset=max(0, offset),
            opened=self.reader.article.row.id if self.reader.article else None,
            reader_scroll=self.reader.scroll_line,
            pane=self.pane,
            search=self.search_query,
            search_active=self.search_mode == "search",
            theme=theme,
            theme_config=self.config.settings.theme if theme else None,
        )

    def _persist_if_dirty(self) -> None:
        if self.dirty:
            self.dirty = False
            self.persist()

    @background(group="persist")
    async def persist(self) -> None:
        """Save the UI state in the database thread."""
        await self.db.call(save_state, self.ui_state())

    async def persist_now(self) -> None:
        """Save the UI state and wait for it (on quit)."""
        await self.db.call(save_state, self.ui_state())
