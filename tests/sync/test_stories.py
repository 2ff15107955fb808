"""Articles a sync brings are settled as a refresh's are (each test once per real server):
two outlets' near-copies share one story, a full disk while grouping them is a notice that
keeps the items, and a big pull leaves the planner statistics fresh."""

from __future__ import annotations

import json
import os
from email.utils import formatdate
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from tests.feedserver import FeedServer
from tests.sql import sql
from tests.stories.test_detection import PORT, PORT_OTHER
from tests.sync.conftest import Cli
from tests.sync.sides import ServerSide
from tests.sync.test_servers import rows
from tui.store import DiskFull, Store

WHEN = 1_790_000_000
"""The first report's date (epoch seconds); the copy comes an hour later."""


def one_item_feed(server: FeedServer, name: str, title: str, body: str, hours: int) -> str:
    """A feed of one item whose guid and link are this feed server's own (coldsweat keeps
    one entry per guid across all its feeds and users)."""
    item = (
        f"<item><title>{escape(title)}</title><link>{server.url(f'/{name}/1')}</link>"
        f"<guid>{server.port}-{name}</guid><description>{escape(body)}</description>"
        f"<pubDate>{formatdate(WHEN + hours * 3600, usegmt=True)}</pubDate></item>"
    )
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{name}</title><link>{server.url('/')}</link><description>d</description>"
        f"{item}</channel></rss>"
    )
    return server.feed(f"/{name}.xml", feed.encode())


def serve_two_copies_and_another(cli: Cli, server: ServerSide, feed_server: FeedServer) -> None:
    """Three feeds on the server: one report, an outlet's edited copy of it, another report."""
    edited = "UPDATE: " + PORT.replace("About 3,500", "Some 3,500")
    feeds = {
        one_item_feed(feed_server, "Wire", "Rotterdam dockers strike", PORT, 0): "News",
        one_item_feed(feed_server, "Herald", "UPDATE: Rotterdam port halted", edited, 1): "News",
        one_item_feed(feed_server, "Other", "Hydrogen terminal opens", PORT_OTHER, 2): "News",
    }
    server.add_feeds(feeds)
    cli.write(server.sync_table())


def test_synced_near_copies_from_two_outlets_are_one_story(
    cli: Cli, server: ServerSide, feed_server: FeedServer
) -> None:
    serve_two_copies_and_another(cli, server, feed_server)

    code, out, err = cli("sync")

    assert code == 0, err
    stories = {str(row["title"]): row["story"] for row in rows(cli)}
    assert stories["Rotterdam dockers strike"] is not None
    assert stories["Rotterdam dockers strike"] == stories["UPDATE: Rotterdam port halted"]
    assert stories["Hydrogen terminal opens"] is None


def test_a_full_disk_while_grouping_is_a_notice_and_keeps_the_items(
    cli: Cli, server: ServerSide, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(store: Store, ids: object) -> int:
        raise DiskFull(f"{store.path}: disk full, nothing was written")

    serve_two_copies_and_another(cli, server, feed_server)
    monkeypatch.setattr("tui.stories.grouping.group_stories", full)

    code, out, err = cli("sync", "--json")

    assert code == 0, err
    assert json.loads(out)["notice"].startswith("stories not grouped this time: ")
    assert len(rows(cli)) == 3


def test_a_big_pull_refreshes_the_planner_statistics(
    cli: Cli, server: ServerSide, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_two_copies_and_another(cli, server, feed_server)
    monkeypatch.setattr("tui.stories.grouping.ANALYZE_AFTER", 1)  # three items are "big"

    code, out, err = cli("sync")

    assert code == 0, err
    store = Store.open(Path(os.environ["NEWSDESK_CACHE"]) / "newsdesk.db")
    # Every table, not only those the closing connection's `PRAGMA optimize` samples.
    analyzed = {row[0] for row in sql(store, "SELECT tbl FROM sqlite_stat1")}
    assert {"articles", "sources", "stories"} <= analyzed
