"""Tiny Tiny RSS through its JSON API (api level 15 and later).

Every call is a JSON POST to `BASE/api/`; all but `login` carry the session id, which the
server ties to the User-Agent (kept constant, see `tui.sync.http`). Item ids only grow, so
the marker is the highest id seen; `getHeadlines` pages by 200 with `skip`. The API has no
list of unread or starred ids: they are read as headlines without content, 200 at a time, at
~6.5 ms a headline on the server, so sync reads them only for feeds whose unread count
(which `getFeeds` carries) moved, and the starred ones only when `getCounters`' count did,
or the newest stars (the Starred feed lists the last starred first) hold one not seen.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

from tui.config import SyncConfig
from tui.sync.answer import (
    feed_from,
    id_of,
    item_from,
    items_of,
    listed,
    reading,
    sane_id,
    text,
    top_id,
)
from tui.sync.http import Limits, Redactor, make_client, post
from tui.sync.service import (
    ItemPage,
    Refused,
    RemoteFeed,
    RemoteItem,
    SyncError,
    TimedOut,
    Unreachable,
)
from tui.weburl import shown_address

PAGE = 200
"""The most headlines the API returns at once."""
PASSES = 4
"""Readings of a long id list at most (see `TtRss._ids`)."""
ALL_FEEDS = -3
"""`getFeeds` category: every feed, whatever its category."""
ALL_ARTICLES = -4
STARRED = -1
FIELD_STARRED, FIELD_UNREAD = 0, 2
"""`updateArticle` fields."""


def api_url(url: str) -> str:
    """The API endpoint of a server's base URL (an URL already ending in /api/ is kept)."""
    base = url if url.endswith("/") else url + "/"
    return base if base.endswith("/api/") else base + "api/"


class TtRss:
    """A Tiny Tiny RSS account."""

    name = "Tiny Tiny RSS"

    def __init__(self, config: SyncConfig, password: str, limits: Limits | None = None) -> None:
        self.url = api_url(config.url)
        self.limits = limits or Limits()
        self.user, self.password = config.user, password
        self.redact = Redactor([password])
        self.client = make_client()
        self.session: str | None = None
        self.silent = False
        """A call got no answer in time: logging out would only wait for the deadline again
        (the session expires on its own)."""
        self.skipped: set[str] = set()
        self.counts: dict[str, int] = {}
        """Each feed's unread count at the last `feeds()`."""

    async def call(self, op: str, **params: Any) -> Any:
        """One API call; a lost session is renewed once."""
        if op != "login" and self.session is None:
            await self.login()
        reply = await self._call(op, params)
        if _error(reply) == "NOT_LOGGED_IN" and op != "login":
            await self.login()
            reply = await self._call(op, params)
        if reply.get("status") != 0:
            raise Refused(f"{shown_address(self.url)}: {op}: {self.redact(_error(reply))}")
        return reply.get("content")

    async def _call(self, op: str, params: dict[str, Any]) -> dict[str, Any]:
        body = {"op": op, **params}
        if self.session is not None and op != "login":
            body["sid"] = self.session
        try:
            reply = await post(self.client, self.url, self.redact, self.limits, json=body)
        except TimedOut:
            self.silent = True
            raise
        if not isinstance(reply, dict):
            raise SyncError(f"{shown_address(self.url)}: {op}: unexpected answer")
        return reply

    async def login(self) -> None:
        self.session = None
        try:
            content = await self.call("login", user=self.user, password=self.password)
        except Refused as exc:
            reason = "wrong user or password, or API access is off for this user"
            if "LOGIN_ERROR" not in str(exc):
                reason = str(exc)
            raise Refused(f"{shown_address(self.url)}: login refused: {reason}") from None
        session = content.get("session_id") if isinstance(content, dict) else None
        if not isinstance(session, str):
            raise Unreachable(f"{shown_address(self.url)}: login: no session in the answer")
        self.session = session
        self.redact.add(session)

    async def feeds(self) -> list[RemoteFeed]:
        answer = await self.call("getCategories", include_empty=True)
        with self.reading("getCategories"):
            categories = {
                str(c["id"]): text(c["title"], "category title")
                for c in listed(answer, self.where, "getCategories")
                if int(c["id"]) > 0
            }
        answer = await self.call("getFeeds", cat_id=ALL_FEEDS)
        with self.reading("getFeeds"):
            feeds = [_feed(f, categories) for f in listed(answer, self.where, "getFeeds")]
        self.counts = {f.id: f.unread or 0 for f in feeds}
        return feeds

    @property
    def where(self) -> str:
        return shown_address(self.url)

    def reading(self, op: str) -> AbstractContextManager[None]:
        """Errors reading `op`'s answer are one-line `Malformed` sync errors."""
        return reading(self.where, op, self.redact)

    async def items_since(self, marker: str | None) -> AsyncIterator[ItemPage]:
        """Pages in date order, `skip` apart: items of the same date may swap places between
        two pages, and an item missed above the highest id seen is found by the next pass,
        from that id (one empty answer when nothing is new); those below it are asked for by
        id (`tui.sync.pull`)."""
        since = sane_id(marker) or 0  # a marker an absurd id set (an older version): anew
        while True:
            top, skip = since, 0
            while headlines := await self._headlines(
                ALL_ARTICLES, "all_articles", skip, since, True
            ):
                items = self._items(headlines, "getHeadlines")
                skip += len(headlines)
                top = top_id(headlines, top)
                yield ItemPage(items, str(top))
            if top == since:
                return
            since = top

    async def items(self, ids: Sequence[str]) -> list[RemoteItem]:
        found: list[RemoteItem] = []
        for start in range(0, len(ids), PAGE):
            chunk = ",".join(ids[start : start + PAGE])
            found += self._items(await self.call("getArticle", article_id=chunk), "getArticle")
        return found

    def _items(self, answer: Any, op: str) -> list[RemoteItem]:
        return items_of(answer, _item, self.where, op, self.skipped)

    async def unread_ids(self, feeds: Sequence[str] | None = None) -> set[str]:
        if feeds is None:
            answer = await self.call("getUnread")
            with self.reading("getUnread"):
                expected = int(answer.get("unread", 0))
            return await self._ids(ALL_ARTICLES, "unread", expected)
        ids: set[str] = set()
        for feed in feeds:
            ids |= await self._ids(int(feed), "unread", self.counts.get(feed))
        return ids

    async def starred_ids(self) -> set[str]:
        return await self._ids(STARRED, "all_articles", None)

    async def starred_count(self) -> int | None:
        counters = await self.call("getCounters")
        with self.reading("getCounters"):
            listed(counters, self.where, "getCounters")
            starred = next((c for c in counters if str(c.get("id")) == str(STARRED)), None)
            return int(starred.get("auxcounter") or 0) if starred else None

    async def latest_starred(self, limit: int) -> list[str] | None:
        """The Starred feed in its own order: the last starred (`last_marked`) first. A
        malformed id is left out uncounted: a reading of the starred ids counts it."""
        page = await self._headlines(STARRED, "all_articles", 0, 0, False, limit, order="")
        return items_of(page, id_of, self.where, "getHeadlines", set())

    async def _ids(self, feed: int, view_mode: str, expected: int | None) -> set[str]:
        """Every id of a list read `skip` pages at a time. Articles with the same date may
        swap places between pages, so a list longer than a page is read again until it
        holds `expected` ids, or a pass finds nothing new (at most PASSES passes). A
        malformed id is skipped and counted, as its item is (and in `expected`: the server
        counts its item)."""
        ids: set[str] = set()
        malformed: set[str] = set()
        for _ in range(PASSES):
            before, skip = len(ids), 0
            while len(page := await self._headlines(feed, view_mode, skip, 0, False)) == PAGE:
                ids |= self._ids_in(page, malformed)
                skip += PAGE
            ids |= self._ids_in(page, malformed)
            read = len(ids) + len(malformed)
            if skip == 0 or read == expected or (expected is None and len(ids) == before):
                break
        self.skipped |= malformed
        return ids

    async def _headlines(
        self,
        feed: int,
        view_mode: str,
        skip: int,
        since: int,
        content: bool,
        limit: int = PAGE,
        order: str = "date_reverse",
    ) -> list[dict[str, Any]]:
        headlines = await self.call(
            "getHeadlines",
            feed_id=feed,
            view_mode=view_mode,
            limit=limit,
            skip=skip,
            since_id=since,
            show_content=content,
            order_by=order,
        )
        return listed(headlines, self.where, "getHeadlines")

    def _ids_in(self, headlines: list[Any], malformed: set[str]) -> set[str]:
        return set(items_of(headlines, id_of, self.where, "getHeadlines", malformed))

    async def mark_read(self, ids: Sequence[str], read: bool) -> None:
        await self._update(ids, FIELD_UNREAD, 0 if read else 1)

    async def mark_starred(self, ids: Sequence[str], starred: bool) -> None:
        await self._update(ids, FIELD_STARRED, 1 if starred else 0)

    async def _update(self, ids: Sequence[str], field: int, mode: int) -> None:
        for start in range(0, len(ids), PAGE):
            chunk = ",".join(ids[start : start + PAGE])
            await self.call("updateArticle", article_ids=chunk, mode=mode, field=field)

    async def subscribe(self, url: str) -> str:
        answer = await self.call("subscribeToFeed", feed_url=url)
        with self.reading("subscribeToFeed"):
            status = answer["status"]
            code = int(status.get("code", -1))
        if code not in (0, 1):  # 0 subscribed, 1 already subscribed
            reason = self.redact(str(status.get("message") or _SUBSCRIBE_CODES.get(code, code)))
            raise Refused(f"{shown_address(self.url)}: cannot subscribe to {url}: {reason}")
        feed_id = status.get("feed_id")
        if feed_id is None:
            feeds = await self.feeds()
            feed_id = next((f.id for f in feeds if f.url == url), None)
        if feed_id is None:
            raise SyncError(f"{shown_address(self.url)}: subscribed to {url} but cannot find it")
        await self.call("updateFeed", feed_id=int(feed_id))
        return str(feed_id)

    async def unsubscribe(self, feed_id: str) -> None:
        await self.call("unsubscribeFeed", feed_id=int(feed_id))

    async def aclose(self) -> None:
        try:
            if self.session is not None and not self.silent:
                await self._call("logout", {})
        except SyncError:
            pass  # the session expires on its own
        finally:
            await self.client.aclose()


_SUBSCRIBE_CODES: dict[int, str] = {
    2: "invalid URL",
    3: "no feed at that URL (an HTML page without a feed link)",
    4: "several feeds found at that URL: give the feed's own URL",
    5: "the server could not download it",
    6: "the server could not download it",
}


def _error(reply: dict[str, Any]) -> str:
    content = reply.get("content")
    if isinstance(content, dict) and "error" in content:
        return str(content["error"])
    return ""


def _feed(raw: dict[str, Any], categories: dict[str, str]) -> RemoteFeed:
    category = categories.get(str(raw.get("cat_id")))
    unread = int(raw.get("unread") or 0)
    return feed_from(raw, "feed_url", (category,) if category else (), unread)


def _item(raw: Any) -> RemoteItem:
    return item_from(raw, "content", "link", "updated", unread="unread", starred="marked")
