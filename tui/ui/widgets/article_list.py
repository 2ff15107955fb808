"""The article list: a Line API widget that renders only the rows on screen.

Rows come from a `Rows` object (a keyset-paged window over a store view, or search hits), so
a view of 100,000 articles costs what one screen costs. Search results take two lines each:
the row and its snippet with the matched words highlighted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from tui.dates import AGES_MOVE_EVERY, relative_age
from tui.models import ArticleRow
from tui.ui.data import Data
from tui.ui.format import (
    RowStyles,
    fitted_strip,
    readable,
    row_text,
    snippet_text,
    without_background,
)
from tui.ui.keys import motion_bindings
from tui.ui.paging import EMPTY, Fetch, HitRows, PagedRows, Rows, fetch_rows
from tui.ui.widgets.line_view import LineView
from tui.ui.workers import background

LOADING = "Loading…"

LINE_CACHE = 512
"""Drawn rows kept (a few screens of the tallest terminal)."""


@dataclass(frozen=True)
class Look:
    """The list's styles, read from its component classes (again after a style change)."""

    rows: RowStyles = RowStyles()
    cursor: Style = Style(reverse=True)
    """The cursor's look while the list has no focus."""
    focused: Style = Style(reverse=True)
    """The cursor's look while the list has the focus."""
    snippet: Style = Style(dim=True)
    empty: Style = Style(italic=True)


class ArticleList(LineView, can_focus=True, inherit_bindings=False):
    """A virtual list of articles with a cursor."""

    BINDINGS = [
        *motion_bindings(space_pages=True),
        # The screen opens the article while it handles the key, so keys sent in the same
        # burst (j, space, m) already go to the reader; a message would arrive after them.
        Binding("enter", "screen.open_current", "Open", id="list.open"),
    ]

    COMPONENT_CLASSES = {
        "article-list--cursor",
        "article-list--cursor-focused",
        "article-list--unread",
        "article-list--read",
        "article-list--mark",
        "article-list--source",
        "article-list--date",
        "article-list--match",
        "article-list--snippet",
        "article-list--empty",
    }

    @dataclass
    class Highlighted(Message):
        """The cursor moved to `row` (None when the list is empty)."""

        row: ArticleRow | None
        index: int

    @dataclass
    class Opened(Message):
        """The user asked to read `row` (a click on the selected row; Enter is the screen's)."""

        row: ArticleRow

    @dataclass
    class Loaded(Message):
        """New rows were installed; `total` is how many the list holds."""

        total: int

    show_source: reactive[bool] = reactive(True)
    """Whether rows name their source (not in a view of one source)."""
    show_stories: reactive[bool] = reactive(True)
    """Whether rows say how many other outlets carry their story (stories grouped)."""

    def __init__(
        self,
        db: Data,
        now: Callable[[], datetime],
        *,
        id: str | None = None,  # noqa: A002 - Textual's name
    ) -> None:
        super().__init__(id=id)
        self.db, self.now = db, now
        self._look: Look | None = None
        self._frame: tuple[Look, Style, datetime] = (Look(), Style(), now())
        """The styles, the widget's own style and the time of the frame being drawn."""
        self._lines: LRUCache[tuple[object, ...], Strip] = LRUCache(LINE_CACHE)
        """Rows drawn before, by everything that shows in them."""
        self._drawn_in: tuple[RowStyles, Style] | None = None
        """The row and snippet styles of the rows in `_lines`."""
        self.rows: Rows = EMPTY
        self.cursor = 0
        self.empty_text = LOADING  # until the first rows come (a big cache: a few frames)
        self._fetching: Fetch | None = None
        """The rows being fetched (one fetch at a time)."""
        self._had_focus = False
        """Whether the list had the focus when the mouse button last went down on it."""

    def on_mount(self) -> None:
        # The ages shown move on: a row is drawn again only if its age has (it is in the key).
        self.set_interval(AGES_MOVE_EVERY, self.refresh)

    # -- data ----------------------------------------------------------------------------

    @property
    def line_height(self) -> int:
        return 2 if self.rows.searched else 1

    @property
    def current(self) -> ArticleRow | None:
        """The row under the cursor (None if the list is empty or not yet loaded there)."""
        return self.rows.get(self.cursor)

    @property
    def cursor_offset(self) -> int:
        """Screen line of the cursor within the list's viewport."""
        return self.cursor * self.line_height - round(self.scroll_y)

    def show_rows(self, rows: Rows, cursor: int = 0, offset: int | None = None) -> None:
        """Install rows, put the cursor at `cursor`, `offset` lines from the top if given."""
        self.rows = rows
        self._fetching = None
        self._resize_virtual()
        self._place(cursor, offset)
        self.refresh()
        self.post_message(self.Loaded(rows.total))

    def update_row(
        self,
        article_id: int,
        *,
        read: bool | None = None,
        saved: bool | None = None,
        story: int | None = None,
    ) -> None:
        """Change a row's read/saved flags in place (the store is told separately); with
        `story`, the read flag of the row standing for that story too."""
        self.rows.update(article_id, read=read, saved=saved, story=story)
        if story is not None:
            self.refresh()  # the story's row may be another article's: the lines in view
        elif (index := self.rows.index_of(article_id)) is not None:
            self._redraw(index)

    def index_of(self, article_id: int) -> int | None:
        """Where an article is in the loaded rows."""
        return self.rows.index_of(article_id)

    # -- cursor --------------------------------------------------------------------------

    def move_to(self, index: int) -> None:
        """Put the cursor on `index` (clamped), scrolling just enough to show it."""
        self._place(index, None)

    def _place(self, index: int, offset: int | None) -> None:
        old = self.cursor
        self.cursor = max(0, min(index, self.rows.total - 1))
        height = self.line_height
        self._load(self.cursor - self.size.height, self.cursor + self.size.height)
        if offset is not None and self.size.height:  # the cursor's row stays on screen
            offset = max(0, min(offset, self.size.height - height))
        if offset is not None:
            self.scroll_to(
                y=self.cursor * height - offset, animate=False, immediate=True, force=True
            )
        else:
            self._scroll_cursor_into_view()
        self._redraw(old)
        self._redraw(self.cursor)
        self.post_message(self.Highlighted(self.current, self.cursor))

    def redraw_cursor(self) -> None:
        self._redraw(self.cursor)

    def _redraw(self, index: int) -> None:
        """Draw row `index` again."""
        self.refresh_lines(index * self.line_height, self.line_height)

    def _cursor_on_screen(self) -> None:
        """After a scroll by the mouse the cursor comes along, so the highlighted row is on
        screen and loaded: Enter opens what the user sees."""
        height, top = self.line_height, round(self.scroll_y)
        first = -(-top // height)
        last = (top + self.scrollable_content_region.height) // height - 1
        if self.rows.total and first <= last and not first <= self.cursor <= last:
            self._place(min(max(self.cursor, first), last), None)

    def _scroll_cursor_into_view(self) -> None:
        if not self.size.height:  # never laid out (behind the reader at a narrow start):
            return  # its cursor stays on its line, brought in sight once it is (`on_resize`)
        height, top = self.line_height, round(self.scroll_y)
        view_height = max(height, self.scrollable_content_region.height)
        y = self.cursor * height
        if y < top:
            self.scroll_to(y=y, animate=False, immediate=True, force=True)
        elif y + height > top + view_height:
            # The top on a row boundary: two-line rows never show a snippet without its title.
            lowest = -(-(y + height - view_height) // height) * height
            self.scroll_to(y=lowest, animate=False, immediate=True, force=True)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height // self.line_height - 1)

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(self.rows.total - 1)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + self._page())

    def action_page_up(self) -> None:
        self.move_to(self.cursor - self._page())

    def action_open(self) -> None:
        if (row := self.current) is not None:
            self.post_message(self.Opened(row))

    def focus_on_click(self) -> bool:
        # Asked as the button goes down, before the focus moves here.
        self._had_focus = self.has_focus
        return super().focus_on_click()

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on its row; on the cursor's row (or a double click), it
        opens it, unless the list had no focus: that click gives it the focus, as Tab does
        (the open article is not read again from the top, nor marked read)."""
        offset = event.get_content_offset(self)
        if offset is None or not self.acts_on(event):
            return
        index = (offset.y + round(self.scroll_y)) // self.line_height
        if index >= self.rows.total:
            return
        opens = event.chain > 1 or (index == self.cursor and self._had_focus)
        self.move_to(index)
        if opens:
            self.action_open()

    def on_resize(self) -> None:
        self._resize_virtual()
        # Its first layout, or a smaller terminal: the cursor in sight, wherever it went.
        self.call_after_refresh(self._scroll_cursor_into_view)

    def _resize_virtual(self) -> None:
        region = self.scrollable_content_region
        # A spare line under two-line rows when the height is odd: scrolled to the end, the
        # top is still a row's first line.
        spare = region.height % self.line_height if self.rows.total else 0
        self.virtual_size = Size(region.width, self.rows.total * self.line_height + spare)

    # -- rendering -----------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._look = None  # the component styles are read again for the next frame

    def render_lines(self, crop: Region) -> list[Strip]:
        first = round(self.scroll_y) // self.line_height
        last = first + self.size.height // self.line_height + 2
        self._load(first, last)
        if self._look is None:
            self._look = self._read_look()
            # The cursor's style is in each line's key: a new focus (the cursor's colours)
            # draws one row again, not every row (~5 ms of opening the search bar).
            if (self._look.rows, self._look.snippet) != self._drawn_in:
                self._drawn_in = (self._look.rows, self._look.snippet)
                self._lines.clear()
        # Once a frame, not once a line: the widget's style is worked out from its ancestors.
        self._frame = (self._look, self.rich_style, self.now())
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        look, base, now = self._frame
        line = y + round(self.scroll_y)
        index, part = divmod(line, self.line_height)
        if self.rows.total == 0:
            text = Text(self.empty_text if y == 1 else "", look.empty)
            return self._strip(Text("  ") + text if y == 1 else text, width, base)
        if index >= self.rows.total:
            return Strip.blank(width, base)
        cursor = look.focused if self.has_focus else look.cursor
        style = cursor if index == self.cursor else base
        row = self.rows.get(index)
        if row is None:
            return self._strip(Text("   …", look.rows.date), width, style, index == self.cursor)
        # A scroll by one row moves every line: each is drawn again only if something in
        # it changed (the age shown is in the key, so lines still age as time passes).
        snippet = self.rows.snippet(index) if part else None
        key = (row, part, snippet, style, width, relative_age(row.published, now),
               self.show_source, self.show_stories, self.rows.terms)  # fmt: skip
        strip = self._lines.get(key)
        if strip is None:
            strip = self._lines[key] = self._row_strip(
                row, part, snippet, width, style, on_cursor=index == self.cursor
            )
        return strip

    def _row_strip(
        self,
        row: ArticleRow,
        part: int,
        snippet: str | None,
        width: int,
        style: Style,
        *,
        on_cursor: bool,
    ) -> Strip:
        look, _, now = self._frame
        if part == 0:
            text = row_text(
                row,
                width,
                now,
                look.rows,
                self.rows.terms,
                with_source=self.show_source,
                with_others=self.show_stories,
            )
            return self._strip(text, width, style, on_cursor)
        lead = snippet_text(snippet or "", look.rows.match)
        lead.stylize_before(look.snippet)  # under the highlights
        return self._strip(Text("    ") + lead, width, style, on_cursor)

    def _strip(self, text: Text, width: int, base: Style, on_cursor: bool = False) -> Strip:
        return fitted_strip(text, width, base, self.app.console, highlighted=on_cursor)

    def _style(self, name: str, partial: bool = True) -> Style:
        style = self.get_component_rich_style(f"article-list--{name}", partial=False)
        return without_background(style) if partial else style

    def _read_look(self) -> Look:
        rows = RowStyles(
            unread=self._style("unread"),
            read=self._style("read"),
            mark=self._style("mark"),
            source=self._style("source"),
            date=self._style("date"),
            match=self._style("match"),
        )
        # The row's parts take the cursor's colour there (`fitted_strip`): one that reads.
        cursor = readable(self._style("cursor", False))
        focused = readable(self._style("cursor-focused", False))
        return Look(rows, cursor, focused, self._style("snippet"), self._style("empty"))

    def _load(self, start: int, stop: int) -> None:
        """Fetch in the background what rows [start, stop) lack (one fetch at a time)."""
        fetch = self.rows.want(start, stop)
        if fetch is not None and self._fetching is None:
            self._fetching = fetch
            self._fetch(self.rows, fetch)

    @background(group="list-load")
    async def _fetch(self, rows: Rows, fetch: Fetch) -> None:
        try:
            if isinstance(rows, HitRows):  # the next page of search results
                grown = await self.db.call(rows.grown)
                if self.rows is rows:
                    self._grown(grown, on_more_row=self.cursor >= len(rows.hits))
            elif isinstance(rows, PagedRows):
                found = await self.db.call(fetch_rows, rows, fetch)
                if self.rows is rows:
                    self._loaded(rows, fetch, found)
        finally:
            if self._fetching is fetch:
                self._fetching = None

    def _on_screen_loaded(self) -> bool:
        """Whether every row on screen is loaded (none is drawn as a placeholder)."""
        first = round(self.scroll_y) // self.line_height
        last = min(self.rows.total, first + self.size.height // self.line_height + 1)
        return all(self.rows.get(index) is not None for index in range(first, last))

    def _grown(self, grown: HitRows, *, on_more_row: bool) -> None:
        self.rows = grown
        self._resize_virtual()
        self.refresh()
        self.post_message(self.Loaded(grown.total))
        if on_more_row:  # the cursor waited on the "more" row: it now holds a hit
            self._place(self.cursor, None)

    def _loaded(self, rows: PagedRows, fetch: Fetch, found: PagedRows | list[ArticleRow]) -> None:
        had_row, had_all = self.current is not None, self._on_screen_loaded()
        total = rows.total
        rows.apply(fetch, found)
        if rows.total != total:
            self._resize_virtual()
        if rows.total != total or not had_all:  # else what came is not on screen yet
            self.refresh()
        if fetch.far:
            # A far scroll (the scrollbar dragged) loaded rows around what is on screen: the
            # cursor comes along, as with the wheel, so Enter opens a row the user sees.
            self._cursor_on_screen()
        if not had_row and self.current is not None:
            self.post_message(self.Highlighted(self.current, self.cursor))


class ListPane(Vertical):
    """The article list's box (its border and title): a click there focuses the list, as one
    on the sources' or the reader's border does (those boxes are the panes themselves)."""

    def on_click(self, event: events.Click) -> None:
        if event.widget is self and event.button == 1:
            self.query_one(ArticleList).focus()
