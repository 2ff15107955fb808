"""The reader pane: an article's header, its body with its structure and images, the links.

Article text is rendered through `rich.text.Text` (`[bold]` in it is shown literally). The
header shows at once; the body (blocks parsed, styled, image sizes read) is built in a worker
and swapped in, so a long article never holds the UI. `z` gives the reader the whole screen,
`]`/`[` move between search matches; the screen's `e` and `E` play and download attachments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from pathlib import Path

from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from tui.models import ArticleDetail, ArticleRow
from tui.settings import Settings
from tui.ui.body import BodyStyles, ImageSpot
from tui.ui.format import without_background
from tui.ui.paging import with_flags
from tui.ui.widgets.article_body import ArticleBody
from tui.ui.widgets.reader_attachments import NO_ATTACHMENT, Attachments
from tui.ui.widgets.reader_build import Built, Look, build
from tui.ui.widgets.reader_keys import READER_BINDINGS
from tui.ui.widgets.reader_media import ReaderMedia
from tui.ui.widgets.reader_text import ReaderHeader, clicked_link, links
from tui.ui.widgets.story import next_also
from tui.ui.workers import background

LAYOUT_TRIES = 9
"""Refreshes a new article's scroll waits for the screen to lay its body out (one; a few on
a loaded machine): past them it scrolls as far as the body then reaches."""


class Reader(VerticalScroll, can_focus=True, inherit_bindings=False):
    """Shows one article."""

    ALLOW_MAXIMIZE = True

    BINDINGS = [*READER_BINDINGS]

    COMPONENT_CLASSES = {
        "reader--title", "reader--meta", "reader--link", "reader--saved", "reader--heading",
        "reader--quote", "reader--code", "reader--rule", "reader--match",
    }  # fmt: skip

    @dataclass
    class AtEnd(Message):
        """Space was pressed at the end of the article: time for the next unread one."""

    @dataclass
    class OpenAlso(Message):
        """`A`: open this other article of the open one's story."""

        row: ArticleRow

    @dataclass
    class LinkClicked(Message):
        """A click on a link's text: open `url`, of article `article_id`, as the picker does."""

        article_id: int
        url: str

    def __init__(
        self,
        now: Callable[[], datetime],
        reader_media: ReaderMedia | None = None,
        *,
        id: str | None = None,  # noqa: A002
    ) -> None:
        super().__init__(id=id)
        self.now = now
        self.media = reader_media or ReaderMedia()
        self.article: ArticleDetail | None = None
        self.terms: tuple[str, ...] = ()  # the search terms highlighted in the article
        self.images: dict[str, Path] | None = None
        """Local files of the open article's images that can be drawn (None: not looked up)."""
        self.laying_out = False
        """A new article is shown but not laid out yet (it cannot scroll until it is)."""
        self.off_screen = False
        """Its body is built, but the reader is off screen (a narrow terminal's list in
        front): it is laid out and scrolled when it is shown."""
        self.built_width = 0  # the width the body's lines were wrapped at
        self.opening = 0  # where the article being laid out is to be scrolled to
        self.opening_place: tuple[int, int] | None = None  # or the text it is to show on top
        self.put_off: list[Callable[[], object]] = []  # scrolls to do once it is laid out
        self.ahead: Built | None = None  # the body of the article the list's cursor is on
        self._laid_max = self._laid_top = 0  # its last layout's scroll range and body's top

    def on_mount(self) -> None:
        # Colours are baked into the text: draw it again when the theme changes.
        self.app.theme_changed_signal.subscribe(self, lambda _: self._redraw())

    def watch_has_focus(self, has_focus: bool) -> None:
        """No restyle (Textual's, of the reader's dozen widgets: ~3.8 ms of each Enter): no
        rule selects it or anything in it by its focus (its box's border shows the pane)."""
        self.refresh()

    def on_resize(self) -> None:
        # Textual cuts the scroll to the new size's end (zoomed: taller) but not where keys
        # scroll on from: as far into the article as before, in both (no jump at the next j).
        if self.article and not self.laying_out:
            self.call_after_refresh(self._scroll_to_share, self._share())
        self._rewrap(self.place)

    on_show = on_resize  # shown again at its old size: no Resize comes

    def _rewrap(self, place: tuple[int, int] | None = None) -> None:
        """Wrapped at another width (the old one; a guess while off screen, the list filling
        a narrow terminal): wrap again (in the worker), the text at `place` on top, as a
        restart keeps it (at the end: at the end); a build under way keeps its scroll."""
        if self.article and self._width() != self.built_width:
            if not self.laying_out:  # then scrolled to `place` as `_laid_out` does, or by share
                self.opening_place = place if self._share() < 1 else None
            keep = self.laying_out or self.opening_place is not None
            self._lay_out_article(self.article, self.opening if keep else None)
        elif self.off_screen:  # built at the width it has now: scrolled once laid out
            self.off_screen = False
            self.call_after_refresh(self._laid_out, self.opening)

    def _redraw(self) -> None:
        if self.article is not None:
            self.show(self.article, self.scroll_line, self.terms)

    def use_settings(self, settings: Settings) -> None:
        """The config read again (`R`): its `images`, `fetch_images`, `player` and
        `media_max_mb` from now on; the open article drawn again if its images are drawn
        otherwise now."""
        drawn = (self.media.settings.images, self.media.settings.fetch_images)
        self.media = replace(self.media, settings=settings)  # the same downloads under way
        self.query_one(Attachments).media = self.media
        if drawn != (settings.images, settings.fetch_images):
            self.ahead, self.images = None, None  # built and looked up with the old ones
            self._redraw()

    def compose(self) -> ComposeResult:
        yield ReaderHeader(self.now, self._style, id="reader-meta")
        yield ArticleBody(id="reader-body")
        title = Static(id="reader-attachments-title", markup=False)
        title.display = False  # until an article has attachments
        yield title
        yield Attachments(self.media, id="reader-attachments")
        yield Static(id="reader-links", markup=False)

    @property
    def body(self) -> ArticleBody:
        return self.query_one("#reader-body", ArticleBody)

    def show(
        self,
        article: ArticleDetail,
        scroll: int = 0,
        terms: tuple[str, ...] = (),
        place: tuple[int, int] | None = None,
    ) -> None:
        """Display `article`, scrolled to `scroll` lines down (or to the text at `place`, which
        is the same at any width), with `terms` highlighted."""
        ahead, self.ahead = self.ahead, None
        new = not self._showing(article.row.id)
        if new or self.article is None or self.article.text != article.text:  # a saved page's
            self.images, self.built_width = None, 0  # text: its images are looked up again
        if new:
            self.body.show([], "off", 0)  # the last article's body goes at once
        self.article, self.terms, self.body.match = article, terms, -1
        self.border_subtitle = ""  # the last article's "match N of M"
        self.query_one(ReaderHeader).show(article)
        self._show_links(article)
        self.scroll_to(y=scroll, animate=False, immediate=True, force=True)
        self.laying_out, self.opening, self.off_screen = True, scroll, False
        self.opening_place = place
        # Built ahead, unless of the article on show (its images may have come since).
        if new and ahead is not None and ahead.fits(article.row.id, self._look(terms)):
            self._swap_in(ahead, scroll)
        else:
            self._lay_out_article(article, scroll)

    async def build_ahead(self, article: ArticleDetail, terms: tuple[str, ...]) -> None:
        """Build `article`'s body for `show` (the read-ahead), at the width it will have."""
        look = self._look(terms)
        if look.width:
            self.ahead = await build(article, look, self.media, self.app.console)

    @background(exclusive=True, group="reader-body")
    async def _lay_out_article(self, article: ArticleDetail, scroll: int | None) -> None:
        """Build the body off the UI thread, then swap it in."""
        look = self._look(self.terms)
        if not look.width:  # no room for it (the sources pane fills a narrow terminal): laid
            self.built_width = 0  # out when shown, whatever width it was built at before
            return
        built = await build(article, look, self.media, self.app.console, self.images)
        if self._showing(article.row.id):
            self._swap_in(built, scroll)

    def _showing(self, article_id: int) -> bool:
        return self.article is not None and self.article.row.id == article_id

    def _swap_in(self, built: Built, scroll: int | None) -> None:
        """Show a built body; fetch its missing images after."""
        share = self._share()
        self.images, self.built_width = dict(built.images), built.look.width
        self.body.show(built.parts, self.media.image_mode, built.look.width)
        if scroll is not None:  # a new article or a new look
            self.call_after_refresh(self._laid_out, scroll)
        else:  # the same, rewrapped (zoomed, resized): as far into it as before
            self.call_after_refresh(self._scroll_to_share, share)
        if missing := [p.url for p in built.parts if isinstance(p, ImageSpot) and not p.path]:
            self._fetch_images(built.article_id, missing)

    def _share(self) -> float:
        """How far into the article the reader was scrolled, as the last layout measured it
        (0 at the top, 1 at the end)."""
        laid = self._laid_max or self.max_scroll_y  # not measured yet: as it is now
        return min(1.0, self.scroll_target_y / laid) if laid else 0.0

    def _measure(self) -> None:
        """Keep the layout's measures, for when the reader is off screen and has none."""
        self._laid_max, self._laid_top = self.max_scroll_y, self.body.top

    def _scroll_to_share(self, share: float) -> None:
        self._measure()
        self.scroll_to(y=round(share * self._laid_max), animate=False, immediate=True, force=True)

    def _look(self, terms: tuple[str, ...]) -> Look:
        """A body's width and styles, with `terms` highlighted."""
        return Look(self._width(), terms, self._body_styles())

    def _width(self) -> int:
        """The body's width: the reader's own (0 until laid out), or while it is off screen
        (a narrow terminal shows one pane at a time) the one it will have in the list's
        place, the whole width of their box; 0 while that is off screen too."""
        if self.display:
            return self.scrollable_content_region.width
        box = self.parent.content_region.width if isinstance(self.parent, Widget) else 0
        room = box - self.styles.gutter.width - self.styles.scrollbar_size_vertical
        return max(room, 0) if box else 0

    @background(exclusive=True, group="reader-images")
    async def _fetch_images(self, article_id: int, urls: list[str]) -> None:
        """Fetch the images of an article that is not saved; each is drawn as it arrives."""
        async for url, path in self.media.fetch_images(article_id, urls):
            if not self._showing(article_id) or self.images is None:
                return
            self.images[url] = path
            self.body.arrived(url, path)

    def _body_styles(self) -> BodyStyles:
        style = self._style
        return BodyStyles(
            style("heading"), style("quote"), style("code"), style("link"), style("match"),
            style("rule"),
        )  # fmt: skip

    def _laid_out(self, scroll: int, tries: int = LAYOUT_TRIES) -> None:
        if not self.display:  # nowhere to scroll: `scroll` waits until it is shown
            self.off_screen = True
            return
        if self.body.size.height < len(self.body.rows) and tries:  # a loaded machine can
            self.call_after_refresh(self._laid_out, scroll, tries - 1)  # lay out a frame late
            return
        self.laying_out = False
        self._measure()
        place, self.opening_place = self.opening_place, None
        if place is not None and 0 <= place[0] < len(self.body.runs):
            scroll = self.body.top + self.body.match_line(*place)
        if scroll:  # the body lays out on the next refresh; scroll again now that it has
            self.scroll_to(y=scroll, animate=False, immediate=True)
        put_off, self.put_off = self.put_off, []
        for action in put_off:
            action()

    def _later(self, scroll: Callable[[], object]) -> bool:
        """Keys that came in the same burst as the one opening the article (j, space, G)
        scroll once it is built and laid out; True if `scroll` was put off until then."""
        if self.laying_out:
            self.put_off.append(scroll)
        return self.laying_out

    def _scroll(self, scroll: Callable[[], object]) -> None:
        """`scroll` now, or once the article is laid out (`_later`)."""
        if not self._later(scroll):
            scroll()

    # Every scroll at once, not in Textual's glide, as less and newsboat show them: each key
    # of a burst moves on from where the last one ended; a page glided for ~340 ms (a second
    # space during it paged again instead of going on to the next unread), and across a long
    # article `G` jumped hundreds of rows a frame before it came to the end.
    def action_scroll_down(self) -> None:
        self._scroll(partial(self.scroll_down, animate=False, immediate=True))

    def action_scroll_up(self) -> None:
        self._scroll(partial(self.scroll_up, animate=False, immediate=True))

    def action_page_down(self) -> None:
        self._scroll(partial(self.scroll_page_down, animate=False))

    def action_page_up(self) -> None:
        self._scroll(partial(self.scroll_page_up, animate=False))

    def action_scroll_home(self) -> None:
        self._scroll(partial(self.scroll_home, animate=False, immediate=True))

    def action_scroll_end(self) -> None:
        self._scroll(partial(self.scroll_end, animate=False, immediate=True))

    def mark(self, *, read: bool | None = None, saved: bool | None = None) -> None:
        """Reflect a flag change of the open article in its header."""
        if self.article is None:
            return
        self.article = replace(self.article, row=with_flags(self.article.row, read, saved))
        self.query_one(ReaderHeader).show(self.article)

    def show_also(self, also: tuple[ArticleRow, ...]) -> None:
        """The open article's story as it now stands: its other articles in the header."""
        if self.article is not None:
            story = also[0].story if also else self.article.row.story  # one it now stands in
            row = self.article.row._replace(story=story)
            self.article = replace(self.article, row=row, also=also)
            self.query_one(ReaderHeader).show(self.article)

    def clear(self) -> None:
        """Back to the empty hint."""
        self.article = None
        self.query_one(ReaderHeader).show(None)
        self.body.show([], "off", 0)
        self.query_one("#reader-links", Static).display = False
        self.query_one("#reader-attachments-title", Static).display = False
        self.attachments.show((), [])

    def _show_links(self, article: ArticleDetail) -> None:
        """The attachments and the numbered links under the text."""
        lines = self.media.enclosure_lines(article.enclosures)
        title = self.query_one("#reader-attachments-title", Static)
        title.update(Text("Attachments (e plays, E downloads)", self._style("title")))
        title.display = bool(lines)
        self.attachments.show(article.enclosures, lines)
        listed = self.query_one("#reader-links", Static)
        listed.display = bool(article.links or article.enclosures)  # no blank rows for none
        listed.update(links(article, self._style))

    def _style(self, name: str) -> Style:
        return without_background(self.get_component_rich_style(f"reader--{name}"))

    def action_space(self) -> None:
        if self._later(self.action_space):
            return
        if self.scroll_y >= self.max_scroll_y:
            self.post_message(self.AtEnd())
        else:
            self.scroll_page_down(animate=False)

    def on_click(self, event: events.Click) -> None:
        """A left click on a link opens it, but not at the end of a drag selecting text."""
        url = None if self.screen.selections else clicked_link(self.article, event)
        if url is not None and self.article is not None:
            self.post_message(self.LinkClicked(self.article.row.id, url))

    def action_open_also(self) -> None:
        found = next_also(self.article) if self.article is not None else None
        if found is None:
            self.notify("No other outlet reported this story")
        else:
            self.post_message(self.OpenAlso(found))

    def action_zoom(self) -> None:
        self._measure()  # at the size it leaves (no Resize comes)
        share, place = self._share(), self.place
        if self.is_maximized:
            self.screen.minimize()
        else:
            self.screen.maximize(self)
        self.call_after_refresh(self._scroll_to_share, share)
        self.call_after_refresh(self._rewrap, place)  # at the new width: no Resize either

    def action_next_match(self) -> None:
        self._go_to_match(+1)

    def action_previous_match(self) -> None:
        self._go_to_match(-1)

    def _go_to_match(self, step: int) -> None:
        height = self.scrollable_content_region.height
        row, total = self.body.go_to_match(self.terms, step, self.scroll_y, height)
        if not total:
            self.notify("No search matches in this article", severity="warning")
            return
        self.scroll_to(y=max(0, row - 2), animate=False, immediate=True)
        # On the border: a toast covered the last rows, where a match near the end stays.
        self.border_subtitle = f"match {self.body.match + 1} of {total}"

    @property
    def attachments(self) -> Attachments:
        return self.query_one("#reader-attachments", Attachments)

    def attachment(self, download: bool) -> None:
        """`e` plays, `E` downloads the only attachment; with several, the user picks one."""
        enclosures = self.article.enclosures if self.article else ()
        if not enclosures:
            self.notify(NO_ATTACHMENT)
        elif len(enclosures) == 1:
            self.attachments.use(enclosures[0], download)
        else:
            self.attachments.focus()
            self.scroll_to_widget(self.attachments, animate=False)
            self.notify("Pick an attachment: e or Enter plays it, E downloads it, Esc goes back")

    @on(Attachments.Back)
    def _back(self) -> None:
        self.focus()

    @property
    def scroll_line(self) -> int:
        """How far down the article is scrolled (or is to be, once laid out)."""
        return self.opening if self.laying_out else round(self.scroll_y)

    @property
    def place(self) -> tuple[int, int] | None:
        """Where in the text the top row is (`ArticleBody.place_at`); None in the header."""
        if self.laying_out:
            return self.opening_place
        row = self.scroll_line - (self.body.top if self.display else self._laid_top)
        return self.body.place_at(row) if row >= 0 and self.article else None
