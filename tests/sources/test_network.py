"""Networks as they are: proxies from the environment (SOCKS too), proxies that fail, wrong
certificate settings and certificates that are not trusted, each said as what it is."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.certs import Certificates
from tests.feedserver import FeedServer, free_port, rss
from tests.proxies import PasswordProxy, SocksServer
from tui.sources.fetch import FetchError, FetchLimits, fetch, make_client

FAST = FetchLimits(timeout=2.0, connect_timeout=2.0)


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return Certificates(tmp_path_factory.mktemp("certs"))


@pytest.fixture
def socks() -> Iterator[SocksServer]:
    with SocksServer() as server:
        yield server


async def get(url: str) -> bytes:
    """The body at `url`, fetched by a client made now (it reads the environment)."""
    async with make_client(FAST) as client:
        return (await fetch(client, url, limits=FAST)).body


async def failure(url: str) -> str:
    """The one line a failed fetch of `url` says, by a client made now."""
    with pytest.raises(FetchError) as info:
        await get(url)
    return str(info.value)


# -- proxies ---------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["socks5", "socks5h"])
async def test_feeds_come_through_a_socks_proxy(
    scheme: str, socks: SocksServer, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ALL_PROXY=socks5://127.0.0.1:1080`, as an `ssh -D 1080` tunnel gives."""
    url = feed_server.feed("/a.xml", rss("A", 1))
    monkeypatch.setenv("ALL_PROXY", socks.url(scheme))
    assert b"<rss" in await get(url)
    assert socks.targets == [("127.0.0.1", feed_server.port)]


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy"])
async def test_no_proxy_hosts_go_straight(
    variable: str, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv(variable.replace("HTTP", "NO").replace("http", "no"), "127.0.0.1")
    assert b"<rss" in await get(feed_server.feed("/a.xml", rss("A", 1)))


@pytest.mark.parametrize("scheme", ["http", "https"])
async def test_a_proxy_nothing_listens_on_is_named_not_the_feed(
    scheme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    monkeypatch.setenv(f"{scheme.upper()}_PROXY", f"http://ann:s3cret@127.0.0.1:{port}")
    feed = f"{scheme}://127.0.0.1:{free_port()}/feed.xml"
    message = await failure(feed)
    assert message == f"proxy http://127.0.0.1:{port}: connection refused ({feed})"


async def test_a_proxy_at_port_0_is_named_with_its_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://ann:s3cret@127.0.0.1:0")
    feed = f"http://127.0.0.1:{free_port()}/feed.xml"
    assert await failure(feed) == f"proxy http://127.0.0.1:0: connection refused ({feed})"


@pytest.mark.parametrize("scheme", ["http", "https"])  # a request forwarded; a tunnel asked for
async def test_a_proxy_asking_for_a_password_says_so(
    scheme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with PasswordProxy() as proxy:
        variable = f"{scheme.upper()}_PROXY"
        feed = f"{scheme}://127.0.0.1:{free_port()}/feed.xml"
        monkeypatch.setenv(variable, proxy.url())
        asked = f"proxy {proxy.url()}: HTTP 407 Proxy Authentication Required"
        assert await failure(feed) == f"{asked}, and {variable} gives no user:password ({feed})"
        monkeypatch.setenv(variable, proxy.url("ann:s3cret@"))
        refused = f"{asked}: the user:password in {variable} was refused ({feed})"
        assert await failure(feed) == refused
        assert b"Proxy-Authorization: Basic" in proxy.heads[-1]  # it was sent


async def test_a_kind_of_proxy_httpx_cannot_use_is_said(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALL_PROXY", "socks4://127.0.0.1:1080")
    message = await failure(f"http://127.0.0.1:{free_port()}/feed.xml")
    assert message.startswith("proxy socks4://127.0.0.1:1080: not usable: http, https and socks5")


# -- certificates ----------------------------------------------------------------------------


@pytest.mark.parametrize("through", ["straight", "a proxy"])
@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("missing.pem", "no such file"),
        ("garbage.pem", "no certificate in it"),
        ("", "a folder, not a file"),
    ],
)
async def test_a_wrong_certificate_file_is_named_and_plain_http_still_works(
    name: str,
    why: str,
    through: str,
    certs: Certificates,
    socks: SocksServer,
    feed_server: FeedServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "garbage.pem").write_text("garbage\n")
    setting = tmp_path / name
    monkeypatch.setenv("SSL_CERT_FILE", str(setting))
    if through == "a proxy":
        monkeypatch.setenv("ALL_PROXY", socks.url())
    with certs.serve("good") as tls:
        feed = tls.feed("/a.xml", rss("A", 1)).replace("http:", "https:")
        assert await failure(feed) == f"TLS error: SSL_CERT_FILE={setting}: {why} ({feed})"
    assert b"<rss" in await get(feed_server.feed("/a.xml", rss("A", 1)))


async def test_a_certificate_folder_that_is_not_one_is_named(
    certs: Certificates, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path / "certs"))
    with certs.serve("good") as tls:
        feed = tls.feed("/a.xml", rss("A", 1)).replace("http:", "https:")
        message = await failure(feed)
    assert message == f"TLS error: SSL_CERT_DIR={tmp_path / 'certs'}: not a folder ({feed})"


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("expired", "expired"),
        ("wrong-host", "issued for another address"),
        ("self-signed", "self-signed (trusting SSL_CERT_FILE={ca})"),
        ("unknown-issuer", "unknown issuer (trusting SSL_CERT_FILE={ca})"),
    ],
)
async def test_an_untrusted_certificate_says_why(
    name: str, why: str, certs: Certificates, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certs.ca))
    with certs.serve(name) as tls:
        feed = tls.feed("/a.xml", rss("A", 1)).replace("http:", "https:")
        message = await failure(feed)
        assert message == f"TLS error: certificate not trusted: {why.format(ca=certs.ca)} ({feed})"
        with certs.serve("good") as good:  # the same CA's good one is trusted
            assert b"<rss" in await get(good.feed("/a.xml", rss("A", 1)).replace("http:", "https:"))


async def test_a_tls_failure_through_a_proxy_is_the_feeds(
    certs: Certificates, socks: SocksServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certs.ca))
    monkeypatch.setenv("ALL_PROXY", socks.url())
    with certs.serve("expired") as tls:
        feed = tls.feed("/a.xml", rss("A", 1)).replace("http:", "https:")
        assert await failure(feed) == f"TLS error: certificate not trusted: expired ({feed})"


class ResettingServer:
    """A port that reads what comes and resets the connection, as a plain-HTTP server at an
    https address does when a TLS hello arrives."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:  # closed: the test is over
                return
            connection.recv(4096)
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            connection.close()


async def test_an_https_address_at_a_port_that_resets_the_handshake_says_tls(
    feed_server: FeedServer,
) -> None:
    server = ResettingServer()
    try:
        target = f"https://127.0.0.1:{server.port}/feed.xml"
        feed = feed_server.redirect("/feed.xml", target)
        said = "TLS error: the server reset the connection at the handshake (not an https port?)"
        assert await failure(feed) == f"{said} ({target})"
    finally:
        server.socket.close()
