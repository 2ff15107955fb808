"""Sync against real servers (Tiny Tiny RSS and coldsweat's Fever API), each test once per
server, as a user sees it through `newsdesk sync`, `refresh`, `list`, `read`, `save`..."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.feedserver import FeedServer
from tests.sync.conftest import Cli, feed_items
from tests.sync.fever_server import FeverUser
from tests.sync.proxy import Proxy
from tests.sync.sides import FeverSide, ServerSide, TtRssSide
from tests.sync.ttrss_server import TtRssUser
from tests.test_cli_scripts import stderr_on_terminal

FEEDS = {"Alpha": (120, "News"), "Beta": (100, "Tech"), "Gamma": (80, "News")}
"""The first sync's feeds: 300 items in all, in two categories."""
SMALL = {"Alpha": (12, "News"), "Beta": (10, "Tech"), "Gamma": (8, "News")}
"""The other tests' feeds: 30 items (the servers take a while to fetch each one)."""
NOTHING_NEW = {"ttrss": 7, "fever": 6}
"""The most requests a sync with nothing new makes (test_pull.py)."""


def subscribe(
    server: ServerSide, feed_server: FeedServer, feeds: dict[str, tuple[int, str]] = SMALL
) -> None:
    """The server subscribes to three feeds in two categories."""
    urls = {
        feed_server.feed(f"/{title}.xml", feed_items(title, count, feed_server)): category
        for title, (count, category) in feeds.items()
    }
    server.add_feeds(urls)


def first_sync(cli: Cli, server: ServerSide, feed_server: FeedServer) -> dict[str, int]:
    """Subscribe, sync once; returns title -> local article id."""
    subscribe(server, feed_server)
    cli.write(server.sync_table())
    code, out, err = cli("sync")
    assert code == 0, err
    return ids(cli)


def ids(cli: Cli) -> dict[str, int]:
    return {row["title"]: row["id"] for row in rows(cli)}


def rows(cli: Cli) -> list[dict[str, object]]:
    code, out, err = cli("list", "--json", "--limit", "1000")
    assert code == 0, err
    result: list[dict[str, object]] = json.loads(out)
    return result


def flags(cli: Cli) -> dict[str, tuple[bool, bool]]:
    """title -> (read, saved) here."""
    return {str(r["title"]): (bool(r["read"]), bool(r["saved"])) for r in rows(cli)}


def test_first_sync_brings_every_feed_and_article(
    cli: Cli, server: ServerSide, feed_server: FeedServer
) -> None:
    subscribe(server, feed_server, FEEDS)
    cli.write(server.sync_table())

    code, out, err = cli("sync")

    assert code == 0, err
    assert "300 new articles" in out
    code, out, _ = cli("sources", "--json")
    sources = {s["name"]: s for s in json.loads(out)}
    assert set(sources) == set(FEEDS)
    assert sources["Beta"]["tags"] == ["Tech"] and sources["Alpha"]["tags"] == ["News"]
    assert sources["Alpha"]["kind"] == "sync" and sources["Alpha"]["unread"] == 120
    assert len(rows(cli)) == 300
    code, out, _ = cli("search", "--json", '"Gamma item 42"')
    assert [hit["title"] for hit in json.loads(out)][:1] == ["Gamma item 42"]
    code, out, _ = cli("sync", "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["new"] == 0 and report["feeds"] == 3


def test_sync_shows_its_steps_on_a_terminal_only(
    cli: Cli, server: ServerSide, feed_server: FeedServer
) -> None:
    # A first sync of thousands of items said nothing until it was done.
    subscribe(server, feed_server, FEEDS)
    cli.write(server.sync_table())
    command = [sys.executable, "-m", "tui", "sync"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    done, drawn = stderr_on_terminal(command, env, timeout=120)
    assert done.returncode == 0 and b"300 new articles" in done.stdout
    steps = ["logging in", "sending local changes", "reading subscriptions"]
    steps += ["reading new items", "reading read and saved flags"]
    shown = [line.removeprefix("\x1b[K") for line in drawn.split("\r")[1:]]
    assert [next(s for s in steps if line.startswith(f"sync: {s}")) for line in shown[:-1]] == steps
    assert shown[-1] == ""  # erased, for the summary line that follows
    piped = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert (piped.returncode, piped.stderr) == (0, "")


def test_marks_travel_both_ways(cli: Cli, server: ServerSide, feed_server: FeedServer) -> None:
    local = first_sync(cli, server, feed_server)
    assert cli("read", str(local["Alpha item 1"]), str(local["Alpha item 2"]))[0] == 0
    server.mark_read(["Beta item 5"], True)

    code, out, err = cli("sync")

    assert code == 0, err
    assert "2 changes pushed" in out and "1 marked read" in out
    assert server.state()["Alpha item 1"] == (True, False)
    assert flags(cli)["Beta item 5"] == (True, False)
    # ...and back to unread, each way
    cli("unread", str(local["Alpha item 1"]))
    server.mark_read(["Beta item 5"], False)
    assert cli("sync")[0] == 0
    assert server.state()["Alpha item 1"] == (False, False)
    assert flags(cli)["Beta item 5"] == (False, False)
    assert flags(cli)["Alpha item 2"] == (True, False) == server.state()["Alpha item 2"]


def test_stars_travel_both_ways(cli: Cli, server: ServerSide, feed_server: FeedServer) -> None:
    local = first_sync(cli, server, feed_server)
    assert cli("save", str(local["Gamma item 3"]))[0] == 0
    server.star(["Alpha item 7"], True)

    assert cli("sync")[0] == 0

    assert server.state()["Gamma item 3"][1] is True
    code, out, _ = cli("saved", "--json")
    assert {r["title"] for r in json.loads(out)} == {"Gamma item 3", "Alpha item 7"}
    cli("unsave", str(local["Gamma item 3"]))
    server.star(["Alpha item 7"], False)
    assert cli("sync")[0] == 0
    assert server.state()["Gamma item 3"][1] is False
    assert flags(cli)["Alpha item 7"] == (False, False)


def test_a_change_made_while_the_server_is_down_is_pushed_when_it_returns(
    cli: Cli, server: ServerSide, feed_server: FeedServer
) -> None:
    local = first_sync(cli, server, feed_server)
    server.down()
    assert cli("read", str(local["Beta item 9"]))[0] == 0

    code, out, err = cli("sync")

    assert code == 1
    assert out == "" and len(err.strip().splitlines()) == 1
    assert "sync failed" in err and "1 local change kept" in err
    server.up()
    assert server.state()["Beta item 9"] == (False, False)  # never reached it
    code, out, err = cli("sync")
    assert code == 0, err
    assert "1 change pushed" in out
    assert server.state()["Beta item 9"] == (True, False)


def test_a_push_cut_short_reports_the_changes_that_reached_the_server(
    cli: Cli, server: ServerSide, feed_server: FeedServer
) -> None:
    local = first_sync(cli, server, feed_server)
    assert cli("read", str(local["Alpha item 1"]), str(local["Alpha item 2"]))[0] == 0
    assert cli("save", str(local["Beta item 1"]), str(local["Beta item 2"]))[0] == 0
    first_group = 1 if server.name == "ttrss" else 2  # requests: Fever marks one item each
    marks: list[bytes] = []

    def down_after_the_first_group(request: bytes, body: bytes) -> bytes:
        line = request.split(b"\r\n", 1)[0]
        if b"updateArticle" in request or b"&mark" in line:
            marks.append(request)
            if len(marks) == first_group:
                server.down()  # this answer still goes back; the next request is refused
        return body

    server.proxy.rewrite = down_after_the_first_group

    code, out, err = cli("sync", "--json")

    assert code == 1
    report = json.loads(out)
    assert (report["ok"], report["pushed"], report["pending"]) == (False, 2, 2)
    server.proxy.rewrite = None
    server.up()
    state = server.state()
    assert [state[f"Alpha item {i}"] for i in (1, 2)] == [(True, False)] * 2
    assert [state[f"Beta item {i}"] for i in (1, 2)] == [(False, False)] * 2


KILLED_AFTER_MARKING = """
import sys, time
from pathlib import Path
from tui.store import Store
store = Store.open(Path(sys.argv[1]))
store.set_read([int(sys.argv[2])])
store.set_saved([int(sys.argv[3])])
print("marked", flush=True)
time.sleep(600)  # the app keeps running until it is killed, before any sync
"""


def test_a_change_survives_kill_9_before_its_push(
    cli: Cli, server: ServerSide, feed_server: FeedServer, isolated_env: Path
) -> None:
    local = first_sync(cli, server, feed_server)
    database = isolated_env / "cache" / "newsdesk.db"
    app = subprocess.Popen(
        [sys.executable, "-c", KILLED_AFTER_MARKING, str(database)]
        + [str(local["Alpha item 11"]), str(local["Gamma item 2"])],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert app.stdout is not None and app.stdout.readline().strip() == "marked"
    os.kill(app.pid, signal.SIGKILL)
    app.wait()

    code, out, err = cli("sync")

    assert code == 0, err
    assert "2 changes pushed" in out
    state = server.state()
    assert state["Alpha item 11"] == (True, False) and state["Gamma item 2"] == (False, True)


def test_new_server_items_arrive(cli: Cli, server: ServerSide, feed_server: FeedServer) -> None:
    first_sync(cli, server, feed_server)
    feed_server.feed("/Beta.xml", feed_items("Beta", 14, feed_server))
    server.refetch()

    code, out, err = cli("sync")

    assert code == 0, err
    assert "4 new articles" in out
    assert {"Beta item 10", "Beta item 13"} <= set(flags(cli))
    assert len(rows(cli)) == 34


def test_articles_a_hide_rule_hid_are_not_counted_new(
    cli: Cli, server: ServerSide, feed_server: FeedServer
) -> None:
    # The sync line and `--json`'s `new` counted the articles a hide rule hid as new.
    subscribe(server, feed_server)
    cli.write(server.sync_table(), '[[rules]]\nquery = "source:Beta"\naction = "hide"\n')
    code, out, err = cli("sync", "--json")
    report = json.loads(out)
    assert code == 0, err
    assert (report["new"], report["hidden"]) == (20, 10)
    feed_server.feed("/Beta.xml", feed_items("Beta", 14, feed_server))
    server.refetch()
    code, out, err = cli("sync")
    assert code == 0 and "0 new articles, 4 hidden by rules" in out, err


def test_a_refresh_tells_of_a_hide_rule_that_hid_every_synced_article(
    cli: Cli, server: ServerSide, feed_server: FeedServer
) -> None:
    # The sync's hidden articles were counted, but not which rule hid them: never told.
    subscribe(server, feed_server)
    cli.write(server.sync_table(), '[[rules]]\nquery = "body"\naction = "hide"\n')
    code, out, err = cli("refresh")
    assert code == 0 and "0 new articles, 30 hidden by rules" in out, err
    assert f"note: {cli.config}:2: rules[1]: this hide rule hid all 30 new articles" in err


def test_a_wrong_password_fails_in_one_line_and_changes_nothing(
    cli: Cli, server: ServerSide, feed_server: FeedServer
) -> None:
    first_sync(cli, server, feed_server)
    before = flags(cli)
    server.mark_read(["Alpha item 0"], True)
    cli.write(server.sync_table(password="not-the-password"))

    code, out, err = cli("sync")

    assert code == 1
    assert out == "" and len(err.strip().splitlines()) == 1
    assert "refused" in err and "not-the-password" not in err
    assert flags(cli) == before


def test_credentials_never_show(
    cli: Cli, server: ServerSide, feed_server: FeedServer, isolated_env: Path
) -> None:
    local = first_sync(cli, server, feed_server)
    cli("save", str(local["Alpha item 1"]))
    outputs = [cli("sync", "--json"), cli("sync"), cli("paths"), cli("sources", "--json")]
    outputs += [
        cli("export", "--format", f, "--output", str(isolated_env / f"out.{f}"))
        for f in ("md", "html")
    ]
    outputs.append(cli("feeds", "export"))
    server.down()
    outputs.append(cli("sync"))
    server.up()
    written = [p.read_bytes() for p in isolated_env.rglob("*") if p.is_file()]
    assert any(b"Alpha item 1" in data for data in written)  # the exports and the cache
    secret = server.password.encode()
    assert not [data for data in written if secret in data and b"[sync]" not in data]
    for _, out, err in outputs:
        assert server.password not in out + err


def test_feeds_add_and_remove_subscribe_on_the_server(
    cli: Cli, ttrss: TtRssUser, ttrss_proxy: Proxy, feed_server: FeedServer
) -> None:
    server = TtRssSide(ttrss, ttrss_proxy)
    first_sync(cli, server, feed_server)
    url = feed_server.feed("/Delta.xml", feed_items("Delta", 7, feed_server))

    code, out, err = cli("feeds", "add", url)

    assert code == 0, err
    assert "Delta" in server.feed_titles()
    assert "7 new articles" in out
    code, out, _ = cli("sources", "--json")
    assert "Delta" in {s["name"] for s in json.loads(out)}
    code, out, err = cli("feeds", "remove", "Delta")
    assert code == 0, err
    assert "Delta" not in server.feed_titles()
    code, out, _ = cli("sources", "--json")
    assert "Delta" not in {s["name"] for s in json.loads(out)}
    assert not cli.config.read_text().count("Delta")  # the config is not where it went


def test_a_feed_subscribed_again_continues_the_source_that_kept_its_saved_article(
    cli: Cli, ttrss: TtRssUser, ttrss_proxy: Proxy, feed_server: FeedServer
) -> None:
    server = TtRssSide(ttrss, ttrss_proxy)
    local = first_sync(cli, server, feed_server)
    assert cli("save", str(local["Beta item 2"]))[0] == 0  # queued, not yet pushed
    assert cli("feeds", "remove", "Beta")[0] == 0
    assert server.state()["Beta item 2"] == (False, True)  # pushed first: the server kept it
    url = feed_server.feed("/Beta.xml", feed_items("Beta", SMALL["Beta"][0], feed_server))

    code, out, err = cli("feeds", "add", url)

    assert code == 0, err
    code, out, _ = cli("sources", "--json")
    assert sorted(s["name"] for s in json.loads(out)) == ["Alpha", "Beta", "Gamma"]
    assert [(r["title"], r["saved"]) for r in rows(cli) if r["source"] == "Beta"] == [
        ("Beta item 2", True)
    ]  # Tiny Tiny RSS lists none of the feed's earlier items again


def test_a_saved_article_whose_item_the_server_lost_stays_saved(
    cli: Cli, ttrss: TtRssUser, ttrss_proxy: Proxy, feed_server: FeedServer
) -> None:
    server = TtRssSide(ttrss, ttrss_proxy)
    local = first_sync(cli, server, feed_server)
    assert cli("save", str(local["Beta item 2"]))[0] == 0  # queued, not yet pushed
    ttrss.call("unsubscribeFeed", feed_id=ttrss.feeds()["Beta"])  # the item is deleted there

    code, out, err = cli("sync", "--json")

    assert code == 0, err
    report = json.loads(out)
    assert (report["kept"], report["unsaved"], report["removed_feeds"]) == (1, 0, ["Beta"])
    assert [(r["title"], r["saved"]) for r in rows(cli) if r["source"] == "Beta"] == [
        ("Beta item 2", True)
    ]
    code, out, err = cli("sync")  # out of the sync now: nothing more is said or asked
    assert code == 0 and "kept" not in out and "unsaved" not in out
    assert flags(cli)["Beta item 2"] == (False, True)


def test_a_starred_article_whose_feed_the_server_archived_reaches_a_new_device(
    cli: Cli, ttrss: TtRssUser, ttrss_proxy: Proxy, feed_server: FeedServer
) -> None:
    server = TtRssSide(ttrss, ttrss_proxy)
    subscribe(server, feed_server)
    server.star(["Beta item 2"], True)
    ttrss.call("unsubscribeFeed", feed_id=ttrss.feeds()["Beta"])  # kept as "Archived articles"
    cli.write(server.sync_table())

    code, _, err = cli("sync")  # a device new to the account

    assert code == 0, err
    beta = [(r["source"], r["title"], r["saved"]) for r in rows(cli) if r["source"] != "Alpha"]
    assert [row for row in beta if row[0] != "Gamma"] == [("Archived", "Beta item 2", True)]
    server.proxy.requests = 0
    assert cli("sync")[0] == 0
    assert flags(cli)["Beta item 2"] == (False, True)
    # not asked for again, as a starred item it lacks
    assert server.proxy.requests <= NOTHING_NEW["ttrss"]


def test_fever_cannot_subscribe_and_says_so(
    cli: Cli, fever: FeverUser, feed_server: FeedServer
) -> None:
    cli.write(FeverSide(fever).sync_table())
    url = feed_server.feed("/Delta.xml", feed_items("Delta", 2, feed_server))

    code, out, err = cli("feeds", "add", url)

    assert code == 1 and out == ""
    assert err.strip().splitlines() == [
        "newsdesk: Fever has no call to subscribe: add the feed on the server itself"
    ]
    fever.subscribe({url: "News"})
    assert cli("sync")[0] == 0
    code, out, err = cli("feeds", "remove", "Delta")
    assert code == 1 and out == ""
    assert err.strip().splitlines() == [
        "newsdesk: Fever has no call to unsubscribe: remove the feed on the server itself"
    ]
    assert "Delta" in {f["title"] for f in fever.call("feeds")["feeds"]}


def test_refresh_syncs_beside_local_sources(
    cli: Cli, server: ServerSide, feed_server: FeedServer
) -> None:
    subscribe(server, feed_server)
    local = feed_server.feed("/local.xml", feed_items("Local", 3, feed_server))
    cli.write(server.sync_table(), extra=f'[[sources]]\nname = "Mine"\nurl = "{local}"\n')

    code, out, err = cli("refresh")

    assert code == 0, err
    assert "33 new articles" in out
    assert "synced with" in err
    code, out, _ = cli("sources", "--json")
    kinds = {s["name"]: s["kind"] for s in json.loads(out)}
    assert kinds == {"Mine": "web", "Alpha": "sync", "Beta": "sync", "Gamma": "sync"}
