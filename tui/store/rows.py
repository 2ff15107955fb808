"""What a list shows: the View filter, the row columns every listing selects, keyset keys."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tui.models import ArticleRow
from tui.store.stamps import to_datetime

SortKey = tuple[float, int]


@dataclass(frozen=True)
class View:
    """Which articles a list shows; filters combine with AND."""

    source: str | None = None
    tag: str | None = None
    unread: bool = False
    saved: bool = False

    def where(self, *, visible_only: bool = True) -> tuple[str, list[object]]:
        """SQL conditions (on `a`, the articles table) and their parameters.

        Lists never show hidden articles; `visible_only=False` leaves that to the caller
        (search, where `is:hidden` looks for them within a view's other filters).
        """
        clauses = ["a.hidden = 0"] if visible_only else []
        params = list[object]()
        if self.source is not None:
            clauses.append("a.source_id = (SELECT id FROM sources WHERE name = ?)")
            params.append(self.source)
        if self.tag is not None:
            clauses.append("a.source_id IN (SELECT source_id FROM source_tags WHERE tag = ?)")
            params.append(self.tag)
        if self.unread:
            clauses.append("a.read = 0")
        if self.saved:
            clauses.append("a.saved = 1")
        return " AND ".join(clauses) or "1", params


ROW_COLUMNS = (
    "a.id, s.name, a.title, a.author, a.published, a.first_seen, a.url, a.read, a.saved, a.sort_ts"
)


def row_from(record: Sequence[Any]) -> ArticleRow:
    """An ArticleRow from a SELECT of ROW_COLUMNS."""
    id_, source, title, author, published, first_seen, url, read, saved, sort_ts = record
    stamp = published if published is not None else first_seen
    # Filled in directly: a frozen dataclass's __init__ sets each field through
    # object.__setattr__, a third of a search hit's Python time (pages are 100 rows).
    row = _bare_row(ArticleRow)
    row.__dict__.update(
        id=int(id_),
        source=str(source),
        title=str(title),
        author=author if isinstance(author, str) else None,
        published=to_datetime(stamp),
        url=url if isinstance(url, str) else None,
        read=bool(read),
        saved=bool(saved),
        sort_key=(float(sort_ts), int(id_)),
        dated=published is not None,
        first_seen=float(first_seen) if first_seen is not None else None,
    )
    return row


_bare_row = object.__new__
