"""Redirects: followed within the server's origin (scheme, host and port) only. A 307 or 308
sends the login (TT-RSS's password, Fever's API key) again, so another server is never
asked: the sync fails in one line naming where it was sent."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sync.canned import Canned, redirect
from tests.sync.conftest import Cli
from tui.sync.fever import api_key

PASSWORD = "correct-horse-battery"
PATH = {"ttrss": "/api/", "fever": "/fever/"}
"""Where each service posts, from a [sync] url of "/" (TT-RSS) or "/fever/" (Fever)."""


@pytest.fixture
def first() -> Iterator[Canned]:
    server = Canned()
    yield server
    server.close()


@pytest.fixture
def second() -> Iterator[Canned]:
    server = Canned()
    yield server
    server.close()


def _table(service: str, url: str) -> str:
    return f'service = "{service}"\nurl = "{url}"\nuser = "me"\npassword = "{PASSWORD}"\n'


@pytest.mark.parametrize("service", ["ttrss", "fever"])
@pytest.mark.parametrize("elsewhere", ["port", "scheme"])
def test_a_redirect_to_another_server_never_gets_the_password(
    cli: Cli, first: Canned, second: Canned, service: str, elsewhere: str
) -> None:
    path = PATH[service]
    target = second.url(path) if elsewhere == "port" else first.url(path).replace("http:", "https:")
    first.answers[path] = redirect(307, target)
    cli.write(_table(service, first.url("/" if service == "ttrss" else path)))

    code, out, err = cli("sync")

    assert code == 1 and out == ""
    assert second.received == []
    assert err.strip() == (
        f"newsdesk: sync failed: {first.url(path)}: redirects to another server: {target}; "
        "put that address in [sync] url"
    )
    assert len(first.received) == 1  # the server configured: asked once, never over TLS
    secret = PASSWORD if service == "ttrss" else api_key("me", PASSWORD)
    assert secret.encode() in first.received[0]


def test_a_redirect_within_the_server_is_followed_and_named(cli: Cli, first: Canned) -> None:
    first.answers["/api/"] = redirect(308, "/moved/api/")  # relative: the same origin
    cli.write(_table("ttrss", first.url("/")))

    code, out, err = cli("sync")

    assert code == 1 and out == ""
    assert f"sync failed: {first.url('/moved/api/')}: not found (HTTP 404)" in err
    assert [r.split(b" ", 2)[1] for r in first.received] == [b"/api/", b"/moved/api/"]
    assert PASSWORD.encode() in first.received[1]  # 308: the login again, on the same server


def test_a_redirect_loop_ends_in_one_line(cli: Cli, first: Canned) -> None:
    first.answers["/api/"] = redirect(307, "/api/")
    cli.write(_table("ttrss", first.url("/")))

    code, out, err = cli("sync")

    assert code == 1 and out == ""
    assert err.strip() == f"newsdesk: sync failed: {first.url('/api/')}: more than 5 redirects"
