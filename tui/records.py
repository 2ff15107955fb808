"""The dataclasses of `tui.models` (loaded from there on first use): what a source yields
(Article, Enclosure, FetchOutcome), a config's rules, and an article's or a source's details
as the store reads them. A reading command such as `newsdesk search` defines none of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from tui.models import ArticleRow, SourceKind
from tui.weburl import readable_host, without_password


@dataclass(frozen=True)
class Enclosure:
    """A podcast, video or other attachment of an article, as far as its feed describes it."""

    url: str
    media_type: str | None = None
    """The type the feed states (`audio/mpeg`), if any."""
    length: int | None = None
    """The size in bytes the feed states, if any."""
    duration: int | None = None
    """The playing time in seconds (`itunes:duration`, `media:content duration`), if stated."""

    @classmethod
    def from_json(cls, value: object) -> Enclosure:
        """An enclosure as the cache keeps it: its object, or the bare URL of older caches."""
        if not isinstance(value, dict):
            return cls(str(value))
        kind, length, duration = (value.get(key) for key in ("type", "length", "duration"))
        return cls(
            str(value["url"]),
            kind if isinstance(kind, str) else None,
            length if isinstance(length, int) else None,
            duration if isinstance(duration, int) else None,
        )

    def to_json(self) -> dict[str, object]:
        """The object the cache keeps and `show --json` lists under `attachments`."""
        return {
            "url": self.url,
            "type": self.media_type,
            "length": self.length,
            "duration": self.duration,
        }


@dataclass(frozen=True)
class Article:
    """One article as a source produced it, already sanitized, before it reaches the store."""

    title: str
    body: str
    """Readable plain text; links are numbered `[1]` in the text and listed in `links`."""
    guid: str | None = None
    url: str | None = None
    author: str | None = None
    published: datetime | None = None
    """Aware datetime in UTC, or None when the source states no date."""
    updated: datetime | None = None
    links: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    enclosures: tuple[Enclosure, ...] = ()

    @cached_property  # the store asks for it several times per article while writing
    def content_hash(self) -> str:
        """A stable digest of what a reader sees, used to dedupe and to detect changes."""
        import hashlib  # only writers hash: a reading command does not load it

        digest = hashlib.blake2b(digest_size=16)
        for part in (self.title, self.author or "", self.body, "\n".join(self.links)):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\x00")
        return digest.hexdigest()

    @property
    def dedupe_key(self) -> str:
        """Identity within a source: guid, else link, else content hash."""
        if self.guid:
            return "g:" + self.guid
        if self.url:
            return "u:" + self.url
        return "h:" + self.content_hash


@dataclass(frozen=True)
class ArticleDetail:
    """Everything the reader shows for one article."""

    row: ArticleRow
    text: str
    links: tuple[str, ...]
    tags: tuple[str, ...] = ()
    enclosures: tuple[Enclosure, ...] = ()
    full_text: bool = False
    """True when `text` is the saved full text of the web page rather than the feed's."""
    save_state: str | None = None
    """For saved articles: "ok", "pending" or the reason the full text could not be fetched."""
    also: tuple[ArticleRow, ...] = ()
    """The other articles of its story, oldest first ("also reported by")."""

    def to_json(self) -> dict[str, object]:
        """The `show --json` object: the list object plus `text` and `links`."""
        data = self.row.to_json()
        data.update(
            text=self.text,
            links=[readable_host(link) for link in self.links],
            tags=list(self.tags),
            enclosures=[readable_host(enclosure.url) for enclosure in self.enclosures],
            attachments=[
                {**enclosure.to_json(), "url": readable_host(enclosure.url)}
                for enclosure in self.enclosures
            ],
            full_text=self.full_text,
            save_state=self.save_state,
        )
        return data


@dataclass(frozen=True)
class SourceState:
    """A source as the store knows it: its last refresh outcome and unread count."""

    id: int
    name: str
    kind: SourceKind
    location: str
    tags: tuple[str, ...]
    unread: int
    total: int
    status: int | None = None
    """Last HTTP status (web sources)."""
    error: str | None = None
    """One-line reason of the last failure, None after a success."""
    warning: str | None = None
    checked_at: datetime | None = None
    next_retry: datetime | None = None
    dead: bool = False
    failing_since: datetime | None = None
    """When its run of failures began (None while it works, or not known)."""

    def to_json(self) -> dict[str, object]:
        """The `sources --json` object."""
        return {
            "name": self.name,
            "kind": self.kind.value,
            "location": without_password(self.location),
            "tags": list(self.tags),
            "unread": self.unread,
            "total": self.total,
            "status": self.status,
            "error": self.error,
            "warning": self.warning,
            "checked_at": self.checked_at.isoformat() if self.checked_at else None,
            "next_retry": self.next_retry.isoformat() if self.next_retry else None,
            "dead": self.dead,
            "failing_since": self.failing_since.isoformat() if self.failing_since else None,
        }


@dataclass(frozen=True)
class FetchOutcome:
    """How one source's refresh went; recorded in the store with its articles in one step."""

    status: int | None = None
    """HTTP status of the final response (None for local sources and network errors)."""
    not_modified: bool = False
    """The server said 304: nothing to parse, nothing to write but the checked-at time."""
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    """One-line reason the refresh failed; None on success."""
    warning: str | None = None
    """A problem that did not stop the refresh (a "bozo" feed that still had entries)."""
    next_retry: datetime | None = None
    """Earliest time an automatic refresh should try again (Retry-After, back-off)."""
    dead: bool = False
    """410 Gone: stop fetching until the user re-enables the source."""
    new_location: str | None = None
    """A permanent redirect moved the feed here."""
    complete: bool = True
    """The articles are the source's whole current content (so missing ones have left it)."""

    @property
    def ok(self) -> bool:
        """The refresh succeeded (possibly with nothing new)."""
        return self.error is None


@dataclass(frozen=True)
class Rule:
    """One `[[rules]]` table: what to do with articles matching a search query."""

    query: str
    """A query in the search language (words and filters such as `source:`, `title:`)."""
    action: str
    """hide (never shown, still stored), read (mark read), save (save for offline), tag."""
    tag: str | None = None
    """The tag to add, for `action = "tag"` (or given alone as `tag = "NAME"`)."""
    sources: tuple[str, ...] = ()
    """Only articles of these sources (all sources when empty)."""
    position: str = ""
    """Where the rule stands in the config (`feeds.toml:40: rules[2]`), for messages."""
