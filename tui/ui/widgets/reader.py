"""The reader pane: an article's header, its readable body with numbered links, and the links.

All article text is rendered through `rich.text.Text`, so `[bold]` in an article is shown
literally and never interpreted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from tui.dates import published_text
from tui.models import ArticleDetail
from tui.ui.format import body_text, reading_time, without_background
from tui.ui.paging import with_flags

EMPTY_HINT = "Nothing open.\n\nPick an article and press Enter."


class Reader(VerticalScroll, can_focus=True, inherit_bindings=False):
    """Shows one article."""

    BINDINGS = [
        Binding("j,down", "scroll_down", "Down", id="cursor.down", show=False),
        Binding("k,up", "scroll_up", "Up", id="cursor.up", show=False),
        Binding("g,home", "scroll_home", "Top", id="cursor.first", show=False),
        Binding("G,end", "scroll_end", "Bottom", id="cursor.last", show=False),
        Binding("pagedown", "page_down", "Page down", id="cursor.page_down", show=False),
        Binding("pageup", "page_up", "Page up", id="cursor.page_up", show=False),
        Binding(
            "space",
            "space",
            "More",
            id="reader.space",
            tooltip="Page down; at the end of the article, open the next unread one",
        ),
    ]

    COMPONENT_CLASSES = {"reader--title", "reader--meta", "reader--link", "reader--saved"}

    @dataclass
    class AtEnd(Message):
        """Space was pressed at the end of the article: time for the next unread one."""

    def __init__(self, now: Callable[[], datetime], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.now = now
        self.article: ArticleDetail | None = None
        self.laying_out = False
        """A new article is shown but not laid out yet (it cannot scroll until it is)."""

    def on_mount(self) -> None:
        # Colours are baked into the text: draw it again when the theme changes.
        self.app.theme_changed_signal.subscribe(self, lambda _: self._redraw())

    def _redraw(self) -> None:
        if self.article is not None:
            self.show(self.article, self.scroll_line)

    def compose(self) -> ComposeResult:
        yield Static(Text(EMPTY_HINT), id="reader-meta")
        yield Static(id="reader-body")
        yield Static(id="reader-links")

    def show(self, article: ArticleDetail, scroll: int = 0) -> None:
        """Display `article`, scrolled to `scroll` lines down."""
        self.article = article
        self.query_one("#reader-meta", Static).update(self._meta(article))
        self.query_one("#reader-body", Static).update(
            body_text(article.text, len(article.links), self._style("link"))
        )
        self.query_one("#reader-links", Static).update(self._links(article))
        self.scroll_to(y=scroll, animate=False, immediate=True, force=True)
        self.laying_out = True
        self.call_after_refresh(self._laid_out, scroll)

    def _laid_out(self, scroll: int) -> None:
        self.laying_out = False
        if scroll:  # the body lays out on the next refresh; scroll again now that it has
            self.scroll_to(y=scroll, animate=False)

    def _later(self, scroll: Callable[[], object]) -> bool:
        """Keys that came in the same burst as the one opening the article (j, space, G)
        scroll once it is laid out; True if `scroll` was put off until then."""
        if self.laying_out:
            self.call_after_refresh(scroll)
        return self.laying_out

    def action_scroll_down(self) -> None:
        # Immediate, not animated: each key of a burst moves on from where the last one ended.
        scroll = partial(self.scroll_down, animate=False, immediate=True)
        if not self._later(scroll):
            scroll()

    def action_scroll_up(self) -> None:
        scroll = partial(self.scroll_up, animate=False, immediate=True)
        if not self._later(scroll):
            scroll()

    def action_page_down(self) -> None:
        if not self._later(partial(self.scroll_page_down, animate=False)):
            super().action_page_down()

    def action_page_up(self) -> None:
        if not self._later(partial(self.scroll_page_up, animate=False)):
            super().action_page_up()

    def action_scroll_end(self) -> None:
        if not self._later(partial(self.scroll_end, animate=False, immediate=True)):
            super().action_scroll_end()

    def mark(self, *, read: bool | None = None, saved: bool | None = None) -> None:
        """Reflect a flag change of the open article in its header."""
        if self.article is None:
            return
        self.article = replace(self.article, row=with_flags(self.article.row, read, saved))
        self.query_one("#reader-meta", Static).update(self._meta(self.article))

    def clear(self) -> None:
        """Back to the empty hint."""
        self.article = None
        self.query_one("#reader-meta", Static).update(Text(EMPTY_HINT))
        self.query_one("#reader-body", Static).update("")
        self.query_one("#reader-links", Static).update("")

    def _meta(self, article: ArticleDetail) -> Text:
        row, now = article.row, self.now()
        title = self._style("title")
        meta = self._style("meta")
        text = Text(end="")
        text.append(row.title or "(untitled)", title)
        text.append("\n")
        parts = [row.source] + ([row.author] if row.author else [])
        if row.published:
            parts.append(published_text(row.published, now))
        parts.append(reading_time(article.text))
        text.append(" · ".join(parts), meta)
        if row.url:
            text.append("\n")
            text.append(row.url, self._style("link"))
        if saved := saved_note(article):
            text.append("\n")
            text.append(saved, self._style("saved"))
        return text

    def _links(self, article: ArticleDetail) -> Text:
        if not article.links:
            return Text()
        text = Text("Links\n", self._style("title"))
        link = self._style("link")
        for number, url in enumerate(article.links, 1):
            text.append(f"[{number}] ", link)
            text.append(url + "\n")
        return text

    def _style(self, name: str) -> Style:
        return without_background(self.get_component_rich_style(f"reader--{name}"))

    def action_space(self) -> None:
        if self._later(self.action_space):
            return
        if self.scroll_y >= self.max_scroll_y:
            self.post_message(self.AtEnd())
        else:
            self.scroll_page_down()

    @property
    def scroll_line(self) -> int:
        """How far down the article is scrolled."""
        return round(self.scroll_y)


def saved_note(article: ArticleDetail) -> str:
    """The marker for saved articles: full text, pending, or why the page could not be saved."""
    if article.full_text:
        return "★ saved full text (offline copy)"
    if not article.row.saved:
        return ""
    state = article.save_state
    if state in (None, "ok"):
        return "★ saved"
    if state == "pending":
        return "★ saved · full text pending"
    return f"★ saved · full text unavailable: {state}"
