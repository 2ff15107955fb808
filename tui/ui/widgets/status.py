"""The status line: refresh progress and outcome, and the problem of the highlighted source."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from tui.text import clean_line
from tui.ui.format import without_background

if TYPE_CHECKING:
    from tui.refresh.summary import ProgressEvent

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class Status(Static):
    """One line: what the app is doing, then a detail about the current selection."""

    COMPONENT_CLASSES = {"status--activity", "status--error", "status--detail"}

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id, markup=False)
        self.activity = ""
        self.detail = ""
        self._kinds = ("activity", "detail")

    def on_mount(self) -> None:
        # Colours are resolved when the line is drawn: again once styles are final, and
        # whenever the theme changes.
        self.call_after_refresh(self._show)
        self.app.theme_changed_signal.subscribe(self, lambda _: self._show())

    def progress(self, event: ProgressEvent) -> None:
        """Show a refresh in flight: `⠙ refreshing 3/12 Source name`."""
        spin = SPINNER[event.done % len(SPINNER)]
        self.say(f"{spin} refreshing {event.done}/{event.total} {event.source}")

    def say(self, message: str, *, error: bool = False) -> None:
        """Show what the app is doing or did (a refresh summary, an error at start-up)."""
        self.activity = clean_line(message)  # names and errors from outside: one safe line
        self._kinds = ("error" if error else "activity", self._kinds[1])
        self._show()

    def explain(self, message: str | None, *, error: bool = False) -> None:
        """Show (or clear) a detail about what is highlighted."""
        self.detail = clean_line(message)
        self._kinds = (self._kinds[0], "error" if error else "detail")
        self._show()

    def _show(self) -> None:
        text = Text(self.activity, self._style(self._kinds[0]), no_wrap=True, overflow="ellipsis")
        if self.activity and self.detail:
            text.append("  │  ", self._style("detail"))
        text.append(self.detail, self._style(self._kinds[1]))
        self.update(text, layout=False)  # one line, the width of the screen: no layout

    def _style(self, name: str) -> Style:
        return without_background(self.get_component_rich_style(f"status--{name}"))
