"""Enclosures as feeds state them: URL, media type, size and playing time, read alike by the
feedparser path, the fast XML path and JSON Feed.

A podcast's playing time comes from the item's `itunes:duration` (for its first enclosure) or
from a `media:content` of the same URL. A `media:content` (also inside a `media:group`) of
another URL is an attachment of its own: YouTube-style feeds state their videos only so.
Pictures among them (`medium="image"`, an image type or file name) are not attachments: news
feeds use them for a story's photo. Values that are not what they claim (a size of "abc", a
duration of "soon") are dropped; the enclosure stays.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from urllib.parse import urlsplit

from tui.content.urls import absolute_url
from tui.models import Enclosure
from tui.text import clean_line
from tui.weburl import is_web_url

_CLOCK = re.compile(r"(?:(\d{1,4}):)?(?:(\d{1,2}):)?(\d{1,7})(?:\.\d+)?")
_MAX_NUMBER = 2**53  # what JSON readers of `show --json` keep exactly


def enclosure(url: str, media_type: object = None, length: object = None) -> Enclosure:
    """One enclosure from a feed's raw values (attribute strings, or JSON values)."""
    kind = clean_line(media_type).lower() if isinstance(media_type, str) else ""
    return Enclosure(url, kind if "/" in kind else None, _count(length))


def with_durations(
    enclosures: Iterable[Enclosure],
    itunes_duration: object = None,
    media: Iterable[Mapping[str, object]] = (),
) -> tuple[Enclosure, ...]:
    """`enclosures` with their playing times, then each `media:content` of another URL as an
    attachment: `media` holds their attributes (`url`, `type`, `filesize`, `duration`,
    `medium`; names in lower case)."""
    media = [m for m in media if isinstance(m.get("url"), str) and m["url"]]
    times = {m["url"]: seconds for m in media if (seconds := duration(m.get("duration")))}
    found = [replace(e, duration=times.get(e.url)) for e in enclosures]
    first = duration(itunes_duration)
    if found and first is not None and found[0].duration is None:
        found[0] = replace(found[0], duration=first)
    return tuple(found + list(_media_attachments(media, {e.url for e in found})))


def _media_attachments(media: list[Mapping[str, object]], seen: set[str]) -> Iterator[Enclosure]:
    """The `media:content`s that are no enclosure and no picture, each URL once."""
    for found in media:
        url = str(found["url"])
        if url not in seen and not _is_picture(url, found.get("type"), found.get("medium")):
            seen.add(url)
            item = enclosure(url, found.get("type"), found.get("filesize"))
            yield replace(item, duration=duration(found.get("duration")))


def _is_picture(url: str, media_type: object, medium: object) -> bool:
    """A photo by its `medium`, its type, or (with neither) its file name."""
    if isinstance(medium, str) and medium.strip():
        return medium.strip().lower() == "image"
    if not isinstance(media_type, str) or "/" not in media_type:
        media_type = mimetypes.guess_type(urlsplit(url).path)[0] or ""
    return media_type.strip().lower().startswith("image/")


def duration(value: object) -> int | None:
    """Seconds of `3723`, `"3723"`, `"62:03"` or `"1:02:03"`; None for anything else."""
    if isinstance(value, float) and 0 < value < _MAX_NUMBER:
        value = round(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value < _MAX_NUMBER else None
    match = _CLOCK.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        return None
    parts = [int(part) for part in match.groups() if part is not None]
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds or None


def web_enclosures(enclosures: Iterable[Enclosure], base_url: str | None) -> Iterator[Enclosure]:
    """Absolute http(s) enclosures only, each URL once."""
    seen: set[str] = set()
    for found in enclosures:
        url = clean_line(absolute_url(found.url, base_url))
        if is_web_url(url) and url not in seen:
            seen.add(url)
            yield replace(found, url=url)


def _count(value: object) -> int | None:
    """A byte count from a feed: a positive number or a string of digits."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < _MAX_NUMBER:
        return value
    return None
