"""What counts as a web address: an http or https URL with a host. The one test every layer
applies before it fetches, opens, accepts or links to a URL; how a URL is shown: a feed's
with its password hidden (`without_password`), a link's host in punycode where a browser
would show it so (`readable_host`), a listed link without its user name (`shown_link`), the
server a message names without user name or password (`shown_address`: a proxy, a sync
server); and when two feed URLs are the same subscription (`url_key`)."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import SplitResult, urlsplit


def is_web(parts: SplitResult) -> bool:
    """Whether the split URL `parts` is an http(s) address with a host (and a port, if it
    names one, from 0 to 65535: asyncio fails on `:99999` with an IndexError of its own)."""
    return (
        parts.scheme.lower() in ("http", "https")
        and bool(parts.hostname)
        and port_problem(parts) is None
    )


def port_problem(parts: SplitResult) -> str | None:
    """Why the port `parts` names cannot be one (`port out of range 0-65535`), or None."""
    try:
        _ = parts.port  # reading it checks it
    except ValueError as exc:
        return str(exc).lower()
    return None


def is_web_url(url: str | None) -> bool:
    """Whether `url` is an http(s) address with a host (a malformed one is not)."""
    if not url:
        return False
    try:
        return is_web(urlsplit(url.strip()))
    except ValueError:  # e.g. a malformed IPv6 literal
        return False


def parses(url: str) -> bool:
    """Whether `url` can be split at all (`http://[::1/x`, a malformed IPv6 literal, cannot)."""
    try:
        urlsplit(url.strip())
    except ValueError:
        return False
    return True


def bad_port(url: str) -> str | None:
    """Why the port an http(s) `url` names cannot be one (`port out of range 0-65535`)."""
    try:
        return port_problem(urlsplit(url.strip()))
    except ValueError:  # a malformed IPv6 literal: not a port's fault
        return None


def without_password(url: str) -> str:
    """`url` as a message or a listing shows it: a password in it as `***`
    (`http://bob:***@host/feed.xml`), a user name alone as `***` too (a token:
    `http://***@host/feed.xml`), the rest as written, even in a URL that cannot be parsed
    (`http://bob:***@[::1/x`). The fetch still uses them."""
    if "@" not in url:  # most URLs: nothing to hide
        return url
    return _USERINFO.sub(_masked_userinfo, url, count=1)


def holds_secret(url: str) -> bool:
    """Whether `url` carries a password or a user name (a token) that messages hide."""
    return without_password(url) != url


# What comes before a URL's host: its scheme and `//`, then the user part up to the last `@`
# before the path (as `urlsplit` reads it, without needing the rest to be valid).
_USERINFO = re.compile(r"^([^/?#]*//)([^/?#]*)@")


def _masked_userinfo(match: re.Match[str]) -> str:
    user, colon, _ = match[2].partition(":")
    return f"{match[1]}{user}:***@" if colon else f"{match[1]}***@"


# Letters of Cyrillic and Greek that read as Latin ones (Chrome's list for Cyrillic, and its
# like for Greek): a label spelled with these alone imitates a Latin one ("аррӏе").
_LATIN_ALIKE = frozenset("асԁеһіјӏорԗԛѕԝхуъьҽпгѵѡαβεικνορτυχ")
# Scripts one label may mix, as Chrome allows: Japanese, Chinese and Korean with Latin.
_MIXES = (
    frozenset({"LATIN", "CJK", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "CJK", "BOPOMOFO"}),
    frozenset({"LATIN", "CJK", "HANGUL"}),
)


def readable_host(url: str) -> str:
    """`url` with its host in punycode (`xn--…`) where a browser would show it so, the rest
    as written: the same address, with no lookalike of another host to show (`раураl.com`,
    Cyrillic but its `l`, is `xn--l-7sba6dbr.com`). A label mixing scripts (but Latin with
    Chinese, Japanese or Korean) is one; so is a Cyrillic or Greek label of Latin lookalikes
    alone under a top-level domain of another script. `пример.рф` stays readable."""
    if url.isascii():  # most links: no host to judge
        return url
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return url
    if not host or host.isascii():
        return url
    # As IDNA maps it first (fullwidth `ｅ` is `e`): what the browser would look up.
    labels = [unicodedata.normalize("NFKC", label).casefold() for label in host.split(".")]
    if not any(_deceptive(label, _scripts(labels[-1])) for label in labels):
        return url
    puny = ".".join(
        f"xn--{x.encode('punycode').decode()}" if not x.isascii() else x for x in labels
    )
    userinfo, at, host_port = parts.netloc.rpartition("@")
    _, colon, port = host_port.partition(":")  # as written: `:99999` is no port to read
    return url.replace(parts.netloc, f"{userinfo}{at}{puny}{colon}{port}", 1)


def shown_link(url: str) -> str:
    """`url` as a list of links shows it: `readable_host`, without a user name or password,
    so that `https://good.example@evil.example/` shows the host it leads to plainly."""
    url = readable_host(url)
    return _USERINFO.sub(r"\1", url, count=1) if "@" in url else url


def shown_address(url: str, *, path: bool = True) -> str:
    """`url` as a message names where it leads: scheme, host (lower case, an IPv6 one in
    brackets), port (`:0` too), and its path unless `path` is false; no user name, password,
    query or fragment. A sync account key without a scheme (`//host/path`) stays one.
    ValueError for a port out of range or a malformed IPv6 literal."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    scheme = f"{parts.scheme}:" if parts.scheme else ""
    return f"{scheme}//{netloc}{parts.path if path else ''}"


def _scripts(label: str) -> frozenset[str]:
    """The scripts of the letters of `label` (the first word of each one's Unicode name:
    LATIN, CYRILLIC, CJK...); digits, hyphens and marks belong to none."""
    return frozenset(unicodedata.name(c, "?").split()[0] for c in label if c.isalpha())


def _deceptive(label: str, top: frozenset[str]) -> bool:
    """Whether a browser would show `label` in punycode under a top-level domain in `top`."""
    if label.isascii():
        return False
    scripts = _scripts(label)
    if len(scripts) > 1:
        return not any(scripts <= mix for mix in _MIXES)
    alike = scripts <= {"CYRILLIC", "GREEK"} and all(
        c in _LATIN_ALIKE for c in label if c.isalpha()
    )
    return alike and scripts != top


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
