"""The HTTP side every service shares: one httpx client with timeouts, and errors turned
into one-line `SyncError`s that never repeat a secret."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from tui import __version__
from tui.sync.service import Refused, SyncError, Unreachable
from tui.text import clean_line

TIMEOUT = httpx.Timeout(30.0, connect=10.0)
USER_AGENT = f"newsdesk/{__version__} (sync)"
"""Constant: Tiny Tiny RSS ties a session to the User-Agent."""


class Missing(Unreachable):
    """HTTP 404: a wrong endpoint, or (for a single item) an item the server no longer has."""


def make_client() -> httpx.AsyncClient:
    """A client for one server: bounded waits, no proxy from the environment surprises."""
    return httpx.AsyncClient(
        timeout=TIMEOUT, headers={"User-Agent": USER_AGENT}, follow_redirects=True
    )


def shown_url(url: str) -> str:
    """A URL as messages show it: without a user name or password in it."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class Redactor:
    """Removes secrets (password, API key, session id) from any text shown to the user."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = {s for s in secrets if s}

    def add(self, secret: str) -> None:
        if secret:
            self.secrets.add(secret)

    def __call__(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return clean_line(text)


async def post(
    client: httpx.AsyncClient,
    url: str,
    redact: Redactor,
    **kwargs: Any,
) -> Any:
    """POST and decode the JSON answer; every failure is a `SyncError` naming `url` only."""
    where = shown_url(url)
    try:
        response = await client.post(url, **kwargs)
    except httpx.TimeoutException:
        raise Unreachable(f"{where}: no answer (timed out)") from None
    except httpx.HTTPError as exc:
        reason = redact(str(exc)) or type(exc).__name__
        raise Unreachable(f"{where}: cannot connect ({reason})") from None
    if response.status_code in (401, 403):
        raise Refused(f"{where}: access refused (HTTP {response.status_code})")
    if response.status_code == 404:
        raise Missing(f"{where}: not found (HTTP 404): check the URL in [sync]")
    if response.status_code >= 400:
        raise Unreachable(f"{where}: the server answered HTTP {response.status_code}")
    return decode(response, where)


def decode(response: httpx.Response, where: str) -> Any:
    try:
        return json.loads(response.content)
    except ValueError:
        kind = response.headers.get("content-type", "unknown type").split(";")[0]
        raise SyncError(f"{where}: the answer is not JSON ({clean_line(kind)})") from None
