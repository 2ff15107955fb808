"""The sources pane: All, Unread, Saved, then saved searches, tags and sources with counts.

Failed sources carry a `!` marker; highlighting one tells the screen why it failed (`i` shows
the whole error in a dialog), and the screen's `!` key puts the cursor on the next
(`next_problem`). A cache may hold thousands of
sources, so the pane draws through the line API: a line is laid out only when it is on
screen, and a reload costs what one screen costs; `'` finds one by its first letters
(type-ahead, `sources_find`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from tui.text import counted
from tui.ui.format import drawable, fit, fitted_strip, readable, terminal_cells, without_background
from tui.ui.keys import motion_bindings
from tui.ui.scopes import ALL, SAVED, UNREAD, Scope, ScopeKind
from tui.ui.source_lines import Entry, Line, Section
from tui.ui.widgets.line_view import LineView
from tui.ui.widgets.sources_find import FIND_KEY, NEXT_KEYS, Finder, round_from

LINE_CACHE = 256
"""Drawn lines kept (a few screens of the tallest terminal)."""


@dataclass(frozen=True)
class Look:
    """The pane's styles, read from its component classes (again after a style change): the
    line styles whole, the colours laid over them without a background."""

    line: Style = Style()
    cursor: Style = Style(reverse=True)
    """The cursor's look while the pane has no focus."""
    focused: Style = Style(reverse=True)
    """The cursor's look while the pane has the focus."""
    hover: Style = Style()
    heading: Style = Style()
    count: Style = Style()
    problem: Style = Style()
    section: Style = Style()


def _count_text(line: Entry) -> str:
    if line.count is None:
        return ""
    return counted(line.count) if line.scope.query else f"{line.count:,}"


def _line_text(line: Line, look: Look) -> tuple[Text, str]:
    """The name (with a `!` for a failing source) and the count of one line."""
    if isinstance(line, Section):
        # A span, not the Text's own style: `Text.render` drops that when there are no spans.
        return Text.assemble((line.title, look.section)), ""
    label = drawable(line.scope.name if line.scope.kind is ScopeKind.SEARCH else line.scope.label)
    # Greyed: not in the config, or disabled there.
    shown = (label, look.count) if line.unlisted or line.disabled else label
    name = Text.assemble(("! ", look.problem), shown) if line.problem else Text.assemble(shown)
    return name, _count_text(line)


class SourcesPane(LineView, can_focus=True, inherit_bindings=False):
    """The list of scopes, drawn through the line API: a line is laid out only when it is on
    screen (a cache may hold 20,000 sources). Enter (or a click) picks one."""

    BINDINGS = [
        *motion_bindings(),
        Binding("enter", "select", "Show", id="sources.select"),
        Binding(FIND_KEY, "find", "Find", id="sources.find",
                tooltip="Go to a source by its first letters (type-ahead; Enter shows it)"),
        Binding("i", "explain", "Why", id="sources.explain",
                tooltip="The highlighted source's whole error (the status line cuts it)"),
    ]  # fmt: skip

    COMPONENT_CLASSES = {
        "sources--cursor",
        "sources--cursor-focused",
        "sources--hover",
        "sources--heading",
        "sources--count",
        "sources--problem",
        "sources--section",
    }

    @dataclass
    class Selected(Message):
        """The user picked `scope`."""

        scope: Scope

    @dataclass
    class Highlighted(Message):
        """The cursor is on `entry`."""

        entry: Entry

    @dataclass
    class Explain(Message):
        """Show the highlighted source's whole error (or warning): `title`, then `text`."""

        title: str
        text: str

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.lines: Sequence[Line] = ()
        self.entries: dict[str, Entry] = {}
        self._index: dict[str, int] = {}
        """Where each entry's line is, by scope key."""
        self.cursor: int | None = None
        """The line of the highlighted entry (never a section heading)."""
        self._hover: int | None = None
        """The line under the mouse."""
        self._wanted: str | None = None
        """A scope to highlight once its entry is listed (the restored one, at start-up)."""
        self._look: Look | None = None
        self._drawn_in: tuple[Style, Style, Style] | None = None
        """The colours laid over the lines in `_drawn` (their line styles are in the keys)."""
        self._drawn: LRUCache[tuple[object, ...], Strip] = LRUCache(LINE_CACHE)
        """Lines drawn before, by everything that shows in them."""
        self._finder: Finder | None = None
        """The type-ahead under way (see `sources_find`)."""
        self._explains = False
        """The highlighted entry has an error or warning to read whole (`i`)."""
        self._take([Entry(ALL), Entry(UNREAD), Entry(SAVED)])

    def on_mount(self) -> None:
        self.set_lines(self.lines)

    @property
    def highlighted_entry(self) -> Entry | None:
        """The entry under the cursor."""
        line = self.lines[self.cursor] if self.cursor is not None else None
        return line if isinstance(line, Entry) else None

    def index_of(self, key: str) -> int | None:
        """The line of the entry with this scope key, if listed."""
        return self._index.get(key)

    def set_lines(self, lines: Sequence[Line], current: str | None = None) -> None:
        """Replace the lines, keeping the cursor on `current` (or on the entry it was on); the
        highlighted entry is announced again if it changed (its problem may be new)."""
        before, was = self.highlighted_entry, self.cursor
        keep = current or self._wanted or (before.scope.key if before else None)
        self._take(lines)
        self._resize_virtual()
        self.refresh()
        if keep is not None and keep in self._index:
            if keep == self._wanted:
                self._wanted = None
            self.cursor = self._index[keep]
        else:
            self.cursor = self._entry_from(0, 1)
        self._scroll_cursor_into_view()
        if self.cursor != was or self.highlighted_entry != before:
            self._announce()
        if self._finder is not None:  # the text typed finds in the new lines
            self._finder = Finder.over(self.lines, self.cursor, self._finder.text)

    def _take(self, lines: Sequence[Line]) -> None:
        self.lines = lines
        self.entries, self._index = {}, {}
        for index, line in enumerate(lines):
            if isinstance(line, Entry):
                key = line.scope.key
                self.entries[key] = line
                self._index[key] = index

    def highlight(self, key: str) -> None:
        """Move the cursor to the entry with this scope key (once it is listed)."""
        if key in self._index:
            self._move(self._index[key])
        else:
            self._wanted = key

    # -- cursor --------------------------------------------------------------------------

    def _move(self, index: int | None) -> None:
        """Put the cursor on line `index` (an entry) and scroll it into view."""
        if index is None or index == self.cursor:
            return
        old, self.cursor = self.cursor, index
        self._scroll_cursor_into_view()
        self._redraw(old)
        self._redraw(index)
        self._announce()

    def _announce(self) -> None:
        if (entry := self.highlighted_entry) is not None:
            self.post_message(self.Highlighted(entry))
        if self._explains != (entry is not None and entry.note is not None):
            self._explains = not self._explains
            self.refresh_bindings()  # `i` shows in the footer where there is an error to read

    def redraw_cursor(self) -> None:
        self._redraw(self.cursor)

    def _redraw(self, index: int | None) -> None:
        """Draw line `index` again (if there is one)."""
        if index is not None:
            self.refresh_line(index)

    def _entry_from(self, index: int, step: int) -> int | None:
        """The first entry's line from `index` on, going by `step`; else the nearest one the
        other way (None in an empty pane)."""
        index = max(0, min(index, len(self.lines) - 1))
        for direction in (step, -step):
            at = index
            while 0 <= at < len(self.lines):
                if isinstance(self.lines[at], Entry):
                    return at
                at += direction
        return None

    def _scroll_cursor_into_view(self) -> None:
        if self.cursor is None or not self.is_mounted:
            return
        region = Region(0, self.cursor, self.scrollable_content_region.width, 1)
        self.scroll_to_region(region, animate=False, immediate=True, force=True)

    def _step(self, lines: int) -> None:
        start = self.cursor if self.cursor is not None else 0
        found = self._entry_from(start + lines, 1 if lines > 0 else -1)
        if found is not None and (found - start) * lines > 0:  # never backwards
            self._move(found)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_first(self) -> None:
        self._move(self._entry_from(0, 1))

    def action_last(self) -> None:
        self._move(self._entry_from(len(self.lines) - 1, -1))

    def action_page_down(self) -> None:
        self._step(self._page())

    def action_page_up(self) -> None:
        self._step(-self._page())

    def action_select(self) -> None:
        if (entry := self.highlighted_entry) is not None:
            self.post_message(self.Selected(entry.scope))

    def action_explain(self) -> None:
        if (entry := self.highlighted_entry) is not None and entry.note is not None:
            self.post_message(self.Explain(*entry.note))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool:
        return action != "explain" or self._explains

    def next_problem(self) -> bool:
        """Put the cursor on the next source marked `!` (round the end); False if none is."""
        found = next(
            (index for index in round_from(self.cursor, 1, len(self.lines))
             if isinstance(line := self.lines[index], Entry) and line.problem),
            None,
        )  # fmt: skip
        self._move(found)
        return found is not None

    # -- type-ahead (`sources_find`) -------------------------------------------------------

    def action_find(self) -> None:
        self._finder = Finder.over(self.lines, self.cursor)
        self.border_subtitle = Text(self._finder.prompt(found=True))

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """While finding, a printable key is text: no binding takes it (nor `q` quits)."""
        return self._finder is not None and character is not None and character.isprintable()

    def on_key(self, event: events.Key) -> None:
        if self._finder is not None and self._find_key(self._finder, event):
            event.stop()
            event.prevent_default()

    def _find_key(self, finder: Finder, event: events.Key) -> bool:
        """Take a key typed while finding; False for one that ends it and acts as usual."""
        if event.key in NEXT_KEYS:
            self._found(finder.found_from(self.cursor, NEXT_KEYS[event.key]))
        elif event.key == "backspace":
            self._found(finder.typed(finder.text[:-1]))
        elif event.key in ("enter", "escape"):
            self._end_find()
            self.action_select() if event.key == "enter" else self._move(finder.origin)
        elif event.is_printable and event.character:
            self._found(finder.typed(finder.text + event.character))
        else:
            self._end_find()
            return False
        return True

    def _found(self, index: int | None) -> None:
        self._move(index)
        if self._finder is not None:
            self.border_subtitle = Text(self._finder.prompt(found=index is not None))

    def _end_find(self) -> None:
        self._finder = None
        self.border_subtitle = ""

    def on_blur(self) -> None:
        self._end_find()

    # -- mouse ---------------------------------------------------------------------------

    def _line_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        index = offset.y + self.scroll_offset.y
        return index if 0 <= index < len(self.lines) else None

    def on_click(self, event: events.Click) -> None:
        index = self._line_at(event)
        if index is not None and isinstance(self.lines[index], Entry) and self.acts_on(event):
            self._move(index)
            self.action_select()

    def _cursor_on_screen(self) -> None:
        """After a scroll by the mouse the cursor comes along, as in the article list: Enter
        picks a line the user sees."""
        top = self.scroll_offset.y
        bottom = top + self.scrollable_content_region.height - 1
        if self.cursor is not None and not top <= self.cursor <= bottom:
            above = self.cursor < top
            self._move(self._entry_from(top if above else bottom, 1 if above else -1))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover_on(self._line_at(event))

    def on_leave(self) -> None:
        self._hover_on(None)

    def _hover_on(self, index: int | None) -> None:
        if index != self._hover:
            old, self._hover = self._hover, index
            self._redraw(old)
            self._redraw(index)

    # -- layout and drawing --------------------------------------------------------------

    def on_show(self) -> None:
        self._scroll_cursor_into_view()

    def on_resize(self) -> None:
        self._resize_virtual()
        self._scroll_cursor_into_view()

    def _resize_virtual(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.lines))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._look = None  # the component styles are read again for the next frame

    def render_lines(self, crop: Region) -> list[Strip]:
        if self._look is None:
            look = self._look = self._read_look()
            # A new focus changes only the cursor's style, which is in each line's key: one
            # line is drawn again, not the screen.
            if (look.count, look.problem, look.section) != self._drawn_in:
                self._drawn_in = (look.count, look.problem, look.section)
                self._drawn.clear()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        look = self._look or self._read_look()
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        if not 0 <= index < len(self.lines):
            return Strip.blank(width, look.line)
        line = self.lines[index]
        if isinstance(line, Section):
            style = look.heading
        elif index == self.cursor:
            style = look.focused if self.has_focus else look.cursor
        else:
            style = look.hover if index == self._hover else look.line
        key = (line, style, width)
        strip = self._drawn.get(key)
        if strip is None:
            on_cursor = index == self.cursor  # (never a section's line)
            strip = self._drawn[key] = self._strip(line, width, style, look, on_cursor)
        return strip

    def _strip(self, line: Line, width: int, style: Style, look: Look, on_cursor: bool) -> Strip:
        """The line at `width` cells: the name cut with an ellipsis where the count, drawn
        right-aligned a space after it, needs the room."""
        name, count = _line_text(line, look)
        count = f" {count}" if count else ""
        room = max(0, width - terminal_cells(count))
        return fitted_strip(
            fit(name, room) + Text(count, look.count),
            width,
            style,
            self.app.console,
            highlighted=on_cursor,
        )

    def _read_look(self) -> Look:
        def whole(*names: str) -> Style:
            return self.get_visual_style(*(f"sources--{n}" for n in names)).rich_style

        def colour(name: str) -> Style:
            return without_background(self.get_component_rich_style(f"sources--{name}"))

        return Look(
            line=whole(),
            cursor=readable(whole("cursor")),  # its colour is the whole line's (`fitted_strip`)
            focused=readable(whole("cursor-focused")),
            hover=whole("hover"),
            heading=whole("heading"),
            count=colour("count"),
            problem=colour("problem"),
            section=colour("section"),
        )
