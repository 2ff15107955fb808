"""What the keys do to articles: open, next/previous/next unread, read, save, mark all, undo.

`ArticleActions` is a helper the main screen holds (not a base class); the screen's action
methods hand the keys to it. Store calls go through the data door in workers; the list and the
reader show a change at once. Saved pages are the `Saver` widget's job, links `LinkActions`'.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import replace
from typing import TYPE_CHECKING

from textual.dom import DOMNode

from tui.models import ArticleDetail, ArticleRow
from tui.store import CacheReplaced, Store, StoreError, View
from tui.text import noun_for, plural
from tui.ui.paging import HitRows, PagedRows
from tui.ui.saving import Saver
from tui.ui.scopes import unread_view
from tui.ui.screens.action_keys import ARTICLE_ACTIONS
from tui.ui.screens.dialogs import ConfirmDialog
from tui.ui.workers import background

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen

CONFIRM_OVER = 20
"""Marking more unread articles than this read asks first."""
SCAN_AHEAD = 500
"""How far `N` looks through loaded rows before asking the store."""
NO_MORE_UNREAD = "No more unread articles here"
READ_AHEAD_AFTER = 0.05
"""Seconds the cursor rests on a row before its text is fetched."""
BUILD_AHEAD_AFTER = 0.25
"""Seconds it rests there before the body is built too: a build (5-30 ms of CPU in a thread)
would slow keys pressed in a run (`j` p95 +4-5 ms), while a row about to be opened is read
first."""


class ArticleActions:
    """Article actions, whichever pane has the focus."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.undo_ids: list[list[int]] = []
        self.opening: ArticleRow | None = None
        """The article being opened (its text is on its way from the store)."""
        self.ahead: ArticleDetail | None = None
        """The selected row's text, read while the cursor rests on it: Enter shows it at once."""
        self._resting: tuple[ArticleRow | None, float] = (None, 0.0)
        """The selected row and since when (monotonic seconds)."""
        self._reading = False

    @property
    def node(self) -> DOMNode:
        return self.screen

    # -- which article ---------------------------------------------------------------------

    def target_row(self) -> ArticleRow | None:
        """The article an action applies to: the open one in the reader, else the selected."""
        reader = self.screen.reader
        if self.screen.panes.pane == "reader":
            if self.opening is not None:
                return self.opening
            if reader.article is not None:
                return reader.article.row
        return self.screen.articles.current

    async def target_detail(self) -> ArticleDetail | None:
        """The target article with its text and links (from the store unless it is open)."""
        row = self.target_row()
        if row is None:
            return None
        article = self.screen.reader.article
        if article is not None and article.row.id == row.id and self.opening is None:
            return article
        return await self.screen.db.by_ids(Store.article, row.id)

    def allowed(self, action: str) -> bool | None:
        """Whether an article key acts now (None: not an article key; `u` always acts: with
        nothing to undo, it says so)."""
        if action not in (*ARTICLE_ACTIONS, "unhide"):
            return None
        targeted = self.screen.panes.on_articles and self.target_row() is not None
        if action == "unhide":  # where hidden articles are listed: `is:hidden`
            return targeted and self.screen.views.lists_hidden()
        return targeted

    # -- opening and moving ------------------------------------------------------------------

    def open_article(self, row: ArticleRow) -> None:
        """Show `row` in the reader (marking it read if so configured).

        The reader takes the focus and the row is marked at once, so keys typed right after
        act on it; its text follows from the store."""
        row = self.fresh_row(row) or row
        mark = self.screen.config.settings.mark_read_on_open and not row.read
        shown = row._replace(read=True) if mark else row
        ahead, self.ahead = self.ahead, None
        if ahead is not None and ahead.row.id == row.id:
            self.opening = None
            self._present(ahead, shown)
        else:
            self.opening = shown
            self._show(shown)
        if mark:
            self.set_flags(row, read=True)
        self.screen.focus_pane("reader")

    @background(exclusive=True, group="open")
    async def _show(self, row: ArticleRow) -> None:
        detail = await self.screen.db.by_ids(Store.article, row.id)
        pending = self.opening  # with the flags keys changed since (m, s)
        if pending is None or pending.id != row.id:
            return  # another article was opened meanwhile
        self.opening = None
        if detail is None:
            self.screen.notify("That article is no longer in the cache", severity="warning")
            self.screen.focus_pane("list")
            return
        self._present(detail, pending)

    def _present(self, detail: ArticleDetail, flags: ArticleRow) -> None:
        """Show `detail` in the reader with the flags the list shows (`flags`)."""
        detail = replace(detail, row=detail.row._replace(read=flags.read, saved=flags.saved))
        self.screen.reader.show(detail, terms=self.screen.articles.rows.terms)

    def read_ahead(self, row: ArticleRow | None) -> None:
        """Fetch the selected article's text once the cursor rests on it."""
        self.ahead = None
        self._resting = (row, time.monotonic())
        if row is not None and not self._reading:
            self._reading = True  # one worker for a run of keys, not one per key
            self._read_when_resting()

    @background(group="read-ahead")
    async def _read_when_resting(self) -> None:
        """Wait until the cursor has rested `READ_AHEAD_AFTER` on a row (a key held down
        moves on first), then fetch that row's text; after `BUILD_AHEAD_AFTER`, build its
        body in the reader's look (Enter then shows it in its first frame)."""
        try:
            while True:
                row, since = self._resting
                wait = since + READ_AHEAD_AFTER - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                    continue
                if row is None:
                    return
                detail = await self.screen.db.by_ids(Store.article, row.id)
                if self._resting[0] != row:
                    continue  # the cursor moved on meanwhile: again
                ahead = self.ahead = detail if self.screen.articles.current == row else None
                if ahead and await self._rested((row, since)) and not self._in_reader(row):
                    with contextlib.suppress(Exception):  # met and reported on opening it
                        terms = self.screen.articles.rows.terms
                        await self.screen.reader.build_ahead(ahead, terms)
                if self._resting[0] == row:
                    return
        finally:
            self._reading = False

    def _in_reader(self, row: ArticleRow) -> bool:
        """Whether `row` is the reader's article: its body is not built ahead (the reader has
        it, with the images fetched since, which one built ahead might predate)."""
        return (opened := self.opened_row()) is not None and opened.id == row.id

    async def _rested(self, rest: tuple[ArticleRow | None, float]) -> bool:
        """Whether the cursor stays `BUILD_AHEAD_AFTER` on `rest`'s row (False once it moves)."""
        while (wait := rest[1] + BUILD_AHEAD_AFTER - time.monotonic()) > 0:
            if self._resting != rest:
                return False
            await asyncio.sleep(min(wait, READ_AHEAD_AFTER))
        return self._resting == rest

    def open_at(self, index: int) -> None:
        articles = self.screen.articles
        articles.move_to(index)
        if (row := articles.current) is not None:
            self.open_article(row)

    def opened_index(self) -> int:
        """Where the open article is in the list (else the cursor)."""
        articles, opened = self.screen.articles, self.opened_row()
        if self.screen.panes.pane == "reader" and opened is not None:
            index = articles.index_of(opened.id)
            if index is not None:
                return index
        return articles.cursor

    def opened_row(self) -> ArticleRow | None:
        """The article the reader shows (or is about to)."""
        article = self.screen.reader.article
        return self.opening or (article.row if article else None)

    def next_unread(self) -> None:
        """Open the next unread article after the current one in this view; past the last,
        the first one from the top (the newest unread)."""
        rows, start = self.screen.articles.rows, self.opened_index() + 1
        opened = self.opened_row()
        for index in range(start, min(rows.total, start + SCAN_AHEAD)):
            row = rows.get(index)
            if row is None:
                break
            if _unread_other(row, opened):
                self.open_at(index)
                return
        current = rows.get(start - 1)
        if isinstance(rows, PagedRows) and current is not None:
            self._find_next_unread(rows, current)
            return
        for index in range(min(start - 1, SCAN_AHEAD)):  # a search's rows, from the top
            row = rows.get(index)
            if row is not None and _unread_other(row, opened):
                self._open_from_top(index)
                return
        self.screen.notify(NO_MORE_UNREAD)

    @background(exclusive=True, group="next-unread")
    async def _find_next_unread(self, rows: PagedRows, current: ArticleRow) -> None:
        db, view = self.screen.db, unread_view(rows.view)
        found = await db.call(Store.page, view, after=current.sort_key, limit=1)
        from_top = not found
        if from_top:
            found = [
                row for row in await db.call(Store.page, view, limit=2) if row.id != current.id
            ]
            if not found:
                self.screen.notify(NO_MORE_UNREAD)
                return
        index = await db.call(Store.position, rows.view, found[0].sort_key)
        if index is None:  # far from both ends: the list opens around it
            await self.screen.views.load_scope(found[0].sort_key, None)
            index = self.screen.articles.cursor
        if from_top:
            self._open_from_top(index)
        else:
            self.open_at(index)

    def _open_from_top(self, index: int) -> None:
        self.open_at(index)
        self.screen.notify("No more unread below: back to the first unread from the top")

    # -- flags ---------------------------------------------------------------------------

    def set_flags(
        self, row: ArticleRow, *, read: bool | None = None, saved: bool | None = None
    ) -> None:
        """Show the new flags at once (list and reader) and write them in the background."""
        self.show_flags(row, read=read, saved=saved)
        self._write_flags([row.id], read=read, saved=saved)

    def show_flags(
        self, row: ArticleRow, *, read: bool | None = None, saved: bool | None = None
    ) -> None:
        """Show new flags in the list and the reader (the store is told separately)."""
        reader = self.screen.reader
        grouped = self.screen.config.settings.group_stories
        story = row.story if grouped else None  # read as one: its row may be another outlet's
        self.screen.articles.update_row(row.id, read=read, saved=saved, story=story)
        if self.opening is not None and self.opening.id == row.id:
            self.opening = self.opening._replace(
                read=self.opening.read if read is None else read,
                saved=self.opening.saved if saved is None else saved,
            )
        if reader.article and reader.article.row.id == row.id:
            reader.mark(read=read, saved=saved)

    def toggle_saved(self) -> None:
        if (row := self.fresh_row(self.target_row())) is None:
            return
        saver = self.screen.query_one(Saver)
        if row.saved:  # shown at once unless the unsave may delete it (`Saver.Unsaving`)
            if any(source.name == row.source for source in self.screen.config.sources):
                self.show_flags(row, saved=False)
            saver.unsave([row])
        else:
            self.set_flags(row, saved=True)
            saver.save([row.id])

    async def show_stored(self, ids: list[int]) -> None:
        """Saved text arrived: show the open article again if it is one of `ids`."""
        reader = self.screen.reader
        opened = reader.article
        if opened is None or opened.row.id not in ids:
            return
        with contextlib.suppress(CacheReplaced):  # that id is another file's article now
            detail = await self.screen.db.by_ids(Store.article, opened.row.id)
            if detail is not None and reader.article is opened:
                reader.show(detail, reader.scroll_line)

    def toggle_read(self) -> None:
        if (row := self.fresh_row(self.target_row())) is not None:
            self.set_flags(row, read=not row.read)

    def fresh_row(self, row: ArticleRow | None) -> ArticleRow | None:
        """The row with the flags as the list currently shows them."""
        if row is None:
            return None
        if self.opening is not None and self.opening.id == row.id:
            return self.opening
        reader, articles = self.screen.reader, self.screen.articles
        if reader.article and reader.article.row.id == row.id:
            return reader.article.row
        index = articles.index_of(row.id)
        listed = articles.rows.get(index) if index is not None else None
        return listed or row

    @background(group="write")
    async def _write_flags(
        self, ids: list[int], *, read: bool | None = None, saved: bool | None = None
    ) -> None:
        db = self.screen.db
        try:
            if read is not None:
                grouped = self.screen.config.settings.group_stories  # a story is read as one
                await db.by_ids(Store.set_story_read if grouped else Store.set_read, ids, read)
            if saved is not None:
                await db.by_ids(Store.set_saved, ids, saved)
        except StoreError:  # not written (a full disk): the rows and the reader as stored
            with contextlib.suppress(StoreError):
                for row in filter(None, [await db.by_ids(Store.row, i) for i in ids]):
                    self.show_flags(row, read=row.read, saved=row.saved)
            self.screen.refreshing.check_outside_writes()  # a file replaced: its rows at once
            raise
        finally:
            self.screen.views.changed()

    @background(group="write")
    async def unhide(self) -> None:
        """`U`: the article a hide rule hid shown again, as `newsdesk unhide` restores it (a
        hide rule leaves it shown from then on); it leaves the `is:hidden` results."""
        if (row := self.target_row()) is None:
            return
        restored = await self.screen.db.by_ids(Store.set_hidden, [row.id], False)
        said = f"{plural(restored, 'article')} restored" if restored else "Not hidden"
        self.screen.notify(said, markup=False)
        self.screen.views.changed(rows=True)

    # -- mark all read and undo ----------------------------------------------------------

    @background(exclusive=True, group="mark-all")
    async def mark_all_read(self) -> None:
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


def _unread_other(row: ArticleRow, opened: ArticleRow | None) -> bool:
    """Whether `N` may go to `row`: unread, and not the article already open."""
    return not row.read and (opened is None or row.id != opened.id)
