"""The reader's attachments: every podcast, video or file of the article, one per line (kind,
type, file name, size, playing time, whether it is downloaded), each one playable and
downloadable. `e` with the reader current plays the only one, or brings the cursor here when
there are several; here `e` or Enter plays the highlighted one, `E` downloads it, Escape goes
back.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.models import Enclosure

NO_ATTACHMENT = "This article has no podcast, video or attachment"


class Attachments(OptionList):
    """The open article's enclosures."""

    DEFAULT_CSS = """
    Attachments { height: auto; max-height: 12; border: none; padding: 0; margin-bottom: 1; }
    Attachments.-empty { display: none; }
    """

    BINDINGS = [
        Binding("e", "choose(False)", "Play", id="attachments.play"),
        Binding("E", "choose(True)", "Download", id="attachments.download"),
        Binding("escape", "back", "Back", id="attachments.back"),
    ]

    @dataclass
    class Chosen(Message):
        """Play (or with `download`, download) this enclosure."""

        enclosure: Enclosure
        download: bool

    @dataclass
    class Back(Message):
        """Leave the list for the article."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id, classes="-empty")
        self.enclosures: tuple[Enclosure, ...] = ()

    def show(self, enclosures: tuple[Enclosure, ...], lines: list[str]) -> None:
        """List `enclosures`, described by `lines`, keeping the highlighted one."""
        highlighted = self.highlighted or 0
        self.enclosures = enclosures
        self.set_options(Option(Text("▶ " + line)) for line in lines)
        self.set_class(not enclosures, "-empty")
        if enclosures:
            self.highlighted = min(highlighted, len(enclosures) - 1)

    @property
    def current(self) -> Enclosure | None:
        """The highlighted enclosure (the first until another is picked)."""
        index = self.highlighted or 0
        return self.enclosures[index] if index < len(self.enclosures) else None

    def action_choose(self, download: bool) -> None:
        if self.current is not None:
            self.post_message(self.Chosen(self.current, download))

    def action_back(self) -> None:
        self.post_message(self.Back())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # Enter or a click plays it, like `e`
        self.post_message(self.Chosen(self.enclosures[event.option_index], False))
