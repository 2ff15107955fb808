"""Saving articles for offline reading: `s` saves (fetching the full page) or unsaves.

A layer of the main screen (panes → article actions → offline → views → feeds → main).
The saved flag shows at once; the page is fetched in an async worker, and when it is stored
the list row and the open article are shown again with the saved text.
"""

from __future__ import annotations

from textual import work

from tui.config import Config
from tui.store import DbThread, Store, StoreError
from tui.ui.links import one_line
from tui.ui.screens.actions import ArticleActions


class OfflineActions(ArticleActions):
    """`s`, and the save workers."""

    def __init__(self, config: Config, store: Store, db: DbThread) -> None:
        super().__init__(config, store, db)
        self.saving: set[int] = set()
        """Articles whose full text is being fetched."""

    def action_toggle_saved(self) -> None:
        if (row := self.fresh_row(self.target_row())) is None:
            return
        if row.saved:
            self.show_flags(row, saved=False)
            self._unsave([row.id])
        else:
            self.set_flags(row, saved=True)
            self.save_offline([row.id])

    def save_offline(self, ids: list[int]) -> None:
        """The one place where fetching the full text of newly saved articles starts.

        The articles are flagged saved already; articles being saved right now are skipped.
        """
        wanted = [i for i in ids if i not in self.saving]
        if wanted:
            self.saving.update(wanted)
            self._save(wanted)

    @work(group="save", exit_on_error=False)
    async def _save(self, ids: list[int]) -> None:
        # Imported on first use: the network stack is not needed for the first frame.
        from tui.offline.saving import save_articles

        # The screen's own store: its connection belongs to the event loop's thread and is
        # used only there; each of its writes is one short transaction. (The DbThread's
        # store belongs to that thread.)
        try:
            report = await save_articles(self.config, self.store, ids, cache_dir=self.cache_dir)
        except (OSError, ValueError, StoreError) as exc:
            self.notify(f"Saving failed: {one_line(exc)}", severity="error", markup=False)
            return
        finally:
            self.saving.difference_update(ids)
        if report.failed:
            reason = report.failed[0].state
            self.notify(f"Saved (feed text kept): {reason}", severity="warning", markup=False)
        else:
            self.notify("Saved for offline reading")
        self.changed(rows=True)
        await self._reshow(ids)

    async def _reshow(self, ids: list[int]) -> None:
        """Show the open article again if it is one of `ids` (its saved text changed)."""
        if self.reader.article is None or self.reader.article.row.id not in ids:
            return
        detail = await self.db.call(Store.article, self.reader.article.row.id)
        opened = self.reader.article
        if detail is not None and opened is not None and opened.row.id == detail.row.id:
            self.reader.show(detail, self.reader.scroll_line)

    @work(group="write", exit_on_error=False)
    async def _unsave(self, ids: list[int]) -> None:
        from tui.offline.saving import unsave

        await self.db.call(unsave, ids)
        self.notify("Removed from saved")
        self.changed()
