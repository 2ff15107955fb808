"""A fast path for well-formed RSS 2.0 and Atom 1.0: lxml reads them in C.

feedparser walks every character event in Python (escaped HTML bodies arrive as thousands of
pieces), which made it ~25 ms per 50-item feed. Most real feeds are well-formed RSS 2.0 or
Atom 1.0, so those are read here into the same `RawEntry`s, giving feedparser's answer for
title, link, author, dates and body. Anything unusual (a DOCTYPE, a syntax error, RSS
1.0/0.9x, a date we cannot read, an element feedparser reads that this path does not) returns
None and goes to feedparser, which stays the authority for the messy web;
`tests/sources/test_fidelity.py` compares both paths over a corpus.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lxml import etree

from tui.dates import parse_date
from tui.rfc822 import read_rfc822
from tui.sources.enclosures import enclosure
from tui.sources.encoding import declared_xml_encoding
from tui.sources.entries import RawEntry, with_feed_authors
from tui.sources.fastitem import (
    Body,
    Item,
    Unsupported,
    check_inert,
    fix_text,
    inner_markup,
    looks_like_html,
    person,
)

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC = "{http://purl.org/dc/elements/1.1/}"
DCTERMS = "{http://purl.org/dc/terms/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ITUNES = "{http://www.itunes.com/DTDs/PodCast-1.0.dtd}"
MEDIA = "{http://search.yahoo.com/mrss/}"
_XML = "{http://www.w3.org/XML/1998/namespace}"  # xml:lang, xml:base

# No DTDs, no entities, no network: a document that needs any of them is not for this path.
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
)


@dataclass(frozen=True)
class FastFeed:
    """A feed read on the fast path."""

    title: str | None
    title_html: bool
    entries: list[RawEntry]


def read_fast(data: bytes, base_url: str | None = None) -> FastFeed | None:
    """The feed title and entries, or None when feedparser should read this document.

    `base_url`, the document's address, resolves a relative `xml:base` (`/blog/`) as
    feedparser does: a body's base must be absolute to resolve the body's links.
    """
    # Only UTF-8 documents: feedparser has the rules for wrong declarations and legacy charsets.
    if declared_xml_encoding(data) not in (None, "utf-8", "utf8"):
        return None
    try:
        root = etree.fromstring(data, _PARSER, base_url=base_url)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root.getroottree().docinfo.doctype:
        return None
    try:
        if root.tag == "rss" and root.get("version") == "2.0":
            return _rss(root)
        if root.tag == f"{ATOM}feed":
            return _atom(root)
    except Unsupported:
        return None
    return None


Reader = Callable[[Item, Any], None]
"""Reads one child element of an item into the `Item`."""


def _entries(parent: Any, tag: str, readers: dict[str, Reader]) -> list[RawEntry]:
    """Each `tag` child of `parent`, its children read by `readers` (others must be inert)."""
    entries = []
    for element in parent.iterfind(tag):
        item = Item()
        for child in element:
            reader = readers.get(child.tag) if isinstance(child.tag, str) else _skip
            if reader is None:
                check_inert(child)
            else:
                reader(item, child)
        entries.append(item.entry())
    return entries


def _skip(item: Item, element: Any) -> None:
    """Comments and processing instructions."""


# The ISO 8601 forms read here exactly as feedparser reads them (not week dates, ordinals...).
_ISO_DATE = re.compile(
    r"\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:Z|[+-]\d\d:\d\d)?)?\Z"
)


def _date(text: str | None) -> datetime | None:
    """A date as feedparser reads it (blank is none, to the second; RFC 822 as `read_rfc822`
    reads it, which `tui.sources.feeds` makes feedparser's first reader); others decline."""
    text = (text or "").strip()
    if not text:
        return None
    moment = parse_date(text) if _ISO_DATE.match(text) else read_rfc822(text)
    if moment is None:
        raise Unsupported  # feedparser knows many more date dialects
    return moment


def _leaf(element: Any) -> str:
    """The text of an element that must hold no elements (feedparser would read those)."""
    if len(element):
        raise Unsupported
    return fix_text(element.text or "")


def _published(item: Item, element: Any) -> None:
    item.published = _date(_leaf(element))  # the last one wins, as in feedparser


def _updated(item: Item, element: Any) -> None:
    item.updated = _date(_leaf(element))


def _author_text(item: Item, element: Any) -> None:
    item.add_author_text(_leaf(element))


def _category(item: Item, element: Any) -> None:
    term = _leaf(element)
    if term:
        item.tags.append(term)


def _content(item: Item, element: Any) -> None:
    """content:encoded, `<fullitem>`, `xhtml:body`: HTML, plain or as inner markup."""
    item.contents.append(_rss_body(element))


def _summary(item: Item, element: Any) -> None:
    """`<description>`, `dc:description`; a second one is content to feedparser."""
    if item.summary is not None:
        raise Unsupported
    item.summary = _rss_body(element)


def _rss_body(element: Any) -> Body:
    """An RSS body, which feedparser reads as HTML (xml:lang and xml:base aside, an
    attribute such as `type` or `mode` changes that: such a feed goes to feedparser)."""
    if any(not key.startswith(_XML) for key in element.attrib):
        raise Unsupported
    return Body(inner_markup(element), True, element.base)


def _itunes_duration(item: Item, element: Any) -> None:
    item.itunes_duration = _leaf(element)


def _media_content(item: Item, element: Any) -> None:
    if len(element):
        raise Unsupported
    item.media.append({key.lower(): value for key, value in element.attrib.items()})


# Elements both formats share, with the meaning feedparser gives them.
_COMMON: dict[str, Reader] = {
    f"{DC}creator": _author_text,
    f"{DC}author": _author_text,
    f"{DC}date": _updated,
    f"{DCTERMS}modified": _updated,
    f"{DCTERMS}issued": _published,
    f"{DC}subject": _category,
    f"{MEDIA}content": _media_content,
    **{f"{itunes}duration": _itunes_duration for itunes in (ITUNES, ITUNES.lower())},
}


# -- RSS 2.0 -----------------------------------------------------------------------------


def _rss(root: Any) -> FastFeed:
    channel = root.find("channel")
    if channel is None:
        raise Unsupported
    title_element = channel.find("title")
    title = _leaf(title_element) if title_element is not None else ""
    is_html = looks_like_html(title)  # feedparser's guess for RSS
    return FastFeed(title, is_html, _entries(channel, "item", _RSS))


def _rss_title(item: Item, element: Any) -> None:
    item.set_title(_leaf(element), None)


def _rss_link(item: Item, element: Any) -> None:
    item.set_link(_leaf(element), element)


def _guid(item: Item, element: Any) -> None:
    permalink = element.get("isPermaLink")
    if permalink is None and element.attrib:  # feedparser reads attribute names in any case
        permalink = next((v for k, v in element.attrib.items() if k.lower() == "ispermalink"), None)
    item.set_guid(_leaf(element), permalink in (None, "true"))


def _enclosure(item: Item, element: Any) -> None:
    url = element.get("url")
    if len(element):
        raise Unsupported
    if url:
        item.enclosures.append(enclosure(url, element.get("type"), element.get("length")))


_RSS: dict[str, Reader] = {
    **_COMMON,
    "title": _rss_title,
    "link": _rss_link,
    "guid": _guid,
    "author": _author_text,
    f"{ITUNES}author": _author_text,
    "pubDate": _published,
    "description": _summary,
    f"{DC}description": _summary,
    CONTENT: _content,
    "fullitem": _content,
    f"{XHTML}body": _content,
    "body": _content,
    "category": _category,
    "enclosure": _enclosure,
}


# -- Atom 1.0 ----------------------------------------------------------------------------


def _atom(root: Any) -> FastFeed:
    title, title_html = _atom_text(root.find(f"{ATOM}title"))
    entries = _entries(root, f"{ATOM}entry", _ATOM)
    return FastFeed(title, title_html, with_feed_authors(entries, _feed_authors(root)))


def _feed_authors(root: Any) -> tuple[str, ...]:
    """The names (else emails) of the feed's own `<author>`s."""
    people = (person(element) for element in root.iterfind(f"{ATOM}author"))
    return tuple(name for parts in people if (name := parts.get("name") or parts.get("email")))


def _atom_text(element: Any) -> tuple[str, bool]:
    """An Atom text construct's value and whether it is HTML (xhtml is serialized)."""
    if element is None:
        return "", False
    kind = element.get("type", "text").lower()
    if element.get("src") is not None or element.get("mode") is not None:
        raise Unsupported
    if kind in ("xhtml", "application/xhtml+xml"):
        return inner_markup(element, xhtml=True), True
    if kind not in ("text", "html", "text/plain", "text/html") or len(element):
        raise Unsupported  # media types, markup in a text construct: feedparser decides
    return fix_text(element.text or ""), kind in ("html", "text/html")


def _atom_title(item: Item, element: Any) -> None:
    item.set_title(*_atom_text(element))


def _atom_content(item: Item, element: Any) -> None:
    if item.contents:
        raise Unsupported  # several: feedparser picks among them by type
    if element.get("src") is not None:
        if element.text or len(element):
            raise Unsupported
        return  # feedparser keeps it, empty: the summary wins
    item.contents.append(Body(*_atom_text(element), element.base))


def _atom_summary(item: Item, element: Any) -> None:
    if item.summary is not None:
        raise Unsupported
    item.summary = Body(*_atom_text(element), element.base)


def _atom_link(item: Item, element: Any) -> None:
    if len(element):
        raise Unsupported
    item.add_atom_link(element)


def _atom_id(item: Item, element: Any) -> None:
    item.set_guid(_leaf(element), True)  # feedparser treats an id like a permalink guid


def _atom_category(item: Item, element: Any) -> None:
    term, text = element.get("term"), _leaf(element).strip()
    if term and text:
        raise Unsupported  # feedparser makes two tags of it
    if term or text:
        item.tags.append(term or text)


def _atom_author(item: Item, element: Any) -> None:
    item.add_atom_author(element)


def _atom_contributor(item: Item, element: Any) -> None:
    person(element)  # feedparser keeps contributors apart from authors


_ATOM: dict[str, Reader] = {
    **_COMMON,
    f"{ATOM}title": _atom_title,
    f"{ATOM}link": _atom_link,
    f"{ATOM}id": _atom_id,
    f"{ATOM}author": _atom_author,
    f"{ATOM}contributor": _atom_contributor,
    f"{ATOM}published": _published,
    f"{ATOM}updated": _updated,
    f"{ATOM}content": _atom_content,
    f"{ATOM}summary": _atom_summary,
    f"{ATOM}category": _atom_category,
}
