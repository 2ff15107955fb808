"""The sources pane: All, Unread, Saved, then saved searches, tags and sources with counts.

Failed sources carry a `!` marker; highlighting one tells the screen why it failed. A cache
may hold thousands of sources, so a line is a small `PaneLine` laid out only when drawn, and
a reload replaces only the lines whose counts or states changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.css.styles import RulesMap
from textual.message import Message
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.config import Config
from tui.models import SourceState
from tui.store import Store, View
from tui.ui.format import fit, terminal_cells, without_background
from tui.ui.scopes import ALL, SAVED, UNREAD, Scope, ScopeKind

SEARCH_COUNT_CAP = 1_000
"""A saved search's unread count stops here and shows "1,000+": the pane counts at every start
and after each refresh, and an exact count reads every match (~0.7 s for a common word at
1,000,000 articles)."""


@dataclass(frozen=True)
class Entry:
    """One selectable line of the pane."""

    scope: Scope
    count: int | None = None
    problem: str | None = None
    """Why the source failed (or is dead), shown in the status area when highlighted."""
    warning: str | None = None


@dataclass(frozen=True)
class Section:
    """A heading between groups of entries."""

    title: str


Line = Entry | Section


def _key(line: Line) -> str:
    """What a line stands for (its count and state aside)."""
    return line.scope.key if isinstance(line, Entry) else f"section:{line.title}"


def load_entries(store: Store, config: Config) -> list[Line]:
    """Everything the pane lists, each with its unread count (database thread)."""
    sources = store.sources()
    grouped = config.settings.group_stories  # then a story counts once
    unread = (
        store.count(View(unread=True, stories=True)) if grouped else sum(s.unread for s in sources)
    )
    lines: list[Line] = [
        Entry(ALL, unread),
        Entry(UNREAD, unread),
        Entry(SAVED, store.count(View(saved=True, unread=True, stories=grouped))),
    ]
    if config.searches:
        lines.append(Section("Searches"))
        for search in config.searches:
            count = store.search_count(search.query, unread_only=True, limit=SEARCH_COUNT_CAP + 1)
            lines.append(Entry(Scope(ScopeKind.SEARCH, search.name, search.query), count))
    tags = _tag_counts(sources)
    if tags:
        lines.append(Section("Tags"))
        lines.extend(Entry(Scope(ScopeKind.TAG, tag), count) for tag, count in tags)
    if sources:
        lines.append(Section("Sources"))
        lines.extend(_source_entry(s) for s in sources)
    return lines


def _tag_counts(sources: Iterable[SourceState]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for source in sources:
        for tag in source.tags:
            counts[tag] = counts.get(tag, 0) + source.unread
    return sorted(counts.items(), key=lambda item: item[0].casefold())


def _count_text(line: Entry) -> str:
    if line.count is None:
        return ""
    if line.scope.kind is ScopeKind.SEARCH and line.count > SEARCH_COUNT_CAP:
        return f"{SEARCH_COUNT_CAP:,}+"
    return f"{line.count:,}"


def _source_entry(source: SourceState) -> Entry:
    problem = source.error
    if source.dead:
        problem = f"gone (HTTP 410): {source.error}" if source.error else "gone (HTTP 410)"
    return Entry(Scope(ScopeKind.SOURCE, source.name), source.unread, problem, source.warning)


@dataclass(frozen=True)
class Palette:
    """The pane's colours, read from its component classes (again when the theme changes)."""

    count: Style = Style()
    problem: Style = Style()
    section: Style = Style()


class PaneLine(Visual):
    """One line of the pane at any width: the name cut with an ellipsis where the count, drawn
    right-aligned, needs the room. Always one line high, and laid out only when drawn: the
    name's pieces and the count are kept as strings (a pane may hold 20,000 lines; texts are
    made for the few on screen)."""

    def __init__(
        self, console: Console, name: tuple[str | tuple[str, Style], ...], count: str, style: Style
    ) -> None:
        self.console, self.name, self.count, self.style = console, name, count, style

    def _name_cells(self) -> int:
        return sum(terminal_cells(part if isinstance(part, str) else part[0]) for part in self.name)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._name_cells() + terminal_cells(self.count)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1

    def render_strips(
        self, width: int, height: int | None, style: VisualStyle, options: RenderOptions
    ) -> list[Strip]:
        room = max(0, width - terminal_cells(self.count))
        line = fit(fit(Text.assemble(*self.name), room) + Text(self.count, self.style), width)
        base = style.rich_style
        strip = Strip(list(line.render(self.console)), width)
        return [strip.crop_extend(0, width, base).apply_style(base)]


class SourcesPane(OptionList, inherit_bindings=False):
    """The list of scopes; Enter (or a click) picks one."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", id="cursor.down", show=False),
        Binding("k,up", "cursor_up", "Up", id="cursor.up", show=False),
        Binding("g,home", "first", "First", id="cursor.first", show=False),
        Binding("G,end", "last", "Last", id="cursor.last", show=False),
        Binding("pagedown", "page_down", "Page down", id="cursor.page_down", show=False),
        Binding("pageup", "page_up", "Page up", id="cursor.page_up", show=False),
        Binding("enter", "select", "Show", id="sources.select"),
    ]

    COMPONENT_CLASSES = {"sources--count", "sources--problem", "sources--section"}

    @dataclass
    class Selected(Message):
        """The user picked `scope`."""

        scope: Scope

    @dataclass
    class Highlighted(Message):
        """The cursor is on `entry`."""

        entry: Entry

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id, markup=False)
        self.lines: Sequence[Line] = [Entry(ALL), Entry(UNREAD), Entry(SAVED)]
        self.entries: dict[str, Entry] = {}
        self._wanted: str | None = None
        """A scope to highlight once its entry is listed (the restored one, at start-up)."""
        self._palette = Palette()
        self._drawn_with: Palette | None = None
        """The colours the options were made with (None before the first)."""

    def on_mount(self) -> None:
        self.set_lines(self.lines)
        # Colours are baked into the lines: read them again once styles are final, and
        # whenever the theme changes.
        self.call_after_refresh(self._recolour)
        self.app.theme_changed_signal.subscribe(self, lambda _: self._recolour())

    def _recolour(self) -> None:
        palette = Palette(self._style("count"), self._style("problem"), self._style("section"))
        if palette != self._palette:
            self._palette = palette
            self.set_lines(self.lines)

    def set_lines(self, lines: Sequence[Line], current: str | None = None) -> None:
        """Replace the entries, keeping the highlight on `current` (or where it was)."""
        keep = current or self._wanted or self._highlighted_key()
        if self._drawn_with != self._palette or [_key(x) for x in lines] != [
            _key(x) for x in self.lines
        ]:
            self._rebuild(lines)
        elif lines != self.lines:
            self._update(lines)
        if keep in self.entries:
            self.highlight(keep)
            self._wanted = None if keep == self._wanted else self._wanted
        elif self.option_count and self.highlighted is None:
            self.highlighted = 0

    def _rebuild(self, lines: Sequence[Line]) -> None:
        """New options for every line (the highlight is set again by the caller)."""
        self._take(lines)
        self._drawn_with = self._palette
        self.set_options(self._option(line) for line in lines)

    def _update(self, lines: Sequence[Line]) -> None:
        """The same lines with new counts or states: only the changed prompts are replaced,
        and the highlighted entry is announced again if it changed (its problem may be new)."""
        old = self.lines
        self._take(lines)
        for index, (before, after) in enumerate(zip(old, lines, strict=True)):
            if before != after:
                self.replace_option_prompt_at_index(index, self._prompt(after))
                if index == self.highlighted and isinstance(after, Entry):
                    self.post_message(self.Highlighted(after))

    def _take(self, lines: Sequence[Line]) -> None:
        self.lines = lines
        self.entries = {line.scope.key: line for line in lines if isinstance(line, Entry)}

    def highlight(self, key: str) -> None:
        """Move the highlight to the entry with this scope key (once it is listed)."""
        if key in self.entries:
            self.highlighted = self.get_option_index(key)
        else:
            self._wanted = key

    def _highlighted_key(self) -> str | None:
        option = self.highlighted_option
        return option.id if option else None

    def _option(self, line: Line) -> Option:
        if isinstance(line, Section):
            return Option(self._prompt(line), disabled=True)
        return Option(self._prompt(line), id=line.scope.key)

    def _prompt(self, line: Line) -> PaneLine:
        palette, console = self._palette, self.app.console
        if isinstance(line, Section):
            # A span, not the Text's own style: `Text.render` drops that when there are no spans.
            return PaneLine(console, ((line.title, palette.section),), "", palette.count)
        label = line.scope.name if line.scope.kind is ScopeKind.SEARCH else line.scope.label
        name = (("! ", palette.problem), label) if line.problem else (label,)
        return PaneLine(console, name, _count_text(line), palette.count)

    def _style(self, name: str) -> Style:
        return without_background(self.get_component_rich_style(f"sources--{name}"))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        entry = self.entries.get(event.option_id or "")
        if entry is not None:
            self.post_message(self.Highlighted(entry))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = self.entries.get(event.option_id or "")
        if entry is not None:
            self.post_message(self.Selected(entry.scope))
