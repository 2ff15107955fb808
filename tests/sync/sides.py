"""The server side of a sync test, the same for every service: feeds the server subscribes
to and fetches, another device's marks and stars, the server going down and coming back.
Each test runs once per real server (`server` fixture in conftest.py)."""

from __future__ import annotations

from typing import Protocol

from tests.sync.fever_server import FeverUser
from tests.sync.proxy import Proxy
from tests.sync.ttrss_server import TtRssUser


class ServerSide(Protocol):
    name: str
    password: str
    proxy: Proxy

    def sync_table(self, password: str | None = None) -> str: ...
    def add_feeds(self, feeds: dict[str, str]) -> None: ...
    def refetch(self) -> None: ...
    def mark_read(self, titles: list[str], read: bool) -> None: ...
    def star(self, titles: list[str], starred: bool) -> None: ...
    def state(self) -> dict[str, tuple[bool, bool]]: ...
    def feed_titles(self) -> set[str]: ...
    def count(self) -> int: ...
    def down(self) -> None: ...
    def up(self) -> None: ...


def _table(service: str, url: str, user: str, password: str) -> str:
    return f'service = "{service}"\nurl = "{url}"\nuser = "{user}"\npassword = "{password}"\n'


class TtRssSide:
    """Tiny Tiny RSS, reached through a forwarder that can be taken down."""

    name = "ttrss"

    def __init__(self, user: TtRssUser, proxy: Proxy) -> None:
        self.user, self.proxy, self.password = user, proxy, user.password
        self.feed_ids: list[int] = []

    def sync_table(self, password: str | None = None) -> str:
        return _table("ttrss", self.proxy.url, self.user.login, password or self.password)

    def add_feeds(self, feeds: dict[str, str]) -> None:
        self.feed_ids += [self.user.subscribe(url, category) for url, category in feeds.items()]

    def refetch(self) -> None:
        for feed_id in self.feed_ids:
            self.user.update(feed_id)

    def mark_read(self, titles: list[str], read: bool) -> None:
        self.user.set(titles, "unread", not read)

    def star(self, titles: list[str], starred: bool) -> None:
        self.user.set(titles, "starred", starred)

    def state(self) -> dict[str, tuple[bool, bool]]:
        """title -> (read, starred)."""
        return {t: (not h["unread"], h["marked"]) for t, h in self.user.headlines().items()}

    def feed_titles(self) -> set[str]:
        return set(self.user.feeds())

    def count(self) -> int:
        """How many items the server holds for the user (as long as none is read)."""
        return int(self.user.call("getUnread")["unread"])

    def down(self) -> None:
        self.proxy.down()

    def up(self) -> None:
        self.proxy.up()


class FeverSide:
    """coldsweat, reached through a forwarder that can be taken down."""

    name = "fever"

    def __init__(self, user: FeverUser) -> None:
        self.user, self.password, self.proxy = user, user.password, user.proxy

    def sync_table(self, password: str | None = None) -> str:
        return _table("fever", self.user.proxy.url, self.user.email, password or self.password)

    def add_feeds(self, feeds: dict[str, str]) -> None:
        self.user.subscribe(feeds)

    def refetch(self) -> None:
        self.user.fetch()

    def mark_read(self, titles: list[str], read: bool) -> None:
        self.user.mark(titles, "read" if read else "unread")

    def star(self, titles: list[str], starred: bool) -> None:
        self.user.mark(titles, "saved" if starred else "unsaved")

    def state(self) -> dict[str, tuple[bool, bool]]:
        return {t: (bool(i["is_read"]), bool(i["is_saved"])) for t, i in self.user.items().items()}

    def feed_titles(self) -> set[str]:
        return {f["title"] for f in self.user.call("feeds")["feeds"]}

    def count(self) -> int:
        """How many items the server holds for the user."""
        return int(self.user.call("items")["total_items"])

    def down(self) -> None:
        self.proxy.down()

    def up(self) -> None:
        self.proxy.up()
