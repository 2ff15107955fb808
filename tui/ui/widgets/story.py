"""A story in the reader: the "also reported by" lines and which of its articles `A` opens."""

from __future__ import annotations

from datetime import datetime

from rich.style import Style
from rich.text import Text

from tui.models import ArticleDetail, ArticleRow
from tui.ui.format import relative_age


def also_text(article: ArticleDetail, now: datetime, name: Style, meta: Style) -> Text:
    """Each other outlet of the story with its headline's age and the headline itself."""
    text = Text("\n\nAlso reported by (A opens each):", meta)
    for row in article.also:
        text.append(f"\n  {row.source}", name)
        text.append(f" · {relative_age(row.published, now)} · ", meta)
        text.append(row.title or "(untitled)")
    return text


def next_also(article: ArticleDetail) -> ArticleRow | None:
    """The story's next article after the open one by date, round and round (None alone)."""
    later = [row for row in article.also if row.sort_key > article.row.sort_key]
    return next(iter(later or article.also), None)
