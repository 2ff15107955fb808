"""Lenient, offline HTML parsing with lxml, and telling HTML from plain text.

`parse_html` takes a document or a fragment, never touches the network, and takes control
characters out first: removed from text and attribute values (as `tui.text.strip_unsafe`
removes them), percent-encoded in a link's or an image's address (as `tui.text.encode_unsafe`
encodes a feed item's link), so `…/a<ESC>[31mb` stays its own address, never `…/ab`. A
document nested past libxml2's depth is parsed again with the levels past `_MAX_DEPTH`
flattened, so the text after them is kept.
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
    parser = _parser(html_elements)
    root = _parsed(html, parser)
    if html.count("<") > _MAX_DEPTH and _too_deep(parser):  # counted in C: most bodies skip
        root = _parsed(_flattened(html), parser)
    return root


def _parsed(html: str, parser: Any) -> Element | None:
    try:
        return etree.fromstring(html.encode("utf-8", "ignore"), parser)
    except (etree.LxmlError, ValueError):
        return None


# -- depth ------------------------------------------------------------------------------------

_MAX_DEPTH = 200
"""Elements kept nested in one another; libxml2 stops at 256 and drops the rest of the
document (a body of 100,000 nested `<div>`s lost every word after them)."""
_TAG = re.compile(r"<(/?)([A-Za-z][^\t\n\f\r />]*)[^>]*>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def _too_deep(parser: Any) -> bool:
    """Whether the last parse stopped at libxml2's depth limit: by its message, which
    libxml2 has kept ("Excessive depth in document: 256"), where the error's type changed
    (an internal error before 2.12, a resource limit since)."""
    return any("excessive depth" in error.message.lower() for error in parser.error_log)


def _flattened(html: str) -> str:
    """`html` with the tags nested past `_MAX_DEPTH` taken out and their text kept: the levels
    past it flattened into the last one kept, and what follows them parsed as usual."""
    stack: list[tuple[str, bool]] = []  # each open element's name, and whether it is kept
    opened: dict[str, int] = {}
    kept = 0

    def tag(found: re.Match[str]) -> str:
        nonlocal kept
        name = found[2].lower()
        if name in _VOID or found[0].endswith("/>"):
            return found[0]
        if not found[1]:
            stack.append((name, kept < _MAX_DEPTH))
            opened[name] = opened.get(name, 0) + 1
            kept += stack[-1][1]
            return found[0] if stack[-1][1] else ""
        if not opened.get(name):
            return found[0]  # closes nothing: the parser ignores it too
        while True:  # the elements it closes, as the parser would (an unclosed `<li>`...)
            inner, was_kept = stack.pop()
            opened[inner] -= 1
            kept -= was_kept
            if inner == name:
                return found[0] if was_kept else ""

    return _TAG.sub(tag, html)


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


def pre_lines(el: Element) -> list[str]:
    """The verbatim lines of a `<pre>` (or multi-line `<code>`), `<br>` as a line break."""
    parts: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if event == "start":
            if node.tag == "br":
                parts.append("\n")
            if node.text and isinstance(node.tag, str):
                parts.append(node.text)
        elif node is not el and node.tail:
            parts.append(node.tail)
    lines = "".join(parts).split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines
