"""An article's web page fetched and judged: decoded, its article extracted, and not a login
page standing in for it (a captive portal's, a login wall's: `tui.sources.portal`).

A page that is no article raises `SaveFailed` with the one line stored as the save state:
the feed text is kept and the save is tried again later. A batch of saves also compares its
pages (`one_page_for_many`): the same text answered for different articles is the network's.
"""

from __future__ import annotations

import asyncio
import codecs
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tui.offline.keeping import cut_off, kept_text, shortfall
from tui.sources.body import MB
from tui.sources.encoding import guess_encoding, header_charset, meta_charset
from tui.sources.fetch import PAGE_ACCEPT, Client, FetchError, FetchLimits, NotModified, fetch
from tui.sources.portal import (
    AUTH_REQUIRED,
    LOGIN_PAGE,
    fingerprint,
    login_page,
    login_redirect,
    shows_title,
    visible_text,
)
from tui.text import clean_line
from tui.weburl import is_web_url

if TYPE_CHECKING:
    from tui.content.extract import Extracted
    from tui.store.saved import SaveTarget

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_HTML_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body|p|div|article)[\s>]", re.I)


class SaveFailed(Exception):
    """The full text could not be saved; `reason` is the one line stored as the save state,
    `gone` whether the server said the page is not there (404, 410), `unanswered` whether
    nothing answered (offline, a refused connection, TLS, a timeout), `final` whether asking
    again would only bring the same answer (a page over `max_body_mb`)."""

    def __init__(
        self, reason: str, gone: bool = False, unanswered: bool = False, final: bool = False
    ) -> None:
        self.reason, self.gone, self.unanswered, self.final = reason, gone, unanswered, final
        super().__init__(reason)


@dataclass(frozen=True)
class Page:
    """An article's page, its article extracted (or the feed's text, the whole article)."""

    extracted: Extracted
    url: str
    """Where the page was found, after redirects."""
    seen: str
    """Its visible text, hashed (`tui.sources.portal.fingerprint`)."""


async def fetch_page(client: Client, limits: FetchLimits, target: SaveTarget) -> Page:
    """The article extracted from its web page; SaveFailed with the reason otherwise."""
    url = target.url or ""
    if not is_web_url(url):
        raise SaveFailed("no web page to fetch (the article has no http(s) link)")
    try:
        response = await fetch(client, url, limits=limits, accept=PAGE_ACCEPT)
    except FetchError as exc:
        if exc.too_large:
            size = f"{limits.max_bytes / MB:g} MB"
            raise SaveFailed(f"page larger than {size} (max_body_mb)", final=True) from None
        login = exc.status == AUTH_REQUIRED
        why = f"{LOGIN_PAGE}: {exc.reason}" if login else exc.reason
        raise SaveFailed(why, exc.gone, unanswered=exc.status is None) from None
    except NotModified:
        raise SaveFailed("the server answered 304 Not Modified to a plain request") from None
    if login_redirect(url, response.url):
        raise SaveFailed(clean_line(f"{LOGIN_PAGE}: redirected to {response.url}"))
    html = decode_html(response.body, response.content_type)
    # trafilatura takes ~0.3 s to import: only pay for it when a page is fetched.
    from tui.content.extract import extract_article

    extracted = await asyncio.to_thread(extract_article, html, response.url)
    # A sign-in form has no article text to extract: its visible words tell it.
    shown = (
        f"{extracted.title or ''} {extracted.text}" if extracted else visible_text(response.body)
    )
    if login_page(response.body, shown, target.title):
        raise SaveFailed(LOGIN_PAGE)
    if extracted is None:
        raise SaveFailed("no article text found on the page")
    if reason := shortfall(extracted.text, target.feed_text) or cut_off(
        extracted.text, target.feed_text
    ):
        raise SaveFailed(reason)
    return Page(kept_text(extracted, target), response.url, fingerprint(response.body))


def one_page_for_many(
    targets: Sequence[SaveTarget], pages: Sequence[Page | SaveFailed]
) -> list[Page | SaveFailed]:
    """`pages` of one batch (one for each of `targets`), those whose text another page at
    another address has too made failures: a portal answers every address with its one page,
    where articles differ. A page that shows its article's title is that article (a mirror,
    an AMP copy: one story at two addresses), whoever else it answered for."""
    addresses: dict[str, set[str]] = {}
    for page in pages:
        if isinstance(page, Page):
            parts = urlsplit(page.url)  # a query is often only tracking: the same article
            addresses.setdefault(page.seen, set()).add(f"{parts.netloc}{parts.path}")
    return [
        SaveFailed(LOGIN_PAGE) if _stands_in(target, page, addresses) else page
        for target, page in zip(targets, pages, strict=True)
    ]


def _stands_in(target: SaveTarget, page: Page | SaveFailed, addresses: dict[str, set[str]]) -> bool:
    """Whether `page` is one answered for other addresses too, not showing the article."""
    if not isinstance(page, Page) or len(addresses[page.seen]) < 2:
        return False
    return not shows_title(f"{page.extracted.title or ''} {page.extracted.text}", target.title)


def decode_html(body: bytes, content_type: str | None) -> str:
    """The page as text; SaveFailed when it is not an HTML page (a PDF, an image, JSON)."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media and media not in _HTML_TYPES:
        raise SaveFailed(f"not an HTML page ({media})")
    if not media and not _HTML_SNIFF.search(body[:4096]):
        raise SaveFailed("not an HTML page (no content type, and it does not look like HTML)")
    for codec in _declared_charsets(body, content_type or ""):
        try:
            return body.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode(guess_encoding(body[: 256 * 1024]) or "cp1252", "replace")


def _declared_charsets(body: bytes, content_type: str) -> list[str]:
    """Encodings to try, most trustworthy first: BOM, HTTP header, `<meta>`, then UTF-8."""
    found = []
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16, "utf-16")):
        if body.startswith(bom):
            found.append(codec)
    declared = (header_charset(content_type), meta_charset(body))
    return [*found, *(label for label in declared if label), "utf-8"]
