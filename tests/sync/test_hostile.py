"""A server that answers badly (malformed values, too slowly, too much) fails the sync in one
line, or skips the one bad item, and never stops the other sources of a refresh."""

from __future__ import annotations

import json
import re
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.feedserver import FeedServer
from tests.sync.answers import Rewrite
from tests.sync.conftest import Cli, feed_items
from tests.sync.fever_server import FeverUser
from tests.sync.proxy import Proxy
from tests.sync.sides import FeverSide, ServerSide, TtRssSide
from tests.sync.test_servers import NOTHING_NEW, first_sync, flags, rows, subscribe
from tests.sync.ttrss_server import TtRssUser
from tui.store import Store


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("where", ["run_sync", "open_service"])
def test_a_sync_that_breaks_never_stops_the_other_sources(
    cli: Cli,
    server: ServerSide,
    feed_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in the sync")

    def broken_now(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in the sync")

    monkeypatch.setattr(f"tui.sync.engine.{where}", broken if where == "run_sync" else broken_now)
    local = feed_server.feed("/local.xml", feed_items("Local", 3, feed_server))
    cli.write(server.sync_table(), extra=f'[[sources]]\nname = "Mine"\nurl = "{local}"\n')

    code, out, err = cli("refresh")

    assert "3 new articles" in out
    assert "Traceback" not in err
    assert "[sync]: failed: unexpected error (RuntimeError: a bug in the sync)" in err
    code, out, _ = cli("sources", "--json")
    assert {s["name"]: s["unread"] for s in json.loads(out)} == {"Mine": 3}


# -- answers rewritten on their way from the real server ---------------------------------

FIELDS = {
    "ttrss": {"date": "updated", "link": "link", "id": "id", "author": "author"},
    "fever": {"date": "created_on_time", "link": "url", "id": "id", "author": "author"},
}


def _items_page(server: ServerSide, request: bytes) -> bool:
    """Is this request a page of new items (with their content)?"""
    if server.name == "fever":
        return b"since_id=" in request.split(b"\r\n", 1)[0]
    body = json.loads(request.partition(b"\r\n\r\n")[2] or b"{}")
    return bool(body.get("op") == "getHeadlines" and body.get("show_content"))


def _op(server: ServerSide, request: bytes, op: str) -> bool:
    if server.name == "fever":
        return f"&{op}".encode() in request.split(b"\r\n", 1)[0]
    body = json.loads(request.partition(b"\r\n\r\n")[2] or b"{}")
    show = body.get("show_content")
    return bool(body.get("op") == op.split(":")[0] and (":" not in op or show is False))


def _rewrite_first(server: ServerSide, change: Callable[[list[Any]], None]) -> list[str]:
    """Rewrite the items of the first page of new items; returns the titles it touched."""
    touched: list[str] = []

    def rewrite(request: bytes, body: bytes) -> bytes:
        if touched or not _items_page(server, request):
            return body
        answer = json.loads(body)
        items = answer["content"] if server.name == "ttrss" else answer["items"]
        touched.append(items[0]["title"])
        change(items)
        return json.dumps(answer).encode()

    server.proxy.rewrite = rewrite
    return touched


def _set(field: str, value: Any) -> Callable[[ServerSide], Callable[[list[Any]], None]]:
    def change(server: ServerSide) -> Callable[[list[Any]], None]:
        name = FIELDS[server.name].get(field, field)
        return lambda items: items[0].update({name: value})

    return change


@pytest.mark.parametrize(
    "change",
    [
        _set("date", "yesterday"),
        _set("date", 2**70),
        _set("date", -99_999_999_999_999),
        _set("id", "abc"),
        _set("id", -5),
        _set("id", 2**70),
        _set("link", 12345),
        _set("author", {"name": "x"}),
        _set("title", ["a", "b"]),
        lambda server: lambda items: items.__setitem__(0, "not an item"),
    ],
    ids=[
        "date-text",
        "date-huge",
        "date-negative",
        "id-text",
        "id-negative",
        "id-huge",
        "link-number",
        "author-object",
        "title-list",
        "item-string",
    ],
)
def test_a_malformed_item_is_skipped_and_said(
    cli: Cli,
    server: ServerSide,
    feed_server: FeedServer,
    change: Callable[[ServerSide], Callable[[list[Any]], None]],
) -> None:
    subscribe(server, feed_server)
    cli.write(server.sync_table())
    _rewrite_first(server, change(server))

    code, out, err = cli("sync")

    assert code == 0, err
    assert "1 malformed item skipped" in out and "Traceback" not in err
    titles = [str(row["title"]) for row in rows(cli)]
    assert "['a', 'b']" not in titles
    assert len(titles) == len(set(titles)) == 30  # unread: asked for again by id, whole


def _answer(op: str, change: Callable[[dict[str, Any]], None]) -> Callable[[ServerSide], Any]:
    def install(server: ServerSide) -> None:
        def rewrite(request: bytes, body: bytes) -> bytes:
            if not _op(server, request, op):
                return body
            answer = json.loads(body)
            change(answer)
            return json.dumps(answer).encode()

        server.proxy.rewrite = rewrite

    return install


MALFORMED = {
    "ttrss": [
        _answer("getFeeds", lambda a: a.update(content={"a": 1})),
        _answer("getFeeds", lambda a: a.update(content=None)),
        _answer("getCategories", lambda a: a["content"][0].update(id="abc")),
        _answer("getHeadlines", lambda a: a.update(content="notalist")),
        _answer("getHeadlines:ids", lambda a: a.update(content={"id": 1})),
        _answer("getFeeds", lambda a: a["content"][0].update(title=["a"])),
    ],
    "fever": [
        _answer("items", lambda a: a.update(items={"a": 1})),
        _answer("feeds", lambda a: a.update(feeds="x")),
        _answer("groups", lambda a: a.update(feeds_groups="x")),
        _answer("unread_item_ids", lambda a: a.update(unread_item_ids={})),
        _answer("unread_item_ids", lambda a: a.pop("unread_item_ids")),
        _answer("saved_item_ids", lambda a: a.update(saved_item_ids=True)),
    ],
}


@pytest.mark.parametrize("case", range(6))
def test_a_malformed_answer_is_one_line(
    cli: Cli, server: ServerSide, feed_server: FeedServer, case: int
) -> None:
    subscribe(server, feed_server)
    cli.write(server.sync_table())
    if server.name == "ttrss" and case == 4:  # id lists are read where counts moved
        assert cli("sync")[0] == 0
        server.mark_read(["Alpha item 0"], True)
    MALFORMED[server.name][case](server)

    code, out, err = cli("sync")

    assert code == 1 and out == ""
    assert "unexpected answer" in _one_line(err)


def test_an_absurd_item_id_never_hides_later_items(
    cli: Cli, server: ServerSide, feed_server: FeedServer
) -> None:
    subscribe(server, feed_server)
    cli.write(server.sync_table())
    _rewrite_first(server, _set("id", 2**70)(server))
    assert cli("sync")[0] == 0
    server.proxy.rewrite = None
    # a new item on the server, read there (on a phone) before this device syncs
    feed_server.feed("/Alpha.xml", feed_items("Alpha", 13, feed_server))
    server.refetch()
    server.mark_read(["Alpha item 12"], True)

    code, out, err = cli("sync")

    assert code == 0, err
    assert ("Alpha item 12", (True, False)) in flags(cli).items()


def _saved_ids_as(form: Callable[[str], Any]) -> Callable[[dict[str, Any]], None]:
    def change(answer: dict[str, Any]) -> None:
        value = form(answer.pop("saved_item_ids"))
        if value is not MISSING:
            answer["saved_item_ids"] = value

    return change


MISSING = object()


@pytest.mark.parametrize(
    ("form", "accepted"),
    [
        (lambda ids: MISSING, False),
        (lambda ids: {}, False),
        (lambda ids: None, False),
        (lambda ids: [int(i) for i in ids.split(",")], True),  # a JSON array: the same ids
    ],
    ids=["missing", "object", "null", "array"],
)
def test_fever_saved_ids_in_another_form_never_unsave(
    cli: Cli, fever: FeverUser, feed_server: FeedServer, form: Callable[[str], Any], accepted: bool
) -> None:
    side = FeverSide(fever)
    subscribe(side, feed_server)
    side.star(["Alpha item 1"], True)
    cli.write(side.sync_table())
    assert cli("sync")[0] == 0
    before = flags(cli)
    assert before["Alpha item 1"] == (False, True)
    _answer("saved_item_ids", _saved_ids_as(form))(side)

    code, out, err = cli("sync")

    assert flags(cli) == before
    if accepted:
        assert code == 0, err
    else:
        assert code == 1 and "saved_item_ids" in _one_line(err) and "unexpected answer" in err


def test_a_server_that_trickles_its_answer_fails_at_the_deadline(
    cli: Cli, server: ServerSide
) -> None:
    cli.write(server.sync_table(), extra="[settings]\ntimeout_seconds = 1\n")
    server.proxy.trickle = 0.05  # ~20 bytes a second: never a read timeout, never done

    code, out, err = cli("sync")

    assert code == 1 and out == ""
    assert "no answer within 1 s" in _one_line(err)


def test_a_server_that_stops_answering_is_not_waited_for_again_to_log_out(
    cli: Cli, ttrss: TtRssUser, ttrss_proxy: Proxy
) -> None:
    """One deadline, not two: the logout at the end would hang as the sync's call did."""
    server = TtRssSide(ttrss, ttrss_proxy)
    cli.write(server.sync_table(), extra="[settings]\ntimeout_seconds = 1\n")
    ops: list[str] = []

    def answer_slowly_after_login(request: bytes, body: bytes) -> bytes:
        ops.append(json.loads(request.partition(b"\r\n\r\n")[2])["op"])
        if ops[-1] == "login":
            ttrss_proxy.trickle = 0.05
        return body

    ttrss_proxy.rewrite = answer_slowly_after_login

    code, out, err = cli("sync")

    assert code == 1 and "no answer within 1 s" in _one_line(err)
    assert ops[0] == "login" and len(ops) == 2 and "logout" not in ops


def test_an_answer_too_large_fails_in_one_line(cli: Cli, server: ServerSide) -> None:
    cli.write(server.sync_table(), extra="[settings]\nmax_body_mb = 1\n")
    huge = b'{"padding": "' + b"x" * (40 * 1024 * 1024) + b'"}'
    server.proxy.rewrite = lambda request, body: huge

    code, out, err = cli("sync")

    assert code == 1 and out == ""
    assert "the answer is unusable (response larger than 32 MB)" in _one_line(err)


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_an_answer_nested_too_deeply_fails_in_one_line(
    cli: Cli, server: ServerSide, json_flag: list[str]
) -> None:
    cli.write(server.sync_table())
    deep = b'{"seq": 0, "status": 0, "content": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    login = b'"op": "login"'  # Tiny Tiny RSS: the session is opened, its next answer is deep
    server.proxy.rewrite = lambda request, body: body if login in request else deep

    code, out, err = cli("sync", *json_flag)

    assert code == 1
    assert "unexpected answer (nested too deeply)" in _one_line(err)
    assert json.loads(out)["error"] if json_flag else out == ""


def test_a_connection_dropped_mid_answer_is_not_a_connect_failure(
    cli: Cli, server: ServerSide
) -> None:
    cli.write(server.sync_table())
    server.proxy.cut = True

    code, out, err = cli("sync")

    assert code == 1 and out == ""
    line = _one_line(err)
    assert "the connection broke" in line and "cannot connect" not in line


def test_a_slow_password_command_never_holds_up_the_other_sources(
    cli: Cli, server: ServerSide, feed_server: FeedServer
) -> None:
    """The password command waits until the feed is fetched: run on the event loop (as it
    was), it would hold up the fetch until it timed out."""
    gate = socket.create_server(("127.0.0.1", 0))
    body = feed_items("Local", 3, feed_server)

    def serve(handler: Any) -> None:
        waiting, _ = gate.accept()
        with waiting:
            waiting.sendall(server.password.encode() + b"\n")
        handler.reply(200, body, [("Content-Type", "application/rss+xml")])

    local = feed_server.route("/local.xml", serve)
    command = (
        f"{sys.executable} -c 'import socket; "
        f's = socket.create_connection(("127.0.0.1", {gate.getsockname()[1]})); '
        "print(s.makefile().readline().strip())'"
    )
    table = re.sub(
        r'password = ".*"', f"password_command = {json.dumps(command)}", server.sync_table()
    )
    cli.write(table, extra=f'[[sources]]\nname = "Mine"\nurl = "{local}"\n')

    with gate:
        code, out, err = cli("refresh")

    assert code == 0, err
    assert "3 new articles" in out and "synced with" in err


def test_an_item_malformed_in_every_answer_is_counted_once(
    cli: Cli, server: ServerSide, feed_server: FeedServer
) -> None:
    subscribe(server, feed_server)
    cli.write(server.sync_table())
    server.proxy.rewrite = _date_everywhere(server, "Alpha item 3")

    code, out, err = cli("sync")

    assert code == 0, err
    assert "1 malformed item skipped" in out
    assert "Alpha item 3" not in flags(cli) and len(flags(cli)) == 29


def _date_everywhere(server: ServerSide, title: str) -> Rewrite:
    """The item titled `title` has a date that is not one in every answer: in the pages of
    items, and again when asked for by id."""
    date = FIELDS[server.name]["date"]

    def rewrite(request: bytes, body: bytes) -> bytes:
        answer = json.loads(body)
        items = answer.get("content") if server.name == "ttrss" else answer.get("items")
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and item.get("title") == title:
                item[date] = "yesterday"
        return json.dumps(answer).encode()

    return rewrite


def _id_everywhere(server: ServerSide, title: str, bad: str) -> Rewrite:
    """The item titled `title` has the id `bad` in every answer: pages of items, TT-RSS's
    headlines without content (its id lists), Fever's comma-separated id lists."""
    real: set[str] = set()

    def rewrite(request: bytes, body: bytes) -> bytes:
        answer = json.loads(body)
        items = answer.get("content") if server.name == "ttrss" else answer.get("items")
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and item.get("title") == title:
                real.add(str(item["id"]))
                item["id"] = bad
        for name in ("unread_item_ids", "saved_item_ids"):
            if isinstance(answer.get(name), str):
                ids = answer[name].split(",")
                answer[name] = ",".join(bad if i in real else i for i in ids)
        return json.dumps(answer).encode()

    return rewrite


def test_a_malformed_id_in_an_id_list_is_skipped_as_its_item_is(
    cli: Cli, server: ServerSide, feed_server: FeedServer
) -> None:
    """Fever reads its id lists whole; TT-RSS reads Alpha's, whose count differs from the
    cache's by the skipped item. Every later sync goes on working."""
    subscribe(server, feed_server)
    cli.write(server.sync_table())
    server.proxy.rewrite = _id_everywhere(server, "Alpha item 3", "-5")

    code, out, err = cli("sync")

    assert code == 0, err
    assert "1 malformed item skipped" in out
    assert "Alpha item 3" not in flags(cli) and len(flags(cli)) == 29
    server.mark_read(["Beta item 1"], True)
    code, out, err = cli("sync")
    assert code == 0, err
    assert flags(cli)["Beta item 1"] == (True, False)


def test_a_malformed_id_costs_no_extra_reading_of_a_long_id_list(
    cli: Cli, ttrss: TtRssUser, ttrss_proxy: Proxy, feed_server: FeedServer
) -> None:
    """TT-RSS reads a list longer than a page again until it holds the feed's count of ids;
    the malformed id is one of them."""
    server = TtRssSide(ttrss, ttrss_proxy)
    subscribe(server, feed_server, {"Long": (250, "News")})
    cli.write(server.sync_table())
    bad_id = _id_everywhere(server, "Long item 3", "-5")
    pages: list[bytes] = []

    def rewrite(request: bytes, body: bytes) -> bytes:
        unread = json.loads(request.partition(b"\r\n\r\n")[2]).get("view_mode") == "unread"
        pages.extend([request] if _op(server, request, "getHeadlines:ids") and unread else [])
        return bad_id(request, body)

    server.proxy.rewrite = rewrite

    code, out, err = cli("sync")

    assert code == 0 and "1 malformed item skipped" in out, err
    assert len(pages) == 2  # 200 + 50 headlines, read once


@pytest.mark.parametrize("malformed", ["id", "date"])
def test_a_feed_holding_a_malformed_item_is_not_read_again_at_every_sync(
    cli: Cli, ttrss: TtRssUser, ttrss_proxy: Proxy, feed_server: FeedServer, malformed: str
) -> None:
    """TT-RSS counts the item the cache cannot hold, in its feed's unread count and (starred)
    in the starred count: a sync with nothing new costs what it costs without one."""
    server = TtRssSide(ttrss, ttrss_proxy)
    subscribe(server, feed_server)
    server.star(["Alpha item 3"], True)
    bad = "Alpha item 3"
    rewrite = (
        _id_everywhere(server, bad, "-5") if malformed == "id" else _date_everywhere(server, bad)
    )
    server.proxy.rewrite = rewrite
    cli.write(server.sync_table())
    assert "1 malformed item skipped" in cli("sync")[1]
    server.proxy.requests = 0

    code, out, err = cli("sync")

    assert code == 0, err
    assert server.proxy.requests <= NOTHING_NEW["ttrss"]
    assert "malformed" not in out  # not read again, so not skipped again
    server.mark_read(["Alpha item 5"], True)  # a real change to Alpha's count still shows
    server.mark_read([bad], True)
    server.star([bad], False)
    assert cli("sync")[0] == 0
    assert flags(cli)["Alpha item 5"] == (True, False)
    server.mark_read(["Alpha item 6"], True)  # and so does the next, the bad item gone
    assert cli("sync")[0] == 0
    assert flags(cli)["Alpha item 6"] == (True, False)


def test_a_marker_an_absurd_id_poisoned_heals(
    cli: Cli, server: ServerSide, feed_server: FeedServer, isolated_env: Path
) -> None:
    """A cache an older version synced with a server that sent an id of 2**70."""
    first_sync(cli, server, feed_server)
    store = Store.open(isolated_env / "cache" / "newsdesk.db")
    store.sync_set("marker", str(2**70))
    store.close()
    feed_server.feed("/Alpha.xml", feed_items("Alpha", 13, feed_server))
    server.refetch()
    server.mark_read(["Alpha item 12"], True)  # read on a phone first

    code, out, err = cli("sync")

    assert code == 0, err
    assert ("Alpha item 12", (True, False)) in flags(cli).items()
