"""The status line: refresh progress and outcome, and the problem of the highlighted source."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

from tui.cells import ellipsized
from tui.text import clean_line
from tui.ui.format import drawable, without_background

if TYPE_CHECKING:
    from tui.refresh.summary import ProgressEvent

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
SPIN_EVERY = 0.1
"""Seconds between the spinner's frames while a refresh goes on."""


class Status(Static):
    """One line: what the app is doing, then a detail about the current selection."""

    COMPONENT_CLASSES = {"status--activity", "status--error", "status--detail"}

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id, markup=False)
        self.activity = ""
        self.detail = ""
        self._kinds = ("activity", "detail")
        self._line = Text()
        self._counted, self._waiting = (0, 0), ""  # a refresh's sources done, in all, waited on
        self._frame = 0
        self._spinning: Timer | None = None  # turns the spinner (once mounted)

    def on_mount(self) -> None:
        # Colours are resolved when the line is drawn: again once styles are final, and
        # whenever the theme changes.
        self.call_after_refresh(self._show)
        self.app.theme_changed_signal.subscribe(self, lambda _: self._show())
        self._spinning = self.set_interval(SPIN_EVERY, self._turn, pause=True)

    def progress(self, event: ProgressEvent, waiting: str) -> None:
        """Show a refresh in flight: `⠙ refreshing 3/12 Source name`, naming the source
        `waiting` on (none between two), the spinner turning while the refresh goes on."""
        self._counted, self._waiting = (event.done, event.total), waiting
        if self._spinning:
            self._spinning.resume()
        self._turn(0)

    def _turn(self, frames: int = 1) -> None:
        self._frame = (self._frame + frames) % len(SPINNER)
        done, total = self._counted
        self._say(f"{SPINNER[self._frame]} refreshing {done}/{total} {self._waiting}".rstrip())

    def say(self, message: str, *, error: bool = False) -> None:
        """Show what the app is doing or did (a refresh summary, an error at start-up)."""
        if self._spinning:
            self._spinning.pause()  # a refresh's summary: it is over
        self._say(message, error=error)

    def _say(self, message: str, *, error: bool = False) -> None:
        self.activity = clean_line(message)  # names and errors from outside: one safe line
        self._kinds = ("error" if error else "activity", self._kinds[1])
        self._show()

    def explain(self, message: str | None, *, error: bool = False) -> None:
        """Show (or clear) a detail about what is highlighted."""
        self.detail = clean_line(message)
        self._kinds = (self._kinds[0], "error" if error else "detail")
        self._show()

    def _show(self) -> None:
        text = Text(drawable(self.activity), self._style(self._kinds[0]))
        if self.activity and self.detail:
            text.append("  │  ", self._style("detail"))
        text.append(drawable(self.detail), self._style(self._kinds[1]))
        self._line = text
        self.refresh()  # one line, the width of the screen: no layout

    def render(self) -> Text:
        """The line cut at the widget's width (`ellipsized`: Textual's own cut pads before the
        `…` where a wide character does not fit, `壊れ …`); Textual pads it."""
        line = self._line.copy()
        line.plain = ellipsized(line.plain, self.size.width)
        return line

    def _style(self, name: str) -> Style:
        return without_background(self.get_component_rich_style(f"status--{name}"))
