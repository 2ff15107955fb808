"""The HTTP side every service shares: one httpx client with timeouts, a total deadline and
a size cap on every answer (`Limits`), and errors turned into one-line `SyncError`s that
never repeat a secret."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpx

from tui import __version__
from tui.settings import Settings
from tui.sources.body import ACCEPT_ENCODING, MB, BodyError, no_cookies, origin, read_body
from tui.sync.answer import unexpected
from tui.sync.service import Refused, SyncError, TimedOut, Unreachable
from tui.text import clean_line
from tui.weburl import shown_address

TIMEOUT = httpx.Timeout(30.0, connect=10.0)
USER_AGENT = f"newsdesk/{__version__} (sync)"
"""Constant: Tiny Tiny RSS ties a session to the User-Agent."""
MAX_REDIRECTS = 5
"""Redirects followed for one request, all within the server's origin."""
LEAST_BYTES = 32 * MB
"""The smallest answer cap, whatever `max_body_mb` says (a feed's cap): a page of 200 Tiny
Tiny RSS headlines with their whole content (~150 KB for a long article) must fit."""


@dataclass(frozen=True)
class Limits:
    """How long one request may take in all, and how large its answer may be."""

    deadline: float = 20.0
    """Seconds for the request and its whole answer (httpx's timeouts are per read: a
    server trickling a byte at a time would never trip them)."""
    max_bytes: int = LEAST_BYTES
    """Answer size cap, counted after decompression."""

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        """`timeout_seconds`, as for a feed; `max_body_mb`, but never below LEAST_BYTES."""
        cap = max(LEAST_BYTES, int(settings.max_body_mb * MB))
        return cls(deadline=settings.timeout_seconds, max_bytes=cap)


class Missing(Unreachable):
    """HTTP 404: a wrong endpoint, or (for a single item) an item the server no longer has."""


def make_client() -> httpx.AsyncClient:
    """A client for one server: bounded waits, no redirect followed on its own (`post`
    follows those within the server's origin)."""
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING}
    return httpx.AsyncClient(
        timeout=TIMEOUT, headers=headers, follow_redirects=False, cookies=no_cookies()
    )


WORD_INSIDE_FROM = 8
"""Secrets this long are taken out wherever they appear (keys and session ids are, in any
text around them); shorter ones only where they stand apart from letters and digits, as a
password does in a URL, a form or an echoed answer, so that a short one does not mangle
every word it happens to spell."""


class Redactor:
    """Removes secrets (password, API key, session id) from any text shown to the user."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = {s for s in secrets if s}

    def add(self, secret: str) -> None:
        if secret:
            self.secrets.add(secret)

    def __call__(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            if len(secret) >= WORD_INSIDE_FROM:
                text = text.replace(secret, "***")
            else:  # "on" inside "connection" is no password
                text = re.sub(rf"(?<!\w){re.escape(secret)}(?!\w)", "***", text)
        return clean_line(text)


async def post(
    client: httpx.AsyncClient,
    url: str,
    redact: Redactor,
    limits: Limits,
    **kwargs: Any,
) -> Any:
    """POST and decode the JSON answer; every failure is a `SyncError` naming the URL the
    request last went to. Redirects are followed within the origin of `url` only: a 307 or
    308 sends the body (a password, an API key) again, and another server must never get
    it."""
    request = client.build_request("POST", url, **kwargs)
    where = shown_address(url)
    try:
        async with asyncio.timeout(limits.deadline):
            for _ in range(MAX_REDIRECTS + 1):
                where = shown_address(str(request.url))
                response = await client.send(request, stream=True)
                try:
                    if response.next_request is None:
                        _check(response, where)
                        body = await read_body(response, limits.max_bytes)
                        return decode(body, response, where)
                    request = _same_origin(response.next_request, request, where)
                finally:
                    await response.aclose()
    except (TimeoutError, httpx.TimeoutException):
        raise TimedOut(f"{where}: no answer within {limits.deadline:g} s") from None
    except BodyError as exc:
        raise Unreachable(f"{where}: the answer is unusable ({exc})") from None
    except httpx.HTTPError as exc:
        raise Unreachable(f"{where}: {_network(exc, redact)}") from None
    raise Unreachable(f"{where}: more than {MAX_REDIRECTS} redirects")


def _same_origin(redirect: httpx.Request, request: httpx.Request, where: str) -> httpx.Request:
    """`redirect` if it stays on the server `request` went to (scheme, host and port)."""
    if origin(redirect.url) != origin(request.url):
        elsewhere = shown_address(str(redirect.url))
        raise Unreachable(
            f"{where}: redirects to another server: {elsewhere}; put that address in [sync] url"
        )
    return redirect


def _network(exc: httpx.HTTPError, redact: Redactor) -> str:
    """`cannot connect (...)`, or, once connected, `the connection broke (...)`."""
    reason = redact(str(exc)) or type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({reason})"
    return f"the connection broke ({reason})"


def _check(response: httpx.Response, where: str) -> None:
    """An HTTP error status as a `SyncError`."""
    status = response.status_code
    if status in (401, 403):
        raise Refused(f"{where}: access refused (HTTP {status})")
    if status == 404:
        raise Missing(f"{where}: not found (HTTP 404): check the URL in [sync]")
    if status >= 400:
        raise Unreachable(f"{where}: the server answered HTTP {status}")


def decode(body: bytes, response: httpx.Response, where: str) -> Any:
    try:
        return json.loads(body)
    except RecursionError:  # `[[[[…]]]]` nested past Python's stack: a hostile answer
        raise unexpected(where, "nested too deeply") from None
    except ValueError:
        kind = response.headers.get("content-type", "unknown type").split(";")[0]
        raise SyncError(f"{where}: the answer is not JSON ({clean_line(kind)})") from None
