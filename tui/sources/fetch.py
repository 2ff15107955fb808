"""The httpx layer: one shared client, concurrency limits, deadlines, redirects, conditional GET.

Redirects are followed here rather than by httpx so they can be counted, loops caught and a
permanent move (301/308) told from a temporary one. Bodies are read (decompressed in bounded
steps, capped) by `tui.sources.body`.

Failures are raised as `FetchError` (one line, naming the URL) and a 304 as `NotModified`;
`refresh` turns both into recorded values.
"""

from __future__ import annotations

import asyncio
import email.utils
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

import httpx

import tui
from tui.config import Settings
from tui.sources.body import (
    ACCEPT_ENCODING,
    MB,
    BodyError,
    BodyTooLarge,
    Sink,
    drain,
    is_number,
    no_cookies,
    origin,
    read_body,
)
from tui.sources.network import CertificateSetupError, failure_reason, proxy_mounts, tls_context
from tui.sources.stops import times_continued
from tui.sources.transport import Transport
from tui.text import clean_line, one_line
from tui.weburl import is_web, port_problem, without_password

USER_AGENT = f"newsdesk/{tui.__version__} (+https://github.com/newsdesk; terminal news reader)"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.8"

Client = httpx.AsyncClient
"""The HTTP client type every downloader shares (only this module and body.py speak httpx)."""

_REDIRECTS = {301: True, 302: False, 303: False, 307: False, 308: True}  # status -> permanent


@dataclass(frozen=True)
class FetchLimits:
    """How long and how much one download may take."""

    timeout: float = 20.0
    """Total deadline per download, redirects included (also the read timeout)."""
    connect_timeout: float = 10.0
    max_bytes: int = 10 * MB
    """Body size cap, counted after decompression."""
    max_redirects: int = 5

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchLimits:
        """The limits `[settings]` asks for, the same for feeds, pages, images and discovery."""
        return cls(
            timeout=settings.timeout_seconds,
            connect_timeout=min(10.0, settings.timeout_seconds),
            max_bytes=max(1, int(settings.max_body_mb * MB)),
        )


@dataclass(frozen=True)
class Response:
    """A successfully downloaded body (2xx)."""

    url: str
    """The final URL, after redirects."""
    status: int
    body: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None
    permanent_url: str | None = None
    """Where the chain's leading permanent redirects (301/308) pointed: the feed's new URL."""


class FetchError(Exception):
    """A download that failed; `str()` is one line naming the URL."""

    def __init__(
        self,
        url: str,
        reason: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        dead: bool = False,
        timed_out: bool = False,
        too_large: bool = False,
    ) -> None:
        self.url, self.reason, self.status = url, reason, status
        self.timed_out = timed_out
        """No answer within the time given (to connect, or to read)."""
        self.too_large = too_large
        """The body was over `FetchLimits.max_bytes`: the same answer comes next time."""
        self.retry_after = retry_after
        """Seconds the server asked us to wait (429/503 Retry-After)."""
        self.dead = dead
        """410 Gone: the feed was removed on purpose."""
        super().__init__(f"{reason} ({_show(url)})")

    @property
    def gone(self) -> bool:
        """The server says nothing is at the address: 404 Not Found or 410 Gone."""
        return self.status in (404, 410)


class NotModified(Exception):
    """The server answered 304 to our validators: the cached copy is current."""

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(f"not modified ({_show(url)})")


def client_for(settings: Settings) -> httpx.AsyncClient:
    """The client `[settings]` asks for: its limits, sources at once and requests per host."""
    limits = FetchLimits.from_settings(settings)
    return make_client(limits, settings.concurrency, settings.per_host)


def make_client(
    limits: FetchLimits = FetchLimits(),
    concurrency: int = Settings.concurrency,
    per_host: int = Settings.per_host,
) -> httpx.AsyncClient:
    """The shared HTTP/1.1 keep-alive client, through the environment's proxies; `fetch`
    enforces its concurrency limits."""
    pool = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    client = httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
        timeout=_timeout(limits),
        limits=pool,
        transport=Transport(pool),
        mounts=proxy_mounts(pool),
        follow_redirects=False,
        cookies=no_cookies(),
    )
    _LIMITERS[client] = _Limiter(concurrency, per_host)
    return client


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    limits: FetchLimits = FetchLimits(),
    accept: str = FEED_ACCEPT,
    on_start: Callable[[], None] | None = None,
    sink: Sink | None = None,
) -> Response:
    """Download `url` (conditionally when validators are given), following redirects.

    Raises `NotModified` for a 304 and `FetchError` for everything else that is not a 2xx.
    `on_start` is called once, when a connection slot is free and the download begins. A
    `sink` is given the body instead (see `Sink`; the Response's body is then empty)."""
    limiter = _LIMITERS.get(client) or _LIMITERS.setdefault(
        client, _Limiter(Settings.concurrency, Settings.per_host)
    )
    chain = _Chain(url, limits.max_redirects)
    deadline: float | None = None
    while True:
        host = _check_url(chain.url, redirected=chain.hops > 0)
        async with limiter.slot(host):
            if deadline is None:
                deadline = asyncio.get_running_loop().time() + limits.timeout
                if on_start is not None:
                    on_start()
            # Validators belong to the URL that gave them: a redirect's target gets none.
            validators = (etag, last_modified) if chain.hops == 0 else (None, None)
            headers = _request_headers(accept, *validators)
            conditional = validators != (None, None)
            hop = partial(_hop, client, chain.url, headers, limits, conditional, sink)
            result = await _given_its_time(hop, deadline, limits.timeout)
        if isinstance(result, Response):
            return _with_permanent(result, chain.permanent)
        chain.follow(*result)


# -- concurrency ------------------------------------------------------------------------


class _Limiter:
    """A global and a per-host semaphore (httpx's pool limits are global only)."""

    def __init__(self, concurrency: int, per_host: int) -> None:
        self.total = asyncio.Semaphore(concurrency)
        self.per_host = per_host
        self.hosts: dict[str, asyncio.Semaphore] = {}

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        # Host first: waiting for a busy host must not hold a global slot other hosts could use.
        semaphore = self.hosts.setdefault(host, asyncio.Semaphore(self.per_host))
        async with semaphore, self.total:
            yield


_LIMITERS: WeakKeyDictionary[httpx.AsyncClient, _Limiter] = WeakKeyDictionary()


# -- one request ------------------------------------------------------------------------


async def _given_its_time(
    hop: Callable[[float], Awaitable[Response | tuple[int, str]]], deadline: float, timeout: float
) -> Response | tuple[int, str]:
    """`hop(deadline)`, tried once more with a new deadline when its time ran out while the
    process was stopped (ctrl+z, `fg` 90 s later): the server had none of that time."""
    continued = times_continued()
    try:
        return await hop(deadline)
    except FetchError as exc:
        if not exc.timed_out or times_continued() == continued:
            raise
    return await hop(asyncio.get_running_loop().time() + timeout)


async def _hop(
    client: httpx.AsyncClient,
    url: str,
    headers: dict[str, str],
    limits: FetchLimits,
    conditional: bool,
    sink: Sink | None,
    deadline: float,
) -> Response | tuple[int, str]:
    """One request: a Response, or (status, Location) for a redirect to follow."""
    try:
        if url.startswith("https:"):
            tls_context()  # a wrong SSL_CERT_FILE is said as such, and for https alone
        async with asyncio.timeout_at(deadline):
            request = client.build_request("GET", url, headers=headers, timeout=_timeout(limits))
            response = await client.send(request, stream=True)
            try:
                return await _handle(response, url, limits, conditional, sink)
            finally:
                await response.aclose()
    except TimeoutError:
        raise FetchError(url, f"timed out after {limits.timeout:g} s", timed_out=True) from None
    except CertificateSetupError as exc:
        raise FetchError(url, f"TLS error: {exc}") from exc
    except httpx.HTTPError as exc:
        timed_out = isinstance(exc, httpx.TimeoutException)
        reason = failure_reason(
            exc, limits.connect_timeout, limits.timeout, url.startswith("https:")
        )
        raise FetchError(url, reason, timed_out=timed_out) from exc
    except (httpx.InvalidURL, UnicodeError) as exc:
        raise FetchError(url, f"invalid URL: {one_line(exc)}") from exc


async def _handle(
    response: httpx.Response,
    url: str,
    limits: FetchLimits,
    conditional: bool,
    sink: Sink | None = None,
) -> Response | tuple[int, str]:
    status = response.status_code
    if 200 <= status < 300:
        try:
            body = await read_body(response, limits.max_bytes, sink)
        except BodyTooLarge as exc:  # answered: asked again no sooner than after an error
            raise FetchError(url, str(exc), status=status, too_large=True) from None
        except BodyError as exc:
            raise FetchError(url, str(exc)) from None
        return Response(
            url=url,
            status=status,
            body=body,
            content_type=clean_line(response.headers.get("content-type")) or None,
            etag=_validator(response.headers.get("etag")),
            last_modified=_validator(response.headers.get("last-modified")),
        )
    await drain(response)
    if status == 304 and conditional:
        raise NotModified(url)
    if status == 304:  # "not modified" since nothing: there is no copy to keep using
        raise FetchError(url, "HTTP 304 without a cached copy", status=status)
    if status in _REDIRECTS:
        location = response.headers.get("location")
        if not location:
            raise FetchError(url, f"HTTP {status} redirect without a Location", status=status)
        return status, location
    raise _status_error(response, url)


def _status_error(response: httpx.Response, url: str) -> FetchError:
    status = response.status_code
    reason = f"HTTP {status} {httpx.codes.get_reason_phrase(status)}".strip()
    if status == 410:
        return FetchError(url, f"{reason}: removed for good", status=status, dead=True)
    retry = _retry_after(response.headers.get("retry-after")) if status in (429, 503) else None
    if retry is not None:
        reason += f" (retry after {retry:.0f} s)"
    return FetchError(url, reason, status=status, retry_after=retry)


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date."""
    value = (value or "").strip()
    if is_number(value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


# -- small helpers ----------------------------------------------------------------------


@dataclass
class _Chain:
    """The redirect chain so far: loop and count checks, and the permanent new location."""

    url: str
    max_redirects: int
    hops: int = 0
    permanent: str | None = None
    seen: set[str] = field(default_factory=set)
    _only_permanent: bool = True

    def follow(self, status: int, location: str) -> None:
        self.seen.add(self.url)
        try:
            here = httpx.URL(self.url)
            target = str(_credentials_kept(here, here.join(location.strip())))
        except (httpx.InvalidURL, UnicodeError):
            raise FetchError(self.url, "redirect to an invalid URL", status=status) from None
        if self.hops >= self.max_redirects:
            reason = f"too many redirects (more than {self.max_redirects})"
            raise FetchError(self.url, reason, status=status)
        if target in self.seen:
            raise FetchError(self.url, f"redirect loop via {_show(target)}", status=status)
        self._only_permanent = self._only_permanent and _REDIRECTS[status]
        if self._only_permanent:
            self.permanent = target
        self.url, self.hops = target, self.hops + 1


def _credentials_kept(here: httpx.URL, target: httpx.URL) -> httpx.URL:
    """`target` with the user name and password of `here` when it names none and stays on
    its origin (an absolute redirect to the same server), never for another server."""
    if target.userinfo or not here.userinfo or origin(target) != origin(here):
        return target
    return target.copy_with(userinfo=here.userinfo)


def _check_url(url: str, redirected: bool) -> str:
    """The URL's host, or FetchError unless it is an http(s) URL."""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a malformed IPv6 literal
        parts = None
    if parts is None or not is_web(parts):
        reason = "redirected to a non-http(s) URL" if redirected else "not an http(s) URL"
        raise FetchError(url, parts and port_problem(parts) or reason)
    return parts.hostname or ""  # lower case, as urllib gives it


def _request_headers(accept: str, etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _timeout(limits: FetchLimits) -> httpx.Timeout:
    return httpx.Timeout(limits.timeout, connect=limits.connect_timeout)


def _validator(value: str | None) -> str | None:
    """An ETag/Last-Modified worth sending back: short printable ASCII only."""
    if value and len(value) <= 512 and value.isascii() and value.isprintable():
        return value
    return None


def _with_permanent(response: Response, permanent: str | None) -> Response:
    return response if permanent is None else replace(response, permanent_url=permanent)


def _show(url: str) -> str:
    """A URL as it appears in a message: sanitized, its password hidden, not absurdly long."""
    text = clean_line(without_password(url))
    return text if len(text) <= 200 else text[:199] + "…"
