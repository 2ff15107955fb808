"""Reading a server's JSON answer: every value checked against the form its API documents.

A malformed answer as a whole (a list where the API has an object, an id list that is not
one) is a `Malformed` sync error, one line naming the call: the sync changes nothing it has
not already done. An item malformed on its own (an id that is not a number, a date that is
not one) is a `BadItem`: the pull skips it and says how many it skipped, as it does a
malformed id in an unread or starred id list. Item ids must be positive integers that JSON
carries exactly (below 2**53): the pull's marker is the highest id seen, and one absurd id
would hide every later item.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

from tui.sync.service import RemoteFeed, RemoteItem, SyncError
from tui.text import clean_line

MAX_ID = 2**53 - 1
"""The largest item id taken: JSON numbers carry integers exactly up to here."""
LAST_STAMP = 253_402_300_799
"""Dates (epoch seconds) past 9999-12-31 are malformed."""


class Malformed(SyncError):
    """The answer is not in the form the API documents."""


class BadItem(ValueError):
    """One item of an answer is malformed; the others can still be used."""


def unexpected(where: str, what: str) -> Malformed:
    return Malformed(f"{where}: unexpected answer ({clean_line(what)[:160]})")


@contextmanager
def reading(where: str, op: str, redact: Callable[[str], str] = clean_line) -> Iterator[None]:
    """Inside: any error of reading the answer (a missing key, a wrong type, a value out of
    range) is `Malformed`, naming the call and what was wrong."""
    try:
        yield
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError, IndexError) as exc:
        raise unexpected(where, f"{op}: {type(exc).__name__}: {redact(str(exc))}") from None


def item_id(value: Any) -> str:
    """An item id as text: a positive integer below MAX_ID, as a number or digits."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 20:
        number = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        raise BadItem(f"item id {_short(value)}")
    if not 0 < number <= MAX_ID:
        raise BadItem(f"item id {_short(value)}")
    return str(number)


def sane_id(value: Any) -> int | None:
    """`value` as an item id number, or None when it is not one."""
    try:
        return int(item_id(value))
    except BadItem:
        return None


def listed(value: Any, where: str, op: str) -> list[Any]:
    if not isinstance(value, list):
        raise unexpected(where, f"{op}: {type(value).__name__} where a list belongs")
    return value


def record(value: Any) -> dict[str, Any]:
    """An item's object (`BadItem` if it is not one)."""
    if not isinstance(value, dict):
        raise BadItem(f"{type(value).__name__} where an item belongs")
    return value


def id_of(raw: Any) -> str:
    """The id of an item's object (`BadItem` if the object or its id is malformed)."""
    return item_id(record(raw).get("id"))


def text(value: Any, name: str) -> str:
    """A text field: a string, a number as text, or "" for none."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise BadItem(f"{name} is a {type(value).__name__}")


def stamp(value: Any, name: str) -> datetime | None:
    """A date in epoch seconds (a number or digits), or None for none."""
    if value in (None, "", 0, "0"):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 16:
        value = int(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 0 < value <= LAST_STAMP:
            # To the second: a fraction could read as `local_time`'s mark of a day alone.
            return datetime.fromtimestamp(int(value), UTC)
    raise BadItem(f"{name} {_short(value)}")


def _string(value: Any, name: str) -> str | None:
    """A link or a name: a string, or None for none."""
    if value is None or isinstance(value, str):
        return value or None
    raise BadItem(f"{name} is a {type(value).__name__}")


def _short(value: Any) -> str:
    shown = clean_line(repr(value))
    return shown if len(shown) <= 40 else shown[:39] + "…"


def item_from(
    raw: Any, html: str, link: str, when: str, *, unread: str, starred: str, read: bool = False
) -> RemoteItem:
    """A RemoteItem from a service's JSON item, given the names of its fields (`BadItem` if
    one is malformed); `read`: the `unread` field says "is read" (Fever's `is_read`)."""
    raw = record(raw)
    feed_id = raw.get("feed_id")
    if isinstance(feed_id, bool) or not isinstance(feed_id, str | int | None):
        raise BadItem(f"feed_id is a {type(feed_id).__name__}")
    flag = bool(raw.get(unread))
    return RemoteItem(
        id=item_id(raw.get("id")),
        feed_id=str(feed_id),
        title=text(raw.get("title"), "title"),
        html=text(raw.get(html), html),
        url=_string(raw.get(link), link),
        author=_string(raw.get("author"), "author"),
        published=stamp(raw.get(when), when),
        unread=not flag if read else flag,
        starred=bool(raw.get(starred)),
    )


def feed_from(
    raw: dict[str, Any], link: str, categories: tuple[str, ...], unread: int | None = None
) -> RemoteFeed:
    """A RemoteFeed from a service's JSON feed, given the name of its URL field: titled by
    its title, else its URL, else its id."""
    feed_id, url = str(int(raw["id"])), text(raw.get(link), link) or None
    title = text(raw.get("title"), "title") or url or feed_id
    return RemoteFeed(id=feed_id, title=title, url=url, categories=categories, unread=unread)


Parsed = TypeVar("Parsed")


def items_of(
    raws: Any, parse: Callable[[Any], Parsed], where: str, op: str, skipped: set[str]
) -> list[Parsed]:
    """What `parse` makes of each well-formed entry of an answer's list: items, or the ids
    of an id list (`item_id`, `id_of`). The malformed ones join `skipped` by their id as
    text, so an item is counted once however often, and in whatever form, it comes (in a
    page of items as `-5`, in an id list as `"-5"`)."""
    kept: list[Parsed] = []
    for raw in listed(raws, where, op):
        try:
            kept.append(parse(raw))
        except BadItem:
            skipped.add(str(raw.get("id") if isinstance(raw, dict) else raw)[:200])
    return kept


def top_id(raws: list[Any], since: int) -> int:
    """The highest well-formed id among an answer's items (skipped ones too), or `since`."""
    ids = (sane_id(raw.get("id")) for raw in raws if isinstance(raw, dict))
    return max([since, *(i for i in ids if i is not None)])
