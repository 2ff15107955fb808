"""The main screen: composes the panes, starts up from the saved state, routes messages.

Widgets never talk to each other; they post messages, and the screen decides what happens.
The screen is one class built by composition: the widgets it lays out, state objects
(`Panes`: which pane, how wide; `ListState`: what the list shows) and helpers it holds
(`Views`: scopes and search; `ArticleActions` and `LinkActions`: what the article keys do;
`Refreshing`: the refresh keys and how a refresh shows; `Starting`: the first frame, then
the rest). Its action methods only hand each key to the part that owns it. Work without a
place on screen is done by non-visual widgets: `Refresher`, `Saver` (offline copies) and
`FeedCommands` (the palette's feed commands)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.containers import Container, Horizontal
from textual.events import DescendantFocus, Resize
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget

from tui.config import Config
from tui.ui.commands import Keyless
from tui.ui.data import Data
from tui.ui.feeds import FeedCommands
from tui.ui.format import cut_for_toast
from tui.ui.refresher import Refresher
from tui.ui.saving import Saver
from tui.ui.screens.action_keys import ACTION_BINDINGS
from tui.ui.screens.actions import ArticleActions
from tui.ui.screens.link_actions import LinkActions
from tui.ui.screens.panes import PANE_BINDINGS, PANE_BOXES, Pane, Panes, mark_current, pane_named
from tui.ui.screens.refreshing import REFRESH_BINDINGS, Refreshing
from tui.ui.screens.starting import Starting
from tui.ui.screens.views import VIEW_BINDINGS, Views
from tui.ui.state import StateWriter, UiState, state_of
from tui.ui.widgets.article_list import ArticleList, ListPane
from tui.ui.widgets.footer import KeysFooter
from tui.ui.widgets.heading import Heading
from tui.ui.widgets.reader import Reader
from tui.ui.widgets.reader_attachments import Attachments
from tui.ui.widgets.reader_media import reader_media
from tui.ui.widgets.search_bar import SearchBar
from tui.ui.widgets.sources import SourcesPane
from tui.ui.widgets.status import Status
from tui.ui.workers import background

CONFIG_TOAST = 100
"""Characters of a config error in its notice (the status line holds the rest)."""
PERSIST_EVERY = 5.0
"""Seconds between saves of the UI state while it changes (it is also saved on quit)."""


class MainScreen(Screen[None], inherit_bindings=False):
    """Sources | list | reader, with header, status line and footer."""

    NAV_BINDINGS = [
        *PANE_BINDINGS,
        *VIEW_BINDINGS,
        *REFRESH_BINDINGS,
    ]
    BINDINGS = [*NAV_BINDINGS, *ACTION_BINDINGS]
    AUTO_FOCUS = "#articles"
    # Not the whole screen repainted at each change: the widgets concerned repaint themselves.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    sub_title: Reactive[str | None] = Reactive(None, compute=False, repaint=False)

    def __init__(
        self,
        config: Config,
        db: Data,
        state: UiState,
        writer: StateWriter,
        now: Callable[[], datetime],
        *,
        refresh_on_start: bool = True,
        config_error: str | None = None,
    ) -> None:
        super().__init__()
        self.config, self.db, self.state, self.now, self.writer = config, db, state, now, writer
        self.refresh_on_start = refresh_on_start
        self.config_error = config_error
        self.panes = Panes(pane_named(state.pane))  # the one in front when the app closed
        self.views = Views(self)
        self.actions = ArticleActions(self)
        self.links = LinkActions(self)
        self.refreshing = Refreshing(self)
        self.starting = Starting(self)
        self.dirty = False
        """Something worth remembering across restarts changed."""
        self._no_row = True

    def compose(self) -> ComposeResult:
        # The layout's classes before the widgets mount: set later, they restyle every widget.
        self.panes.fit(self.app.size.width)
        self.set_classes(self.panes.classes())
        box = self.panes.box_classes  # as the classes above: given before mounting
        yield Heading(icon="◆")
        with Horizontal(id="panes"):
            yield SourcesPane(id="sources").set_classes(box("sources"))
            with Container(id="content", classes=box("content")):
                with ListPane(id="list-pane", classes=box("list-pane")):
                    yield ArticleList(self.db, self.now, id="articles")
                reader = Reader(self.now, reader_media(self.config, self.db), id="reader")
                yield reader.set_classes(box("reader"))
        yield Status(id="status")
        yield SearchBar(self.db, id="search-bar")
        yield KeysFooter()
        yield Refresher(self.config, self.db, self.now)
        yield Saver(self.config, self.db)
        yield FeedCommands(self.config, self.db)

    def palette_commands(self) -> Iterator[Keyless]:
        for pane, title in (("sources", "sources pane"), ("list", "article list"),
                            ("reader", "reader")):  # fmt: skip
            yield Keyless(f"Show {title}", "In front, with the focus", f"go_pane('{pane}')")

    # -- widgets -------------------------------------------------------------------------

    @property
    def sources(self) -> SourcesPane:
        return self.query_one("#sources", SourcesPane)

    @property
    def articles(self) -> ArticleList:
        return self.query_one("#articles", ArticleList)

    @property
    def reader(self) -> Reader:
        return self.query_one("#reader", Reader)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one("#search-bar", SearchBar)

    @property
    def status(self) -> Status:
        return self.query_one("#status", Status)

    @property
    def refresher(self) -> Refresher:
        return self.query_one(Refresher)

    # -- start-up ------------------------------------------------------------------------

    def on_mount(self) -> None:
        state = self.state
        self.sources.border_title = "Sources"
        self.query_one("#list-pane").border_title = "Articles"
        self.reader.border_title = "Reader"
        self.show_layout()
        self.set_focus(self.pane_widget(self.panes.pane))  # keys typed now go there
        self.views.state.scope = self.views.saved_scope(state.scope)
        self.views.state.query = state.search
        self.sources.highlight(self.views.state.scope.key)
        self.starting.restore(state)  # the list first: it is what the first frame is for
        if self.config_error:
            self.status.say(f"config error: {self.config_error}", error=True)
            short = cut_for_toast(self.config_error, CONFIG_TOAST)
            self.notify(short, title="Config error (see ?)", severity="error", markup=False)
        self.set_interval(PERSIST_EVERY, self._persist_if_dirty)

    def on_unmount(self) -> None:
        self.starting.end()

    # -- layout and panes ----------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self.panes.fit(event.size.width)
        self.show_layout()

    def show_layout(self) -> None:
        """Apply the layout: the screen's classes in one go (a change restyles every widget),
        then the boxes of the current pane marked."""
        classes = self.panes.classes()
        if classes != set(self.classes):
            self.set_classes(classes)
        mark_current(self, self.panes)
        self.sub_title = self.views.title(self.panes)
        self.refresh_bindings()

    def pane_widget(self, pane: Pane) -> Widget:
        """The widget that takes the focus in `pane`: while the search bar is open with
        nothing found yet, the list pane's is the bar."""
        if pane == "list" and self.search_bar.display and not self.articles.rows.total:
            return self.search_bar.input
        widgets: dict[Pane, Widget] = {"sources": self.sources, "list": self.articles}
        return widgets.get(pane, self.reader)

    def focus_pane(self, pane: Pane) -> None:
        """Make `pane` the current one (the only one shown on a narrow terminal)."""
        if pane != "reader" and self.reader.is_maximized:  # a zoomed reader gives way, as `z`
            self.reader.action_zoom()
        self.panes.pane = pane
        self.show_layout()
        self.set_focus(self.pane_widget(pane))  # at once, so the next key goes there
        self.dirty = True

    def show_search(self, searching: bool) -> None:
        """Open (the list pane current) or close (the list focused) the search bar: shown by
        its own `display`, over the status line (no other widget changes size)."""
        self.search_bar.display = searching
        if searching:
            self.minimize()  # a zoomed reader makes way: the results are shown in the list
            self.panes.pane = "list"
        else:
            self.dirty = True
            self.set_focus(self.articles)
        self.show_layout()  # the footer takes the focused widget's keys in this frame

    @on(DescendantFocus)
    def _focused(self, event: DescendantFocus) -> None:
        """A click (or Tab) moved the focus: follow it (unless it has moved on since: the
        search bar a restart opens gives it to the pane that was in front)."""
        if event.widget is not self.focused:
            return
        owners = [(pane, self.get_widget_by_id(box)) for pane, box in PANE_BOXES.items()]
        for pane, owner in [*owners, ("list", self.search_bar)]:  # the bar searches the list
            if event.widget is owner or owner in event.widget.ancestors:
                if pane != self.panes.pane:
                    self.panes.pane = pane
                    self.show_layout()
                return

    def action_next_pane(self) -> None:
        self.focus_pane(self.panes.step(1, wrap=True))

    def action_previous_pane(self) -> None:
        self.focus_pane(self.panes.step(-1, wrap=True))

    def action_pane_right(self) -> None:
        """`l` on the list with nothing open opens the selected article."""
        if self.panes.pane == "list" and self.actions.opened_row() is None:
            self.action_open_current()
        else:
            self.focus_pane(self.panes.step(1, wrap=False))

    def action_pane_left(self) -> None:
        self.focus_pane(self.panes.step(-1, wrap=False))

    def action_back(self) -> None:
        """Esc: leave the search first, then go back one pane."""
        if self.views.state.mode and self.panes.pane == "list":
            self.views.end_search()
        else:
            self.action_pane_left()

    def action_go_pane(self, pane: str) -> None:
        self.focus_pane(pane_named(pane))

    def action_next_failed(self) -> None:
        """`!`: the sources pane in front, its cursor on the next source marked `!`."""
        if self.sources.next_problem():
            self.focus_pane("sources")
        else:
            self.notify("No source failed at its last refresh")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide keys that have nothing to act on (and leave them out of the footer)."""
        if action == "back":
            return bool(self.views.state.mode) or self.panes.pane != "sources"
        return self.actions.allowed(action) is not False  # None: not an article key

    # -- the article keys, handed to their owners ----------------------------------------

    def action_open_current(self) -> None:
        if (row := self.articles.current) is not None:
            self.actions.open_article(row)

    def action_next_article(self) -> None:
        self.actions.open_at(self.actions.opened_index() + 1)

    def action_previous_article(self) -> None:
        self.actions.open_at(max(0, self.actions.opened_index() - 1))

    def action_next_unread(self) -> None:
        self.actions.next_unread()

    def action_toggle_read(self) -> None:
        self.actions.toggle_read()

    def action_toggle_saved(self) -> None:
        self.actions.toggle_saved()

    def action_mark_all_read(self) -> None:
        self.actions.all.mark_read()

    def action_undo(self) -> None:
        self.actions.all.undo()

    def action_unhide(self) -> None:
        self.actions.unhide()

    def action_open_in_browser(self) -> None:
        self.links.open_in_browser()

    def action_copy_link(self) -> None:
        self.links.copy_link()

    def action_open_link(self, number: int) -> None:
        self.links.open_numbered(number)

    def action_pick_link(self) -> None:
        self.links.pick()

    def action_attachment(self, download: bool) -> None:
        self.links.attachment(download)

    def action_search(self) -> None:
        self.views.start_search("search", self.views.state.query)

    def action_filter(self) -> None:
        self.views.start_search("filter", "")

    # -- routing -------------------------------------------------------------------------

    @on(ArticleList.Highlighted)
    def _row_highlighted(self, event: ArticleList.Highlighted) -> None:
        self.dirty = True
        self.actions.read_ahead(event.row)
        if (event.row is None) != self._no_row:  # the footer's article keys come or go
            self._no_row = event.row is None
            self.refresh_bindings()

    @on(ArticleList.Opened)
    def _row_opened(self, event: ArticleList.Opened) -> None:
        self.actions.open_article(event.row)

    @on(ArticleList.Loaded)
    def _list_loaded(self) -> None:
        self.articles.empty_text = self.views.empty_text()
        self.sub_title = self.views.title(self.panes)

    @on(Reader.AtEnd)
    def _reader_at_end(self) -> None:
        self.actions.next_unread()

    @on(SourcesPane.Selected)
    def _scope_selected(self, event: SourcesPane.Selected) -> None:
        self.views.select(event.scope)

    @on(SourcesPane.Highlighted)
    def _scope_highlighted(self, event: SourcesPane.Highlighted) -> None:
        entry = event.entry
        note = entry.problem or entry.warning
        self.status.explain(note and f"{entry.scope.name}: {note}", error=bool(entry.problem))

    @on(SearchBar.Results)
    def _search_results(self, event: SearchBar.Results) -> None:
        self.views.show_results(event)
        self.sub_title = self.views.title(self.panes)

    @on(SearchBar.Submitted)
    def _search_submitted(self) -> None:
        """Enter: the results stay (the header names the search); the bar gives the status
        line back unless nothing was found (then the focus stays in it)."""
        self.focus_pane("list")
        self.search_bar.display = self.focused is self.search_bar.input

    @on(SearchBar.Cancelled)
    def _search_cancelled(self) -> None:
        self.views.end_search()

    @on(Saver.Unsaving)
    def _unsaving(self, event: Saver.Unsaving) -> None:
        for row in event.rows:
            self.actions.show_flags(row, saved=False)

    @on(Saver.Unsaved)
    async def _unsaved(self, event: Saver.Unsaved) -> None:
        """A story's ★ may go, a removed source's rows leave; the open one: its feed's text."""
        self.views.changed(rows=self.config.settings.group_stories or event.forgotten)
        await self.actions.show_stored(event.ids)

    @on(Saver.Stored)
    async def _stored(self, event: Saver.Stored) -> None:
        """Saved text arrived: reload the rows, and show the open article again if it is one."""
        self.views.changed(rows=True)
        await self.actions.show_stored(event.ids)

    @on(Reader.OpenAlso)
    def _open_also(self, event: Reader.OpenAlso) -> None:
        self.actions.open_article(event.row)

    @on(Reader.LinkClicked)
    def _link_clicked(self, event: Reader.LinkClicked) -> None:
        self.links.open_chosen(event.article_id, event.url)

    @on(Attachments.Activity)
    def _reader_activity(self, event: Attachments.Activity) -> None:
        self.status.say(event.line, error=event.error)

    @on(FeedCommands.ConfigChanged)
    async def _config_changed(self, event: FeedCommands.ConfigChanged) -> None:
        """The config read again: its sources enter the store and the pane, and are
        refreshed as asked (the message goes on to the app, which keeps the config too)."""
        self.config, self.config_error = event.config, None
        self.refresher.use_config(event.config)
        self.query_one(Saver).config = event.config
        self.reader.use_settings(event.config.settings)
        await self.refresher.sync()
        self.views.reload_sources()
        self.refreshing.config_in_use(event)

    # -- refresh -------------------------------------------------------------------------

    def action_refresh_all(self) -> None:
        self.refreshing.start_all()

    def action_refresh_source(self) -> None:
        self.refreshing.start_selected()

    @on(Refresher.Progress)
    def _refresh_progress(self, event: Refresher.Progress) -> None:
        self.refreshing.progress(event)

    @on(Refresher.Due)
    def _refresh_due(self) -> None:
        self.refreshing.automatic()

    @on(Refresher.Renamed)
    def _sources_renamed(self, event: Refresher.Renamed) -> None:
        for line in event.told:
            self.notify(line, markup=False)
        self.views.follow_renames(event.names)

    @on(Refresher.Finished)
    def _refresh_finished(self, event: Refresher.Finished) -> None:
        self.refreshing.finished(event)
        # The version as the refresh left it: another program's write after it is told apart.
        self.refreshing.check_outside_writes()

    # -- remembering ---------------------------------------------------------------------

    def _persist_if_dirty(self) -> None:
        if self.dirty:
            self.dirty = False
            self.persist()

    @background(group="persist")
    async def persist(self) -> None:
        """Save the UI state in the database thread."""
        await self.db.call(self.writer.save, state_of(self))

    async def persist_now(self) -> None:
        """Save the UI state and wait for it (on quit: over another app's, see `StateWriter`)."""
        await self.db.call(self.writer.save, state_of(self), closing=True)
