"""The Fever API (coldsweat, FreshRSS, Miniflux, Tiny Tiny RSS's plugin...).

Every call is a POST to the endpoint with `?api&CALL` in the query and `api_key` =
md5("user:password") in the form body, as are a `mark`'s parameters. Items come 50 at a
time after `since_id`, so the marker is the highest item id seen; unread and starred ids are
whole lists, one request each. Some servers (coldsweat) answer `since_id` grouped by feed
rather than by id, so paging skips items: sync asks for the ids it skipped with `with_ids`
(see `tui.sync.pull`). Fever has no call to subscribe or unsubscribe, and marks items one
at a time.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Sequence
from typing import Any

from tui.config import SyncConfig
from tui.sync.answer import (
    feed_from,
    item_from,
    item_id,
    items_of,
    listed,
    reading,
    sane_id,
    text,
    top_id,
    unexpected,
)
from tui.sync.http import Limits, Missing, Redactor, make_client, post
from tui.sync.service import ItemPage, Refused, RemoteFeed, RemoteItem, Unsupported
from tui.weburl import shown_address

PAGE = 50
"""Items per answer, as the Fever API defines it."""
MARKS_AT_ONCE = 4
"""Mark requests in flight at once (Fever marks one item per request)."""


def api_key(user: str, password: str) -> str:
    """Fever's API key: md5 of "user:password"."""
    return hashlib.md5(f"{user}:{password}".encode()).hexdigest()


class Fever:
    """A Fever API account."""

    name = "Fever"

    def __init__(self, config: SyncConfig, password: str, limits: Limits | None = None) -> None:
        self.url = config.url
        self.limits = limits or Limits()
        self.key = api_key(config.user, password)
        self.redact = Redactor([password, self.key])
        self.client = make_client()
        self.where = shown_address(self.url)
        self.skipped: set[str] = set()

    async def call(self, *query: str, **form: Any) -> dict[str, Any]:
        """One API call (`query` names like "items", "since_id=5"); refused unless auth is 1."""
        params = [("api", ""), *(tuple(q.split("=", 1)) if "=" in q else (q, "") for q in query)]
        reply = await post(
            self.client,
            self.url,
            self.redact,
            self.limits,
            params=params,
            data={"api_key": self.key, **form},
        )
        if not isinstance(reply, dict) or reply.get("auth") != 1:
            raise Refused(f"{shown_address(self.url)}: login refused: wrong user or password")
        return reply

    async def login(self) -> None:
        await self.call()

    async def feeds(self) -> list[RemoteFeed]:
        reply = await self.call("groups")
        with reading(self.where, "groups", self.redact):
            members = _members(reply, self.where)
        reply = await self.call("feeds")
        with reading(self.where, "feeds", self.redact):
            feeds = listed(reply.get("feeds", []), self.where, "feeds")
            return [_feed(f, members) for f in feeds]

    async def items_since(self, marker: str | None) -> AsyncIterator[ItemPage]:
        since = sane_id(marker) or 0  # a marker an absurd id set (an older version): anew
        while True:
            reply = await self.call("items", f"since_id={since}")
            raws = reply.get("items", [])
            items = self._items(raws)
            top = top_id(raws, since)
            if top == since:  # nothing (well-formed) after the marker
                if items:
                    yield ItemPage(items, None)
                return
            since = top
            yield ItemPage(items, str(since))

    async def items(self, ids: Sequence[str]) -> list[RemoteItem]:
        found: list[RemoteItem] = []
        for start in range(0, len(ids), PAGE):
            chunk = ",".join(ids[start : start + PAGE])
            reply = await self.call("items", f"with_ids={chunk}")
            found += self._items(reply.get("items", []))
        return found

    def _items(self, raws: object) -> list[RemoteItem]:
        return items_of(raws, _item, self.where, "items", self.skipped)

    async def unread_ids(self, feeds: Sequence[str] | None = None) -> set[str]:
        # one request for the whole list: feeds carry no count, so none are ever named
        return await self._id_list("unread_item_ids")

    async def starred_ids(self) -> set[str]:
        return await self._id_list("saved_item_ids")

    async def _id_list(self, name: str) -> set[str]:
        """A list of ids, as the API documents it: a string of comma-separated ids ("" for
        none); a JSON array of ids is taken too. Missing or in any other form, it is
        `Malformed`: read as "none", it would mark every article read (or unsaved). A
        malformed id in it is skipped and counted, as its item is."""
        value = (await self.call(name)).get(name)
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list):
            what = "missing" if value is None else f"{type(value).__name__} where ids belong"
            raise unexpected(self.where, f"{name}: {what}")
        return set(items_of(value, item_id, self.where, name, self.skipped))

    async def starred_count(self) -> int | None:
        return None  # the id list is one request: sync reads it every time

    async def latest_starred(self, limit: int) -> list[str] | None:
        return None  # the whole id list is read instead

    async def mark_read(self, ids: Sequence[str], read: bool) -> None:
        await self._mark(ids, "read" if read else "unread")

    async def mark_starred(self, ids: Sequence[str], starred: bool) -> None:
        await self._mark(ids, "saved" if starred else "unsaved")

    async def _mark(self, ids: Sequence[str], state: str) -> None:
        gate = asyncio.Semaphore(MARKS_AT_ONCE)

        async def one(item_id: str) -> None:
            async with gate:
                try:
                    await self.call("mark", mark="item", id=item_id, **{"as": state})
                except Missing:
                    pass  # the server no longer has the item: nothing left to mark

        await asyncio.gather(*(one(item_id) for item_id in ids))

    async def subscribe(self, url: str) -> str:
        raise Unsupported("Fever has no call to subscribe: add the feed on the server itself")

    async def unsubscribe(self, feed_id: str) -> None:
        raise Unsupported("Fever has no call to unsubscribe: remove the feed on the server itself")

    async def aclose(self) -> None:
        await self.client.aclose()


def _members(reply: dict[str, Any], where: str) -> dict[str, list[str]]:
    """Feed id -> the titles of its groups."""
    groups = {
        str(g["id"]): text(g["title"], "group title")
        for g in listed(reply.get("groups", []), where, "groups")
    }
    members: dict[str, list[str]] = {}
    for link in listed(reply.get("feeds_groups", []), where, "feeds_groups"):
        group = groups.get(str(link.get("group_id")))
        for feed_id in text(link.get("feed_ids"), "feed_ids").split(","):
            if feed_id and group:
                members.setdefault(feed_id.strip(), []).append(group)
    return members


def _feed(raw: dict[str, Any], members: dict[str, list[str]]) -> RemoteFeed:
    return feed_from(raw, "url", tuple(members.get(str(int(raw["id"])), [])))


def _item(raw: Any) -> RemoteItem:
    return item_from(
        raw, "html", "url", "created_on_time", unread="is_read", starred="is_saved", read=True
    )
