"""Captive portals and login walls: answers that are the network's login page, not the page
or feed asked for. No network code: the fetchers ask these questions of what they received.

What real portals do (hotel and train Wi-Fi, Cisco, Aruba, MikroTik hotspots, Nomadix): they
answer a plain-http request with a redirect to their login page, on a host of their own or on
a private address, naming the address asked for in its query (`/login?orig=…`, `?url=`,
`?dst=`, `?redirect=`); or they answer 200 with the login page itself, the same page for
every address; a few say HTTP 511 Network Authentication Required (RFC 6585). A redirect that
only moves the page (http to https, `www.`, a new path for the same article) names neither
the old address nor a login, so it stays what it was.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from urllib.parse import parse_qsl, unquote, urlsplit

LOGIN_PAGE = "a login page? (captive portal)"
"""Why a page is not kept as an article's full text."""
NETWORK_LOGIN = "the network asks for a login (captive portal?)"
"""What a refresh says when the network answered in its feeds' place."""
AUTH_REQUIRED = 511
"""HTTP 511 Network Authentication Required: a portal that says what it is."""

_LOGIN_WORD = re.compile(
    r"(?<![a-z])(?:log-?in|sign-?in|log-?on|signon|auth|captive|portal|hotspot|splash)(?![a-z])"
)
_LOGIN_TEXT = re.compile(
    r"\b(?:log ?in|sign ?in|log ?on|wi-?fi|hotspot|captive|portal|terms (?:and|&) conditions"
    r"|room number|password)\b",
    re.I,
)
_PASSWORD = re.compile(rb"<input[^>]*\btype\s*=\s*[\"']?password", re.I)
_TITLE_WORD = re.compile(r"\w{3,}")
_INVISIBLE = re.compile(rb"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.I | re.S)
_SPACE = re.compile(rb"\s+")


def login_redirect(asked: str, final: str) -> bool:
    """Whether a redirect from `asked` ended on a login page rather than the page moved:
    the final address carries the one asked for in its query, names a login in a path
    the asked one did not, or is a private address where a name was asked."""
    if final == asked:
        return False
    old, new = urlsplit(asked), urlsplit(final)
    return (
        _names_in_query(old.netloc + old.path, old.path, new.query)
        or (_login_path(new.path) and not _login_path(old.path))
        or (_private(new.hostname) and not _private(old.hostname))
    )


def _names_in_query(host_path: str, path: str, query: str) -> bool:
    values = [unquote(value) for _, value in parse_qsl(query, keep_blank_values=True)]
    return any(value and (host_path in value or value == path) for value in values)


def _login_path(path: str) -> bool:
    return bool(_LOGIN_WORD.search(unquote(path).lower()))


def _private(host: str | None) -> bool:
    """A literal address of a private, loopback or link-local network."""
    try:
        address = ipaddress.ip_address(host or "")
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local


def login_page(html: bytes, page_text: str, article_title: str) -> bool:
    """Whether a page answered for an article is a login page instead: it holds not even half
    the words of the article's title (an article's page shows its headline) and asks for a
    login (a password field, login words: a search or comment form is on every news page).
    A title of fewer than two words tells nothing."""
    if shows_title(page_text, article_title) is not False:
        return False
    return bool(_PASSWORD.search(html)) or bool(_LOGIN_TEXT.search(page_text))


def shows_title(page_text: str, article_title: str) -> bool | None:
    """Whether a page's text holds at least half the words of the article's title, as the
    article's own page does; None for a title of fewer than two words (it tells nothing)."""
    words = {word.casefold() for word in _TITLE_WORD.findall(article_title)}
    if len(words) < 2:
        return None
    found = words & {word.casefold() for word in _TITLE_WORD.findall(page_text)}
    return len(found) * 2 >= len(words)


def fingerprint(html: bytes) -> str:
    """The visible text of a page, hashed: a portal's page is the same for every address
    asked, whatever tokens its form or scripts hold."""
    return hashlib.sha256(_visible(html)).hexdigest()


def visible_text(html: bytes) -> str:
    """A page's visible words, roughly (tags, scripts and styles dropped): what a login page
    shows where no article text can be extracted from it."""
    return _visible(html).decode("utf-8", "replace")


def _visible(html: bytes) -> bytes:
    return _SPACE.sub(b" ", _INVISIBLE.sub(b" ", html)).strip()
