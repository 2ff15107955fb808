"""Two server items that are one article here (a feed that republishes an item under a new
guid): reading it reads both on the server."""

from __future__ import annotations

from tests.feedserver import FeedServer
from tests.sync.conftest import Cli
from tests.sync.sides import FeverSide, ServerSide
from tests.sync.test_servers import ids


def _republished(feed_server: FeedServer) -> bytes:
    item = (
        "<item><title>Same story</title><link>{link}</link><guid>{guid}</guid>"
        "<description>Same body.</description></item>"
    )
    link = feed_server.url("/same")
    items = "".join(item.format(link=link, guid=f"{feed_server.port}-g{n}") for n in (1, 2))
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Repub</title>'
        f"<link>{feed_server.url('/')}</link><description>d</description>{items}"
        "</channel></rss>"
    ).encode()


def _unread_on_server(server: ServerSide) -> int:
    if isinstance(server, FeverSide):
        listed = server.user.call("unread_item_ids")["unread_item_ids"]
        return len([i for i in str(listed).split(",") if i])
    return server.count()


def test_reading_an_article_two_server_items_share_reads_both(
    cli: Cli, server: ServerSide, feed_server: FeedServer
) -> None:
    server.add_feeds({feed_server.feed("/Repub.xml", _republished(feed_server)): "News"})
    cli.write(server.sync_table())
    assert cli("sync")[0] == 0
    assert _unread_on_server(server) == 2
    assert list(ids(cli)) == ["Same story"]  # one article here

    assert cli("read", str(ids(cli)["Same story"]))[0] == 0
    code, out, err = cli("sync")

    assert code == 0, err
    assert _unread_on_server(server) == 0
