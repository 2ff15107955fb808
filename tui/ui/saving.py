"""Saving articles for offline reading: fetch the full page, or drop the saved copy.

`Saver` is a non-visual widget of the main screen. A save is shown (and written) by the
screen at once; the page is fetched here in an async worker, and `Saver.Stored` tells the
screen when the saved text is in the store, so it can show the list row and the open article
again. An unsave is shown once it goes ahead (`Saver.Unsaving`): when it would delete the
article, only after the user said yes.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widget import Widget

from tui.config import Config
from tui.models import ArticleRow
from tui.store import Store, StoreError
from tui.text import one_line, plural, visible
from tui.ui.data import Data
from tui.ui.screens.dialogs import ConfirmDialog
from tui.ui.workers import background

GONE = (
    "Not saved: no longer in the cache (it left its feed and was pruned, or its source was removed)"
)
"""A save of an article the cache no longer holds (a cache file replaced on disk is refused
before, by the data door, with its own reason)."""


class Saver(Widget):
    """Fetches the full text of newly saved articles; unsaves."""

    DEFAULT_CSS = "Saver { display: none; }"

    @dataclass
    class Stored(Message):
        """The saved text of these articles changed in the store."""

        ids: list[int]

    @dataclass
    class Unsaving(Message):
        """These articles are being unsaved: the rows and the reader show it now."""

        rows: list[ArticleRow]

    @dataclass
    class Unsaved(Message):
        """These articles are no longer saved (flags changed in the store)."""

        ids: list[int]
        forgotten: bool = False
        """They left the cache: their source was removed (`feeds remove`)."""

    def __init__(self, config: Config, db: Data) -> None:
        super().__init__()
        self.config, self.db = config, db
        self.saving: set[int] = set()
        """Articles whose full text is being fetched."""

    def save(self, ids: list[int]) -> None:
        """The one place where fetching the full text of newly saved articles starts.

        The articles are flagged saved already; articles being saved right now are skipped.
        """
        wanted = [i for i in ids if i not in self.saving]
        if wanted:
            self.saving.update(wanted)
            self._fetch(wanted)

    @background(group="save")
    async def _fetch(self, ids: list[int]) -> None:
        # Imported on first use: the network stack is not needed for the first frame.
        from tui.offline.saving import UNWRITTEN, save_articles

        # Store calls go through the data door (the database thread), one short one each.
        try:
            report = await save_articles(
                self.config, self.db.writes, ids, cache_dir=self.db.cache_dir
            )
        except (OSError, ValueError, StoreError) as exc:
            self.notify(f"Saving failed: {one_line(exc)}", severity="error", markup=False)
            self.post_message(self.Stored(ids))  # the rows and the reader shown as stored
            return
        finally:
            self.saving.difference_update(ids)
        if report.missing:  # deleted from this cache since it was shown
            self.notify(GONE, severity="warning")
        elif report.failed:
            failed = report.failed[0]
            said = f"Saved (feed text kept): {failed.why}; {failed.again}"
            self.notify(said, severity="warning", markup=False)
        elif report.unwritten:  # the text is kept; the pictures stay links to the web
            lost = f"{plural(report.unwritten, 'image')} {UNWRITTEN}"
            self.notify(f"Saved for offline reading, but {lost}", severity="warning", markup=False)
        else:
            self.notify("Saved for offline reading")
        self.post_message(self.Stored(ids))

    @background(group="write")
    async def unsave(self, rows: list[ArticleRow]) -> None:
        """Unsave; asked first when that deletes them (their source was removed), and shown
        unsaved only once it goes ahead: until the answer, the ★ stays."""
        from tui.offline.saving import unsave

        ids = [row.id for row in rows]
        if not await self._may_forget(ids):
            return
        self.post_message(self.Unsaving(rows))
        report = await self.db.by_ids(unsave, ids)
        removed = ", ".join(visible(name) for name in report.forgotten)
        gone = f" and forgotten: {removed} was removed from the config" if removed else ""
        self.notify(f"Removed from saved{gone}", markup=False)
        self.post_message(self.Unsaved(ids, forgotten=bool(removed)))

    async def _may_forget(self, ids: list[int]) -> bool:
        """Whether the user lets an unsave of `ids` delete those of a removed source: the
        cache holds them only because they are saved, and nothing brings them back."""
        forgotten = await self.db.call(Store.forgotten_by_unsave, ids)
        if not forgotten:
            return True
        names = ", ".join(visible(name) for name in forgotten)
        question = (
            f"Unsave and delete? {names} was removed from the config: nothing brings it back."
        )
        answer: bool = await self.app.push_screen_wait(ConfirmDialog(question, destructive=True))
        return answer
