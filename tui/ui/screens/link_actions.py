"""What the link keys do: the browser (http/https only), copying, numbered links, the picker
(links and attachments), and `e` / `E` (an article's attachments, played or downloaded).

`LinkActions` is a helper the main screen holds (not a base class). A numbered link that is a
saved image opens its local copy; anything but a web link is refused with a notice.
"""

from __future__ import annotations

import subprocess
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported
from textual.dom import DOMNode

from tui.store import Store
from tui.text import one_line
from tui.ui.links import browser_command, local_file_uri, no_browser, open_in_browser
from tui.ui.screens.dialogs import LinkPicker, Picked
from tui.ui.widgets.reader_attachments import NO_ATTACHMENT
from tui.ui.workers import background
from tui.weburl import is_web_url

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen


class LinkActions:
    """Opening and copying the target article's links."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    @property
    def node(self) -> DOMNode:
        return self.screen

    def open_in_browser(self) -> None:
        row = self.screen.actions.target_row()
        if row is not None and not row.url:
            self.screen.notify("This article has no link", severity="warning")
        elif row is not None:
            self.open_url(row.url)

    def copy_link(self) -> None:
        row = self.screen.actions.target_row()
        if row is None or not row.url:
            self.screen.notify("This article has no link", severity="warning")
            return
        self.screen.app.copy_to_clipboard(row.url)
        self.screen.notify("Link copied", markup=False)

    @background(group="links")
    async def open_numbered(self, number: int) -> None:
        detail = await self.screen.actions.target_detail()
        if detail is None:
            return
        if not 1 <= number <= len(detail.links):
            self.screen.notify(f"No link [{number}] in this article", severity="warning",
                               markup=False)  # fmt: skip
            return
        await self.open_link(detail.row.id, detail.links[number - 1])

    @background(group="links")
    async def pick(self) -> None:
        detail = await self.screen.actions.target_detail()
        if detail is None or not (detail.links or detail.enclosures):
            self.screen.notify("This article has no links or attachments")
            return
        reader = self.screen.reader
        lines = reader.media.enclosure_lines(detail.enclosures)
        attachments = list(zip(detail.enclosures, lines, strict=True))
        picked = partial(self._picked, detail.row.id)
        self.screen.app.push_screen(LinkPicker(detail.links, attachments), picked)

    def attachment(self, download: bool) -> None:
        """`e` plays, `E` downloads the target article's attachment: the open one's as the
        reader does it (several: its list takes the cursor), the list's without opening it."""
        screen = self.screen
        if screen.panes.pane == "reader" and screen.reader.article and not screen.actions.opening:
            screen.reader.attachment(download)
        else:
            self._attachment_of_target(download)

    @background(group="links")
    async def _attachment_of_target(self, download: bool) -> None:
        """The only attachment at once; several are picked in the picker, as with `L`."""
        detail = await self.screen.actions.target_detail()
        if detail is None:
            return
        reader, enclosures = self.screen.reader, detail.enclosures
        if not enclosures:
            self.screen.notify(NO_ATTACHMENT)
        elif len(enclosures) == 1:
            reader.attachments.use(enclosures[0], download)
        else:
            lines = reader.media.enclosure_lines(enclosures)
            picker = LinkPicker((), list(zip(enclosures, lines, strict=True)))
            self.screen.app.push_screen(picker, partial(self._picked, detail.row.id))

    def _picked(self, article_id: int, picked: Picked | None) -> None:
        if picked is not None and picked.enclosure is not None:  # as `e` / `E` in the reader
            self.screen.reader.attachments.use(picked.enclosure, picked.download)
        elif picked is not None and picked.url is not None:
            self.open_chosen(article_id, picked.url)

    @background(group="links")
    async def open_chosen(self, article_id: int, url: str) -> None:
        """A link picked in the picker, or clicked in the reader."""
        await self.open_link(article_id, url)

    async def open_link(self, article_id: int, url: str) -> None:
        """Open an article's link: the saved local copy of an image, else the web page."""
        db = self.screen.db
        if is_web_url(url) and not self.screen.app.is_web:
            path = await db.call(Store.local_image, article_id, url, db.cache_dir)
            uri = local_file_uri(path, db.cache_dir) if path else None
            if uri is not None:
                self._open(uri)
                return
        self.open_url(url)

    def open_url(self, url: str | None) -> None:
        """Open an http(s) link in the browser; anything else is refused."""
        if url is None:
            return
        if not is_web_url(url):
            self.screen.notify(f"Not opening {url!r}: only http and https links",
                               severity="warning", markup=False)  # fmt: skip
            return
        if self.screen.app.is_web:
            self.screen.app.open_url(url)
        else:
            self._open(url)

    def _open(self, url: str) -> None:
        """With a browser command, the terminal is its until it exits (as newsboat's
        `browser`); else the desktop's browser, from a thread."""
        try:
            command = browser_command(self._setting, url)
        except ValueError as exc:
            self.screen.notify(f"browser: {one_line(exc)}", severity="error", markup=False)
            return
        if command is None:
            self._open_in_thread(url)
            return
        try:
            with self.screen.app.suspend():
                subprocess.run(command, check=False)
        except FileNotFoundError:
            self.screen.notify(no_browser(self._setting, command[0]), severity="error",
                               markup=False)  # fmt: skip
        except (OSError, SuspendNotSupported) as exc:
            self.screen.notify(f"Cannot start {command[0]!r}: {one_line(exc)}", severity="error",
                               markup=False)  # fmt: skip

    @background(thread=True)
    def _open_in_thread(self, url: str) -> None:
        if not open_in_browser(url):
            app = self.screen.app
            app.call_from_thread(app.copy_to_clipboard, url)
            self.screen.notify(no_browser(self._setting), markup=False)

    @property
    def _setting(self) -> str:
        """The `browser` setting (empty: `$BROWSER`, else the desktop's browser)."""
        return self.screen.config.settings.browser
