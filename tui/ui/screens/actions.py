"""What the keys do to articles: open, next/previous/next unread, read, save (`M` and `u`:
its `MarkAll`).

`ArticleActions` is a helper the main screen holds (not a base class); the screen's action
methods hand the keys to it. Store calls go through the data door in workers; the list and the
reader show a change at once, and `m` and `s` write the opposite of the flag as stored (another
process may have changed it). Saved pages are the `Saver` widget's job, links `LinkActions`'.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from textual.dom import DOMNode

from tui.models import ArticleDetail, ArticleRow
from tui.store import CACHE_BUSY, CacheLocked, CacheReplaced, Store, StoreError
from tui.text import plural
from tui.ui.paging import PagedRows
from tui.ui.saving import GONE, Saver
from tui.ui.scopes import unread_view
from tui.ui.screens.action_keys import ARTICLE_ACTIONS
from tui.ui.screens.mark_all import MarkAll
from tui.ui.workers import Told, background

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen

P = ParamSpec("P")
R = TypeVar("R")
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
        self.all = MarkAll(screen)
        self.opening: ArticleRow | None = None
        """The article being opened (its text is on its way from the store)."""
        self.ahead: ArticleDetail | None = None
        """The selected row's text, read while the cursor rests on it: Enter shows it at once."""
        self._resting: tuple[ArticleRow | None, float] = (None, 0.0)
        """The selected row and since when (monotonic seconds)."""
        self._reading = False
        self.shown = 0
        """Flag changes shown so far: a read of the stored flags begun before one is stale."""

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
        act on it; its text follows from the store. Where stories are grouped, a story's row
        unread marks it (all of it) read, though the article it opens is read: another
        outlet's article came since, or was marked unread."""
        settings = self.screen.config.settings
        story_unread = settings.group_stories and not row.read
        row = self.fresh_row(row) or row
        mark = settings.mark_read_on_open and (story_unread or not row.read)
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
        self.shown += 1
        grouped = self.screen.config.settings.group_stories
        story = row.story if grouped else None  # read as one: its row may be another outlet's
        self.screen.articles.update_row(row.id, read=read, saved=saved, story=story)
        self._show_open_flags(row.id, read=read, saved=saved)

    def _show_open_flags(self, article_id: int, *, read: bool | None, saved: bool | None) -> None:
        """The flags of the article the reader shows (or is opening), if it is `article_id`."""
        reader = self.screen.reader
        if self.opening is not None and self.opening.id == article_id:
            self.opening = self.opening._replace(
                read=self.opening.read if read is None else read,
                saved=self.opening.saved if saved is None else saved,
            )
        if reader.article and reader.article.row.id == article_id:
            reader.mark(read=read, saved=saved)

    async def follow_store(self) -> None:
        """Another process wrote: the open article's flags as stored (its header says what
        `s` and `m` will do), unless a key changed them while they were read."""
        if (opened := self.opened_row()) is None:
            return
        shown = self.shown
        with contextlib.suppress(CacheReplaced):  # the rows of the file before are dropped
            stored = await self.screen.db.by_ids(Store.row, opened.id)
            if stored is not None and shown == self.shown:
                self._show_open_flags(opened.id, read=stored.read, saved=stored.saved)

    @background(exclusive=True, group="story")
    async def follow_story(self) -> None:
        """A refresh or another process may have added articles to the open article's
        story: its "Also reported by" as stored (one query, for that story alone)."""
        reader = self.screen.reader
        if (opened := reader.article) is None:
            return
        with contextlib.suppress(CacheReplaced):  # the rows of the file before are dropped
            also = tuple(await self.screen.db.by_ids(Store.story_others, opened.row.id))
            if reader.article is not None and reader.article.row.id == opened.row.id:
                if also != reader.article.also:
                    reader.show_also(also)

    def toggle_saved(self) -> None:
        """`s`, shown at once (an unsave that may delete it, only once it goes ahead), then
        decided by the flag as stored: another process may have changed it since."""
        if (row := self.fresh_row(self.target_row())) is None:
            return
        if not row.saved or self._in_config(row):
            self.show_flags(row, saved=not row.saved)
        self._toggle_saved(row)

    def _in_config(self, row: ArticleRow) -> bool:
        """Whether `row`'s source is configured (an unsave then deletes nothing)."""
        return any(source.name == row.source for source in self.screen.config.sources)

    @background(group="write")
    async def _toggle_saved(self, row: ArticleRow) -> None:
        doing = "unsave" if row.saved else "save"
        was_saved = await self._written([row.id], doing, saved_unless_saved, row.id)
        if was_saved is None:  # deleted from the cache since it was shown
            self.show_flags(row, saved=row.saved)
            self.screen.notify(GONE, severity="warning")
        elif was_saved:  # ★ until a deleting unsave goes ahead (`Saver.Unsaving`)
            self.show_flags(row, saved=not self._in_config(row))
            self.screen.query_one(Saver).unsave([row._replace(saved=True)])
        else:
            self.show_flags(row, saved=True)
            self.screen.query_one(Saver).save([row.id])

    async def show_stored(self, ids: list[int]) -> None:
        """Saved text arrived, or an unsave dropped it (the feed's text is shown then): show
        the open article again if it is one of `ids`."""
        reader = self.screen.reader
        opened = reader.article
        if opened is None or opened.row.id not in ids:
            return
        with contextlib.suppress(CacheReplaced):  # that id is another file's article now
            detail = await self.screen.db.by_ids(Store.article, opened.row.id)
            if detail is not None and reader.article is opened:
                reader.show(detail, reader.scroll_line)

    def toggle_read(self) -> None:
        """`m`, shown at once, then written as the opposite of the flag as stored."""
        if (row := self.fresh_row(self.target_row())) is not None:
            self.show_flags(row, read=not row.read)
            self._toggle_read(row)

    @background(group="write")
    async def _toggle_read(self, row: ArticleRow) -> None:
        grouped = self.screen.config.settings.group_stories
        read = await self._written([row.id], "mark", flipped_read, row.id, grouped)
        if read is not None and read != (not row.read):  # the screen's copy was behind
            self.show_flags(row, read=read)

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
        grouped = self.screen.config.settings.group_stories  # a story is read as one
        if read is not None:
            set_read = Store.set_story_read if grouped else Store.set_read
            await self._written(ids, "mark", set_read, ids, read)
        if saved is not None:
            await self._written(ids, "save" if saved else "unsave", Store.set_saved, ids, saved)

    async def _written(
        self,
        ids: list[int],
        doing: str,
        func: Callable[Concatenate[Store, P], R],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        """`func` run on the store for a flags key; if it failed (a full disk), the rows and
        the reader show the flags as stored, and the failure is raised."""
        db = self.screen.db
        try:
            return await db.by_ids(func, *args, **kwargs)
        except StoreError as failure:
            with contextlib.suppress(StoreError):
                for row in filter(None, [await db.by_ids(Store.row, i) for i in ids]):
                    self.show_flags(row, read=row.read, saved=row.saved)
            self.screen.refreshing.check_outside_writes()  # a file replaced: its rows at once
            if isinstance(failure, CacheLocked):  # said as what the key did not do
                raise Told(f"Could not {doing}: {CACHE_BUSY}; try again") from failure
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


def flipped_read(store: Store, article_id: int, grouped: bool) -> bool | None:
    """`m` on the flag as stored (another process may have changed it since it was shown):
    the article (its story, where stories are grouped: read only while all of it is, as its
    row shows it) marked the other way; the new flag (None: no longer in the cache)."""
    if (row := store.row(article_id)) is None:
        return None
    if not grouped:
        store.set_read([article_id], not row.read)
        return not row.read
    read = row.read and not store.stories_unread([row.story])
    store.set_story_read([article_id], not read)
    return not read


def saved_unless_saved(store: Store, article_id: int) -> bool | None:
    """`s` on the flag as stored: True when the article was saved (the unsave, which may ask
    first, is the caller's), else it is flagged saved now and False (None: not in the cache)."""
    if (row := store.row(article_id)) is None:
        return None
    if not row.saved:
        store.set_saved([article_id], True)
    return row.saved


def _unread_other(row: ArticleRow, opened: ArticleRow | None) -> bool:
    """Whether `N` may go to `row`: unread, and not the article already open."""
    return not row.read and (opened is None or row.id != opened.id)
