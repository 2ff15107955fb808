"""The reader's attachments: every podcast, video or file of the article, one per line (kind,
type, file name, size, playing time, whether it is downloaded), each one playable and
downloadable. `e` with the reader current plays the only one, or brings the cursor here when
there are several; here `e` or Enter plays the highlighted one, `E` downloads it, Escape goes
back. Playing and downloading are done here, for the `L` picker and the list's `e` and `E`
too (`use`); a download reports in the status line (`Activity`).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.models import Enclosure
from tui.offline import media
from tui.text import one_line
from tui.ui.widgets.line_view import LeftClickOptions
from tui.ui.widgets.reader_media import DownloadProgress, ReaderMedia
from tui.ui.workers import background

NO_ATTACHMENT = "This article has no podcast, video or attachment"


class Attachments(LeftClickOptions):
    """The open article's enclosures."""

    # No border when focused either (Textual's option lists grow one): a click that
    # focuses the list plays the row under the pointer, not the one moved there.
    DEFAULT_CSS = """
    Attachments { height: auto; max-height: 12; border: none; padding: 0; margin-bottom: 1; }
    Attachments:focus { border: none; }
    Attachments.-empty { display: none; }
    """

    BINDINGS = [
        Binding("e", "choose(False)", "Play", id="attachments.play"),
        Binding("E", "choose(True)", "Download", id="attachments.download"),
        Binding("escape", "back", "Back", id="attachments.back"),
    ]

    @dataclass
    class Activity(Message):
        """A line for the status line: a download's progress, or how it ended."""

        line: str
        error: bool = False

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, Attachments.Activity)

    @dataclass
    class Back(Message):
        """Leave the list for the article."""

    def __init__(self, reader_media: ReaderMedia, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes="-empty", markup=False)
        self.media = reader_media
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
            self.use(self.current, download)

    def action_back(self) -> None:
        self.post_message(self.Back())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # Enter or a click plays it, like `e`
        self.use(self.enclosures[event.option_index], False)

    def use(self, enclosure: Enclosure, download: bool) -> None:
        """Play or download `enclosure` (also one the `L` picker chose)."""
        if download:
            if self.media.start_download(enclosure.url):
                self._download(enclosure)
            else:
                self.notify("Already downloading it: see the status line")
            return
        player = self.media.settings.player
        try:
            self.media.play(enclosure)
        except (media.NotPlayable, media.NoPlayer) as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        except (OSError, ValueError) as exc:
            self.notify(f"Cannot start {player!r}: {one_line(exc)}", severity="error", markup=False)
            return
        self.notify(f"Playing with {player}", markup=False)

    @background(thread=True, group="reader-download")
    def _download(self, enclosure: Enclosure) -> None:
        """Download into the cache in a thread, with progress in the status line."""
        name = media.describe(enclosure).name
        progress = DownloadProgress(name, lambda line: self.post_message(self.Activity(line)))
        try:
            self.media.download(enclosure, progress, get_current_worker().cancelled_event)
        except media.DownloadStopped:
            return  # the app quits: nothing to say
        except media.DownloadFailed as exc:
            self.post_message(self.Activity(f"download failed: {one_line(exc)}", error=True))
            return
        self.post_message(self.Activity(f"downloaded for offline use: {name}"))
        self.app.call_from_thread(self._relist)  # its line says it is downloaded now

    def _relist(self) -> None:
        self.show(self.enclosures, self.media.enclosure_lines(self.enclosures))
