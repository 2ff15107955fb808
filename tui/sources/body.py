"""Reading a response body: decompressed in bounded steps, capped, or drained for keep-alive.

httpx inflates a whole network read at once (a 64 KB gzip-bomb chunk is ~64 MB), while
`_Inflater` never produces more than the bytes still allowed under the cap. Failures are
raised as `BodyError` with a one-line reason; `tui.sources.fetch` adds the URL. Also what the
feed client and the sync client share: the encodings they accept, their cookie jar that
keeps none (`no_cookies`), a URL's `origin` (what a redirect may take credentials to).
"""

from __future__ import annotations

import importlib
import importlib.util
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any, Protocol

import httpx

from tui.text import clean_line

MB = 1024 * 1024
# Advertise only what `_Inflater` can decode; brotli is optional.
HAS_BROTLI = importlib.util.find_spec("brotli") is not None
ACCEPT_ENCODING = "gzip, deflate, br" if HAS_BROTLI else "gzip, deflate"


def no_cookies() -> CookieJar:
    """A cookie jar that accepts none: a feed reader needs no cookie, and an httpx client
    keeps any a host sets for the run and sends it back there (a feed's cookie went with the
    full-text fetches of its articles; an image host's linked every article saved in one
    `save`). TT-RSS's session id and Fever's api_key travel in the requests' bodies."""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


def origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """Scheme, host and port: where a redirect may take a password (httpx leaves a default
    port out)."""
    return url.scheme, url.host, url.port


_GZIP_MAGIC = b"\x1f\x8b"
_DRAIN_LIMIT = 64 * 1024  # small bodies of 304s/redirects/errors are read so keep-alive survives


class BodyError(Exception):
    """A body that could not be read: too large, corrupt, or in an unknown encoding."""


class Sink(Protocol):
    """Where a large body goes as it arrives (a download): `begin` sees the answer's headers
    before any of it, and may refuse the answer by raising; then each decoded piece."""

    def begin(self, headers: Mapping[str, str]) -> None: ...

    def __call__(self, data: bytes) -> None: ...


class BodyTooLarge(BodyError):
    """A body over the size cap: the server answered, only too much."""


class _TooLarge(Exception):
    pass


async def read_body(response: httpx.Response, max_bytes: int, sink: Sink | None = None) -> bytes:
    """The decoded body, at most `max_bytes` after decompression (else `BodyError`); with a
    `sink`, each decoded piece goes there as it arrives instead (large downloads)."""
    inflater = _Inflater(response.headers.get("content-encoding"))
    declared = response.headers.get("content-length", "")
    parts: list[bytes] = []
    size = 0
    try:
        # A compressed body larger than the cap inflates to more still: refuse it unread.
        if is_number(declared) and int(declared) > max_bytes:
            raise _TooLarge
        if sink is not None:
            sink.begin(response.headers)
        keep = sink or parts.append
        async for chunk in response.aiter_raw():
            data = inflater.feed(chunk, max_bytes - size)
            size += len(data)
            keep(data)
        keep(inflater.flush(max_bytes - size))
    except _TooLarge:
        raise BodyTooLarge(f"response larger than {max_bytes / MB:g} MB") from None
    return b"".join(parts)


async def drain(response: httpx.Response) -> None:
    """Read a small unwanted body so the connection can be reused; give up on big ones."""
    size = 0
    async for chunk in response.aiter_raw():
        size += len(chunk)
        if size > _DRAIN_LIMIT:
            return


def is_number(text: str) -> bool:
    """ASCII digits only (`str.isdigit` also accepts "²", which int() refuses)."""
    return text.isascii() and text.isdigit()


@dataclass
class _Inflater:
    """Decodes gzip/deflate (br when available) without ever exceeding the room it is given."""

    encoding: str | None
    _zlib: Any = field(default=None, init=False)
    _brotli: Any = field(default=None, init=False)
    _zlib_wbits: int = field(default=0, init=False)
    _fallback_done: bool = field(default=False, init=False)
    _members: int = field(default=0, init=False)
    _sniff_gzip: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        coding = (self.encoding or "identity").strip().lower()
        if coding in ("gzip", "x-gzip", "deflate"):
            self._zlib_wbits = zlib.MAX_WBITS + (16 if coding != "deflate" else 0)
            self._zlib = zlib.decompressobj(self._zlib_wbits)
            self._sniff_gzip = coding != "deflate"
        elif coding == "br" and HAS_BROTLI:
            self._brotli = importlib.import_module("brotli").Decompressor()
        elif coding not in ("identity", ""):
            raise BodyError(f"unsupported content encoding {clean_line(coding)!r}")

    def feed(self, data: bytes, room: int) -> bytes:
        """Decoded bytes of `data`; `_TooLarge` as soon as they would exceed `room`."""
        if self._sniff_gzip and data:
            self._sniff_gzip = False
            if not _GZIP_MAGIC.startswith(data[:2]):
                # `Content-Encoding: gzip` on a plain body (a misconfigured server): every
                # browser and feedparser read it as it is.
                self._zlib = None
        if self._zlib is not None:
            return self._inflate(data, room)
        if self._brotli is not None:
            data = self._brotli.process(data)
        if len(data) > room:
            raise _TooLarge
        return data

    def flush(self, room: int) -> bytes:
        tail = self._zlib.flush() if self._zlib is not None else b""
        if len(tail) > room:
            raise _TooLarge
        return bytes(tail)

    def _inflate(self, data: bytes, room: int) -> bytes:
        out: list[bytes] = []
        while data:
            try:
                # max_length room + 1: one byte past the cap proves the body is too large.
                piece = self._zlib.decompress(data, room + 1)
            except zlib.error as exc:
                if self._members:  # junk after a complete member: ignore it, like gzip(1)
                    break
                if self._retry_raw_deflate():
                    continue
                raise BodyError(f"corrupt compressed body ({exc})") from None
            self._fallback_done = True  # the stream decodes: no raw-deflate retry from here on
            room -= len(piece)
            if room < 0:
                raise _TooLarge
            out.append(piece)
            data = self._zlib.unconsumed_tail or self._next_member()
        return b"".join(out)

    def _retry_raw_deflate(self) -> bool:
        # Some servers send raw deflate (no zlib header) for "deflate": retry once that way.
        if self._fallback_done or self._zlib_wbits != zlib.MAX_WBITS:
            return False
        self._fallback_done = True
        self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
        return True

    def _next_member(self) -> bytes:
        # Concatenated gzip members are one body (RFC 1952): start a fresh decoder on the rest.
        rest: bytes = self._zlib.unused_data if self._zlib.eof else b""
        if rest:
            self._members += 1
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return rest
