"""A story in the reader: the "also reported by" lines and which of its articles `A` opens."""

from __future__ import annotations

from datetime import datetime

from rich.style import Style
from rich.text import Text

from tui.models import ArticleDetail, ArticleRow
from tui.ui.format import Line, drawable, row_age


def also_lines(article: ArticleDetail, now: datetime, name: Style, meta: Style) -> list[Line]:
    """Each other outlet of the story with its headline's age and the headline itself,
    indented, in the order `A` opens them: a line of parts, which breaks between them as the
    header's line under the title does (a headline that does not fit beside the outlet goes
    on the next row, never leaving the ` · ` at the end of one), a long one going on under
    its start."""
    heading = Text("\n\nAlso reported by (A opens each):", meta)  # after the header's last line
    entries = [
        Line(
            (
                Text(drawable(row.source), name),
                Text(row_age(row, now), meta),
                Text(drawable(row.title) or "(untitled)"),
            ),
            indent=2,
        )
        for row in in_turn(article)
    ]
    return [Line((heading,)), *entries]


def in_turn(article: ArticleDetail) -> list[ArticleRow]:
    """The story's other articles from the open one on by date, round and round: those after
    it, then those before."""
    later = [row for row in article.also if row.sort_key > article.row.sort_key]
    return later + [row for row in article.also if row not in later]


def next_also(article: ArticleDetail) -> ArticleRow | None:
    """The article `A` opens: the first in turn (None for an article standing alone)."""
    return next(iter(in_turn(article)), None)
