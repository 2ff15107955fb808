"""Lenient, offline HTML parsing with lxml, and telling HTML from plain text.

`parse_html` takes a document or a fragment, never touches the network, and takes control
characters out first: removed from text and attribute values (as `tui.text.strip_unsafe`
removes them), percent-encoded in a link's or an image's address (as `tui.text.encode_unsafe`
encodes a feed item's link), so `…/a<ESC>[31mb` stays its own address, never `…/ab`.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from tui.text import UNSAFE_CLASS, clean_line, encode_unsafe, has_unsafe, strip_unsafe

Element = Any
"""An lxml element (lxml ships no type information)."""

_HTML_HINT = re.compile(
    r"<(?:(?:p|br|div|span|a|img|b|i|em|strong|u|s|ul|ol|li|dl|dt|dd|h[1-6]|hr|blockquote"
    r"|pre|code|table|thead|tbody|tr|td|th|figure|figcaption|section|article|header|footer"
    r"|html|body|head|iframe|script|style|font|center|small|sup|sub|picture|video|audio"
    r"|meta|link|embed|object|param|applet|source|track|noscript|svg|canvas|map|area|form"
    r"|input|button|textarea|select|label|nav|aside|main|caption|abbr|cite|q|ins|del|mark"
    r"|kbd|samp|var|time|address|details|summary|tt|big|strike|wbr)(?=[\s/>])"
    r"|/[a-z][a-z0-9-]*\s*>|!--|!doctype)"
    r"|&(?:#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """True when `text` contains tags or entities worth converting (``a < b`` is not HTML)."""
    if "<" not in text and "&" not in text:
        return False
    return _HTML_HINT.search(text) is not None


def parse_html(html: str, html_elements: bool = False) -> Element | None:
    """Parse a document or fragment leniently, offline; None when there is nothing to parse.

    With `html_elements` the nodes are `lxml.html.HtmlElement`s (what trafilatura expects);
    by default they are plain lxml elements, which are faster to walk.
    """
    if has_unsafe(html):  # rare; libxml2 would keep them in the tree
        html = _without_controls(html)
    data = html.encode("utf-8", "ignore")
    try:
        return etree.fromstring(data, _parser(html_elements))
    except (etree.LxmlError, ValueError):
        return None


# A tag (or what reads as one) holding a character the sanitizer removes.
_UNSAFE_TAG = re.compile(f"<[^<>{UNSAFE_CLASS}]*[{UNSAFE_CLASS}][^<>]*>")
# One `name=value` of a tag. HTML's spaces only: Python's `\s` also takes U+001C-U+001F,
# which HTML leaves in a name or a value.
_ATTRIBUTE = re.compile(
    r"""
    (?<=[\t\n\f\r\x20])
    ([^\t\n\f\r\x20"'<>/=]+)                          # name
    ([\t\n\f\r\x20]*=[\t\n\f\r\x20]*)
    ("[^"]*" | '[^']*' | [^\t\n\f\r\x20"'<>`=]+)      # value, quoted or not
    """,
    re.VERBOSE,
)
_ADDRESSES = frozenset({"href", "src", "data-src", "data-original"})
"""The attributes read as addresses (`tui.content.urls`: links, images, lazy images)."""


def _without_controls(html: str) -> str:
    """`html` without the characters the sanitizer removes, but with an address's encoded."""
    return strip_unsafe(_UNSAFE_TAG.sub(_values_without_controls, html))


def _values_without_controls(tag: re.Match[str]) -> str:
    return _ATTRIBUTE.sub(_value_without_controls, tag[0])


def _value_without_controls(attribute: re.Match[str]) -> str:
    """An attribute with its value cleaned on its own (an escape sequence never takes the
    closing quote along): an address's controls percent-encoded, any other's removed."""
    name, equals, value = attribute.groups()
    quote = value[0] if value[0] in "\"'" else ""
    inner = value[len(quote) : len(value) - len(quote)]
    if has_unsafe(inner):
        inner = encode_unsafe(inner) if name.lower() in _ADDRESSES else strip_unsafe(inner)
    return f"{name}{equals}{quote}{inner}{quote}"


def _parser(html_elements: bool) -> Any:
    """This thread's parser (an lxml parser must not be shared between threads), made once:
    a new one for each feed body made its parse ~30 % slower (12 -> 9 us a short body)."""
    key = "html" if html_elements else "plain"
    parser = getattr(_PARSERS, key, None)
    if parser is None:
        parser_class = lxml_html.HTMLParser if html_elements else etree.HTMLParser
        parser = parser_class(
            encoding="utf-8",
            no_network=True,
            remove_comments=True,
            remove_pis=True,
            default_doctype=False,
            collect_ids=False,
        )
        setattr(_PARSERS, key, parser)
    return parser


_PARSERS = threading.local()


def first_text(root: Element | None, path: str) -> str | None:
    """The text of the first element matching the XPath `path` that has any (one line)."""
    for el in root.xpath(path) if root is not None else ():
        text = clean_line("".join(el.itertext()))
        if text:
            return text
    return None
