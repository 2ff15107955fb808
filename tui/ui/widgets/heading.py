"""The header: Textual's, whose title is drawn again without laying out the screen."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.visual import VisualType
from textual.widgets import Header

# Not exported: the parts of Textual's header, composed here as Header composes them.
from textual.widgets._header import HeaderClockSpace, HeaderIcon, HeaderTitle

NAMED_FROM = 60
"""The narrowest header that starts with the app's name: under it, the view's name alone
("newsdesk — Search: bu…" left no room for the search)."""


class Title(HeaderTitle):
    """The title and sub-title: one line as wide as the header whatever it says, so a new
    one needs no layout (Textual's lays out the whole screen again: ~5 ms a time, and the
    sub-title changes with each key typed in the search bar)."""

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        super().update(content, layout=False)


class Heading(Header):
    """Textual's header (without its clock, which the app does not show) with the `Title`
    above, and one line tall, always (Textual's grows to three at a click)."""

    def on_click(self, event: events.Click) -> None:
        event.prevent_default()  # Header's own handler: the tall header

    def format_title(self) -> Content:
        if self.size.width and self.size.width < NAMED_FROM and self.screen_sub_title:
            return Content(self.screen_sub_title)
        return super().format_title()

    def on_resize(self) -> None:
        self.query_one(Title).update(self.format_title())

    def compose(self) -> ComposeResult:
        yield HeaderIcon().data_bind(Header.icon)
        yield Title()
        yield HeaderClockSpace()
