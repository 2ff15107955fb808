"""Articles a sync brings are grouped into stories as a refresh's are (each test once per
real server): two outlets' near-copies share one story and list as one."""

from __future__ import annotations

from email.utils import formatdate
from xml.sax.saxutils import escape

from tests.feedserver import FeedServer
from tests.stories.test_detection import PORT, PORT_OTHER
from tests.sync.conftest import Cli
from tests.sync.sides import ServerSide
from tests.sync.test_servers import rows

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


def test_synced_near_copies_from_two_outlets_are_one_story(
    cli: Cli, server: ServerSide, feed_server: FeedServer
) -> None:
    edited = "UPDATE: " + PORT.replace("About 3,500", "Some 3,500")
    feeds = {
        one_item_feed(feed_server, "Wire", "Rotterdam dockers strike", PORT, 0): "News",
        one_item_feed(feed_server, "Herald", "UPDATE: Rotterdam port halted", edited, 1): "News",
        one_item_feed(feed_server, "Other", "Hydrogen terminal opens", PORT_OTHER, 2): "News",
    }
    server.add_feeds(feeds)
    cli.write(server.sync_table())

    code, out, err = cli("sync")

    assert code == 0, err
    stories = {str(row["title"]): row["story"] for row in rows(cli)}
    assert stories["Rotterdam dockers strike"] is not None
    assert stories["Rotterdam dockers strike"] == stories["UPDATE: Rotterdam port halted"]
    assert stories["Hydrogen terminal opens"] is None
