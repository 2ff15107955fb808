"""Small modal dialogs: the link picker (links and attachments), a yes/no confirmation, a
one-line prompt and a note to read whole (a source's error, an import's skipped feeds)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from tui.models import Enclosure
from tui.text import clean_line
from tui.ui.format import Marked, link_label
from tui.ui.keys import motion_bindings
from tui.ui.widgets.footer import KeysFooter
from tui.ui.widgets.line_view import LeftClickOptions
from tui.ui.widgets.typed_input import TypedInput

SMALL_BELOW = Size(60, 18)
"""A terminal narrower or shorter than this is small: a dialog's borders, padding and 80%
width would leave its content no room (the tcss makes it whole-screen there), and a toast
would cover half the reader (the app makes toasts compact)."""
LIST_ROWS = 20
"""The most rows the link picker's list takes (more scroll)."""
SMALL_WIDTHS = [(0, "-narrow"), (SMALL_BELOW.width, "-wide")]
SMALL_HEIGHTS = [(0, "-short"), (SMALL_BELOW.height, "-tall")]


_SCROLLS = ("scroll_down", "scroll_up", "scroll_home", "scroll_end", "scroll_page_down",
            "scroll_page_up")  # fmt: skip
SCROLL_BINDINGS = motion_bindings(
    [f"scroll('{how}')" for how in _SCROLLS], space_pages=True, ends=("Top", "Bottom"),
    paging_shown=True,
)  # fmt: skip
"""The keys of a dialog to read (the help, a note), shown in its footer: its text is in a
`VerticalScroll` that takes no focus, so that no binding of its own hides these."""


def scrolled(screen: ModalScreen[Any], how: str) -> None:
    """Scroll `screen`'s text by its `VerticalScroll`'s method `how` (`scroll_page_down`...)."""
    getattr(screen.query_one(VerticalScroll), how)(animate=False)


def clicked_outside(screen: ModalScreen[Any], click: events.Click) -> bool:
    """Whether `click` fell around the dialog, on the screen it dims: that closes a dialog
    as Esc does (Textual's command palette does the same)."""
    return click.button == 1 and screen.get_widget_at(click.screen_x, click.screen_y)[0] is screen


@dataclass(frozen=True)
class Picked:
    """What the link picker chose: a link to open, or an attachment to play or download."""

    url: str | None = None
    enclosure: Enclosure | None = None
    download: bool = False


class LinkPicker(ModalScreen[Picked | None]):
    """Pick one of the article's numbered links, or one of its attachments (`e` or Enter
    plays it, `E` downloads it); dismisses with what was picked (or None)."""

    HORIZONTAL_BREAKPOINTS, VERTICAL_BREAKPOINTS = SMALL_WIDTHS, SMALL_HEIGHTS

    BINDINGS = [
        Binding("escape,q", "dismiss_none", "Close the link picker", id="dialog.close"),
        Binding("j", "cursor_down", "Down", id="cursor.down", show=False),
        Binding("k", "cursor_up", "Up", id="cursor.up", show=False),
        Binding("g", "cursor_first", "First", id="cursor.first", show=False),
        Binding("G", "cursor_last", "Last", id="cursor.last", show=False),
        Binding("e", "attachment(False)", "Play the attachment", id="links.play", show=False),
        Binding(
            "E", "attachment(True)", "Download the attachment", id="links.download", show=False
        ),  # fmt: skip
    ]

    def __init__(
        self, links: Sequence[str], attachments: Sequence[tuple[Enclosure, str]] = ()
    ) -> None:
        super().__init__()
        self.links, self.attachments = list(links), list(attachments)

    def compose(self) -> ComposeResult:
        with Vertical(id="link-dialog", classes="dialog"):
            yield Label(Text(self._title()), classes="dialog-title")
            options = [
                Option(Marked((Text(f"[{n}] ", "bold"), Text(link_label(url)))), id=str(n))
                for n, url in enumerate(self.links, 1)
            ] + [Option(Marked((Text("[▶] ", "bold"), Text(line)))) for _, line in self.attachments]
            yield LeftClickOptions(*options, id="link-options", markup=False)
        yield KeysFooter()  # the dialog's keys, not the main screen's under it

    def _title(self) -> str:
        if not self.links:  # `e` or `E` on an article with several attachments
            return "Attachments: e or Enter plays, E downloads, Esc closes"
        hint = ", e plays, E downloads" if self.attachments else ""
        return f"Links: Enter opens{hint}, Esc closes"

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_choices)

    def _fit_choices(self) -> None:
        """Cap the list at the rows its dialog leaves it: a list of 20 rows in a dialog with
        room for 10 never scrolled, and its cursor went on out of sight."""
        room = rows_under_title(self, self.query_one("#link-dialog"))
        self.query_one(OptionList).styles.max_height = max(1, min(LIST_ROWS, room))

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = event.option_index
        if index < len(self.links):
            self.dismiss(Picked(self.links[index]))
        else:
            self.action_attachment(False)

    def action_attachment(self, download: bool) -> None:
        index = (self.query_one(OptionList).highlighted or 0) - len(self.links)
        if 0 <= index < len(self.attachments):
            self.dismiss(Picked(enclosure=self.attachments[index][0], download=download))

    def on_click(self, event: events.Click) -> None:
        if clicked_outside(self, event):
            self.action_dismiss_none()

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_cursor_first(self) -> None:
        self.query_one(OptionList).action_first()

    def action_cursor_last(self) -> None:
        self.query_one(OptionList).action_last()


def rows_under_title(screen: ModalScreen[Any], dialog: Widget) -> int:
    """The rows `dialog` has under its title on this screen. Textual does not shrink an
    auto-height child to its parent's `max-height`: a child that scrolls is capped by this."""
    title = dialog.query_one(".dialog-title")
    whole = screen.has_class("-short") or screen.has_class("-narrow")  # the tcss's 100%
    height = screen.size.height - screen.query_one(KeysFooter).outer_size.height
    room = height * (1 if whole else 0.8) - dialog.styles.gutter.height
    return int(room - title.outer_size.height - title.styles.margin.height)


class ConfirmDialog(ModalScreen[bool]):
    """A question answered with y (yes) or n/Esc (no); Enter presses the focused button: yes,
    or no for a question whose yes cannot be undone (`destructive`)."""

    HORIZONTAL_BREAKPOINTS, VERTICAL_BREAKPOINTS = SMALL_WIDTHS, SMALL_HEIGHTS  # one-line buttons

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="dialog.yes"),
        Binding("n,escape,q", "answer(False)", "No", id="dialog.no"),
    ]

    def __init__(self, question: str, *, destructive: bool = False) -> None:
        super().__init__()
        self.question, self.destructive = question, destructive

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Label(Text(self.question), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Yes (y)", id="yes", variant="primary")
                yield Button("No (n)", id="no")
        yield KeysFooter()

    def on_mount(self) -> None:
        if self.destructive:  # a file replaced, an article deleted: Enter alone does not
            self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def on_click(self, event: events.Click) -> None:
        """Outside, as Esc, it says no; not to a question whose yes cannot be undone: that
        one is answered with a key or a button, never by a click beside it."""
        if not self.destructive and clicked_outside(self, event):
            self.dismiss(False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class PromptDialog(ModalScreen[str | None]):
    """Ask for one line (a URL, a path, a query); Enter answers it, Esc cancels (None)."""

    HORIZONTAL_BREAKPOINTS, VERTICAL_BREAKPOINTS = SMALL_WIDTHS, SMALL_HEIGHTS  # a bare input

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, question: str, placeholder: str = "", value: str = "") -> None:
        super().__init__()
        self.question, self.placeholder, self.value = question, placeholder, value

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-dialog", classes="dialog"):
            yield Label(Text(self.question), classes="dialog-title")
            yield TypedInput(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Label(Text("Enter to go on, Esc to cancel"), classes="dialog-hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def on_click(self, event: events.Click) -> None:
        if clicked_outside(self, event):
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteDialog(ModalScreen[None]):
    """A title and lines wrapped whole (a source's error, which the status line cuts at its
    width; an import's skipped feeds, each with why), scrolled when they outrun the screen;
    Esc, q or Enter (its one answer is OK) closes it."""

    HORIZONTAL_BREAKPOINTS, VERTICAL_BREAKPOINTS = SMALL_WIDTHS, SMALL_HEIGHTS

    BINDINGS = [
        Binding("escape,q,enter", "dismiss_note", "Close", id="dialog.close"),
        *SCROLL_BINDINGS,
    ]

    def __init__(self, title: str, *lines: str) -> None:
        super().__init__()
        self.heading = clean_line(title)
        self.body = "\n".join(clean_line(line) for line in lines)  # from outside: a line each

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog", classes="dialog"):
            yield Label(Text(self.heading), classes="dialog-title")
            with VerticalScroll(id="note-scroll", can_focus=False):  # the dialog's keys scroll it
                yield Label(Text(self.body), id="note-text")
            yield Label(Text("Enter or Esc closes"), classes="dialog-hint")
        yield KeysFooter()

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_text)

    def _fit_text(self) -> None:
        """Cap the text at the rows its dialog leaves it above the hint, which stays seen."""
        hint, text = self.query_one(".dialog-hint"), self.query_one("#note-scroll")
        room = rows_under_title(self, self.query_one("#note-dialog"))
        room -= hint.outer_size.height + hint.styles.margin.height + text.styles.margin.height
        text.styles.max_height = max(1, room)

    def on_click(self, event: events.Click) -> None:
        if clicked_outside(self, event):
            self.action_dismiss_note()

    def action_dismiss_note(self) -> None:
        self.dismiss(None)

    def action_scroll(self, how: str) -> None:
        scrolled(self, how)
