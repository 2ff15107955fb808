"""Small modal dialogs: the link picker, a yes/no confirmation and a one-line prompt."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option


class LinkPicker(ModalScreen[str | None]):
    """Pick one of the article's numbered links; dismisses with its URL (or None)."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Close the link picker", id="dialog.close"),
        Binding("j", "cursor_down", "Down", id="cursor.down", show=False),
        Binding("k", "cursor_up", "Up", id="cursor.up", show=False),
    ]

    def __init__(self, links: Sequence[str]) -> None:
        super().__init__()
        self.links = list(links)

    def compose(self) -> ComposeResult:
        with Vertical(id="link-dialog", classes="dialog"):
            yield Label(Text("Links: Enter opens, Esc closes"), classes="dialog-title")
            options = [
                Option(Text.assemble((f"[{n}] ", "bold"), url), id=str(n))
                for n, url in enumerate(self.links, 1)
            ]
            yield OptionList(*options, id="link-options", markup=False)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.links[event.option_index])

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()


class ConfirmDialog(ModalScreen[bool]):
    """A question answered with y/Enter (yes) or n/Esc (no)."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes (confirm)", id="dialog.yes"),
        Binding("n,escape", "answer(False)", "No (cancel)", id="dialog.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Label(Text(self.question), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Yes (y)", id="yes", variant="primary")
                yield Button("No (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class PromptDialog(ModalScreen[str | None]):
    """Ask for one line (a URL, a path, a query); Enter answers it, Esc cancels (None)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, question: str, placeholder: str = "", value: str = "") -> None:
        super().__init__()
        self.question, self.placeholder, self.value = question, placeholder, value

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-dialog", classes="dialog"):
            yield Label(Text(self.question), classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Label(Text("Enter to go on, Esc to cancel"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
