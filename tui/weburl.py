"""What counts as a web address: an http or https URL with a host. The one test every layer
applies before it fetches, opens, accepts or links to a URL; and the one way a feed's URL is
shown, its password hidden (`without_password`)."""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit


def is_web(parts: SplitResult) -> bool:
    """Whether the split URL `parts` is an http(s) address with a host."""
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def is_web_url(url: str | None) -> bool:
    """Whether `url` is an http(s) address with a host (a malformed one is not)."""
    if not url:
        return False
    try:
        return is_web(urlsplit(url.strip()))
    except ValueError:  # e.g. a malformed IPv6 literal
        return False


def without_password(url: str) -> str:
    """`url` as a message or a listing shows it: a password in it as `***`
    (`http://bob:***@host/feed.xml`), the rest as written. The fetch still uses it."""
    if "@" not in url:  # most URLs: nothing to split
        return url
    try:
        netloc = urlsplit(url).netloc
    except ValueError:
        return url
    userinfo, at, host = netloc.rpartition("@")
    user, colon, _ = userinfo.partition(":")
    if not (at and colon):
        return url
    return url.replace(netloc, f"{user}:***@{host}", 1)
