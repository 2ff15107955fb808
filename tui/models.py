"""The values shared by every layer: what a source yields and what the store returns.

The list row and the search hit are plain slotted classes: a reading command (`newsdesk
search`) builds them right after start-up, and a frozen dataclass costs ~0.5 ms to define
(eight of them were ~4 ms of that command's ~40). The others are dataclasses in
`tui.records`, loaded from here on first use.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final, Self

from tui.lazy import names_from
from tui.local_time import day_only, iso_text
from tui.weburl import readable_host

if TYPE_CHECKING:
    from tui.records import Article as Article
    from tui.records import ArticleDetail as ArticleDetail
    from tui.records import Enclosure as Enclosure
    from tui.records import FetchOutcome as FetchOutcome
    from tui.records import Rule as Rule
    from tui.records import SourceState as SourceState

_RECORDS = ("Article", "ArticleDetail", "Enclosure", "FetchOutcome", "Rule", "SourceState")
__getattr__ = names_from(__name__, dict.fromkeys(_RECORDS, "tui.records"))


SAVED_INCOMPLETE: Final = "full text saved; "
"""How the save state of an article whose page's text is stored but not all of its images (a
full disk) starts: it is fetched again, as a failed save is."""


class SourceKind(StrEnum):
    """Where a source's articles come from."""

    WEB = "web"
    LOCAL = "local"
    SYNC = "sync"
    """A feed of the `[sync]` server."""


class Value:
    """A value made of its `__slots__`: equal and hashed by them (but `_uncompared`), shown
    with them, copied with changes by `_replace` (as a named tuple is). Nothing changes one
    after it is made."""

    __slots__: tuple[str, ...] = ()
    _uncompared: frozenset[str] = frozenset()

    def _compared(self) -> tuple[object, ...]:
        return tuple(getattr(self, n) for n in self.__slots__ if n not in self._uncompared)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Value)
        return self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__name__}({fields})"

    def _replace(self, **changes: Any) -> Self:
        """A copy with these fields changed."""
        unknown = changes.keys() - set(self.__slots__)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {', '.join(sorted(unknown))}")
        copy = object.__new__(type(self))
        for name in self.__slots__:
            object.__setattr__(copy, name, changes.get(name, getattr(self, name)))
        return copy


class ArticleRow(Value):
    """An article as the store lists it: the fields a list row or `--json` needs."""

    __slots__ = (
        "id",
        "source",
        "title",
        "author",
        "published",
        "url",
        "read",
        "saved",
        "sort_key",
        "dated",
        "first_seen",
        "story",
        "others",
        "story_saved",
    )
    _uncompared = frozenset({"sort_key"})

    id: Final[int]
    source: Final[str]
    title: Final[str]
    author: Final[str | None]
    published: Final[datetime | None]
    """The date to show: the article's own (UTC), or when it was first seen if it states none."""
    url: Final[str | None]
    read: Final[bool]
    saved: Final[bool]
    sort_key: Final[tuple[float, int]]
    """Keyset position (sort timestamp, id) for paging after this row."""
    dated: Final[bool]
    """False when the article states no date (`published` is then its first-seen time)."""
    first_seen: Final[float | None]
    """When the store first saw the article, as UNIX seconds (turned into a date only by
    `to_json`: listing pages build thousands of rows that never print it)."""
    story: Final[int | None]
    """The id shared by the articles of its story (the same news from other outlets), None
    while it stands alone."""
    others: Final[int]
    """How many other sources reported its story (the list's `+N`)."""
    story_saved: Final[bool]
    """A grouped list's row: an article of its story is saved, maybe another outlet's (the
    row shows ★ for the story)."""

    def __init__(
        self,
        id: int,  # noqa: A002 (the field's name, as the `--json` key)
        source: str,
        title: str,
        author: str | None,
        published: datetime | None,
        url: str | None,
        read: bool,
        saved: bool,
        sort_key: tuple[float, int] = (0.0, 0),
        dated: bool = True,
        first_seen: float | None = None,
        story: int | None = None,
        others: int = 0,
        story_saved: bool = False,
    ) -> None:
        self.id = id
        self.source = source
        self.title = title
        self.author = author
        self.published = published
        self.url = url
        self.read = read
        self.saved = saved
        self.sort_key = sort_key
        self.dated = dated
        self.first_seen = first_seen
        self.story = story
        self.others = others
        self.story_saved = story_saved

    def to_json(self) -> dict[str, object]:
        """The stable `--json` object shared by `list`, `show`, `search` and `saved`."""
        return {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "author": self.author,
            "published": iso_text(self.published) if self.published and self.dated else None,
            "day_only": bool(self.published and self.dated and day_only(self.published)),
            "first_seen": (
                datetime.fromtimestamp(self.first_seen, UTC).isoformat()
                if self.first_seen is not None
                else None
            ),
            "url": readable_host(self.url) if self.url else None,
            "read": self.read,
            "saved": self.saved,
            "story": self.story,
        }


class SearchHit(Value):
    """One search result: the list row plus a snippet with matches marked and a score."""

    __slots__ = ("row", "snippet", "score")

    row: Final[ArticleRow]
    snippet: Final[str]
    """Text around the matches; matched terms are wrapped in `[` `]` markers (see MATCH_OPEN)."""
    score: Final[float]

    def __init__(self, row: ArticleRow, snippet: str, score: float) -> None:
        self.row = row
        self.snippet = snippet
        self.score = score

    def to_json(self) -> dict[str, object]:
        """The `search --json` object: the list object plus `snippet` (plain text: a script
        printing it prints no control character), `matches` (where the matched terms are in
        it, as [start, end) character offsets) and `score`."""
        first, *marked = self.snippet.split(MATCH_OPEN)
        plain, matches = [first], []
        at = len(first)
        for part in marked:
            term, _, rest = part.partition(MATCH_CLOSE)
            matches.append([at, at + len(term)])
            plain += [term, rest]
            at += len(term) + len(rest)
        data = self.row.to_json()
        data.update(snippet="".join(plain), matches=matches, score=self.score)
        return data


MATCH_OPEN = "\x02"
"""Marks the start of a matched term in a snippet (a control character, so no text can fake it)."""
MATCH_CLOSE = "\x03"
"""Marks the end of a matched term in a snippet."""

RULE_ACTIONS = ("hide", "read", "save", "tag")
SWEEPING = 20
"""The fewest articles a hide rule must run on for `sweeps` to find it sweeping."""
SWEEPING_SHARE = 0.9
"""The share of those articles a sweeping hide rule hides."""


def sweeps(hiding: int, among: int) -> bool:
    """Does a hide rule hiding `hiding` of `among` articles sweep everything: 90 % or more of
    `SWEEPING` or more? Its query likely matches every article (`source:` naming the one feed,
    a word every article has): a refresh, an import or a sync tells of it, `rules apply` holds
    it back."""
    return among >= SWEEPING and hiding >= among * SWEEPING_SHARE
