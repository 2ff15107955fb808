"""The httpx layer against a real loopback server: validators, redirects, errors, limits."""

from __future__ import annotations

import asyncio
import gzip
import shutil
import ssl
import subprocess
import time
import tracemalloc
import zlib
from collections.abc import AsyncIterator
from email.utils import formatdate
from pathlib import Path

import httpx
import pytest

from tests.feedserver import MB, FeedServer, free_port, rss
from tui.sources.body import ACCEPT_ENCODING
from tui.sources.fetch import (
    USER_AGENT,
    FetchError,
    FetchLimits,
    NotModified,
    fetch,
    make_client,
)

FAST = FetchLimits(timeout=1.0, connect_timeout=1.0)
SHORT = FetchLimits(timeout=0.5, connect_timeout=0.5)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    http = make_client(FAST)
    yield http
    await http.aclose()


async def fail(client: httpx.AsyncClient, url: str, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as info:
        await fetch(client, url, limits=FAST, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message and "\x1b" not in message
    return info.value


# -- success and validators ----------------------------------------------------------------


async def test_downloads_body_with_validators_and_honest_headers(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    body = rss("Example", 2)
    url = feed_server.feed("/feed.xml", body, etag='"v1"')
    response = await fetch(client, url)
    assert (response.status, response.body, response.url) == (200, body, url)
    assert response.etag == '"v1"'
    assert response.last_modified == formatdate(1_700_000_000, usegmt=True)
    assert response.content_type == "application/rss+xml; charset=utf-8"
    assert response.permanent_url is None
    sent = feed_server.requests("/feed.xml")[0].headers
    assert sent["user-agent"] == USER_AGENT and USER_AGENT.startswith("newsdesk/")
    assert sent["accept-encoding"] == ACCEPT_ENCODING
    assert "application/rss+xml" in sent["accept"]
    assert "if-none-match" not in sent


async def test_conditional_get_sends_validators_and_304_is_not_modified(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = feed_server.feed("/feed.xml", rss("A", 1), etag='"v1"')
    first = await fetch(client, url)
    with pytest.raises(NotModified):
        await fetch(client, url, etag=first.etag, last_modified=first.last_modified)
    sent = feed_server.requests("/feed.xml")[1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == first.last_modified


async def test_if_modified_since_alone_gets_304(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = feed_server.feed("/feed.xml", rss("A", 1))
    with pytest.raises(NotModified):
        await fetch(client, url, last_modified=formatdate(1_800_000_000, usegmt=True))


async def test_keep_alive_connection_is_reused_across_200_304_and_errors(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = feed_server.feed("/feed.xml", rss("A", 1), etag='"v1"')
    missing = feed_server.url("/missing")
    await fetch(client, url)
    with pytest.raises(NotModified):
        await fetch(client, url, etag='"v1"')
    with pytest.raises(FetchError):
        await fetch(client, missing)
    await fetch(client, url)
    peers = {r.peer for r in feed_server.log}
    assert len(peers) == 1, "every response was read to its end, so one connection served all"


async def test_gzip_body_is_decoded(feed_server: FeedServer, client: httpx.AsyncClient) -> None:
    body = rss("Zipped", 20)
    url = feed_server.feed("/feed.xml", body, gzipped=True)
    assert (await fetch(client, url)).body == body


@pytest.mark.parametrize("raw", [False, True], ids=["zlib", "raw-deflate"])
async def test_deflate_body_is_decoded_with_or_without_zlib_header(
    feed_server: FeedServer, client: httpx.AsyncClient, raw: bool
) -> None:
    body = rss("Deflated", 20)
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
    packed = packer.compress(body) + packer.flush()
    url = feed_server.route(
        "/d.xml", lambda h: h.reply(200, packed, [("Content-Encoding", "deflate")])
    )
    assert (await fetch(client, url)).body == body


async def test_concatenated_gzip_members_are_one_body(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    packed = gzip.compress(b"<rss>") + gzip.compress(b"</rss>")
    url = feed_server.route(
        "/two.xml", lambda h: h.reply(200, packed, [("Content-Encoding", "gzip")])
    )
    assert (await fetch(client, url)).body == b"<rss></rss>"


async def test_corrupt_gzip_and_unknown_encoding_fail(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    broken = b"\x1f\x8b but not gzip after its first two bytes"
    bad = feed_server.route("/bad", lambda h: h.reply(200, broken, [("Content-Encoding", "gzip")]))
    odd = feed_server.route("/odd", lambda h: h.reply(200, b"x", [("Content-Encoding", "zstdx")]))
    assert "corrupt compressed body" in str(await fail(client, bad))
    assert "unsupported content encoding" in str(await fail(client, odd))


async def test_a_plain_body_labelled_gzip_is_read_as_it_is(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    """A server that says gzip but sends the XML itself: feedparser and browsers read it."""
    body = rss("Not really zipped", 3)
    url = feed_server.route("/p.xml", lambda h: h.reply(200, body, [("Content-Encoding", "gzip")]))
    assert (await fetch(client, url)).body == body


async def test_on_start_is_called_once_per_download(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    feed_server.feed("/feed.xml", rss("A", 1))
    url = feed_server.redirect("/old", "/feed.xml", 302)
    calls: list[int] = []
    await fetch(client, url, on_start=lambda: calls.append(1))
    assert calls == [1]


# -- redirects -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 308])
async def test_permanent_redirect_reports_the_new_url(
    feed_server: FeedServer, client: httpx.AsyncClient, status: int
) -> None:
    target = feed_server.feed("/new.xml", rss("A", 1))
    url = feed_server.redirect("/old.xml", "/new.xml", status)
    response = await fetch(client, url)
    assert response.url == target and response.permanent_url == target


@pytest.mark.parametrize("status", [302, 303, 307])
async def test_temporary_redirect_is_followed_but_not_a_move(
    feed_server: FeedServer, client: httpx.AsyncClient, status: int
) -> None:
    target = feed_server.feed("/new.xml", rss("A", 1))
    url = feed_server.redirect("/old.xml", "/new.xml", status)
    response = await fetch(client, url)
    assert response.url == target and response.permanent_url is None


async def test_permanent_url_is_where_the_leading_permanent_redirects_point(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    feed_server.feed("/final.xml", rss("A", 1))
    feed_server.redirect("/b", "/final.xml", 302)
    moved = feed_server.redirect("/a", "/b", 301)
    url = feed_server.redirect("/start", "/a", 308)
    assert (await fetch(client, url)).permanent_url == moved.replace("/a", "/b")
    feed_server.redirect("/temp-first", "/perm", 302)
    feed_server.redirect("/perm", "/final.xml", 301)
    assert (await fetch(client, feed_server.url("/temp-first"))).permanent_url is None


async def test_five_redirects_are_followed_six_are_too_many(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    feed_server.feed("/r0", rss("A", 1))
    for i in range(1, 7):
        feed_server.redirect(f"/r{i}", f"/r{i - 1}", 302)
    assert (await fetch(client, feed_server.url("/r5"))).status == 200
    error = await fail(client, feed_server.url("/r6"))
    assert "too many redirects" in str(error)


async def test_redirect_loop_is_detected(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    feed_server.redirect("/a", "/b", 302)
    url = feed_server.redirect("/b", "/a", 302)
    error = await fail(client, url)
    assert "redirect loop" in str(error)
    assert feed_server.hits("/a") == 1 and feed_server.hits("/b") == 1


async def test_redirect_to_a_non_http_url_is_refused(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = feed_server.redirect("/a", "file:///etc/passwd", 302)
    assert "non-http" in str(await fail(client, url))
    url = feed_server.redirect("/b", "javascript:alert(1)", 302)
    assert "URL" in str(await fail(client, url))
    url = feed_server.redirect("/c", "http://x/\x1b[31m", 302)
    assert "invalid URL" in str(await fail(client, url))


async def test_redirect_without_location_fails(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = feed_server.status("/r", 302)
    assert "without a Location" in str(await fail(client, url))


@pytest.mark.parametrize("url", ["ftp://example.org/feed", "file:///etc/passwd", "feed.xml"])
async def test_only_http_urls_are_fetched(client: httpx.AsyncClient, url: str) -> None:
    assert "not an http(s) URL" in str(await fail(client, url))


# -- HTTP errors ---------------------------------------------------------------------------


async def test_410_is_dead(feed_server: FeedServer, client: httpx.AsyncClient) -> None:
    error = await fail(client, feed_server.status("/gone", 410))
    assert (error.status, error.dead) == (410, True)
    assert "410" in str(error) and feed_server.url("/gone") in str(error)


@pytest.mark.parametrize("code", [401, 403, 404, 500, 502])
async def test_error_statuses_name_status_and_url(
    feed_server: FeedServer, client: httpx.AsyncClient, code: int
) -> None:
    url = feed_server.status("/e", code, body=b"\x1b[31mboom\nline two")
    error = await fail(client, url)
    assert error.status == code and not error.dead and error.retry_after is None
    assert str(error).startswith(f"HTTP {code} ") and url in str(error)


async def test_429_with_retry_after_seconds(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = feed_server.status("/slow", 429, [("Retry-After", "120")])
    error = await fail(client, url)
    assert (error.status, error.retry_after) == (429, 120.0)
    assert "retry after 120 s" in str(error)


async def test_503_with_retry_after_date(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = feed_server.status("/busy", 503, [("Retry-After", formatdate(time.time() + 3600))])
    error = await fail(client, url)
    assert error.status == 503 and error.retry_after is not None
    assert 3500 < error.retry_after <= 3600


async def test_unparseable_retry_after_is_ignored(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = feed_server.status("/busy", 503, [("Retry-After", "soon\x1b[2J")])
    error = await fail(client, url)
    assert error.retry_after is None


# -- network failures and deadlines ---------------------------------------------------------


async def test_connection_refused(client: httpx.AsyncClient) -> None:
    url = f"http://127.0.0.1:{free_port()}/feed"
    error = await fail(client, url)
    assert error.status is None and "connection refused" in str(error) and url in str(error)


async def test_hanging_server_times_out_at_the_deadline(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = feed_server.hang("/hang")
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 0\.5 s"):
        await fetch(client, url, limits=SHORT)
    assert time.monotonic() - started < 1.5


async def test_trickling_server_is_cut_at_the_total_deadline(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    # A byte every 0.1 s never trips the read timeout; only the total deadline stops it.
    url = feed_server.trickle("/trickle", size=1000, interval=0.1)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 0\.5 s"):
        await fetch(client, url, limits=SHORT)
    assert time.monotonic() - started < 1.5


# -- size caps -----------------------------------------------------------------------------


async def test_declared_50_mb_body_fails_without_being_read(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = feed_server.big("/big", 50 * MB)
    error = await fail(client, url)
    assert "response larger than 10 MB" in str(error)


@pytest.mark.parametrize("kind", ["undeclared 50 MB body", "gzip bomb"])
async def test_oversized_body_stops_at_the_cap_with_bounded_memory(
    feed_server: FeedServer, client: httpx.AsyncClient, kind: str
) -> None:
    if kind == "gzip bomb":
        url = feed_server.gzip_bomb("/bomb")
    else:
        url = feed_server.big("/big", 50 * MB, declare_length=False)
    limits = FetchLimits(timeout=5.0, max_bytes=4 * MB)
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="response larger than 4 MB"):
            await fetch(client, url, limits=limits)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # httpx's own decoder would inflate a whole 64 KB read (~64 MB of zeros) at once.
    assert peak < 12 * MB


async def test_body_exactly_at_the_cap_is_accepted(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    body = b"x" * 1000
    url = feed_server.feed("/exact", body, gzipped=True)
    limits = FetchLimits(timeout=1.0, max_bytes=1000)
    assert (await fetch(client, url, limits=limits)).body == body
    with pytest.raises(FetchError, match="larger than"):
        await fetch(client, url, limits=FetchLimits(timeout=1.0, max_bytes=999))


# -- concurrency ---------------------------------------------------------------------------


async def test_per_host_limit_bounds_requests_to_one_host(feed_server: FeedServer) -> None:
    url = feed_server.feed("/slow.xml", rss("A", 1), delay=0.05)
    http = make_client(FAST, concurrency=8, per_host=2)
    try:
        await asyncio.gather(*(fetch(http, url) for _ in range(8)))
    finally:
        await http.aclose()
    assert feed_server.max_in_flight == 2 and feed_server.hits("/slow.xml") == 8


async def test_global_limit_bounds_requests_across_hosts() -> None:
    servers = [FeedServer("127.0.0.1"), FeedServer("127.0.0.2")]
    http = make_client(FAST, concurrency=3, per_host=3)
    try:
        urls = [s.feed("/slow.xml", rss("A", 1), delay=0.05) for s in servers]
        await asyncio.gather(*(fetch(http, u) for u in urls * 4))
        in_flight = [s.max_in_flight for s in servers]
    finally:
        await http.aclose()
        for server in servers:
            server.stop()
    assert max(in_flight) <= 3 and sum(in_flight) >= 3
    assert all(s.hits("/slow.xml") == 4 for s in servers)


async def test_a_busy_host_does_not_hold_up_another(feed_server: FeedServer) -> None:
    hang = feed_server.hang("/hang")
    other = FeedServer("127.0.0.2")
    http = make_client(FAST, concurrency=2, per_host=1)
    try:
        quick = other.feed("/quick.xml", rss("B", 1))
        slow = [asyncio.create_task(fetch(http, hang)) for _ in range(3)]
        await asyncio.sleep(0)  # let the hanging ones queue first
        started = time.monotonic()
        await fetch(http, quick)
        assert time.monotonic() - started < 0.5
        for task in slow:
            task.cancel()
        await asyncio.gather(*slow, return_exceptions=True)
    finally:
        await http.aclose()
        other.stop()


async def test_tls_failure_is_named(feed_server: FeedServer, client: httpx.AsyncClient) -> None:
    url = feed_server.feed("/feed.xml", rss("A", 1)).replace("http://", "https://")
    error = await fail(client, url)
    assert str(error).startswith("TLS error") and error.status is None


async def test_https_feed_downloads_with_a_certificate_the_environment_trusts(
    feed_server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    openssl = shutil.which("openssl") or pytest.skip("needs the openssl command")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subject = ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
    new_cert = [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    subprocess.run(
        [*new_cert, "-keyout", key, "-out", cert, *subject], check=True, capture_output=True
    )
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    feed_server.httpd.socket = tls.wrap_socket(feed_server.httpd.socket, server_side=True)
    url = feed_server.feed("/feed.xml", rss("A", 1)).replace("http://", "https://")
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # read when the first https URL is met
    http = make_client(FAST)
    try:
        response = await fetch(http, url, limits=FAST)
    finally:
        await http.aclose()
    assert response.status == 200 and b"<rss" in response.body


async def test_server_hanging_up_without_an_answer(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = feed_server.route("/drop", lambda h: setattr(h, "close_connection", True))
    error = await fail(client, url)
    assert str(error).startswith("server broke the connection") and error.status is None


async def test_odd_numbers_in_headers_are_ignored(
    feed_server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = feed_server.status("/busy", 429, [("Retry-After", "\u00b2")])
    assert (await fail(client, url)).retry_after is None
