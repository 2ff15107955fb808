"""A whole web page -> its main article, as readable text with numbered links.

trafilatura finds the main content and drops navigation, cookie banners, comments, related
links and scripts. Its XML output (which keeps ordered lists and code blocks, unlike its HTML
output) is mapped back to HTML tags and rendered by `tui.content.readable`, so a saved page
reads like a feed body. When trafilatura finds nothing (a short local file, say), the
`<article>`, `<main>` or `<body>` with navigation, header, footer and asides removed is used.
Title, author and date come from meta tags, then from trafilatura's metadata search.
Nothing here touches the network: trafilatura and htmldate only ever get parsed trees.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import trafilatura
from lxml import etree

from tui.content.footnotes import keep_notes, mark_footnotes
from tui.content.parse import Element, first_text, parse_html, pre_lines
from tui.content.readable import render_element
from tui.content.urls import image_src, in_page, is_tracking_pixel
from tui.dates import parse_date
from tui.text import clean_line, clean_optional

log = logging.getLogger(__name__)

# trafilatura and its helpers log (even at ERROR) about ordinary bad pages; the terminal is
# the UI, so they must stay quiet.
for _name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

MIN_WORDS = 5
"""Fewer words than this is not an article (a login wall, an empty app shell)."""

_CHROME = ("nav", "header", "footer", "aside")
_TITLE_KEYS = ("og:title", "twitter:title", "dc.title", "title")
_AUTHOR_KEYS = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author")
_DATE_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
    "date",
    "pubdate",
    "publish-date",
    "publish_date",
    "parsely-pub-date",
    "sailthru.date",
)
_PUBLISHED_TIME = (
    "//time[@datetime][@pubdate or @itemprop='datePublished' or contains(@class, 'published')]"
)
_HTMLDATE = {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True}
_TEI_RENAMES = {
    "main": "div",
    "quote": "blockquote",
    "lb": "br",
    "row": "tr",
    "graphic": "img",
}

_EMPHASIS = {"#b": "b", "#i": "i", "#u": "i", "#t": "code"}
_INLINE = frozenset("a abbr b cite code em i img kbd mark q s small span strong sub sup u".split())
_KEPT_SPACE = "\u2800"
"""Stands for the space between two inline elements while trafilatura runs: it drops a tail
that is only whitespace (`<a>three</a> <a>four</a>` came out `threefour`) but keeps a
printable one. A braille blank: blank already, where a page holds one of its own."""


@dataclass(frozen=True)
class Extracted:
    """The main article of a web page, ready to store."""

    title: str | None
    author: str | None
    published: datetime | None
    """Aware datetime in UTC."""
    text: str
    """Readable text like `html_to_text` output: links numbered, images as `[image: alt] [N]`."""
    links: tuple[str, ...]
    images: tuple[str, ...]
    """Absolute URLs of the article's images (a subset of `links`), in order."""


def extract_article(
    html: str, url: str | None = None, *, text_dates: bool = True
) -> Extracted | None:
    """The main article of `html` (fetched from `url`), or None when there is none;
    `text_dates`: see `page_metadata`."""
    title, author, published = page_metadata(html, url, text_dates=text_dates)
    for body in (_main_content(html, url), _fallback_body(html)):
        if body is None:
            continue
        _drop_title_heading(body, title)
        readable, images = render_element(body, url)
        if len(readable.text.split()) >= MIN_WORDS:
            return Extracted(title, author, published, readable.text, readable.links, images)
    return None


def page_metadata(
    html: str, url: str | None = None, *, text_dates: bool = True
) -> tuple[str | None, str | None, datetime | None]:
    """Title, author and publication date (aware UTC) from the page's meta tags. Without
    `text_dates`, a date only where the markup states one (a local file: "Paragraph 1995"
    in its text made it dated 1995-01-01), else none."""
    root = parse_html(html)
    if root is None:
        return None, None, None
    meta = _meta_tags(root)
    title = _first(meta, _TITLE_KEYS)
    author = _meta_author(meta)
    published = _meta_date(meta) or _time_element_date(root)
    if title is None or author is None or published is None:
        found = _trafilatura_metadata(html, url, text_dates)
        title = title or found[0] or first_text(root, "//title|//h1")
        author = author or found[1]
        published = published or found[2]
    return clean_optional(title), clean_optional(author), published


# -- main content ------------------------------------------------------------------------


def _main_content(html: str, url: str | None) -> Element | None:
    """trafilatura's main text as an HTML-tagged tree, or None."""
    tree = parse_html(html, html_elements=True)
    if tree is None:
        return None
    _drop_tracking_pixels(tree)
    _code_in_pre(tree)
    notes = mark_footnotes(tree)
    _unlink_in_page(tree)  # before the links are made absolute, when `#fn1` is still in-page
    _keep_spaces_between_inline(tree)
    if url:  # trafilatura resolves links against the site's root, not the page's folder
        tree.make_links_absolute(url, handle_failures="ignore")
    starts = _list_starts(tree)
    try:
        xml = trafilatura.extract(
            tree,
            url=url,
            output_format="xml",
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            include_images=True,
            include_formatting=True,
            include_links=True,
            with_metadata=False,
        )
    except Exception:  # a bug in a heuristic must not lose the other pages of an import
        log.debug("trafilatura failed on %s", url, exc_info=True)
        return None
    main = _tei_to_html(xml) if xml else None
    if main is not None:
        _restore_starts(main, starts)
        keep_notes(main, notes)
    return main


def _list_starts(tree: Element) -> dict[str, str]:
    """The `start` of each numbered list that does not count from 1, by its first item's
    text: trafilatura keeps the list but drops the attribute."""
    return {
        _first_item(ol): ol.get("start", "")
        for ol in tree.iter("ol")
        if ol.get("start", "1").strip() != "1" and _first_item(ol)
    }


def _restore_starts(main: Element, starts: dict[str, str]) -> None:
    for ol in main.iter("ol"):
        start = starts.get(_first_item(ol))
        if start is not None:
            ol.set("start", start)


def _first_item(ol: Element) -> str:
    """The text of the list's first item without its spaces (the kept ones too): trafilatura
    keeps its words, not the spaces between its paragraphs."""
    item = next(ol.iterchildren("li"), None)
    text = "".join(item.itertext()) if item is not None else ""
    return "".join(text.replace(_KEPT_SPACE, " ").split())


def _drop_tracking_pixels(tree: Element) -> None:
    """Remove pixel images before trafilatura, which drops the width/height that mark them."""
    pixels = [img for img in tree.iter("img") if is_tracking_pixel(img, image_src(img))]
    for img in pixels:
        img.drop_tree()


def _unlink_in_page(tree: Element) -> None:
    """A link within the page (`#details`) is no link to list, as in a feed's text."""
    for link in tree.iter("a"):
        if in_page(link.get("href")):
            del link.attrib["href"]


def _keep_spaces_between_inline(tree: Element) -> None:
    """Mark the whitespace between adjacent inline elements (see `_KEPT_SPACE`)."""
    for el in tree.iter(*_INLINE):
        after = el.getnext()
        if after is not None and after.tag in _INLINE and el.tail and el.tail.isspace():
            el.tail = _KEPT_SPACE


def _code_in_pre(tree: Element) -> None:
    """Give each `<pre>` one `<code>` holding its lines: trafilatura keeps `<pre><code>`
    verbatim but turns a bare `<pre>` into a quote with its line breaks collapsed."""
    for pre in list(tree.iter("pre")):
        lines = pre_lines(pre)
        for child in list(pre):
            pre.remove(child)
        pre.text = None
        code = etree.SubElement(pre, "code")
        code.text = "\n".join(lines) + "\n"


def _tei_to_html(xml: str) -> Element | None:
    """trafilatura's XML (`<head rend>`, `<list>`, `<ref target>`, ...) as HTML elements."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    try:
        root = etree.fromstring(xml.encode("utf-8", "ignore"), parser)
    except (etree.LxmlError, ValueError):
        return None
    main = root.find("main") if root is not None else None
    if main is None:
        return None
    for code in main.findall("code"):
        code.tag = "pre"  # a code block of its own (a one-line one would read as inline code)
    for el in main.iter():
        if isinstance(el.tag, str):
            _rename(el)
        if el.text and _KEPT_SPACE in el.text:
            el.text = el.text.replace(_KEPT_SPACE, " ")
        if el.tail and _KEPT_SPACE in el.tail:
            el.tail = el.tail.replace(_KEPT_SPACE, " ")
    return main


def _rename(el: Element) -> None:
    """Give one TEI-ish element its HTML tag (and attribute)."""
    tag, rend = el.tag, el.get("rend") or ""
    if tag == "head":
        el.tag = rend if rend in ("h1", "h2", "h3", "h4", "h5", "h6") else "h2"
    elif tag == "list":
        el.tag = rend if rend in ("ol", "dl") else "ul"
    elif tag == "item":
        el.tag = rend[:2] if rend[:2] in ("dt", "dd") else "li"
    elif tag == "ref":
        el.tag = "a"
        el.set("href", el.get("target") or "")
    elif tag == "hi":
        el.tag = _EMPHASIS.get(rend, "span")
    elif tag == "cell":
        el.tag = "th" if el.get("role") == "head" else "td"
    else:
        el.tag = _TEI_RENAMES.get(tag, tag)


def _drop_title_heading(body: Element, title: str | None) -> None:
    """Remove a leading heading that repeats the title (the reader shows the title already)."""
    first = next(iter(body), None)
    if title is None or first is None or first.tag not in ("h1", "h2"):
        return
    if clean_line("".join(first.itertext())).casefold() == clean_line(title).casefold():
        body.text = (body.text or "") + (first.tail or "")
        body.remove(first)


def _fallback_body(html: str) -> Element | None:
    """`<article>`, `<main>` or `<body>` without navigation, header, footer and asides."""
    root = parse_html(html)
    if root is None:
        return None
    etree.strip_elements(root, *_CHROME, with_tail=False)
    for tag in ("article", "main", "body"):
        found = next(root.iter(tag), None)
        if found is not None:
            return found
    return root


# -- metadata ----------------------------------------------------------------------------


def _meta_tags(root: Element) -> dict[str, str]:
    """`<meta name|property|itemprop=... content=...>`, first value per lower-cased key."""
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop")
        content = el.get("content")
        if key and content and content.strip():
            meta.setdefault(key.strip().lower(), content.strip())
    return meta


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    """The value of the first of `keys` present in `meta`."""
    return next((meta[key] for key in keys if key in meta), None)


def _meta_author(meta: dict[str, str]) -> str | None:
    """The author named in meta tags (a profile URL or `@handle` is not a name)."""
    for key in _AUTHOR_KEYS:
        value = meta.get(key, "")
        if value and "://" not in value and not value.startswith("@"):
            return value
    return None


def _meta_date(meta: dict[str, str]) -> datetime | None:
    """The first parseable publication date among the meta tags."""
    for key in _DATE_KEYS:
        parsed = parse_date(meta.get(key))
        if parsed is not None:
            return parsed
    return None


def _time_element_date(root: Element) -> datetime | None:
    """The `<time datetime>` marked as published, else the page's first one."""
    for path in (_PUBLISHED_TIME, "//time[@datetime]"):
        for el in root.xpath(path):
            parsed = parse_date(el.get("datetime"))
            if parsed is not None:
                return parsed
    return None


def _trafilatura_metadata(
    html: str, url: str | None, text_dates: bool
) -> tuple[str | None, str | None, datetime | None]:
    """trafilatura's title, author and date (JSON-LD, bylines, htmldate's heuristics; with
    `text_dates`, its search of the text for anything like a date too)."""
    tree = parse_html(html, html_elements=True)
    if tree is None:
        return None, None, None
    try:
        found = trafilatura.extract_metadata(
            tree, default_url=url, date_config={**_HTMLDATE, "extensive_search": text_dates}
        )
    except Exception:  # metadata is optional; a heuristic's bug must not lose the article
        log.debug("trafilatura metadata failed on %s", url, exc_info=True)
        return None, None, None
    return found.title, found.author, parse_date(found.date)
