"""One item or entry on the fast path, read the way feedparser reads it.

`tui.sources.fastxml` walks an item's children and hands each to a reader that fills an
`Item`; `Item.entry()` then applies feedparser's rules (which link wins, how an RSS author
string splits into name and email, which body is chosen). An element feedparser would read
but this path does not know raises `Unsupported`, and the whole feed goes to feedparser.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import Any, NamedTuple
from urllib.parse import urljoin

from feedparser.mixin import _FeedParserMixin
from lxml import etree

from tui.models import Enclosure
from tui.sources.enclosures import enclosure, with_durations
from tui.sources.entries import RawEntry

XHTML_DIV = "{http://www.w3.org/1999/xhtml}div"
_ATOM = "{http://www.w3.org/2005/Atom}"
_HTML_TYPES = frozenset({"text/html", "html", "application/xhtml+xml", "xhtml"})


class Unsupported(Exception):
    """Something this path does not read exactly like feedparser; use feedparser."""


# -- which elements feedparser reads ------------------------------------------------------

# Element names feedparser has a handler for (`pubdate`, `dc_creator`, `media_title`...).
_FEEDPARSER_NAMES = frozenset(
    name.split("_", 2)[2] for name in dir(_FeedParserMixin) if name.startswith(("_start_", "_end_"))
)
# Handlers that only fill fields we never show, for elements without children.
_INERT = frozenset(
    "source language expirationdate rights media_content media_thumbnail media_credit"
    " media_rating media_player media_restriction media_license itunes_image itunes_explicit"
    " itunes_block itunes_subtitle creativecommons_license cc_license dc_language dc_rights"
    " dc_publisher dcterms_created georss_point georss_line georss_polygon georss_box".split()
)
_READ = _FEEDPARSER_NAMES - _INERT
_PREFIXES = {uri.lower(): prefix for uri, prefix in _FeedParserMixin.namespaces.items()}


def check_inert(element: Any) -> None:
    """Raise `Unsupported` unless feedparser makes nothing we show of `element`.

    An element with children is never inert: feedparser reads known elements at any depth.
    """
    if len(element) or _feedparser_name(element) in _READ:
        raise Unsupported


def _feedparser_name(element: Any) -> str:
    """The name feedparser dispatches on: its own prefix for a namespace it knows, else the
    document's prefix, then `_` and the lower-cased local name."""
    qname = etree.QName(element)
    namespace = (qname.namespace or "").lower()
    if "backend.userland.com/rss" in namespace:
        namespace = "http://backend.userland.com/rss"
    prefix = _PREFIXES.get(namespace)
    if prefix is None:
        prefix = element.prefix or ""
    local = qname.localname.lower()
    return f"{prefix.lower()}_{local}" if prefix else local


# -- text as feedparser hands it over -----------------------------------------------------

# feedparser maps the C1 range to the characters cp1252 puts there (U+0093 -> U+201C).
_CP1252 = {
    code: char
    for code in range(0x80, 0xA0)
    if (char := bytes([code]).decode("cp1252", "replace")) != "\ufffd"
}


# Both repairs need a character in U+0080-U+00BF (C1, or a UTF-8 continuation byte).
_REPAIRABLE = re.compile("[\x80-\xbf]")


def fix_text(text: str) -> str:
    """feedparser's repairs of element text: UTF-8 read as Latin-1, cp1252 in the C1 range."""
    if text.isascii() or not _REPAIRABLE.search(text):  # most text needs neither repair
        return text
    try:
        text = text.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return text.translate(_CP1252)


class Body(NamedTuple):
    """A candidate body: its value, whether it is HTML, and the `xml:base` in scope."""

    value: str
    html: bool
    base: str | None


def inner_markup(element: Any, xhtml: bool = False) -> str:
    """An element's content as text, or as HTML when it holds elements (feedparser keeps
    markup left unescaped in a body as markup). Atom `xhtml` loses its wrapping `<div>`."""
    if not len(element):
        text = element.text or ""
        return fix_text(escape(text, quote=False) if xhtml else text)
    inner = element
    if xhtml and _only_child_div(element):
        inner = element[0]
    if any(isinstance(el.tag, str) and el.tag[0] == "{" for el in inner.iterdescendants()):
        inner = _without_namespaces(inner)
    parts = [escape(inner.text or "", quote=False)]
    parts += [etree.tostring(child, encoding="unicode") for child in inner]
    return fix_text("".join(parts))


def _only_child_div(element: Any) -> bool:
    """True for `<div>...</div>` alone in an Atom xhtml construct."""
    if len(element) != 1 or element[0].tag != XHTML_DIV:
        return False
    return not (element.text or "").strip() and not (element[0].tail or "").strip()


def _without_namespaces(element: Any) -> Any:
    """A copy with plain tag names: `<xhtml:p>` serializes as `<p>` for the HTML reader."""
    copy = deepcopy(element)
    for el in copy.iter():
        if isinstance(el.tag, str) and el.tag[0] == "{":
            el.tag = etree.QName(el).localname
    etree.cleanup_namespaces(copy)
    return copy


def looks_like_html(text: str) -> bool:
    """feedparser's guess whether RSS text is HTML: an end tag or an entity, known tags only."""
    if "</" not in text and "&" not in text:  # cannot qualify: skip feedparser's regexes
        return False
    return bool(_FeedParserMixin.looks_like_html(text))


# -- an item ------------------------------------------------------------------------------

# feedparser's pattern for an email address inside an RSS author string.
_EMAIL = re.compile(
    r"(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))"
    r"([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"
)
_ENTITY_LIKE = re.compile(r"&([A-Za-z0-9_]+);")


def author_name(text: str) -> str | None:
    """`desk@x.test (Ana Ruiz)` -> `Ana Ruiz`: the name, else the email (feedparser's rule)."""
    found = _EMAIL.search(text) if "@" in text else None
    if found is None:
        return text.strip() or None
    email = found.group(0)
    name = text.replace(email, "").replace("()", "").replace("<>", "").replace("&lt;&gt;", "")
    name = name.strip()
    name = name[1:] if name.startswith("(") else name
    name = name[:-1] if name.endswith(")") else name
    return name.strip() or email


def person(element: Any) -> dict[str, str]:
    """An Atom person construct's parts (`name`, `email`, `uri`)."""
    parts: dict[str, str] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        local = child.tag[len(_ATOM) :] if child.tag.startswith(_ATOM) else None
        if local not in ("name", "email", "uri", "url") or len(child) or local in parts:
            raise Unsupported
        parts[local] = fix_text(child.text or "").strip()
    return parts


@dataclass
class Item:
    """What one RSS item or Atom entry states, gathered child by child in document order."""

    title: str | None = None
    title_html: bool | None = None
    """None: guess as feedparser does for RSS (markup it knows, or an entity)."""
    link: str | None = None
    has_link: bool = False
    guid: str | None = None
    guid_link: str | None = None
    authors: list[str | None] = field(default_factory=list)
    author_text: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    contents: list[Body] = field(default_factory=list)
    summary: Body | None = None
    enclosures: list[Enclosure] = field(default_factory=list)
    itunes_duration: str | None = None
    media: list[dict[str, str]] = field(default_factory=list)
    """The attributes of each `media:content` (names in lower case)."""
    tags: list[str] = field(default_factory=list)
    alternates: list[tuple[str, str]] = field(default_factory=list)
    """Alternate links feedparser does not take for the page: (address, type)."""

    def set_title(self, title: str, is_html: bool | None) -> None:
        if self.title is not None:
            raise Unsupported  # feedparser keeps the first non-empty one, at any depth
        self.title, self.title_html = title, is_html

    def set_link(self, text: str, element: Any) -> None:
        """An RSS `<link>`: it wins over a permalink guid, even when empty."""
        if self.has_link:
            raise Unsupported
        text = text.strip()
        if "&" in text:  # feedparser's repair of `&amp;` and `&name;` in query strings
            text = _ENTITY_LIKE.sub(r"&\g<1>", text.replace("&amp;", "&"))
        self.link, self.has_link = _resolve(text, element), True

    def set_guid(self, text: str, is_link: bool) -> None:
        if self.guid is not None:
            raise Unsupported
        self.guid = text
        if is_link and text.strip():
            self.guid_link = text.strip()

    def add_author_text(self, text: str) -> None:
        self.authors.append(author_name(text))
        self.author_text = text

    def add_atom_author(self, element: Any) -> None:
        """An Atom `<author>`: its name, else its email."""
        parts = person(element)
        self.authors.append(parts.get("name") or parts.get("email") or None)

    def add_atom_link(self, element: Any) -> None:
        """feedparser's `link` is the last alternate HTML link; enclosures are kept too
        (`rel` and `type` in any case, as feedparser lowers them)."""
        href = element.get("href")
        if href is None:
            raise Unsupported
        rel = element.get("rel", "alternate").lower()
        kind = element.get("type", "application/atom+xml" if rel == "self" else "text/html")
        if rel == "alternate" and kind.lower() in _HTML_TYPES:
            self.link, self.has_link = _resolve(href, element), True
        elif rel == "alternate":
            self.alternates.append((_resolve(href, element), kind))
        elif rel == "enclosure":
            self.enclosures.append(enclosure(_resolve(href, element), kind, element.get("length")))

    def entry(self) -> RawEntry:
        """The entry feedparser would give for what was gathered."""
        body = self._body()
        title = self.title or ""
        is_html = self.title_html
        if is_html is None:
            is_html = looks_like_html(title)
        return RawEntry(
            title=title,
            title_html=is_html,
            guid=self.guid,
            link=self.link if self.has_link else alternate_link(self.alternates) or self.guid_link,
            authors=self._authors(),
            published=self.published,
            updated=self.updated,
            body=body.value,
            body_html=body.html,
            body_base=body.base,
            enclosures=with_durations(self.enclosures, self.itunes_duration, self.media),
            tags=tuple(self.tags),
        )

    def _body(self) -> Body:
        """The first HTML content with text, else the first content with text, else summary."""
        filled = [c for c in self.contents if c.value.strip()]
        chosen = next((c for c in filled if c.html), filled[0] if filled else None)
        return chosen or self.summary or Body("", False, None)

    def _authors(self) -> tuple[str, ...]:
        names = tuple(n for n in self.authors if n and n.strip())
        if names or not self.author_text:
            return names
        return (self.author_text,)


def alternate_link(alternates: list[tuple[str, str]]) -> str | None:
    """The page among alternate links none of which has exactly an HTML type: the last one
    typed HTML with parameters (`text/html; charset=utf-8`), else the only one.

    Why: feedparser takes neither and falls back to the entry's id (a `tag:` name, or an
    address that may not be the page's); the link the feed states is the better guess.
    """
    html = [href for href, kind in alternates if _media_type(kind) in _HTML_TYPES]
    if html:
        return html[-1]
    return alternates[0][0] if len(alternates) == 1 else None


def _media_type(kind: str) -> str:
    """`Text/HTML; charset=utf-8` -> `text/html`."""
    return kind.split(";", 1)[0].strip().lower()


def _resolve(href: str, element: Any) -> str:
    """A URL resolved against the `xml:base` in scope (lxml tracks it as `.base`, walking up
    the tree: an absolute link, as most are, needs none)."""
    if href.startswith(("https://", "http://")):
        return href
    return urljoin(element.base, href) if element.base else href
