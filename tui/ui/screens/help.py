"""The `?` screen: every binding with the keys in force, and the search query language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.text import visible
from tui.ui.keys import HelpRow, HelpSection, Keymap, help_rows
from tui.ui.screens.dialogs import SCROLL_BINDINGS, clicked_outside, scrolled
from tui.ui.widgets.footer import KeysFooter

QUERY_LANGUAGE = (
    ("word other", "both words (any order)"),
    ('"exact phrase"', "the words side by side"),
    ("this OR that", "either word"),
    ("-word", 'without this word (NOT word, -"a phrase" too)'),
    ("pre*", "words starting with pre"),
    ("source:NAME", "from this source (part of its name works)"),
    ("tag:NAME", "with this tag (its source's or its own)"),
    ("author:NAME", "by this author"),
    ("title:WORD", "with the word in the title"),
    ("is:unread", "by state: is:unread, is:read, is:saved"),
    ("is:hidden", "hidden by a rule (never found without it)"),
    ("since:2026-01-31", "from that day on, UTC (before:DAY: before it)"),
    ("since:7d", "the last 7 days (before:1y: older than a year)"),
)
"""The search language, a line each at 80 columns (README's "Search" tells it whole)."""


KEY_WIDTH = 12
"""The query examples' column, at least."""
WIDE = 60
"""Cells from which a section shows each id in a column of its own (the longest id is 21)."""


@dataclass(frozen=True)
class Widths:
    """The key and id columns' widths, the same in every section, so they line up (each
    section sized its own, and the Reader's ids started a cell left of the others')."""

    key: int
    binding_id: int

    @classmethod
    def of(cls, rows: Sequence[HelpRow]) -> Widths:
        """As wide as the longest key and id of any section."""
        keys = [cell_len(row.key_text) for row in rows]
        ids = [cell_len(row.binding_id) for row in rows]
        return cls(max(keys, default=1), max(ids, default=1))


class HelpScreen(ModalScreen[None]):
    """Keys (as remapped by the config) and the query language."""

    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close help", id="help.close"),
        *SCROLL_BINDINGS,
    ]

    def __init__(
        self,
        sections: Sequence[HelpSection],
        keymap: Keymap,
        problems: Sequence[str] = (),
        refresh: str = "",
        unread: bool = False,
    ) -> None:
        super().__init__()
        self.sections, self.keymap, self.problems = sections, keymap, problems
        self.unread = unread
        """The config file could not be read at all: none of it applies, the defaults do."""
        self.refresh_said = refresh
        """The line saying when the sources refresh by themselves (`refresh_line`)."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body", can_focus=False):  # the help's keys scroll it
            yield Static(Text("newsdesk — keys", style="bold"), classes="help-title")
            if self.refresh_said:
                yield Static(Text(self.refresh_said), classes="help-section", markup=False)
            if self.problems:  # the toast said them in a line: here they are whole
                applies = "none of it applies" if self.unread else "the rest of it applies"
                heading = Text(f"Problems in the config ({applies})\n", "bold")
                lines = Text("\n").join(Text(f"  {problem}") for problem in self.problems)
                yield Static(heading + lines, classes="help-section help-problems", markup=False)
            display = self.app.get_key_display
            sections = [(s.title, help_rows(s, self.keymap, display)) for s in self.sections]
            widths = Widths.of([row for _, rows in sections for row in rows])
            for title, rows in sections:
                yield Static(KeyTable(title, rows, widths), classes="help-section", markup=False)
            yield Static(_query_table(), classes="help-section", markup=False)
            yield Static(
                Text("Remap any key by its id (right column) in feeds.toml, e.g.\n")
                + Text('  [keys]\n  "cursor.down" = "j,down,ctrl+n"', style="italic"),
                classes="help-section",
                markup=False,
            )
        yield KeysFooter()  # the help's keys, not the main screen's under it

    def on_click(self, event: events.Click) -> None:
        if clicked_outside(self, event):
            self.action_close()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, how: str) -> None:
        scrolled(self, how)


class KeyTable:
    """A section's keys: key, what it does and its id, the id whole (it is what `[keys]`
    names); under what it does where the screen is narrower than `WIDE`."""

    def __init__(self, title: str, rows: Sequence[HelpRow], widths: Widths) -> None:
        self.title, self.rows, self.widths = title, rows, widths

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width < WIDE:  # each key, then what it does, then its id, indented
            table = _titled(Table.grid(), self.title)
            for row in self.rows:
                table.add_row(
                    Text.assemble((row.key_text, "bold"), "  ", row.description)
                    + Text(f"\n  {row.binding_id}", "dim")
                )
            yield table
            return
        table = _grid(self.title, self.widths.key)
        table.add_column(style="dim", min_width=self.widths.binding_id, no_wrap=True)
        for row in self.rows:
            table.add_row(Text(row.key_text), Text(row.description), Text(row.binding_id))
        yield table


def _grid(title: str, key_width: int) -> Table:
    table = _titled(Table.grid(padding=(0, 2), expand=True), title)
    table.add_column(min_width=key_width, style="bold", no_wrap=True)
    table.add_column(ratio=1)
    return table


def _titled(table: Table, title: str) -> Table:
    table.title, table.title_justify, table.title_style = title, "left", "bold"
    return table


def _query_table() -> Table:
    table = _grid("Search queries", KEY_WIDTH)
    for example, meaning in QUERY_LANGUAGE:
        table.add_row(Text(example), Text(meaning))
    return table


def refresh_line(minutes: int, config_path: Path, unread: bool = False) -> str:
    """When the sources refresh by themselves, and the setting that says it (the default's,
    while the config cannot be read)."""
    where = f"refresh_minutes in {visible(str(config_path))}; a source may set its own"
    if unread:
        where = f"the default: {visible(str(config_path))} could not be read"
    every = f"every {minutes} min" if minutes > 0 else "off"
    return f"Automatic refresh: {every} ({where})"
