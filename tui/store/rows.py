"""What a list shows: the View filter, the row columns every listing selects, keyset keys."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from tui.models import ArticleRow, Value
from tui.store.stamps import to_datetime

SortKey = tuple[float, int]


BETTER_SOURCED = "(length(o.body), {a}.sort_ts, {a}.id) > (length({a}.body), o.sort_ts, o.id)"
"""Article `o` shows its story rather than `{a}`: it has more text (the full report rather
than a summary or a trimmed copy: the stored body's size, read without reading the body),
or as much and is older."""


class View(Value):
    """Which articles a list shows; filters combine with AND. A slotted value, not a
    dataclass: `newsdesk search` makes one right after start-up, and the dataclasses module
    alone costs it ~8 ms to import."""

    __slots__ = ("source", "tag", "unread", "saved", "stories")
    source: Final[str | None]
    tag: Final[str | None]
    unread: Final[bool]
    saved: Final[bool]
    stories: Final[bool]
    """Show each story once: by the best-sourced of its articles the other filters select."""

    def __init__(
        self,
        source: str | None = None,
        tag: str | None = None,
        unread: bool = False,
        saved: bool = False,
        stories: bool = False,
    ) -> None:
        self.source, self.tag, self.unread, self.saved = source, tag, unread, saved
        self.stories = stories

    def where(self, *, visible_only: bool = True, alias: str = "a") -> tuple[str, list[object]]:
        """SQL conditions (on `alias`, the articles table) and their parameters.

        Lists never show hidden articles, but Saved lists every saved one (a rule hides
        what the user never asked for; a saved article the user asked to keep);
        `visible_only=False` leaves that to the caller (search, where `is:hidden` looks for
        them within a view's other filters).
        """
        where, params = self._filters(visible_only, alias)
        if self.stories:  # no better-sourced article of the story passes the same filters
            other, more = self._filters(True, "o")
            where += (
                f" AND ({alias}.story IS NULL OR NOT EXISTS (SELECT 1 FROM articles o "
                f"WHERE o.story = {alias}.story AND {BETTER_SOURCED.format(a=alias)} "
                f"AND {other}))"
            )
            params += more
        return where, params

    def _filters(self, visible_only: bool, a: str) -> tuple[str, list[object]]:
        clauses = [f"{a}.hidden = 0"] if visible_only and not self.saved else []
        params = list[object]()
        if self.source is not None:
            clauses.append(f"{a}.source_id = (SELECT id FROM sources WHERE name = ?)")
            params.append(self.source)
        if self.tag is not None:
            clauses.append(f"{a}.source_id IN (SELECT source_id FROM source_tags WHERE tag = ?)")
            params.append(self.tag)
        if self.unread:
            clauses.append(f"{a}.read = 0")
        if self.saved:
            clauses.append(f"{a}.saved = 1")
        return " AND ".join(clauses) or "1", params


_COLUMNS = (
    "a.id, s.name, a.title, a.author, a.published, a.first_seen, a.url, {read}, a.saved, "
    "a.sort_ts, a.story, CASE WHEN a.story IS NULL THEN 0 "
    "ELSE coalesce((SELECT outlets - 1 FROM stories WHERE id = a.story), 0) END, {story_saved}"
)
ROW_COLUMNS = _COLUMNS.format(read="a.read", story_saved="0")
"""The twelfth column: the other outlets of the row's story, from its stored count (exact
for a visible row; a hidden one found by search counts its own outlet's other articles too)."""
STORY_ROW_COLUMNS = _COLUMNS.format(
    read="a.read AND (a.story IS NULL OR NOT EXISTS (SELECT 1 FROM articles u "
    "WHERE u.story = a.story AND u.read = 0 AND u.hidden = 0))",
    story_saved="a.story IS NOT NULL AND EXISTS (SELECT 1 FROM articles v "
    "WHERE v.story = a.story AND v.saved = 1 AND v.hidden = 0)",
)
"""ROW_COLUMNS for a grouped list, where a row is its story: read once all the story's
visible articles are (an outlet's copy arriving after the first was read makes it unread
again, as the unread counts say, and opening it marks them all read), and marked saved
while one of them is (saved from "Also reported by", it is another outlet's)."""
ROW_WIDTH = 13
"""How many values ROW_COLUMNS selects."""


def row_from(record: Sequence[Any]) -> ArticleRow:
    """An ArticleRow from a SELECT of ROW_COLUMNS."""
    id_, source, title, author, published, first_seen, url, read, saved, sort_ts = record[:10]
    story, others, story_saved = record[10:ROW_WIDTH]
    stamp = published if published is not None else first_seen
    return ArticleRow(
        int(id_),
        str(source),
        str(title),
        author if isinstance(author, str) else None,
        to_datetime(stamp),
        url if isinstance(url, str) else None,
        bool(read),
        bool(saved),
        (float(sort_ts), int(id_)),
        published is not None,
        float(first_seen) if first_seen is not None else None,
        None if story is None else int(story),
        int(others),
        bool(story_saved),
    )
