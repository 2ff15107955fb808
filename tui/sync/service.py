"""The one interface every sync service implements, and what it speaks in.

A service is a server API (Tiny Tiny RSS, Fever; the Google Reader API of FreshRSS, Miniflux
and Inoreader would be a third module with the same methods). Its ids are strings, its marker
an opaque string the service alone understands (an item id for both services here, a
timestamp for Google Reader). A sync with nothing new should cost a few requests: the
unread and starred state is read whole only where the server lists ids cheaply (Fever's
id lists; Google Reader's `stream/items/ids`), else from counts (`RemoteFeed.unread`,
`starred_count`, with `latest_starred` for a star that moved) and then only the feeds whose
counts moved. Every failure is a
`SyncError` whose message is one line that never holds a credential.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class SyncError(Exception):
    """The server could not be used; the message is one line, free of credentials."""


class Unreachable(SyncError):
    """No answer: connection refused, timeout, DNS, TLS, a server error page."""


class TimedOut(Unreachable):
    """No whole answer within the deadline: a server that hangs."""


class Refused(SyncError):
    """The server answered but said no: wrong password, API access off, bad request."""


class Unsupported(SyncError):
    """The service has no such call (Fever cannot subscribe)."""


@dataclass(frozen=True)
class RemoteFeed:
    """A subscription on the server."""

    id: str
    title: str
    url: str | None
    categories: tuple[str, ...] = ()
    unread: int | None = None
    """The server's count of unread items in the feed, where the feed list carries it for
    free (Tiny Tiny RSS); sync then reads unread ids only of feeds whose count moved."""


@dataclass(frozen=True)
class RemoteItem:
    """An item (article) on the server with its state there."""

    id: str
    feed_id: str
    title: str
    html: str
    url: str | None = None
    author: str | None = None
    published: datetime | None = None
    unread: bool = True
    starred: bool = False


@dataclass(frozen=True)
class ItemPage:
    """Some items, and the marker to ask from next time (None: keep the last one)."""

    items: Sequence[RemoteItem]
    marker: str | None


class Service(Protocol):
    """What sync needs from a server. Every method raises `SyncError` on failure."""

    name: str
    """The service's name for messages ("Tiny Tiny RSS")."""
    skipped: set[str]
    """Items the server sent malformed, skipped so far, one entry each (`tui.sync.answer`)."""

    async def login(self) -> None:
        """Authenticate (or check the credentials); `Refused` if they are wrong."""
        ...

    async def feeds(self) -> list[RemoteFeed]:
        """Every subscription with its categories."""
        ...

    def items_since(self, marker: str | None) -> AsyncIterator[ItemPage]:
        """Items the server got after `marker` (all of them for None), a page at a time."""
        ...

    async def items(self, ids: Sequence[str]) -> list[RemoteItem]:
        """These items (those the server still has)."""
        ...

    async def unread_ids(self, feeds: Sequence[str] | None = None) -> set[str]:
        """Ids of every unread item, or of the unread items of these feeds only."""
        ...

    async def starred_ids(self) -> set[str]:
        """Ids of every starred item."""
        ...

    async def starred_count(self) -> int | None:
        """How many items are starred, where that costs less than `starred_ids` (None when
        it does not: sync then reads the ids)."""
        ...

    async def latest_starred(self, limit: int) -> list[str] | None:
        """The ids of the `limit` items starred last, the newest first, where the server
        counts its stars (`starred_count`): a star moved from one item to another leaves the
        count as it was, and shows here. None where it cannot tell (the ids are read whole)."""
        ...

    async def mark_read(self, ids: Sequence[str], read: bool) -> None:
        """Mark items read (or unread)."""
        ...

    async def mark_starred(self, ids: Sequence[str], starred: bool) -> None:
        """Star items (or unstar them)."""
        ...

    async def subscribe(self, url: str) -> str:
        """Subscribe to a feed URL; returns the new feed's id (`Unsupported` for Fever)."""
        ...

    async def unsubscribe(self, feed_id: str) -> None:
        """Drop a subscription (`Unsupported` for Fever)."""
        ...

    async def aclose(self) -> None:
        """Log out if the service has sessions, and close the connection."""
        ...
