"""A real HTTP server on 127.0.0.1 for tests: feeds, validators, redirects, errors, hostile bodies.

Tests register routes by path and read back a per-path request log:

    server.feed("/a.xml", rss("A", 3))               # 200 with ETag/Last-Modified, 304 support
    server.redirect("/old", "/a.xml", status=301)
    server.status("/gone", 410)
    url = server.url("/a.xml"); server.requests("/a.xml")[0].headers["if-none-match"]

Handlers run on daemon threads and every wait watches the stop event, so stopping the
server never waits for a hanging or trickling response.
"""

from __future__ import annotations

import gzip
import socket
import struct
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

RSS = "application/rss+xml; charset=utf-8"
HTML = "text/html; charset=utf-8"
MB = 1024 * 1024


@dataclass(frozen=True)
class Request:
    """One request as the server saw it (header names lower-cased)."""

    path: str
    headers: dict[str, str]
    at: float
    peer: int
    """The client's port: the same port means the same (kept-alive) connection."""


Route = Callable[["_Handler"], object]


class FeedServer:
    """A threaded loopback HTTP/1.1 server with routes registered by the test."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Request] = []
        self.stopping = threading.Event()
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self.httpd = _Server((host, 0), _Handler)
        self.httpd.feed_server = self
        self.host = host
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> FeedServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- request log ---------------------------------------------------------------------

    def requests(self, path: str) -> list[Request]:
        """Requests made to `path` (query string ignored), oldest first."""
        with self._lock:
            return [r for r in self.log if r.path == path]

    def hits(self, path: str) -> int:
        return len(self.requests(path))

    # -- routes --------------------------------------------------------------------------

    def route(self, path: str, handler: Route) -> str:
        """Serve `path` with a custom handler; returns the full URL."""
        self.routes[path] = handler
        return self.url(path)

    def feed(
        self,
        path: str,
        body: bytes,
        *,
        content_type: str | None = RSS,
        etag: str | None = None,
        last_modified: str | None = None,
        headers: Iterable[tuple[str, str]] = (),
        gzipped: bool = False,
        delay: float = 0.0,
    ) -> str:
        """A 200 body with validators (a default ETag from the body) and 304 support."""
        tag = etag if etag is not None else f'"{zlib.crc32(body):08x}"'
        stamp = last_modified or formatdate(1_700_000_000, usegmt=True)
        extra = [("ETag", tag), ("Last-Modified", stamp), *headers]
        if content_type:
            extra.append(("Content-Type", content_type))

        def handle(h: _Handler) -> None:
            h.pause(delay)
            if _fresh(h, tag, stamp):
                h.reply(304, b"", [("ETag", tag), ("Last-Modified", stamp)])
            elif gzipped:
                h.reply(200, gzip.compress(body), [*extra, ("Content-Encoding", "gzip")])
            else:
                h.reply(200, body, extra)

        return self.route(path, handle)

    def page(self, path: str, body: bytes, content_type: str = HTML) -> str:
        """A plain 200 body without validators."""
        return self.route(path, lambda h: h.reply(200, body, [("Content-Type", content_type)]))

    def redirect(self, path: str, to: str, status: int = 301) -> str:
        """A redirect to `to` (a path on this server or an absolute URL)."""
        return self.route(path, lambda h: h.reply(status, b"moved", [("Location", to)]))

    def status(
        self, path: str, code: int, headers: Iterable[tuple[str, str]] = (), body: bytes = b""
    ) -> str:
        """A bare status (404, 410, 429 with Retry-After, 500 ...)."""
        fixed = list(headers)
        return self.route(path, lambda h: h.reply(code, body, fixed))

    def hang(self, path: str) -> str:
        """Accept the request and never answer (until the server stops)."""
        return self.route(path, lambda h: h.pause(None))

    def trickle(self, path: str, size: int = 1000, interval: float = 0.2) -> str:
        """Headers at once, then one byte every `interval` seconds."""

        def handle(h: _Handler) -> None:
            h.head(200, [("Content-Type", RSS), ("Content-Length", str(size))])
            for _ in range(size):
                if not h.write(b" ") or h.pause(interval):
                    return

        return self.route(path, handle)

    def big(self, path: str, size: int = 50 * MB, declare_length: bool = True) -> str:
        """A generated body of `size` bytes, streamed; chunked when the length is not declared."""

        def handle(h: _Handler) -> None:
            length = [("Content-Length", str(size))] if declare_length else []
            coding = [] if declare_length else [("Transfer-Encoding", "chunked")]
            h.head(200, [("Content-Type", RSS), *length, *coding])
            for block in _blocks(size):
                if not h.write(block if declare_length else _chunk(block)):
                    return
            if not declare_length:
                h.write(b"0\r\n\r\n")

        return self.route(path, handle)

    def gzip_bomb(self, path: str) -> str:
        """1 GB of zeros gzipped to about 1 MB, served as Content-Encoding: gzip."""
        bomb = gzip_bomb()
        headers = [("Content-Type", RSS), ("Content-Encoding", "gzip")]
        return self.route(path, lambda h: h.reply(200, bomb, headers))

    # -- bookkeeping used by the handler ---------------------------------------------------

    def _enter(self, request: Request) -> None:
        with self._lock:
            self.log.append(request)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a hanging handler must not block shutdown
    request_queue_size = 128
    feed_server: FeedServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hang up on purpose here (size caps, deadlines); anything else is reported.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # TCP_NODELAY: no 40 ms Nagle/delayed-ACK stalls
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        """Quiet."""

    def do_GET(self) -> None:
        owner = self.server.feed_server
        path = self.path.split("?", 1)[0]
        headers = {k.lower(): v for k, v in self.headers.items()}
        owner._enter(Request(path, headers, time.monotonic(), self.client_address[1]))
        try:
            route = owner.routes.get(path)
            if route is None:
                self.reply(404, b"not found", [("Content-Type", "text/plain")])
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            owner._leave()

    # -- helpers for routes ----------------------------------------------------------------

    def head(self, code: int, headers: Iterable[tuple[str, str]]) -> None:
        self.send_response(code)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.flush()

    def reply(self, code: int, body: bytes, headers: Iterable[tuple[str, str]] = ()) -> None:
        self.head(code, [*headers, ("Content-Length", str(len(body)))])
        self.write(body)

    def write(self, data: bytes) -> bool:
        """Send bytes; False when the client has gone (or the server is stopping)."""
        if self.server.feed_server.stopping.is_set():
            return False
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            self.close_connection = True
            return False
        return True

    def pause(self, seconds: float | None) -> bool:
        """Sleep (None: until the server stops); True if the server is stopping."""
        if seconds == 0:
            return False
        stopped = self.server.feed_server.stopping.wait(seconds)
        if stopped:
            self.close_connection = True
        return stopped


def _fresh(h: _Handler, etag: str, last_modified: str) -> bool:
    """Whether the request's validators match (If-None-Match wins over If-Modified-Since)."""
    inm, ims = h.headers.get("If-None-Match"), h.headers.get("If-Modified-Since")
    if inm is not None:
        return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
    if ims is not None:
        try:
            return parsedate_to_datetime(ims) >= parsedate_to_datetime(last_modified)
        except (TypeError, ValueError):
            return False
    return False


def _blocks(size: int, block: int = 256 * 1024) -> Iterator[bytes]:
    chunk = b"x" * block
    for start in range(0, size, block):
        yield chunk[: min(block, size - start)]


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


@cache
def gzip_bomb(size_mb: int = 1024) -> bytes:
    """gzip of `size_mb` MB of zeros (1 GB -> ~1 MB), built once per process in ~0.3 s.

    Compressing 1 GB takes seconds, so one flushed 1 MB block is repeated instead: once the
    window is all zeros every further megabyte compresses to the same bytes.
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(MB)
    first = packer.compress(zeros) + packer.flush(zlib.Z_SYNC_FLUSH)
    repeat = packer.compress(zeros) + packer.flush(zlib.Z_SYNC_FLUSH)
    crc = 0
    for _ in range(size_mb):
        crc = zlib.crc32(zeros, crc)
    final_block = b"\x03\x00"  # an empty final fixed-Huffman block
    trailer = struct.pack("<II", crc, (size_mb * MB) & 0xFFFFFFFF)
    return first + repeat * (size_mb - 1) + final_block + trailer


# -- sample content ------------------------------------------------------------------------


def rss(
    title: str, items: int | Iterable[tuple[str, str]], link: str = "https://example.org/"
) -> bytes:
    """A small RSS 2.0 feed: `items` is a count or (title, body) pairs; guids are stable."""
    pairs = (
        [(f"{title} item {i}", f"Body of {title} item {i}.") for i in range(items)]
        if isinstance(items, int)
        else list(items)
    )
    entries = "".join(
        f"<item><title>{escape(t)}</title><link>{link}{i}</link>"
        f"<guid>{escape(title)}-{i}</guid><description>{escape(b)}</description>"
        f"<pubDate>{formatdate(1_700_000_000 - i * 3600, usegmt=True)}</pubDate></item>"
        for i, (t, b) in enumerate(pairs)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{link}</link><description>d</description>"
        f"{entries}</channel></rss>"
    ).encode()


def html_with_alternate(feed_href: str) -> bytes:
    """A web page announcing its feed the usual way."""
    return (
        "<!DOCTYPE html><html><head><title>A blog</title>"
        f'<link rel="alternate" type="application/rss+xml" title="Feed" href="{feed_href}">'
        "</head><body><h1>A blog</h1><p>Welcome.</p></body></html>"
    ).encode()


def free_port() -> int:
    """A port nothing listens on (for "connection refused")."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
