"""The account a cache syncs with: the same server written another way is the same account
(nothing dropped, nothing doubled); another user or server starts afresh, and says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.feedserver import FeedServer
from tests.sql import sql
from tests.sync.conftest import Cli
from tests.sync.fever_server import Coldsweat, FeverUser
from tests.sync.proxy import Proxy
from tests.sync.sides import FeverSide, ServerSide, TtRssSide
from tests.sync.test_servers import first_sync, flags, ids, rows, subscribe
from tests.sync.ttrss_server import TtRssUser, new_user
from tui.store import Store


def _same_server(server: ServerSide, how: str) -> str:
    url = server.proxy.url
    assert url.endswith("/")
    if how == "api":
        if server.name != "ttrss":
            pytest.skip("only Tiny Tiny RSS has an /api/ suffix")
        return url + "api/"
    return url.rstrip("/")


@pytest.mark.parametrize("how", ["no slash", "api"])
def test_the_same_server_written_another_way_keeps_the_account(
    cli: Cli, server: ServerSide, feed_server: FeedServer, how: str
) -> None:
    ids = first_sync(cli, server, feed_server)
    assert cli("read", str(ids["Alpha item 1"]))[0] == 0
    table = server.sync_table().replace(server.proxy.url, _same_server(server, how))
    cli.write(table)

    code, out, err = cli("sync", "--json")

    assert code == 0, err
    report = json.loads(out)
    assert (report["dropped"], report["pushed"], report["removed_feeds"]) == (0, 1, [])
    assert server.state()["Alpha item 1"][0] is True  # read on the server too
    code, out, _ = cli("sources", "--json")
    assert sorted(s["name"] for s in json.loads(out)) == ["Alpha", "Beta", "Gamma"]
    assert len(flags(cli)) == 30


def test_the_same_server_over_the_other_scheme_keeps_the_account(
    cli: Cli, server: ServerSide, feed_server: FeedServer, isolated_env: Path
) -> None:
    """The forwarder speaks no TLS, so the cache is the one that says https (synced by an
    older version, which kept the scheme); the config's URL is the same but for http."""
    before = first_sync(cli, server, feed_server)
    assert cli("read", str(before["Alpha item 1"]))[0] == 0
    store = Store.open(isolated_env / "cache" / "newsdesk.db")
    service, _, user = str(store.sync_get("account")).split(" ")
    https = server.proxy.url.replace("http://", "https://")
    store.sync_set("account", f"{service} {https} {user}")
    store.close()

    code, out, err = cli("sync", "--json")

    assert code == 0, err
    report = json.loads(out)
    assert (report["dropped"], report["pushed"], report["removed_feeds"]) == (0, 1, [])
    assert server.state()["Alpha item 1"][0] is True
    assert ids(cli) == before  # the same articles, not fetched again under new ids


def _other_user(server: ServerSide, request: pytest.FixtureRequest, home: Path) -> ServerSide:
    """Another user of the same server."""
    if isinstance(server, TtRssSide):
        return TtRssSide(new_user(), server.proxy)
    coldsweat: Coldsweat = request.getfixturevalue("coldsweat")
    home.mkdir()
    return FeverSide(FeverUser(coldsweat, home))


def test_another_user_says_what_it_dropped(
    cli: Cli,
    server: ServerSide,
    feed_server: FeedServer,
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    ids = first_sync(cli, server, feed_server)
    assert cli("read", str(ids["Alpha item 1"]), str(ids["Beta item 1"]))[0] == 0
    other = _other_user(server, request, tmp_path / "other")
    cli.write(other.sync_table())

    code, out, err = cli("sync")

    assert code == 0, err
    assert "2 changes for the previous account dropped" in out
    assert "feeds removed: Alpha, Beta, Gamma" in out
    assert len(out.strip().splitlines()) == 1


def test_a_saved_article_the_new_account_also_has_stays_saved_and_is_starred_there(
    cli: Cli,
    server: ServerSide,
    feed_server: FeedServer,
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    ids = first_sync(cli, server, feed_server)
    assert cli("save", str(ids["Alpha item 1"]))[0] == 0
    assert cli("sync")[0] == 0  # starred on the first account
    other = _other_user(server, request, tmp_path / "other")
    subscribe(other, feed_server)  # the same feeds: its items are the articles here
    cli.write(other.sync_table())

    code, out, err = cli("sync")

    assert code == 0, err
    assert flags(cli)["Alpha item 1"] == (False, True)
    assert cli("sync")[0] == 0  # the next push stars it on the new account
    assert other.state()["Alpha item 1"][1] is True
    assert flags(cli)["Alpha item 1"] == (False, True)


def _archive(user: TtRssUser, title: str, feed: str) -> None:
    """Star an item, then unsubscribe its feed: Tiny Tiny RSS keeps it as "Archived"."""
    TtRssSide(user, Proxy(user.url)).star([title], True)
    user.call("unsubscribeFeed", feed_id=user.feeds()[feed])


@pytest.mark.parametrize("archived_on", ["new account", "old account"])
def test_a_starred_article_archived_on_one_account_shows_once_after_a_switch(
    cli: Cli,
    ttrss: TtRssUser,
    ttrss_proxy: Proxy,
    feed_server: FeedServer,
    isolated_env: Path,
    archived_on: str,
) -> None:
    old, new = TtRssSide(ttrss, ttrss_proxy), TtRssSide(new_user(), ttrss_proxy)
    subscribe(old, feed_server)
    subscribe(new, feed_server)  # the same feeds: the same articles
    _archive((new if archived_on == "new account" else old).user, "Beta item 2", "Beta")
    cli.write(old.sync_table())
    assert cli("sync")[0] == 0
    assert cli("save", str(ids(cli)["Beta item 2"]))[0] == 0
    assert cli("sync")[0] == 0
    cli.write(new.sync_table())

    code, out, err = cli("sync")

    assert code == 0, err
    copies = [(r["source"], r["saved"]) for r in rows(cli) if r["title"] == "Beta item 2"]
    where = "Archived" if archived_on == "new account" else "Beta"  # as the new account has it
    assert copies == [(where, True)]
    code, out, _ = cli("sources", "--json")
    totals = {s["name"]: (s["total"], s["unread"]) for s in json.loads(out)}
    moved = (1, 1) if where == "Archived" else (10, 10)  # the old source, emptied, went
    assert totals == {"Alpha": (12, 12), "Gamma": (8, 8), where: moved}
    store = Store.open(isolated_env / "cache" / "newsdesk.db")
    whole = "INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)"
    sql(store, whole)  # the search index followed the move (raises if it did not)
    store.close()
    code, out, _ = cli("search", "--json", f'"Beta item 2" source:{where}')
    assert [hit["title"] for hit in json.loads(out)] == ["Beta item 2"]
    assert cli("sync")[0] == 0
    assert new.state()["Beta item 2"][1] is True  # starred on the new account too
    assert [r["title"] for r in rows(cli)].count("Beta item 2") == 1
