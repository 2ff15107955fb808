"""`feeds add` with a `[sync]` server, against a small Tiny Tiny RSS API on loopback that
answers the calls `feeds add` makes before it subscribes (the real server is not needed
to see what is asked of it, nor what is said)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.sync.conftest import Cli

FEEDS = [{"id": 7, "title": "Delta", "feed_url": "http://feeds.example/delta.xml", "cat_id": 0}]
ANSWERS: dict[str, Any] = {
    "login": {"session_id": "s1"},
    "getCategories": [],
    "getFeeds": FEEDS,
    "logout": {"status": "OK"},
}


class TtRssApi(ThreadingHTTPServer):
    """Answers the read calls of Tiny Tiny RSS's API; every op asked is kept in `ops`."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.ops: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class _Handler(BaseHTTPRequestHandler):
    server: TtRssApi

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        op = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["op"]
        self.server.ops.append(op)
        known = op in ANSWERS
        reply = {"seq": 0, "status": 0 if known else 1, "content": ANSWERS.get(op, {})}
        body = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - its name
        pass


@pytest.fixture
def api() -> Iterator[TtRssApi]:
    server = TtRssApi()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def table(api: TtRssApi) -> str:
    return f'service = "ttrss"\nurl = "{api.url}"\nuser = "me"\npassword = "pw"'


@pytest.mark.parametrize("flags", [("--tag", "News"), ("--name", "Mine")])
def test_tag_and_name_are_refused_with_a_sync_server_before_it_is_asked(
    cli: Cli, api: TtRssApi, flags: tuple[str, str]
) -> None:
    """Before, they were dropped without a word and the feed subscribed as the server names
    it; now one line says they do not apply (and what does), and nothing is done."""
    cli.write(table(api))

    code, out, err = cli("feeds", "add", "http://feeds.example/new.xml", *flags)

    assert code == 2 and out == ""
    assert err.strip().splitlines() == [
        "newsdesk: --name and --tag do not apply with a [sync] server (its feeds take the "
        "server's titles and categories): drop them, or add --local for feeds.toml"
    ]
    assert api.ops == []


def test_a_feed_the_server_has_already_is_said_and_not_subscribed_again(
    cli: Cli, api: TtRssApi
) -> None:
    """Before, "subscribed to …" (the server's "already subscribed" read as done); now the
    server's list is read first, and the feed is named as it is here."""
    cli.write(table(api))

    code, out, err = cli("feeds", "add", "https://FEEDS.example/delta.xml/")

    assert code == 0, err
    assert out.strip().splitlines() == [f"already subscribed on {api.url} as 'Delta'"]
    assert "subscribeToFeed" not in api.ops
