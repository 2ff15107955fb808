"""The most common feed body, rendered without a tree: paragraphs of text, links, emphasis.

Most feed bodies are a few `<p>` paragraphs of text with `<a href="...">` links and
`<em>`/`<i>`/`<strong>`/`<b>` emphasis. For exactly that shape `simple_text` writes what
`tui.content.readable`'s tree walk writes (same paragraphs, `*marks*`, `[N]` links), from one
scan of the tags instead of an lxml parse and a Python call per element (a quarter of the
time). Anything else (another tag, an attribute, an entity but `&amp; &lt; &gt; &quot; &#39;
&nbsp;`, text outside a paragraph, broken nesting, characters the sanitizer or libxml2 would
touch) returns None, and the tree walk renders it. tests/content/test_simple.py holds both
to the same output.
"""

from __future__ import annotations

import re

from tui.content.spans import escaped, literal_start
from tui.content.urls import absolute_url
from tui.text import clean_body, has_unsafe

_TAG = re.compile(r"<([^<>]*)>")
_HREF = re.compile(r'a href="([^"<>&\s]*(?:&amp;[^"<>&\s]*)*)"')
_ENTITY = re.compile(r"&(amp|lt|gt|quot|#39|nbsp);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "#39": "'", "nbsp": "\xa0"}
_MARKS = {"em": "*", "i": "*", "strong": "**", "b": "**"}
_SPACE = " \t\n"


def simple_text(html: str, base_url: str | None) -> tuple[str, tuple[str, ...]] | None:
    """The text and numbered links of a body of plain paragraphs, or None for any other."""
    if "<p>" not in html or has_unsafe(html) or "\ufffe" in html or "\uffff" in html:
        return None
    if not html.startswith("<p>") and html[: html.index("<p>")].strip(_SPACE):
        return None  # text before the first paragraph
    parts = _TAG.split(html)  # text, tag, text, tag, ..., text
    paragraphs: list[str] = []
    links: dict[str, int] = {}
    inline: list[str] | None = None  # None between paragraphs
    open_: list[tuple[str, int, str, str]] = []  # closing tag, text start, mark or "", href
    for tag, text in zip(parts[1::2], parts[2::2], strict=True):
        if tag == "p" and inline is None:
            inline = []
        elif inline is None:
            return None
        elif tag == "/p" and not open_:
            paragraphs.append(literal_start(_paragraph("".join(inline))))
            inline = None
        elif tag in _MARKS:
            open_.append(("/" + tag, len(inline), _MARKS[tag], ""))
        elif open_ and tag == open_[-1][0]:
            _, start, mark, href = open_.pop()
            if mark:
                _mark(inline, start, mark)
            else:
                _link(inline, start, href.replace("&amp;", "&"), base_url, links)
        elif (link := _HREF.fullmatch(tag)) and all(mark for _, _, mark, _ in open_):
            open_.append(("/a", len(inline), "", link[1]))  # a link, not inside another
        else:
            return None
        if "<" in text or "&" in text:
            decoded = _text(text)
            if decoded is None:
                return None
            text = decoded
        if inline is not None:
            inline.append(escaped(text))
        elif text.strip(_SPACE):
            return None
    if inline is not None:
        return None
    text = "\n\n".join(paragraph for paragraph in paragraphs if paragraph)
    return clean_body(text), tuple(links)


def collapsed(text: str) -> str:
    """`text` with runs of whitespace as one space, trimmed."""
    if text.isprintable() and "  " not in text:  # spaced already: no list of words to build
        return text.strip(" ")
    return " ".join(text.split())


def _paragraph(text: str) -> str:
    """`collapsed`, sooner for ASCII text: the sanitizer let no control through but tabs and
    newlines, so without those and double spaces it is printable and spaced already."""
    if text.isascii() and "\n" not in text and "\t" not in text and "  " not in text:
        return text.strip(" ")
    return collapsed(text)


def _text(part: str) -> str | None:
    """Text between tags with its entities replaced; None if it holds a lone `<` or an
    entity not listed."""
    if "<" in part or "&" in _ENTITY.sub("", part):
        return None
    return _ENTITY.sub(lambda found: _ENTITIES[found[1]], part)


def _mark(inline: list[str], start: int, mark: str) -> None:
    """Emphasis as `readable` writes it: marks around one plain run of words."""
    text = "".join(inline[start:])
    core = text.strip()
    if not core or "*" in core or "`" in core:
        return
    lead = text[: len(text) - len(text.lstrip())]
    inline[start:] = [f"{lead}{mark}{core}{mark}{text[len(text.rstrip()) :]}"]


def _link(
    inline: list[str], start: int, href: str, base_url: str | None, links: dict[str, int]
) -> None:
    """A link as `readable` writes it: `text [N]` when the URL is shown and the text visible."""
    url = absolute_url(href, base_url)
    text = "".join(inline[start:])
    if url is None or not text.strip():
        return
    number = links.setdefault(url, len(links) + 1)
    body, label = text.rstrip(), f"[{number}]"
    if not body.endswith(label):
        body = f"{body} {label}"
    inline[start:] = [body + text[len(text.rstrip()) :]]
