"""What the keys do to articles: open, next/previous/next unread, read, undo, links.

A layer of the main screen (panes → article actions → views → main). Store writes run on
the database thread; the widgets show the change at once. Fetching saved pages is the
`Saver` widget's job.
"""

from __future__ import annotations

from functools import partial

from textual import on
from textual.binding import Binding

from tui.config import Config
from tui.models import ArticleDetail, ArticleRow
from tui.store import Store
from tui.ui.data import Data
from tui.ui.links import is_web_url, local_file_uri, open_in_browser
from tui.ui.paging import HitRows, PagedRows
from tui.ui.saving import Saver
from tui.ui.scopes import unread_view
from tui.ui.screens.dialogs import ConfirmDialog, LinkPicker
from tui.ui.screens.panes import PanedScreen
from tui.ui.workers import background

ARTICLE_ACTIONS = frozenset(
    {
        "toggle_read", "toggle_saved", "open_in_browser", "copy_link", "pick_link",
        "open_link", "next_article", "previous_article", "next_unread", "mark_all_read",
    }
)  # fmt: skip
CONFIRM_OVER = 20
"""Marking more unread articles than this read asks first."""
SCAN_AHEAD = 500
"""How far `N` looks through loaded rows before asking the store."""

_LINK_KEYS = Binding.Group("Open numbered link")


class ArticleActions(PanedScreen):
    """Article actions, whichever pane has the focus."""

    ACTION_BINDINGS = [
        Binding("n", "next_article", "Next", id="article.next", show=False),
        Binding("p", "previous_article", "Previous", id="article.previous", show=False),
        Binding(
            "N", "next_unread", "Unread", id="article.next_unread", tooltip="Next unread article"
        ),
        Binding("m", "toggle_read", "Read", id="article.read", tooltip="Mark read / unread"),
        Binding(
            "s", "toggle_saved", "Save", id="article.save", tooltip="Save for offline / unsave"
        ),
        Binding(
            "M",
            "mark_all_read",
            "Mark all read",
            id="view.mark_read",
            show=False,
            tooltip="Mark every article in this view read",
        ),
        Binding("u", "undo", "Undo", id="view.undo", show=False, tooltip="Undo mark all read"),
        Binding(
            "o",
            "open_in_browser",
            "Browser",
            id="article.browser",
            show=False,
            tooltip="Open the article in the browser (http/https only)",
        ),
        Binding(
            "y", "copy_link", "Copy link", id="article.copy", show=False, tooltip="Copy its link"
        ),
        Binding("L", "pick_link", "Links", id="article.links", show=False, tooltip="Pick a link"),
        *(
            Binding(
                str(n),
                f"open_link({n})",
                f"Open link {n}",
                id=f"article.link{n}",
                show=False,
                group=_LINK_KEYS,
            )
            for n in range(1, 10)
        ),
    ]

    def __init__(self, config: Config, store: Store, db: Data) -> None:
        super().__init__(config, store, db)
        self.undo_ids: list[list[int]] = []

    def changed(self, rows: bool = False) -> None:
        """Flags changed in the store (the views layer recounts and reloads)."""

    # -- which article ---------------------------------------------------------------------

    def target_row(self) -> ArticleRow | None:
        """The article an action applies to: the open one in the reader, else the selected."""
        if self.pane == "reader" and self.reader.article is not None:
            return self.reader.article.row
        return self.articles.current

    def target_detail(self) -> ArticleDetail | None:
        row = self.target_row()
        if row is None:
            return None
        article = self.reader.article
        return article if article and article.row.id == row.id else self.store.article(row.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide keys that have nothing to act on (and leave them out of the footer)."""
        if action in ARTICLE_ACTIONS:
            return self.target_row() is not None and self.articles_visible()
        if action == "undo":
            return bool(self.undo_ids)
        return super().check_action(action, parameters)

    def action_pane_right(self) -> None:
        """`l` on the list with nothing open opens the selected article."""
        if self.pane == "list" and self.reader.article is None:
            self.action_open_current()
        else:
            super().action_pane_right()

    def action_open_current(self) -> None:
        if (row := self.articles.current) is not None:
            self.open_article(row)

    # -- opening and moving ------------------------------------------------------------------

    def open_article(self, row: ArticleRow) -> None:
        """Show `row` in the reader (marking it read if so configured)."""
        detail = self.store.article(row.id)
        if detail is None:
            self.notify("That article is no longer in the cache", severity="warning")
            return
        mark = self.config.settings.mark_read_on_open and not detail.row.read
        self.reader.show(detail, terms=self.articles.rows.terms)
        if mark:
            self.set_read(detail.row, True)
        self.focus_pane("reader")

    def _open_at(self, index: int) -> None:
        self.articles.move_to(index)
        if (row := self.articles.current) is not None:
            self.open_article(row)

    def action_next_article(self) -> None:
        self._open_at(self._opened_index() + 1)

    def action_previous_article(self) -> None:
        self._open_at(max(0, self._opened_index() - 1))

    def _opened_index(self) -> int:
        if self.pane == "reader" and self.reader.article is not None:
            index = self.articles.index_of(self.reader.article.row.id)
            if index is not None:
                return index
        return self.articles.cursor

    def action_next_unread(self) -> None:
        """Open the next unread article after the current one in this view."""
        rows, start = self.articles.rows, self._opened_index() + 1
        opened = self.reader.article.row.id if self.reader.article else None
        for index in range(start, min(rows.total, start + SCAN_AHEAD)):
            row = rows.get(index)
            if row is None:
                break
            if not row.read and row.id != opened:
                self._open_at(index)
                return
        current = rows.get(start - 1)
        if isinstance(rows, PagedRows) and current is not None and start < rows.total:
            self._find_next_unread(rows, current)
        else:
            self.notify("No more unread articles here")

    @background(exclusive=True, group="next-unread")
    async def _find_next_unread(self, rows: PagedRows, current: ArticleRow) -> None:
        found = await self.db.call(
            Store.page, unread_view(rows.view), after=current.sort_key, limit=1
        )
        if not found:
            self.notify("No more unread articles here")
            return
        index = await self.db.call(Store.position, rows.view, found[0].sort_key)
        self._open_at(index)

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
        self.articles.update_row(row.id, read=read, saved=saved)
        if self.reader.article and self.reader.article.row.id == row.id:
            self.reader.mark(read=read, saved=saved)

    @property
    def saver(self) -> Saver:
        return self.query_one(Saver)

    def action_toggle_saved(self) -> None:
        if (row := self.fresh_row(self.target_row())) is None:
            return
        if row.saved:
            self.show_flags(row, saved=False)
            self.saver.unsave([row.id])
        else:
            self.set_flags(row, saved=True)
            self.saver.save([row.id])

    @on(Saver.Unsaved)
    def _unsaved(self) -> None:
        self.changed()

    @on(Saver.Stored)
    async def _stored(self, event: Saver.Stored) -> None:
        """Saved text arrived: reload the rows, and show the open article again if it is one."""
        self.changed(rows=True)
        opened = self.reader.article
        if opened is None or opened.row.id not in event.ids:
            return
        detail = await self.db.call(Store.article, opened.row.id)
        if detail is not None and self.reader.article is opened:
            self.reader.show(detail, self.reader.scroll_line)

    def set_read(self, row: ArticleRow, read: bool) -> None:
        self.set_flags(row, read=read)

    def action_toggle_read(self) -> None:
        if (row := self.fresh_row(self.target_row())) is not None:
            self.set_read(row, not row.read)

    def fresh_row(self, row: ArticleRow | None) -> ArticleRow | None:
        """The row with the flags as the list currently shows them."""
        if row is None:
            return None
        index = self.articles.index_of(row.id)
        listed = self.articles.rows.get(index) if index is not None else None
        if self.reader.article and self.reader.article.row.id == row.id:
            return self.reader.article.row
        return listed or row

    @background(group="write")
    async def _write_flags(
        self, ids: list[int], *, read: bool | None = None, saved: bool | None = None
    ) -> None:
        if read is not None:
            grouped = self.config.settings.group_stories  # then a story is read as one
            await self.db.call(Store.set_story_read if grouped else Store.set_read, ids, read)
        if saved is not None:
            await self.db.call(Store.set_saved, ids, saved)
        self.changed()

    # -- mark all read and undo ----------------------------------------------------------

    def action_mark_all_read(self) -> None:
        self._mark_all_read()

    @background(exclusive=True, group="mark-all")
    async def _mark_all_read(self) -> None:
        rows = self.articles.rows
        if isinstance(rows, HitRows):  # every result, not only the pages loaded so far
            rows = await self.db.call(rows.every_page)
        if isinstance(rows, PagedRows):
            count = await self.db.call(Store.count, unread_view(rows.view))
        else:
            ids = [r.id for i in range(rows.total) if (r := rows.get(i)) and not r.read]
            count = len(ids)
        if count == 0:
            self.notify("Nothing unread here")
            return
        if count > CONFIRM_OVER:
            question = f"Mark {count:,} unread articles here as read?"
            if not await self.app.push_screen_wait(ConfirmDialog(question)):
                return
        if isinstance(rows, PagedRows):
            ids = await self.db.call(Store.mark_view_read, rows.view)
        else:
            await self.db.call(Store.set_read, ids, True)
        self.undo_ids.append(ids)
        self.notify(f"Marked {len(ids):,} read · u to undo")
        self.changed(rows=True)

    @background(exclusive=True, group="mark-all")
    async def action_undo(self) -> None:
        if not self.undo_ids:
            self.notify("Nothing to undo")
            return
        ids = self.undo_ids.pop()
        await self.db.call(Store.set_read, ids, False)
        self.notify(f"Marked {len(ids):,} unread again")
        self.changed(rows=True)

    # -- links ---------------------------------------------------------------------------

    def action_open_in_browser(self) -> None:
        row = self.target_row()
        if row is not None and not row.url:
            self.notify("This article has no link", severity="warning")
        elif row is not None:
            self.open_url(row.url)

    def action_copy_link(self) -> None:
        row = self.target_row()
        if row is None or not row.url:
            self.notify("This article has no link", severity="warning")
            return
        self.app.copy_to_clipboard(row.url)
        self.notify("Link copied", markup=False)

    def action_open_link(self, number: int) -> None:
        detail = self.target_detail()
        if detail is None:
            return
        if not 1 <= number <= len(detail.links):
            self.notify(f"No link [{number}] in this article", severity="warning", markup=False)
            return
        self.open_link(detail.row.id, detail.links[number - 1])

    def action_pick_link(self) -> None:
        detail = self.target_detail()
        if detail is None or not detail.links:
            self.notify("This article has no numbered links")
            return
        self.app.push_screen(LinkPicker(detail.links), partial(self.open_link, detail.row.id))

    def open_link(self, article_id: int, url: str | None) -> None:
        """Open an article's link: the saved local copy of an image, else the web page."""
        if url is not None:
            self._open_link(article_id, url)

    @background(group="links")
    async def _open_link(self, article_id: int, url: str) -> None:
        if is_web_url(url) and not self.app.is_web:
            path = await self.db.call(Store.local_image, article_id, url, self.db.cache_dir)
            uri = local_file_uri(path, self.db.cache_dir) if path else None
            if uri is not None:
                self._open_in_thread(uri)
                return
        self.open_url(url)

    def open_url(self, url: str | None) -> None:
        """Open an http(s) link in the browser; anything else is refused."""
        if url is None:
            return
        if not is_web_url(url):
            self.notify(f"Not opening {url!r}: only http and https links", severity="warning",
                        markup=False)  # fmt: skip
            return
        if self.app.is_web:
            self.app.open_url(url)
        else:
            self._open_in_thread(url)

    @background(thread=True)
    def _open_in_thread(self, url: str) -> None:
        if not open_in_browser(url):
            self.app.call_from_thread(self.app.copy_to_clipboard, url)
            self.notify("No graphical browser found: link copied instead", markup=False)
