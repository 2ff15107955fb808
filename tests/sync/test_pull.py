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
from tests.sync.test_servers import FEEDS, SMALL, first_sync, flags, ids, rows, subscribe
from tests.sync.ttrss_server import TtRssUser
from tui.store import Store

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
    # log in, feeds (and categories), items after the marker, the state (counts or the two
    # id lists), log out: never a request per page of unread articles
    assert server.proxy.requests <= 6


def test_a_sync_with_nothing_skipped_counts_the_cache_once_and_notes_nothing(
    cli: Cli,
    ttrss: TtRssUser,
    ttrss_proxy: Proxy,
    feed_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Tiny Tiny RSS gives counts: the cache's are counted once a sync, to compare (a second
    count, and a write of the items skipped as malformed, followed every reading of a feed
    whose count moved, none skipped)."""
    server = TtRssSide(ttrss, ttrss_proxy)
    subscribe(server, feed_server, SMALL)
    cli.write(server.sync_table())
    assert cli("sync")[0] == 0
    server.mark_read(["Alpha item 5"], True)  # Alpha's count moves: its unread ids are read
    asked: list[str] = []
    count, put = Store.sync_counts, Store.sync_set

    def counted(store: Store) -> tuple[dict[str, int], int]:
        asked.append("counts")
        return count(store)

    def noted(store: Store, key: str, value: str) -> None:
        asked.append(key)
        put(store, key, value)

    monkeypatch.setattr(Store, "sync_counts", counted)
    monkeypatch.setattr(Store, "sync_set", noted)

    code, out, err = cli("sync")

    assert code == 0, err
    assert flags(cli)["Alpha item 5"] == (True, False)
    assert asked == ["counts", "last_attempt"]


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


def test_articles_the_server_has_read_are_pruned_and_never_pulled_again(
    cli: Cli, server: ServerSide, feed_server: FeedServer
) -> None:
    urls = {  # items from 2020: older than the 30 days kept
        feed_server.feed(f"/{t}.xml", feed_items(t, 10, feed_server, 1_600_000_000)): "News"
        for t in ("Alpha", "Beta")
    }
    server.add_feeds(urls)
    server.mark_read(["Alpha item 1", "Alpha item 2"], True)
    server.star(["Alpha item 2"], True)
    cli.write(server.sync_table(), extra="[settings]\nretention_days = 30\n")

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
