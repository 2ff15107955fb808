"""What counts as a web address: an http or https URL with a host. The one test every layer
applies before it fetches, opens, accepts or links to a URL. And when two feed URLs are the
same subscription."""

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


def url_key(url: str) -> str:
    """What makes two feed URLs the same subscription: host, port, path, query (not scheme,
    the host's case, a trailing `/`)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    netloc = (parts.hostname or "").lower()
    if port not in (None, 80, 443):
        netloc += f":{port}"
    key = netloc + parts.path.rstrip("/")
    return f"{key}?{parts.query}" if parts.query else key
