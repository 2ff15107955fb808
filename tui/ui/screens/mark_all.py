"""`M` and `u`: every unread article of the view marked read, and that undone.

`MarkAll` is a helper of `ArticleActions` (not a base class); its workers run on the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.dom import DOMNode

from tui.store import Store, View
from tui.text import noun_for
from tui.ui.paging import HitRows, PagedRows
from tui.ui.scopes import unread_view
from tui.ui.screens.dialogs import ConfirmDialog
from tui.ui.workers import background

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen

CONFIRM_OVER = 20
"""Marking more unread articles than this read asks first."""


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
        if view is None and isinstance(rows, HitRows):  # every result, not only those loaded
            rows = await db.call(rows.every_page)
        elif view is None and isinstance(rows, PagedRows):
            view = rows.view
        # The newest article as counted: one a refresh brings while the question is open
        # is not marked unasked.
        if view is not None:
            upto, count = await db.call(_newest_and_count, unread_view(view))
        else:
            ids = [r.id for i in range(rows.total) if (r := rows.get(i)) and not r.read]
            upto, count = await db.call(Store.newest_id), len(ids)
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
        elif grouped:
            ids = await db.by_ids(Store.mark_stories_read, ids, upto)
        else:
            await db.by_ids(Store.set_read, ids, True)
        self.undo_ids.append(ids)
        marked = f"{len(ids):,} {noun_for(len(ids), 'article')} read"
        screen.status.say(f"marked {marked}")
        screen.notify(f"Marked {marked} · u to undo", markup=False)
        screen.views.changed(rows=True)

    @background(exclusive=True, group="mark-all")
    async def undo(self) -> None:
        if not self.undo_ids:
            self.screen.notify("Nothing to undo")
            return
        ids, status = self.undo_ids[-1], self.screen.status
        status.say(f"marking {len(ids):,} unread again…")
        await self.screen.db.by_ids(Store.set_read, ids, False)
        self.undo_ids.pop()  # kept for another try if the write failed
        status.say(f"marked {len(ids):,} unread again")
        self.screen.notify(f"Marked {len(ids):,} unread again", markup=False)
        self.screen.views.changed(rows=True)


def _newest_and_count(store: Store, view: View) -> tuple[int, int]:
    """The newest article's id and how many articles the view holds, read together."""
    return store.newest_id(), store.count(view)
