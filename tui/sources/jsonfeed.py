"""JSON Feed 1.0/1.1 (https://jsonfeed.org) -> raw entries; feedparser does not read it.

JSON can hold any type anywhere, so every field is type-checked before use; a wrong type is
treated as missing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tui.content.parse import looks_like_html
from tui.dates import parse_date
from tui.models import Enclosure
from tui.sources.enclosures import enclosure, with_durations
from tui.sources.entries import RawEntry, strings
from tui.text import clean_line, clean_optional

_JSON_TYPES = frozenset({"application/feed+json", "application/json"})
_VERSION_PREFIX = "https://jsonfeed.org/version/"


@dataclass
class JsonFeed:
    """A JSON document read as a JSON Feed."""

    is_feed: bool
    title: str | None = None
    entries: list[RawEntry] = field(default_factory=list)
    problem: str | None = None
    """Why this is not a feed, or what was wrong with it."""


def looks_like_json(data: bytes, content_type: str | None) -> bool:
    """JSON by media type (unless the body is plainly XML) or by a leading `{`."""
    head = data[:64].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"{"):
        return True
    mime = (content_type or "").split(";")[0].strip().lower()
    return mime in _JSON_TYPES and not head.startswith(b"<")


def read_json_feed(data: bytes) -> JsonFeed:
    """The feed's title and entries; any other JSON (or broken JSON) is `is_feed=False`."""
    try:
        doc = json.loads(data.decode(json.detect_encoding(data), "replace"))
    except RecursionError:
        return JsonFeed(False, problem="JSON nested too deep")
    except ValueError as exc:
        return JsonFeed(False, problem=clean_line(f"invalid JSON ({exc})"))
    version = doc.get("version") if isinstance(doc, dict) else None
    if not isinstance(version, str) or not version.startswith(_VERSION_PREFIX):
        return JsonFeed(False, problem="JSON without a JSON Feed version")
    items = doc.get("items")
    fallback = _authors(doc)
    entries = [_entry(item, fallback) for item in _list(items) if isinstance(item, dict)]
    problem = None if isinstance(items, list) else "JSON Feed without an items list"
    return JsonFeed(True, clean_optional(_str(doc.get("title"))), entries, problem)


def _entry(item: dict[str, Any], feed_authors: tuple[str, ...]) -> RawEntry:
    """The fields we use from one item (its authors default to the feed's)."""
    html_body, text_body = _str(item.get("content_html")), _str(item.get("content_text"))
    body = html_body or text_body or _str(item.get("summary")) or ""
    guid = item.get("id")
    return RawEntry(
        title=_str(item.get("title")) or "",
        guid=str(guid) if isinstance(guid, str | int) and guid != "" else None,
        link=_str(item.get("url")) or _str(item.get("external_url")),
        authors=_authors(item) or feed_authors,
        published=_iso_time(item.get("date_published")),
        updated=_iso_time(item.get("date_modified")),
        body=body,
        body_html=bool(html_body) or (not text_body and looks_like_html(body)),
        enclosures=_attachments(item),
        tags=tuple(strings(_list(item.get("tags")))),
    )


def _authors(obj: dict[str, Any]) -> tuple[str, ...]:
    """`authors` (1.1) or `author` (1.0) names."""
    people = _list(obj.get("authors")) or [obj.get("author")]
    return tuple(strings(_dict_str(p, "name") for p in people))


def _iso_time(value: Any) -> datetime | None:
    return parse_date(value) if isinstance(value, str) else None


def _str(value: Any) -> str | None:
    """`value` if it is a string, else None."""
    return value if isinstance(value, str) else None


def _attachments(item: dict[str, Any]) -> tuple[Enclosure, ...]:
    """JSON Feed attachments with their type, size and playing time."""
    found = [a for a in _list(item.get("attachments")) if _dict_str(a, "url")]
    media = [{"url": a["url"], "duration": a.get("duration_in_seconds")} for a in found]
    enclosures = [enclosure(a["url"], a.get("mime_type"), a.get("size_in_bytes")) for a in found]
    return with_durations(enclosures, None, media)


def _dict_str(obj: Any, key: str) -> str | None:
    """`obj[key]` when `obj` is a dict and the value a string."""
    return _str(obj.get(key)) if isinstance(obj, dict) else None


def _list(value: Any) -> list[Any]:
    """`value` if it is a list, else empty."""
    return value if isinstance(value, list) else []
