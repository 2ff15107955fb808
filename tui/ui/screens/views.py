"""What the list shows: the scope picked in the sources pane, or search and filter results.

A layer of the main screen (panes → article actions → views → main).
Loading runs in the database thread; a reload keeps the selection on the same article (found
again by its keyset position), and leaving a search goes back to the view and the selection it
started from.
"""

from __future__ import annotations

from typing import Literal

from textual import on
from textual.binding import Binding
from textual.widget import Widget

from tui.config import Config
from tui.store import SortKey, Store
from tui.text import plural
from tui.ui.data import Data
from tui.ui.paging import EMPTY, HitRows, next_page, open_rows
from tui.ui.scopes import ALL, Scope
from tui.ui.screens.actions import ArticleActions
from tui.ui.screens.panes import Pane
from tui.ui.widgets.article_list import ArticleList
from tui.ui.widgets.search_bar import SearchBar
from tui.ui.widgets.sources import Entry, SourcesPane, load_entries
from tui.ui.workers import background

SAVED_SEARCH_LIMIT = 500
Mode = Literal["search", "filter"]


class ViewsScreen(ArticleActions):
    """Scopes, reloads, the sources pane's counts, and search mode."""

    VIEW_BINDINGS = [
        Binding("slash", "search", "Search", id="search.start"),
        Binding("f", "filter", "Filter", id="search.filter", show=False),
    ]

    def __init__(self, config: Config, store: Store, db: Data) -> None:
        super().__init__(config, store, db)
        self.scope: Scope = ALL
        self.search_mode: Mode | None = None
        self.search_query = ""
        """The last search typed (remembered across restarts)."""
        self.before_search: tuple[int, SortKey] | None = None
        """The selection (id, keyset position) when the search started, to go back to."""
        self.before_offset = 0
        self._opening = False
        """A scope is being opened (a reload then has nothing to add)."""

    def title_text(self) -> str:
        if self.search_mode:
            what = "Filter" if self.search_mode == "filter" else "Search"
            typed = self.search_bar.input.value
            label = f"{what}: {typed}" if typed else what
        else:
            label = self.scope.label
        if self.narrow and self.pane == "sources":
            return "Sources"
        if self.narrow and self.pane == "reader":
            return f"{label} › Reader"
        rows = self.articles.rows if self.is_mounted else EMPTY
        total = rows.total - (not rows.complete)  # less the row that loads the next page
        noun = "result" if self.searching_words() else "article"
        more = "" if rows.complete else "+"
        return f"{label} · {total:,}{more} {noun}{'s' if total != 1 else ''}"

    def searching_words(self) -> bool:
        """Whether the list shows the results of words typed in the search bar."""
        return bool(self.search_mode and self.search_bar.input.value.strip())

    def _no_articles(self) -> str:
        """What an empty view says: why, for a source that fails."""
        entry = self.sources.entries.get(self.scope.key)
        if entry is not None and entry.problem:
            return f"No articles here: {entry.problem}"
        return "No articles here."

    # -- scopes --------------------------------------------------------------------------

    @on(SourcesPane.Selected)
    def _scope_selected(self, event: SourcesPane.Selected) -> None:
        if self.search_mode:
            self.end_search(restore=False)
        self.scope = event.scope
        self.focus_pane("list")
        self.open_scope()

    @on(SourcesPane.Highlighted)
    def _scope_highlighted(self, event: SourcesPane.Highlighted) -> None:
        entry = event.entry
        if entry.problem:
            self.status.explain(f"{entry.scope.name}: {entry.problem}", error=True)
        else:
            self.status.explain(f"{entry.scope.name}: {entry.warning}" if entry.warning else None)

    async def load_scope(self, anchor: SortKey | None, offset: int | None) -> None:
        """Show the scope's rows with the cursor on `anchor`, `offset` lines from the top."""
        view = self.scope.view(self.config.settings.group_stories)
        self.articles.show_source = self.search_mode is not None or view is None or not view.source
        if view is not None:
            rows, index = await self.db.call(open_rows, view, anchor)
            if not self.searching_words():  # else results typed meanwhile are on show
                self.articles.show_rows(rows, index, offset)
            return
        query, limit = self.scope.query, SAVED_SEARCH_LIMIT
        result = await self.db.call(Store.search, query, limit=limit)
        hits = HitRows(result.hits, result.terms, next_page(query, result.hits, limit))
        found = hits.index_of(anchor[1]) if anchor else None
        self.articles.show_rows(hits, found or 0, offset if found is not None else None)

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
        """Reload the list (data changed), keeping the selection on the same article."""
        if self._opening:
            return  # the view being opened reads the new data anyway
        if self.search_mode:
            self.search_bar.run_search(self.search_bar.input.value)
            return
        current = self.articles.current
        offset = self.articles.cursor_offset
        await self.load_scope(current.sort_key if current else None, offset)

    @on(ArticleList.Loaded)
    def _list_loaded(self) -> None:
        self.articles.empty_text = "No matches." if self.searching_words() else self._no_articles()
        self.sub_title = self.title_text()

    @background(exclusive=True, group="sources")
    async def reload_sources(self) -> None:
        """Recount the sources pane (after a refresh or a change of read flags)."""
        lines = await self.db.call(load_entries, self.config)
        self.sources.set_lines(lines)
        if not self.search_mode and not self.articles.rows.total:
            self.articles.empty_text = self._no_articles()
            self.articles.refresh()
        failing = [line.scope.name for line in lines if isinstance(line, Entry) and line.problem]
        if failing and not self.refresher.running and not self.status.activity:
            names = ", ".join(failing[:3]) + (" …" if len(failing) > 3 else "")
            count = plural(len(failing), "source")
            self.status.say(f"! {count} failing: {names} (highlight to see why)", error=True)

    def changed(self, rows: bool = False) -> None:
        """Flags changed in the store: recount the sources (and reload the list if asked)."""
        self.reload_sources()
        if rows:
            self.reload_list()

    # -- search --------------------------------------------------------------------------

    def action_search(self) -> None:
        self.start_search("search", self.search_query)

    def action_filter(self) -> None:
        self.start_search("filter", "")

    def start_search(self, mode: Mode, query: str) -> None:
        """Open the search bar: everything (`search`) or within the current scope (`filter`)."""
        if self.search_mode is None:
            current = self.articles.current
            self.before_search = (current.id, current.sort_key) if current else None
            self.before_offset = self.articles.cursor_offset
        self.search_mode = mode
        self.layout_classes.add("-searching")
        if mode == "filter":
            label = f"Filter {self.scope.label}:"
            view = self.scope.view(self.config.settings.group_stories)
            base = self.scope.query if view is None else ""
        else:
            label, view, base = "Search:", None, ""
        self.search_bar.start(mode, view, label, query, base=base)
        self.pane = "list"
        self.show_pane()

    @on(SearchBar.Results)
    def _search_results(self, event: SearchBar.Results) -> None:
        if self.search_mode is None:
            return
        if event.mode == "search":
            self.search_query = event.query
        if event.result is None:  # an empty box: the articles under the search
            self.status.explain(None)
            self.open_scope(*self._before())
        else:
            self.articles.show_source = True
            self.articles.show_rows(HitRows(event.result.hits, event.result.terms, event.more), 0)
            self.status.explain(event.result.notice)
        self.sub_title = self.title_text()

    @on(SearchBar.Submitted)
    def _search_submitted(self) -> None:
        self.focus_pane("list")

    @on(SearchBar.Cancelled)
    def _search_cancelled(self) -> None:
        self.end_search()

    def _before(self) -> tuple[SortKey | None, int | None]:
        """Where the list's cursor was when the search started: (keyset position, offset)."""
        key = self.before_search[1] if self.before_search else None
        return key, self.before_offset if key else None

    def end_search(self, restore: bool = True) -> None:
        """Leave search mode; with `restore`, go back to the previous view, its cursor on the
        article the reader shows (one current article), else where it was before the search."""
        before = self._before()
        opened = self.reader.article
        if opened is not None:
            before = (opened.row.sort_key, before[1])
        self.before_search = None
        self.search_mode = None
        self.layout_classes.discard("-searching")
        self.show_pane()
        self.status.explain(None)
        self.dirty = True
        self.set_focus(self.articles)
        if restore:
            self.open_scope(*before)

    def pane_widget(self, pane: Pane) -> Widget:
        """In search mode with nothing found yet, the list pane's focus is the search bar."""
        if pane == "list" and self.search_mode and not self.articles.rows.total:
            return self.search_bar.input
        return super().pane_widget(pane)

    def action_back(self) -> None:
        """Esc: leave the search first, then go back one pane."""
        if self.search_mode and self.pane == "list":
            self.end_search()
        else:
            super().action_back()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back" and self.search_mode:
            return True
        return super().check_action(action, parameters)
