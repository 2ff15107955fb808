"""What the list shows: the scope picked in the sources pane, or search and filter results.

`Views` is a helper the main screen holds (not a base class): the screen routes the sources
pane's and the search bar's messages to it. Its state is `ListState`; loading runs on the
database thread; a reload keeps the selection on the same article (found again by its keyset
position), and leaving a search goes back to the view and the selection it started from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.dom import DOMNode

from tui.store import SortKey, Store
from tui.text import noun_for, plural
from tui.ui.paging import EMPTY, HitRows, Rows, Searched, next_page, open_rows
from tui.ui.scopes import ALL, Scope, ScopeKind, finds_hidden, rule_tags, tag_scope
from tui.ui.screens.panes import Panes
from tui.ui.source_lines import Entry, load_entries
from tui.ui.widgets.search_bar import Mode, SearchBar, as_you_type
from tui.ui.workers import background

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen

SAVED_SEARCH_LIMIT = 500

VIEW_BINDINGS = [
    Binding("slash", "search", "Search", id="search.start"),
    Binding("f", "filter", "Filter", id="search.filter", show=False),
]


@dataclass
class ListState:
    """The list's view: its scope, the search over it, and where that search started."""

    scope: Scope = ALL
    mode: Mode | None = None
    """Search mode (the search bar is open), or None for the scope's articles."""
    query: str = ""
    """The last search typed (remembered across restarts)."""
    shown: str = ""
    """The text typed whose results the list shows (the bar may hold newer text, its search
    still running: the header names this)."""
    before: tuple[int, SortKey] | None = None
    """The selection (id, keyset position) when the search started, to go back to."""
    before_offset: int = 0
    land_on: int | None = None
    """The article the cursor goes to when the search's results arrive (a restart's)."""

    def back_to(self) -> tuple[SortKey | None, int | None]:
        """Where the list's cursor was when the search started: (keyset position, offset)."""
        key = self.before[1] if self.before else None
        return key, self.before_offset if key else None


class Views:
    """Scopes, reloads, the sources pane's counts, and search mode."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.state = ListState()
        self._opening = False
        """A scope is being opened (a reload then has nothing to add)."""

    @property
    def node(self) -> DOMNode:
        return self.screen

    def title(self, panes: Panes) -> str:
        """The header's subtitle: where the user is."""
        state = self.state
        if state.mode:  # a filter keeps the scope's name: it searches within it
            what = f"{state.scope.label} › Filter" if state.mode == "filter" else "Search"
            label = f"{what}: {state.shown}" if state.shown else what
        else:
            label = state.scope.label
        if panes.narrow and panes.pane == "sources":
            return "Sources"
        if panes.narrow and panes.pane == "reader":
            return f"{label} › Reader"
        rows = self.screen.articles.rows if self.screen.is_mounted else EMPTY
        if rows is EMPTY:  # no rows read yet: not "0 articles", which an upgrade took for a loss
            return label
        total = rows.total - (not rows.complete)  # less the row that loads the next page
        more = "" if rows.complete else "+"
        return f"{label} · {total:,}{more} {self._noun(total)}"

    def _noun(self, count: int) -> str:
        """What the list's rows are: search results, or stories where each shows once (an
        article standing alone is a story of one), else articles."""
        if self.state.mode and as_you_type(self.state.shown).strip():
            return noun_for(count, "result")
        if self.screen.config.settings.group_stories:
            return noun_for(count, "story")
        return noun_for(count, "article")

    def searching_words(self) -> bool:
        """Whether the list shows the results of words typed in the search bar."""
        return bool(self.state.mode and as_you_type(self.screen.search_bar.input.value).strip())

    def lists_hidden(self) -> bool:
        """Whether the list shows hidden articles: its query (typed, or the saved search's)
        has `is:hidden`."""
        bar = self.screen.search_bar
        if self.state.mode:
            return finds_hidden(f"{bar.base} {bar.input.value}")
        return finds_hidden(self.state.scope.query)

    def empty_text(self) -> str:
        """What an empty view says: why, for a source that fails."""
        if self.searching_words():
            return "No matches."
        entry = self.screen.sources.entries.get(self.state.scope.key)
        if entry is not None and entry.problem:
            return f"No articles here: {entry.problem}"
        return "No articles here."

    # -- scopes --------------------------------------------------------------------------

    def saved_scope(self, key: str) -> Scope:
        """The remembered scope; a saved search that left the config falls back to All."""
        scope = Scope.from_key(key)
        if scope.kind is ScopeKind.TAG:
            return tag_scope(scope.name, rule_tags(self.screen.config.rules))
        if scope.kind is not ScopeKind.SEARCH:
            return scope
        searches = self.screen.config.searches
        match = next((s for s in searches if s.name == scope.name), None)
        return Scope(ScopeKind.SEARCH, scope.name, match.query) if match else ALL

    def select(self, scope: Scope) -> None:
        """Show `scope` (picked in the sources pane) from its newest article."""
        if self.state.mode:
            self.end_search(restore=False)
        self.state.scope = scope
        self.screen.focus_pane("list")
        self.open_scope()

    def follow_renames(self, renamed: Mapping[str, str]) -> None:
        """Sources renamed in the config (old name -> new): a view of one follows it, its
        header and its articles, and so does the pane's cursor on one."""
        scope, pane = self.state.scope, self.screen.sources
        if scope.kind is ScopeKind.SOURCE and scope.name in renamed:
            self.state.scope = Scope(ScopeKind.SOURCE, renamed[scope.name])
            self.reload_list()
        entry = pane.highlighted_entry
        if entry and entry.scope.kind is ScopeKind.SOURCE and entry.scope.name in renamed:
            pane.highlight(Scope(ScopeKind.SOURCE, renamed[entry.scope.name]).key)
        self.reload_sources()

    async def load_scope(
        self, anchor: SortKey | None, offset: int | None, *, follow: bool = False
    ) -> None:
        """Show the scope's rows with the cursor on `anchor`, `offset` lines from the top;
        with `follow`, on the row the cursor reached while they were read, if they hold it."""
        screen, scope = self.screen, self.state.scope
        view = scope.view(screen.config.settings.group_stories)
        screen.articles.show_source = self.state.mode is not None or view is None or not view.source
        screen.articles.show_stories = screen.config.settings.group_stories
        rows: Rows
        if view is not None:
            rows, index = await screen.db.call(open_rows, view, anchor)
            if self.searching_words():  # results typed meanwhile are on show
                return
        else:
            query, limit = scope.query, SAVED_SEARCH_LIMIT
            grouped = screen.config.settings.group_stories
            result = await screen.db.call(Store.search, query, limit=limit, stories=grouped)
            more = next_page(query, result.hits, limit, stories=grouped)
            rows = HitRows(result.hits, result.terms, more, grouped, Searched(query))
            found = rows.index_of(anchor[1]) if anchor else None
            index, offset = (0, None) if found is None else (found, offset)
        if follow:
            index, offset = self._followed(rows, anchor, index, offset)
        screen.articles.show_rows(rows, index, offset)

    def _followed(
        self, rows: Rows, anchor: SortKey | None, index: int, offset: int | None
    ) -> tuple[int, int | None]:
        """Where the cursor goes in reloaded rows: on the row it moved to while they were
        read, if they hold it, else where the reload meant it to go."""
        articles = self.screen.articles
        moved = articles.current
        there = None if moved is None or moved.sort_key == anchor else rows.index_of(moved.id)
        return (index, offset) if there is None else (there, articles.cursor_offset)

    @background(exclusive=True, group="reload")
    async def open_scope(self, anchor: SortKey | None = None, offset: int | None = None) -> None:
        """`load_scope` in a worker (a newer load cancels this one)."""
        self._opening = True
        try:
            await self.load_scope(anchor, offset)
        finally:
            self._opening = False

    @background(exclusive=True, group="reload")
    async def reload_list(self) -> None:
        """Reload the list (data changed), keeping the selection on the same article: where it
        was on screen, or, when the list showed its first row, with the first row still shown
        (new articles come in at the top, the cursor's moves down with them)."""
        if self._opening:
            return  # the view being opened reads the new data anyway
        bar, articles = self.screen.search_bar, self.screen.articles
        if self.state.mode:  # the results again, the cursor on its hit (a restart's too)
            if self.state.land_on is None and articles.current is not None:
                self.state.land_on = articles.current.id
            bar.run_search(bar.input.value, finished=not bar.input.has_focus)
            return
        current = articles.current
        anchor = current.sort_key if current else None
        offset = None if round(articles.scroll_y) == 0 else articles.cursor_offset
        await self.load_scope(anchor, offset, follow=True)

    @background(exclusive=True, group="sources")
    async def reload_sources(self) -> None:
        """Recount the sources pane (after a refresh or a change of read flags)."""
        await self.load_sources()

    async def load_sources(self) -> None:
        """Count and show the sources pane's entries; say which sources fail."""
        screen = self.screen
        lines = await screen.db.call(load_entries, screen.config, screen.now())
        screen.sources.set_lines(lines)
        if not self.state.mode and not screen.articles.rows.total:
            screen.articles.empty_text = self.empty_text()
            screen.articles.refresh()
        failing = [line.scope.name for line in lines if isinstance(line, Entry) and line.problem]
        if failing and not screen.refresher.running and not screen.status.activity:
            names = ", ".join(failing[:3]) + (" …" if len(failing) > 3 else "")
            count = plural(len(failing), "source")
            screen.status.say(f"! {count} failing: {names} (highlight to see why)", error=True)

    def changed(self, rows: bool = False) -> None:
        """Flags changed in the store: recount the sources (and reload the list if asked)."""
        self.reload_sources()
        if rows:
            self.reload_list()

    # -- search --------------------------------------------------------------------------

    def start_search(self, mode: Mode, query: str) -> None:
        """Open the search bar: everything (`search`) or within the current scope (`filter`)."""
        state, articles = self.state, self.screen.articles
        if state.mode is None:
            current = articles.current
            state.before = (current.id, current.sort_key) if current else None
            state.before_offset = articles.cursor_offset
        state.mode, state.shown = mode, ""
        if mode == "filter":
            label = f"Filter {state.scope.label}:"
            view = state.scope.view(self.screen.config.settings.group_stories)
            base = state.scope.query if view is None else ""
        else:
            label, view, base = "Search:", None, ""
        grouped = self.screen.config.settings.group_stories
        self.screen.search_bar.start(mode, view, label, query, base=base, stories=grouped)
        self.screen.show_search(True)

    def show_results(self, event: SearchBar.Results) -> None:
        """Results typed in the search bar arrived: they replace the list."""
        if self.state.mode is None:
            return
        if event.mode == "search":
            self.state.query = event.query
        self.state.shown = event.query
        articles, bar = self.screen.articles, self.screen.search_bar
        if event.result is None:  # an empty box: the articles under the search
            bar.explain(())
            if articles.rows.searched or not articles.rows.total:  # else they are on show
                self.open_scope(*self.state.back_to())
        else:
            articles.show_source = True
            grouped = self.screen.config.settings.group_stories
            result = event.result
            found = HitRows(result.hits, result.terms, event.more, grouped, event.found_by)
            articles.show_rows(found, 0)
            bar.explain(event.result.notices)
            land_on, self.state.land_on = self.state.land_on, None
            if land_on is not None and (index := articles.index_of(land_on)) is not None:
                articles.move_to(index)

    def end_search(self, restore: bool = True) -> None:
        """Leave search mode; with `restore`, go back to the previous view, its cursor on the
        article the reader shows (one current article), else where it was before the search."""
        before = self.state.back_to()
        opened = self.screen.reader.article
        if opened is not None:
            before = (opened.row.sort_key, before[1])
        self.state.before = None
        self.state.mode = None
        self.screen.show_search(False)
        self.screen.status.explain(None)
        if restore:
            self.open_scope(*before)
