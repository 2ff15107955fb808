"""A story in the reader: the "also reported by" lines and which of its articles `A` opens."""

from __future__ import annotations

from datetime import datetime

from rich.style import Style
from rich.text import Text

from tui.models import ArticleDetail, ArticleRow
from tui.ui.format import Line, drawable, row_age


def also_lines(article: ArticleDetail, now: datetime, name: Style, meta: Style) -> list[Line]:
    """Each other outlet of the story with its headline's age and the headline itself,
    indented, a long headline's next lines too, in the order `A` opens them."""
    entries = Text()
    for number, row in enumerate(in_turn(article)):
        entries.append("\n" if number else "")
        entries.append(drawable(row.source), name)
        entries.append(f" · {row_age(row, now)} · ", meta)
        entries.append(drawable(row.title) or "(untitled)")
    heading = Text("\n\nAlso reported by (A opens each):", meta)  # after the header's last line
    return [Line((heading,)), Line((entries,), indent=2)]


def in_turn(article: ArticleDetail) -> list[ArticleRow]:
    """The story's other articles from the open one on by date, round and round: those after
    it, then those before."""
    later = [row for row in article.also if row.sort_key > article.row.sort_key]
    return later + [row for row in article.also if row not in later]


def next_also(article: ArticleDetail) -> ArticleRow | None:
    """The article `A` opens: the first in turn (None for an article standing alone)."""
    return next(iter(in_turn(article)), None)
