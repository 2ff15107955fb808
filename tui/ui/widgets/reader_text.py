"""The reader's text around an article's body: its header and the numbered links under it.

Every piece of article text goes into `rich.text.Text` as plain text (never markup), in the
reader's styles (`style(name)` gives `reader--name` without its background).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.style import Style
from rich.text import Text
from textual import events
from textual.widgets import Static

from tui.dates import AGES_MOVE_EVERY, published_text, relative_age
from tui.models import ArticleDetail
from tui.offline import media
from tui.ui.format import (
    LINK_NUMBER,
    Line,
    Marked,
    Parted,
    clickable,
    drawable,
    link_label,
    reading_time,
    saved_note,
)
from tui.ui.widgets.story import also_lines
from tui.weburl import shown_link

EMPTY_HINT = "Nothing open.\n\nPick an article and press Enter."
TITLE_ROWS = 3
"""The most rows a title takes in the header, its end then `…` (`show` prints it whole)."""


def header(article: ArticleDetail, now: datetime, style: Callable[[str], Style]) -> Parted:
    """Title; source, author, date and reading time; address; saved note; other outlets."""
    row = article.row
    title, meta = style("title"), style("meta")
    parts = [drawable(row.source)] + ([drawable(row.author)] if row.author else [])
    if row.published:
        parts.append(published_text(row.published, now, dated=row.dated))
    parts.append(reading_time(article.text))  # marks count as words: a rounding error
    lines = [
        Line((Text(drawable(row.title) or "(untitled)", title),), most=TITLE_ROWS),
        Line(tuple(Text(part, meta) for part in parts)),
    ]
    if row.url:
        lines.append(Line((Text(shown_link(row.url), clickable(style("link"), 0)),)))
    if saved := saved_note(article):
        lines.append(Line((Text(saved, style("saved")),)))
    if article.also:
        lines += also_lines(article, now, title, meta)
    return Parted(lines, Text(" · ", meta))


class ReaderHeader(Static):
    """The open article's header, drawn again when an age in it ("(5m)") has moved on."""

    def __init__(
        self,
        now: Callable[[], datetime],
        style: Callable[[str], Style],
        *,
        id: str,  # noqa: A002
    ) -> None:
        super().__init__(Text(EMPTY_HINT), id=id, markup=False)
        self.now, self.style_of = now, style
        self.article: ArticleDetail | None = None
        self._ages: tuple[str, ...] = ()

    def on_mount(self) -> None:
        self.set_interval(AGES_MOVE_EVERY, self.show_ages)

    def show(self, article: ArticleDetail | None) -> None:
        """The header of `article`, or the empty hint."""
        self.article = article
        if article is None:
            self.update(Text(EMPTY_HINT))
            return
        now = self.now()
        self._ages = _ages(article, now)
        self.update(header(article, now, self.style_of))

    def show_ages(self) -> None:
        """Draw the header again if an age in it has moved on (every `AGES_MOVE_EVERY`)."""
        if self.article is not None and _ages(self.article, self.now()) != self._ages:
            self.show(self.article)


def _ages(article: ArticleDetail, now: datetime) -> tuple[str, ...]:
    return tuple(relative_age(row.published, now) for row in (article.row, *article.also))


def links(article: ArticleDetail, style: Callable[[str], Style]) -> Marked:
    """The article's links, numbered as in its text, then its attachments (one line each,
    wrapped beside its number; no blank line after the last: the article ends there)."""
    link = style("link")
    lines = [(Text(), Text("Links", style("title")))]
    for number, url in enumerate(article.links, 1):
        mark = Text(f"[{number}] ", clickable(link, number))
        lines.append((mark, Text(link_label(url), clickable(Style(), number))))
    for enclosure in article.enclosures:
        label = f"{shown_link(enclosure.url)} ({media.details(enclosure)})"
        lines.append((Text("[▶] ", link), Text(label)))
    return Marked(*lines)


def clicked_link(article: ArticleDetail | None, click: events.Click) -> str | None:
    """The link a left click fell on (its number, the address under the title, a link
    listed under the text), as the picker has it; None elsewhere, and for the second click
    of a double click (which selects a word)."""
    number = click.style.meta.get(LINK_NUMBER)
    if article is None or not isinstance(number, int) or click.button != 1 or click.chain != 1:
        return None
    if number == 0:
        return article.row.url or None
    return article.links[number - 1] if 1 <= number <= len(article.links) else None
