"""What a pull brings against real servers (each test once per server): every item whatever
order the server answers in, the server's read state, a sync with nothing new costing a few
requests, the prune of what the server has read, and `refresh --source` on a synced feed."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.feedserver import FeedServer
from tests.sync.conftest import Cli, feed_items
from tests.sync.proxy import Proxy
from tests.sync.sides import ServerSide, TtRssSide
from tests.sync.test_servers import (
    FEEDS,
    NOTHING_NEW,
    SMALL,
    first_sync,
    flags,
    ids,
    rows,
    subscribe,
)
from tests.sync.ttrss_server import TtRssUser
from tui.store import Store
from tui.sync.pull import LATEST_STARS

MIXED = {"Alpha": (30, "News"), "Beta": (30, "Tech"), "Gamma": (30, "News")}
"""Feeds the servers answer out of id order: coldsweat pages `since_id` feed by feed, and
Tiny Tiny RSS pages by date, which these feeds share item for item."""


def test_items_in_any_order_all_arrive_with_the_servers_read_state(
    cli: Cli, server: ServerSide, feed_server: FeedServer
) -> None:
    subscribe(server, feed_server, MIXED)
    read_first = [f"Beta item {i}" for i in range(0, 30, 3)] + ["Alpha item 5", "Gamma item 29"]
    server.mark_read(read_first, True)
    cli.write(server.sync_table())

    code, out, err = cli("sync")

    assert code == 0, err
    here = flags(cli)
    assert len(here) == 90
    assert {t for t, (read, _) in here.items() if read} == set(read_first)
    for title in MIXED:  # 30 more items each, fetched in one go: their ids interleave
        feed_server.feed(f"/{title}.xml", feed_items(title, 60, feed_server))
    server.refetch()
    read_later = ["Beta item 50", "Alpha item 59", "Gamma item 30", "Gamma item 1"]
    server.mark_read(read_later, True)

    code, out, err = cli("sync")

    assert code == 0, err
    assert "90 new articles" in out
    here = flags(cli)
    assert len(here) == 180
    assert {t for t, (read, _) in here.items() if read} == set(read_first + read_later)


def test_a_sync_with_nothing_new_costs_a_few_requests(
    cli: Cli, server: ServerSide, feed_server: FeedServer
) -> None:
    subscribe(server, feed_server, FEEDS)  # 300 unread articles
    cli.write(server.sync_table())
    assert cli("sync")[0] == 0
    server.proxy.requests = 0

    code, out, err = cli("sync", "--json")

    assert code == 0, err
    assert json.loads(out)["new"] == 0
    # log in, feeds (and categories), items after the marker, the state (counts and the
    # newest stars, or the two id lists), log out: never a request per page of unread articles
    assert server.proxy.requests <= NOTHING_NEW[server.name]


def test_a_sync_with_nothing_skipped_counts_the_cache_once_and_notes_nothing(
    cli: Cli,
    ttrss: TtRssUser,
    ttrss_proxy: Proxy,
    feed_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Tiny Tiny RSS gives counts: the cache's are counted once a sync, to compare (a second
    count, and a write of the items skipped as malformed, followed every reading of a feed
    whose count moved, none skipped), and what the last sync noted is read once (it was
    read again after the reading)."""
    server = TtRssSide(ttrss, ttrss_proxy)
    subscribe(server, feed_server, SMALL)
    cli.write(server.sync_table())
    assert cli("sync")[0] == 0
    server.mark_read(["Alpha item 5"], True)  # Alpha's count moves: its unread ids are read
    asked: list[str] = []
    count, put, get = Store.sync_counts, Store.sync_set, Store.sync_get

    def counted(store: Store) -> tuple[dict[str, int], int]:
        asked.append("counts")
        return count(store)

    def noted(store: Store, key: str, value: str) -> None:
        asked.append(key)
        put(store, key, value)

    def read(store: Store, key: str) -> str | None:
        asked.append(f"get {key}")
        return get(store, key)

    monkeypatch.setattr(Store, "sync_counts", counted)
    monkeypatch.setattr(Store, "sync_set", noted)
    monkeypatch.setattr(Store, "sync_get", read)

    code, out, err = cli("sync")

    assert code == 0, err
    assert flags(cli)["Alpha item 5"] == (True, False)
    assert [a for a in asked if not a.startswith("get")] == ["counts", "last_attempt"]
    assert asked.count("get uncounted") == 1


def test_a_read_and_an_unread_in_one_feed_are_caught_by_the_daily_whole_reading(
    cli: Cli, ttrss: TtRssUser, ttrss_proxy: Proxy, feed_server: FeedServer, isolated_env: Path
) -> None:
    server = TtRssSide(ttrss, ttrss_proxy)
    first_sync(cli, server, feed_server)
    server.mark_read(["Alpha item 2"], True)
    assert cli("sync")[0] == 0 and flags(cli)["Alpha item 2"] == (True, False)
    server.mark_read(["Alpha item 2"], False)  # Alpha's unread count stays as it was
    server.mark_read(["Alpha item 3"], True)
    store = Store.open(isolated_env / "cache" / "newsdesk.db")
    store.sync_set("whole_at", str(time.time() - 2 * 86_400))  # a day has passed
    store.close()

    assert cli("sync")[0] == 0

    here = flags(cli)
    assert here["Alpha item 2"] == (False, False) and here["Alpha item 3"] == (True, False)


def test_a_star_moved_to_an_article_pruned_here_reaches_the_next_sync(
    cli: Cli, ttrss: TtRssUser, ttrss_proxy: Proxy, feed_server: FeedServer, isolated_env: Path
) -> None:
    """Tiny Tiny RSS: a star moved on another device from one old read article to another,
    long pruned here, leaves the starred count as it was; the newest stars show it, without
    the daily whole reading."""
    server = TtRssSide(ttrss, ttrss_proxy)
    old_feeds(cli, server, feed_server)
    server.mark_read(["Alpha item 9", "Beta item 8"], True)
    server.star(["Alpha item 9"], True)
    assert cli("sync")[0] == 0
    here = flags(cli)
    assert here["Alpha item 9"] == (True, True) and "Beta item 8" not in here  # pruned
    server.star(["Beta item 8"], True)
    server.star(["Alpha item 9"], False)
    whole_at = _state(isolated_env, "whole_at")

    code, out, err = cli("sync")

    assert code == 0, err
    assert "1 unsaved" in out
    here = flags(cli)
    assert here["Beta item 8"] == (True, True)
    assert "Alpha item 9" not in here  # unsaved, read and old: pruned
    assert _state(isolated_env, "whole_at") == whole_at


def test_a_moved_star_behind_many_saved_here_still_reaches_the_next_sync(
    cli: Cli, ttrss: TtRssUser, ttrss_proxy: Proxy, feed_server: FeedServer
) -> None:
    """The newest stars are read a few at a time: when the saves pushed from here fill them
    (a rule saving what a refresh brought), the starred list is read, not left for a day."""
    server = TtRssSide(ttrss, ttrss_proxy)
    first = first_sync(cli, server, feed_server)
    server.star(["Alpha item 9"], True)
    assert cli("sync")[0] == 0 and flags(cli)["Alpha item 9"] == (False, True)
    server.star(["Beta item 8"], True)
    server.star(["Alpha item 9"], False)
    batch = [str(i) for title, i in first.items() if title not in ("Alpha item 9", "Beta item 8")]
    assert cli("save", *batch)[0] == 0 and len(batch) > LATEST_STARS

    code, out, err = cli("sync")

    assert code == 0, err
    here = flags(cli)
    assert here["Beta item 8"] == (False, True) and here["Alpha item 9"] == (False, False)


def old_feeds(cli: Cli, server: ServerSide, feed_server: FeedServer) -> None:
    """The server subscribes to Alpha and Beta, 10 items each from 2020: older than the 30
    days the config keeps."""
    urls = {
        feed_server.feed(f"/{t}.xml", feed_items(t, 10, feed_server, 1_600_000_000)): "News"
        for t in ("Alpha", "Beta")
    }
    server.add_feeds(urls)
    cli.write(server.sync_table(), extra="[settings]\nretention_days = 30\n")


def _state(isolated_env: Path, key: str) -> str | None:
    store = Store.open(isolated_env / "cache" / "newsdesk.db")
    try:
        return store.sync_get(key)
    finally:
        store.close()


def test_articles_the_server_has_read_are_pruned_and_never_pulled_again(
    cli: Cli, server: ServerSide, feed_server: FeedServer
) -> None:
    old_feeds(cli, server, feed_server)
    server.mark_read(["Alpha item 1", "Alpha item 2"], True)
    server.star(["Alpha item 2"], True)

    code, out, err = cli("sync")

    assert code == 0, err
    here = flags(cli)
    assert "Alpha item 1" not in here  # read on the server
    assert here["Alpha item 2"] == (True, True)  # starred: saved here, kept
    assert here["Alpha item 3"] == (False, False)  # unread: kept
    assert cli("read", str(ids(cli)["Beta item 4"]))[0] == 0
    code, out, err = cli("sync", "--json")
    assert code == 0, err
    assert json.loads(out)["pushed"] == 1 and json.loads(out)["pruned"] == 1
    assert server.state()["Beta item 4"] == (True, False)

    code, out, err = cli("sync", "--json")

    assert code == 0, err
    assert json.loads(out)["new"] == 0
    assert len(rows(cli)) == 18
    assert not {"Alpha item 1", "Beta item 4"} & set(flags(cli))


def test_refresh_of_a_synced_source_syncs(
    cli: Cli, server: ServerSide, feed_server: FeedServer
) -> None:
    first_sync(cli, server, feed_server)
    feed_server.feed("/Beta.xml", feed_items("Beta", 14, feed_server))
    server.refetch()

    code, out, err = cli("refresh", "--source", "Beta")

    assert code == 0, err
    assert "4 new articles" in out
    assert {"Beta item 10", "Beta item 13"} <= set(flags(cli))
    code, out, err = cli("refresh", "--source", "Beta", "--source", "Nowhere")
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [f"newsdesk: no source named 'Nowhere' in {cli.config}"]
