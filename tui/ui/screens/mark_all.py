"""`M` and `u`: every unread article of the view marked read, and that undone.

`MarkAll` is a helper of `ArticleActions` (not a base class); its workers run on the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.dom import DOMNode

from tui.store import Store, View
from tui.text import noun_for
from tui.ui.paging import HitRows, PagedRows, Searched
from tui.ui.scopes import unread_view
from tui.ui.screens.dialogs import ConfirmDialog
from tui.ui.workers import background

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen

CONFIRM_OVER = 20
"""Marking more unread articles than this read asks first."""
BATCH = 2000
"""Articles marked per database call on a search's results and by `u` (~0.1 s each): the
reader's calls and quitting's wait for one batch at most."""


class MarkAll:
    """Marks the view read, and undoes it."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.undo_ids: list[list[int]] = []
        """The ids each `M` marked read, the last last: what `u` marks unread again."""

    @property
    def node(self) -> DOMNode:
        return self.screen

    @background(exclusive=True, group="mark-all")
    async def mark_read(self) -> None:
        screen, db = self.screen, self.screen.db
        rows = screen.articles.rows
        state, grouped = screen.views.state, screen.config.settings.group_stories
        # The view picked, even if its rows are still on their way (Enter then M at once).
        view = None if state.mode else state.scope.view(grouped)
        if view is None and isinstance(rows, PagedRows):
            view = rows.view
        found_by = rows.found_by if view is None and isinstance(rows, HitRows) else None
        # The newest article as counted: one a refresh brings while the question is open
        # is not marked unasked. A search's every result is counted in the store, not loaded.
        if view is not None:
            upto, count = await db.call(_newest_and_count, unread_view(view))
        elif found_by is not None:
            upto, count = await db.call_or_stop(_newest_and_unread, found_by, grouped)
        else:
            upto, count = 0, 0  # no results
        if count == 0:
            screen.notify("Nothing unread here")
            return
        if count > CONFIRM_OVER:
            rows_are = "stories" if grouped else "articles"  # each row a story: its articles too
            question = f"Mark {count:,} unread {rows_are} here as read?"
            if not await screen.app.push_screen_wait(ConfirmDialog(question)):
                return
            screen.status.say(f"marking {count:,} read…")  # a second or two at 100,000
        if view is not None:
            ids = await db.by_ids(Store.mark_view_read, view, upto)
        else:
            assert found_by is not None  # else nothing was counted
            ids = await self._mark_found(found_by, grouped, upto)
        self.undo_ids.append(ids)
        marked = f"{len(ids):,} {noun_for(len(ids), 'article')} read"
        screen.status.say(f"marked {marked}")
        screen.notify(f"Marked {marked} · u to undo", markup=False)
        screen.views.changed(rows=True)

    async def _mark_found(self, found_by: Searched, grouped: bool, upto: int) -> list[int]:
        """Mark a search's unread results read, a batch per call: the reader's and the other
        work on the database thread (quitting's too) wait for one batch at most."""
        db = self.screen.db
        ids = await db.call_or_stop(
            Store.unread_matches, found_by.query, view=found_by.view, stories=grouped, upto=upto
        )
        await self._in_batches(Store.set_read, ids, True)
        return ids

    async def _in_batches(self, write: Callable[..., object], ids: list[int], *args: bool) -> None:
        """`write(store, batch, *args)` for each BATCH of `ids`, one database call each."""
        for start in range(0, len(ids), BATCH):
            await self.screen.db.by_ids(write, ids[start : start + BATCH], *args)

    @background(exclusive=True, group="mark-all")
    async def undo(self) -> None:
        if not self.undo_ids:
            self.screen.notify("Nothing to undo")
            return
        ids, status = self.undo_ids[-1], self.screen.status
        status.say(f"marking {len(ids):,} unread again…")
        await self._in_batches(Store.unmark_read, ids)
        self.undo_ids.pop()  # kept for another try if the write failed
        status.say(f"marked {len(ids):,} unread again")
        self.screen.notify(f"Marked {len(ids):,} unread again", markup=False)
        self.screen.views.changed(rows=True)


def _newest_and_unread(store: Store, found_by: Searched, grouped: bool) -> tuple[int, int]:
    """The newest article's id and how many unread rows a search lists, read together."""
    query, view = found_by
    return store.newest_id(), store.search_count(
        query, unread_only=True, stories=grouped, view=view
    )


def _newest_and_count(store: Store, view: View) -> tuple[int, int]:
    """The newest article's id and how many articles the view holds, read together."""
    return store.newest_id(), store.count(view)
