"""Feed bytes -> Articles: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed by hand.

No network and no file access happen here. feedparser only ever sees a `BytesIO` (given `str`
or `bytes` it would treat them as a URL or a file path), and a DTD's internal subset is cut
out before parsing, so entity bombs and external entities never reach the XML parser.
Entries from both paths are cleaned (links, HTML, `tui.text`) in `tui.sources.entries`.
"""

from __future__ import annotations

import io
import re
import time
import xml.sax
from collections import deque
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from tui.content.urls import absolute_url
from tui.dates import bare_day
from tui.models import Enclosure
from tui.rfc822 import read_rfc822
from tui.sources.enclosures import enclosure, with_durations
from tui.sources.encoding import declared_xml_encoding, header_charset
from tui.sources.entities import declared_entities, expand
from tui.sources.entries import RawEntry, html_line, strings, to_articles, with_feed_authors
from tui.sources.fastitem import alternate_link
from tui.sources.fastxml import read_fast
from tui.sources.jsonfeed import looks_like_json, read_json_feed
from tui.sources.parsed import ParsedFeed
from tui.text import clean_line, plural
from tui.weburl import is_web_url

_FEED_LINK_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml"}
)
_HTML_TYPES = frozenset({"text/html", "html", "application/xhtml+xml", "xhtml"})

# A DOCTYPE in the prolog (after an optional BOM, XML declaration, comments and PIs); the
# bounded repeats keep the scan linear however hostile the input.
_DOCTYPE = re.compile(
    rb"\A(?:\xef\xbb\xbf)?(?:\s++|<\?[^>]{0,2000}+>|<!--(?:[^-]|-(?!->)){0,20000}+-->){0,100}+"
    rb"<!DOCTYPE\b[^\[>]{0,4000}+",
    re.IGNORECASE,
)
# The rest of an internal subset: quoted strings may contain `]>`, so they are skipped whole.
_SUBSET_END = re.compile(rb"\[(?:[^\]\"']++|\"[^\"]*+\"|'[^']*+')*+\]\s*+>")
_XML_DECL = re.compile(rb"\A<\?xml[^>]{0,2000}>")
_WIDE_STARTS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
# An item's or entry's start or end tag (`<item>`, `<entry xml:lang="en">`, `</rss:item>`).
_ITEM_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(?:item|entry)(?=[\s/>])[^<>]*+>")
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta\s)", re.I)
# A character reference to a surrogate (U+D800-U+DFFF, hex or decimal): feedparser raises on
# one (and stops the whole feed), so each becomes U+FFFD before it sees the document.
_SURROGATE_REF = re.compile(
    rb"&#(?:[xX]0*[dD][89a-fA-F][0-9a-fA-F]{2}|0*(?:55(?:29[6-9]|[3-9][0-9]{2})|56[0-9]{3}"
    rb"|57(?:[0-2][0-9]{2}|3[0-3][0-9]|34[0-3])));"
)


def parse_feed(
    data: bytes,
    base_url: str | None = None,
    content_type: str | None = None,
    now: datetime | None = None,
    *,
    fast: bool = True,
) -> ParsedFeed:
    """Parse one feed document; never raises, never touches the network or the disk.

    `base_url` resolves relative links; `now` (default: the clock) bounds entry dates: one
    more than a day ahead of it is treated as undated. `fast=False` skips the lxml fast path
    (the tests compare both paths with it).
    """
    now = now or datetime.now(UTC)
    if looks_like_json(data, content_type):
        return _parse_json(data, base_url, now)
    fast_feed = read_fast(data, base_url) if fast else None
    if fast_feed is not None and fast_feed.entries:
        articles = to_articles(fast_feed.entries, base_url, now)
        title = html_line(fast_feed.title, fast_feed.title_html) or None
        return ParsedFeed(title, articles, None, True, None)
    return _parse_xml(data, base_url, content_type, now)


def _parse_json(data: bytes, base_url: str | None, now: datetime) -> ParsedFeed:
    """A JSON Feed; other JSON is not a feed."""
    feed = read_json_feed(data)
    if not feed.is_feed:
        return ParsedFeed(None, [], f"not a feed: {feed.problem}", False, None)
    return ParsedFeed(
        feed.title, to_articles(feed.entries, base_url, now), feed.problem, True, None
    )


# -- XML feeds ------------------------------------------------------------------------------


def _parse_xml(
    data: bytes, base_url: str | None, content_type: str | None, now: datetime
) -> ParsedFeed:
    """RSS/Atom via feedparser; HTML pages and junk are not feeds."""
    feedparser = _feedparser()
    data = _SURROGATE_REF.sub(b"&#xFFFD;", data)
    document = _defuse_xml(data)
    result = feedparser.parse(
        io.BytesIO(document),  # a BytesIO: bytes alone would be opened as a file path
        response_headers=_headers(data, base_url, content_type),
        # Both passes re-parse every HTML body (about half of feedparser's time); html_to_text
        # drops scripts and resolves links itself, against the base feedparser records.
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    error = result.get("bozo_exception") if result.get("bozo") else None
    entries, cut = _whole_entries(result.get("entries") or [], document, error)
    feed = result.get("feed") or {}
    raw = [_from_feedparser(e) for e in entries]
    if str(result.get("version")).startswith("atom"):
        raw = with_feed_authors(raw, _authors(feed.get("authors"), None))
    articles = to_articles(raw, base_url, now)
    # A broken document that yields nothing (cut off inside its first item) is a failure,
    # not a feed that is up to date.
    if not articles and (error is not None or not result.get("version")):
        return _not_a_feed(data, base_url, error)
    title = html_line(feed.get("title"), _is_html(feed.get("title_detail")))
    warning = None
    if isinstance(error, feedparser.CharacterEncodingOverride):  # read whole all the same
        warning = clean_line(_encoding_warning(result.get("encoding"), data, content_type))
    elif error is not None:
        kept = plural(len(articles), "entry") + " kept"
        skipped = " (the last was cut off: skipped)" if cut else ""
        warning = clean_line(f"{_reason(error)}; {kept}{skipped}")
    return ParsedFeed(title or None, articles, warning, True, None)


def _whole_entries(
    entries: list[Any], document: bytes, error: BaseException | None
) -> tuple[list[Any], bool]:
    """The entries but one the document was cut off inside, and whether there was one.

    Why: feedparser gives that item as far as it came (a title, half a text or none); stored,
    it would be listed new and read half (a title without its text) until a refresh brought
    it whole.
    """
    cut = error is not None and bool(entries) and _ends_inside_an_item(document)
    return (entries[:-1] if cut else entries), cut


@cache
def _feedparser() -> Any:
    """feedparser, loaded only for what the fast path declines (~9 MiB and ~50 ms), reading
    an entry's guid or id as written and RFC 822 dates as `read_rfc822` does, as the fast
    path does (its own reader takes `CEST` for UTC, and `Dez` for no month).

    Why: feedparser resolves a permalink guid against the feed's address as if it were a link
    (`<guid>b-2</guid>` becomes `https://host/feed/b-2`), so a feed read once by feedparser
    (broken XML) and once by the fast path would store every item twice. A guid is a name,
    not an address; where it stands in for the link, `to_articles` resolves that link.
    """
    import feedparser
    from feedparser.mixin import _FeedParserMixin

    _FeedParserMixin.can_be_relative_uri = _FeedParserMixin.can_be_relative_uri - {"id"}
    feedparser.registerDateHandler(_rfc822_time)  # first of its date readers
    return feedparser


def _rfc822_time(text: str) -> time.struct_time | None:
    """`read_rfc822` as a feedparser date handler answers: a UTC time tuple, None to pass."""
    moment = read_rfc822(text)
    return moment.utctimetuple() if moment else None


def _ends_inside_an_item(document: bytes) -> bool:
    """True when the document's last whole item or entry tag opens one (never closed)."""
    last = deque(_ITEM_TAG.finditer(document), maxlen=1)
    return bool(last) and not last[0][1] and not last[0][0].endswith(b"/>")


def _defuse_xml(data: bytes) -> bytes:
    """The document without its DTD internal subset (entity definitions), as UTF-8 if wide.

    Why: `<!ENTITY>` definitions are how billion-laughs bombs and external-entity reads
    (XXE) work; no real feed needs them. The DOCTYPE itself stays (`<!DOCTYPE rss PUBLIC ..>`
    tells feedparser about RSS 0.91), external DTDs are never loaded by feedparser. Plain
    text entities it declares are expanded (`tui.sources.entities`).
    """
    data = _to_utf8(data)
    match = _DOCTYPE.match(data)
    if match is None:
        return data
    if data[match.end() : match.end() + 1] != b"[":
        return expand(data, declared_entities(match[0], b""))
    subset = _SUBSET_END.match(data, match.end())
    rest = data[subset.end() :] if subset else b""
    entities = declared_entities(match[0], subset[0] if subset else b"")
    return data[: match.end()].rstrip() + b">" + expand(rest, entities)


def _to_utf8(data: bytes) -> bytes:
    """UTF-16/32 documents re-encoded as UTF-8 so the byte-level DOCTYPE scan can see them."""
    for start, codec in _WIDE_STARTS:
        if data.startswith(start):
            text = data.decode(codec, "replace").lstrip("\ufeff")
            utf8 = _SURROGATE_REF.sub(b"&#xFFFD;", text.encode("utf-8"))
            # The declaration still says UTF-16; it must now say what the bytes are.
            return _XML_DECL.sub(b'<?xml version="1.0" encoding="utf-8"?>', utf8, count=1)
    return data


def _headers(data: bytes, base_url: str | None, content_type: str | None) -> dict[str, str]:
    """Response headers for feedparser: base URL for relative links, a trustworthy charset.

    Why not the real Content-Type: feedparser follows RFC 3023, which makes `text/xml` mean
    US-ASCII and flags `text/html` as an error; servers send both for valid UTF-8 feeds.
    Valid UTF-8 with non-ASCII bytes is read as UTF-8 whatever is declared (legacy text is
    almost never valid UTF-8); otherwise the server's charset, then the XML declaration.
    """
    headers = {"content-type": "application/xml"}
    charset = None
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        pass  # a byte-order mark decides
    elif _is_utf8(data):
        charset = None if data.isascii() else "utf-8"
    elif declared := header_charset(content_type):
        charset = declared
    if charset:
        headers["content-type"] += "; charset=" + charset
    if base_url:
        headers["content-location"] = base_url
    return headers


def _is_utf8(data: bytes) -> bool:
    """True when the bytes decode as UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _encoding_warning(encoding: str | None, data: bytes, content_type: str | None) -> str:
    """The legacy encoding a feed was read in (feedparser's `encoding`), and what declared
    another if anything did (feedparser says `declared as utf-8` then too: XML's default)."""
    read_as = encoding or "another encoding"
    declared = declared_xml_encoding(data) or header_charset(content_type)
    if declared:
        return f"wrong declared encoding (declared {declared}, read as {read_as})"
    return f"undeclared encoding (not UTF-8: read as {read_as})"


def _reason(error: BaseException) -> str:
    """A bozo exception as one short line a user can act on."""
    import feedparser

    if isinstance(error, xml.sax.SAXParseException):
        return f"malformed XML (line {error.getLineNumber()}: {error.getMessage()})"
    if isinstance(error, feedparser.CharacterEncodingOverride):
        return f"wrong declared encoding ({error})"
    if isinstance(error, feedparser.CharacterEncodingUnknown):
        return "unknown character encoding"
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0][:160]}" if text else type(error).__name__


def _from_feedparser(entry: dict[str, Any]) -> RawEntry:
    """The fields we use from one feedparser entry.

    `dict.get` on purpose: feedparser's own `get` maps `updated` to `published` with a
    DeprecationWarning.
    """
    get = dict.get
    body, body_html, body_base = _pick_body(entry)
    links = get(entry, "links") or []
    return RawEntry(
        title=get(entry, "title") or "",
        title_html=_is_html(get(entry, "title_detail")),
        guid=get(entry, "id"),
        link=_link(get(entry, "link"), links),
        authors=_authors(get(entry, "authors"), get(entry, "author"))
        or _authors((get(entry, "source") or {}).get("authors"), None),  # Atom's `<source>`
        published=_stated(entry, "published"),
        updated=_stated(entry, "updated"),
        body=body,
        body_html=body_html,
        body_base=body_base,
        enclosures=_enclosures(entry, links),
        tags=tuple(strings(t.get("term") or t.get("label") for t in get(entry, "tags") or [])),
    )


def _link(link: str | None, links: list[dict[str, Any]]) -> str | None:
    """feedparser's link, unless no alternate link had exactly an HTML type for it to take:
    then the one `alternate_link` picks (feedparser's is the id then, or none)."""
    alternates = [
        (x["href"], str(x.get("type") or ""))
        for x in links
        if x.get("rel") == "alternate" and isinstance(x.get("href"), str) and x["href"]
    ]
    if any(kind.lower() in _HTML_TYPES for _, kind in alternates):
        return link
    return alternate_link(alternates) or link


def _enclosures(entry: dict[str, Any], links: list[dict[str, Any]]) -> tuple[Enclosure, ...]:
    """The entry's enclosure links with their type, size and playing time."""
    found = [
        enclosure(x["href"], x.get("type"), x.get("length"))
        for x in links
        if x.get("rel") == "enclosure" and isinstance(x.get("href"), str) and x["href"]
    ]
    media = entry.get("media_content") or []  # also those inside a media:group
    return with_durations(found, entry.get("itunes_duration"), media)


def _pick_body(entry: dict[str, Any]) -> tuple[str, bool, str | None]:
    """Value, is-HTML and base of `content` (HTML preferred among several), else `summary`."""
    contents = [c for c in dict.get(entry, "content") or [] if (c.get("value") or "").strip()]
    chosen = next((c for c in contents if _is_html(c)), contents[0] if contents else None)
    if chosen is None:
        chosen = dict.get(entry, "summary_detail") or {"value": dict.get(entry, "summary")}
    return chosen.get("value") or "", _is_html(chosen), chosen.get("base")


def _is_html(detail: Any) -> bool:
    """True when a feedparser detail dict says its value is HTML."""
    return isinstance(detail, Mapping) and str(detail.get("type", "")).lower() in _HTML_TYPES


def _authors(authors: Any, author: Any) -> tuple[str, ...]:
    """Author names (an email when that is all there is)."""
    names = [a.get("name") or a.get("email") for a in authors or [] if isinstance(a, Mapping)]
    found = tuple(strings(names))
    return found or tuple(strings([author]))


def _stated(entry: dict[str, Any], key: str) -> datetime | None:
    """The entry's date `key` as feedparser reads it, or the day it states without a time
    (feedparser makes that day's midnight UTC of it)."""
    stated = dict.get(entry, key)
    day = bare_day(stated) if isinstance(stated, str) else None
    return day or _struct_time(dict.get(entry, f"{key}_parsed"))


def _struct_time(value: Any) -> datetime | None:
    """feedparser's UTC `time.struct_time` as an aware datetime."""
    if value is None:
        return None
    try:
        return datetime(*value[:6]).replace(tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _not_a_feed(data: bytes, base_url: str | None, error: BaseException | None) -> ParsedFeed:
    """The result for an HTML page (with the feed it links, if any) or junk."""
    if _HTML_START.search(data[:4096]):
        alternate = find_alternate(data, base_url)
        reason = "an HTML page linking a feed" if alternate else "an HTML page without a feed link"
        return ParsedFeed(None, [], f"not a feed: {reason}", False, alternate)
    if not data.strip():
        reason = "empty document"
    elif error is not None:
        reason = clean_line(_reason(error))
    else:
        reason = "no RSS, Atom or JSON Feed found"
    return ParsedFeed(None, [], f"not a feed: {reason}", False, None)


def find_alternate(page: bytes, base_url: str | None) -> str | None:
    """The first feed an HTML page links with `<link rel="alternate" type=...feed...>`."""
    parser = lxml_html.HTMLParser(no_network=True, remove_comments=True, collect_ids=False)
    try:
        root = etree.fromstring(page, parser)
    except (etree.LxmlError, ValueError):
        return None
    if root is None:
        return None
    base = base_url
    for el in root.iter("base", "link"):
        if el.tag == "base" and el.get("href"):
            base = absolute_url(el.get("href"), base_url) or base
        elif _is_feed_link(el):
            url = absolute_url(el.get("href"), base)
            if is_web_url(url):
                return clean_line(url)
    return None


def _is_feed_link(el: Any) -> bool:
    """`<link rel="alternate" type="application/rss+xml" href=...>` and friends."""
    rel = (el.get("rel") or "").lower().split()
    kind = (el.get("type") or "").split(";")[0].strip().lower()
    return "alternate" in rel and kind in _FEED_LINK_TYPES and bool(el.get("href"))
