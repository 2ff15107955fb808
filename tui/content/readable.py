"""HTML -> Markdown-ish terminal text with numbered links.

Feed bodies (usually fragments) and local `.html` files go through one lenient lxml parse and
one tree walk. Blocks become lines: paragraphs separated by a blank line, `# ` headings, `• `
and `1. ` list items (two spaces per nesting level), `> ` quotes, code indented four spaces,
table rows with ` | ` between cells; emphasis is `*em*`, `**strong**` and `` `code` `` (the
format `tui.content.blocks` reads back). The page's own text has its `*`, `_`, `` ` `` and `\\`
escaped, and a line's start that would read as a block's mark (`tui.content.spans`), so
`2*3*4`, `__init__` and `1986. A great year.` stay text. Links and images become `text [N]`
and `[image: alt] [N]`; the URLs are collected in `Readable.links`, never written into the
text. Scripts, styles, forms, hidden elements and tracking pixels are dropped with their
content, and the result passes `tui.text.clean_body`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from tui.content.blocks import image_marker
from tui.content.footnotes import mark_footnotes
from tui.content.parse import Element, parse_html, pre_lines
from tui.content.simple import collapsed, simple_text
from tui.content.spans import escaped, literal_start
from tui.content.urls import absolute_url, image_size, image_src, is_tracking_pixel
from tui.text import clean_body, clean_line


@dataclass(frozen=True)
class Readable:
    """Terminal text converted from HTML, with the URLs its `[N]` markers refer to."""

    text: str
    """Plain text, sanitized with `tui.text.clean_body`."""
    links: tuple[str, ...]
    """Link i (1-based) in the text is ``links[i - 1]``."""


# Void elements that libxml2 2.14 parses as containers (embed, source, track, wbr, keygen)
# must not be listed: what it puts "inside" them is the content that follows.
_DROP = frozenset(
    """script style noscript iframe frame frameset object applet template svg math canvas
    audio video form input button select option textarea datalist head title meta link base
    nav dialog""".split()
)
_BLOCKS = frozenset(
    """p div section article main header footer aside address figure figcaption details
    summary center fieldset legend caption dl hgroup""".split()
)
_FLAT_IN_CELLS = _BLOCKS | frozenset(
    "h1 h2 h3 h4 h5 h6 ul ol menu li dt dd blockquote pre hr table tr td th".split()
)  # inside a data-table cell these are just space-separated text
_LAYOUT_HINTS = ("table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "pre")
_BR = "\x00"  # line-break marker in the inline buffer: NUL never survives parsing
_CLOSING = re.compile(r"[.,;:!?)\]}»”’…]")
_MAX_DEPTH = 180  # deeper content is flattened to text (libxml2 stops nesting at 255 anyway)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def html_to_text(html: str, base_url: str | None = None) -> Readable:
    """Convert an HTML fragment or document to terminal text; never raises."""
    simple = simple_text(html, base_url)  # most feed bodies: no tree needed
    if simple is not None:
        return Readable(*simple)
    root = parse_html(html)
    if root is None:
        return Readable("", ())
    return render_element(root, base_url)[0]


def render_element(root: Element, base_url: str | None = None) -> tuple[Readable, tuple[str, ...]]:
    """Render a parsed tree; also returns the numbered image URLs, in order."""
    mark_footnotes(root)
    renderer = _Renderer(base_url)
    renderer.node(root, 0)
    return renderer.result()


def _is_hidden(el: Element) -> bool:
    """True for elements marked hidden (attribute, aria-hidden or an inline style)."""
    keys = el.keys()
    if not keys:
        return False
    if "hidden" in keys or el.get("aria-hidden", "").strip().lower() == "true":
        return True
    return "style" in keys and _HIDDEN_STYLE.search(el.get("style")) is not None


def _is_layout(table: Element) -> bool:
    """True for tables used for page layout (one cell, or block content inside cells)."""
    if len(list(islice(table.iter("td", "th"), 2))) < 2:
        return True
    return next(table.iterdescendants(*_LAYOUT_HINTS), None) is not None


class _Renderer:
    """Walks a tree once and writes lines; holds the state that blocks, lists and links need."""

    def __init__(self, base_url: str | None) -> None:
        self.base_url = base_url
        self.lines: list[str] = []
        self.inline: list[str] = []
        self.flushes = 0
        self.prefixes: list[str] = []
        self.marker: tuple[int, str] | None = None
        self.blank = False
        self.blank_depth = 0
        self.blank_in_item = False
        self.list_depth = 0
        self.counters: list[int | None] = []
        self.tables: list[bool] = []
        self.cells: list[int] = []
        self.cell_depth = 0
        self.verbatim = 0  # inside `<code>`: its text is not escaped
        self.links: dict[str, int] = {}
        self.images: list[str] = []

    def result(self) -> tuple[Readable, tuple[str, ...]]:
        """The finished text and links, plus the image URLs."""
        self.flush()
        text = clean_body("\n".join(self.lines))
        return Readable(text, tuple(self.links)), tuple(self.images)

    # -- output ---------------------------------------------------------------------------

    def flush(self, mark: str = "") -> None:
        """Turn the inline buffer into lines: whitespace collapsed, `<br>` breaks kept, a
        line's start that would read as a block's mark escaped; `mark` (a heading's `# `)
        before the first line."""
        if not self.inline:
            return
        raw = "".join(self.inline)
        self.inline.clear()
        self.flushes += 1
        if _BR not in raw:  # the usual paragraph: one line
            if text := collapsed(raw):
                self.emit(mark + literal_start(text))
            return
        gap = emitted = False
        for segment in raw.split(_BR):
            text = collapsed(segment)
            if not text:
                gap = emitted
                continue
            if gap:
                self.request_blank()
            self.emit(("" if emitted else mark) + literal_start(text))
            emitted, gap = True, False

    def emit(self, text: str) -> None:
        """Write one line with the current prefixes (and a pending list marker)."""
        item_starts = self.blank_in_item and self.marker is not None  # items stay together
        if self.blank and self.lines and not item_starts:
            self.lines.append("".join(self.prefixes[: self.blank_depth]).rstrip())
        self.blank = False
        prefixes = self.prefixes
        if self.marker is not None:
            index, marker = self.marker
            prefixes = [*prefixes]
            prefixes[index] = marker
            self.marker = None
        self.lines.append("".join(prefixes) + text)

    def request_blank(self) -> None:
        """Ask for a blank line before the next line. Lists stay tight: the one blank line in
        them parts an item's paragraphs at the first level (deeper, the four spaces of the
        next paragraph would read as code after a blank line)."""
        in_item = self.list_depth == 1 and self.marker is None  # its text written
        if (self.list_depth == 0 or in_item) and not self.blank:
            self.blank, self.blank_depth = True, len(self.prefixes)
            self.blank_in_item = in_item

    def paragraph_break(self, blank: bool) -> None:
        """End the current line; with `blank`, the next one starts a new paragraph."""
        self.flush()
        if blank:
            self.request_blank()

    # -- walking --------------------------------------------------------------------------

    def node(self, el: Element, depth: int) -> None:
        """Render one element (its tail is the parent's business)."""
        tag = el.tag
        if not isinstance(tag, str) or tag in _DROP or _is_hidden(el):
            return
        if depth > _MAX_DEPTH:
            self.inline.append(self.text(" ".join(el.itertext())))
            return
        handler = _HANDLERS.get(tag)
        if handler is None:
            self.children(el, depth)
        elif self.cell_depth and tag in _FLAT_IN_CELLS:
            self.spaced(el, depth)
        else:
            handler(self, el, depth)

    def children(self, el: Element, depth: int) -> None:
        """Render an element's text and children in order."""
        # lxml builds a new str at each read of .text or .tail: read each once
        if text := el.text:
            self.inline.append(self.text(text))
        for child in el:
            self.node(child, depth + 1)
            if tail := child.tail:
                self.inline.append(self.text(tail))

    def text(self, text: str) -> str:
        """A text node as the body holds it: escaped, but in code (verbatim)."""
        return text if self.verbatim else escaped(text)

    def spaced(self, el: Element, depth: int) -> None:
        """A block inside a data-table cell: just space-separated text."""
        self.inline.append(" ")
        self.children(el, depth)
        self.inline.append(" ")

    def block(self, el: Element, depth: int) -> None:
        """A paragraph-like block."""
        self.paragraph_break(True)
        self.children(el, depth)
        self.paragraph_break(True)

    def heading(self, el: Element, depth: int) -> None:
        """`<h1>`..`<h6>` as a paragraph starting with one `#` per level."""
        self.paragraph_break(True)
        self.children(el, depth)
        self.flush("#" * int(el.tag[1]) + " " if _visible("".join(self.inline)) else "")
        self.request_blank()

    def listing(self, el: Element, depth: int) -> None:
        """`<ul>`/`<ol>`: items one per line; an `<ol>` counts from its `start`."""
        self.paragraph_break(True)
        self.list_depth += 1
        self.counters.append(_start(el) if el.tag == "ol" else None)
        self.children(el, depth)
        self.counters.pop()
        self.list_depth -= 1
        self.paragraph_break(True)

    def item(self, el: Element, depth: int) -> None:
        """`<li>`: a marker on its first line, continuation and sublists indented 2 spaces."""
        self.paragraph_break(False)
        self.prefixes.append("  ")
        self.marker = (len(self.prefixes) - 1, self.next_marker())
        self.children(el, depth)
        self.paragraph_break(False)
        self.prefixes.pop()
        self.marker = None

    def next_marker(self) -> str:
        """`• ` for unordered items, `N. ` (counting up) for ordered ones."""
        count = self.counters[-1] if self.counters else None
        if count is None:
            return "• "
        self.counters[-1] = count + 1
        return f"{count}. "

    def definition(self, el: Element, depth: int) -> None:
        """`<dt>` on its own line, `<dd>` indented below it."""
        self.paragraph_break(False)
        self.prefixes.append("  " if el.tag == "dd" else "")
        self.children(el, depth)
        self.paragraph_break(False)
        self.prefixes.pop()

    def quote(self, el: Element, depth: int) -> None:
        """`<blockquote>`: every line prefixed `> `."""
        self.paragraph_break(True)
        self.prefixes.append("> ")
        self.children(el, depth)
        self.paragraph_break(True)
        self.prefixes.pop()

    def preformatted(self, el: Element, depth: int) -> None:
        """`<pre>`: verbatim lines indented four spaces."""
        self.paragraph_break(True)
        for line in pre_lines(el):
            self.emit("    " + line)
        self.paragraph_break(True)

    def code(self, el: Element, depth: int) -> None:
        """`<code>`: inline in backquotes, unless it holds several lines (then like `<pre>`)."""
        if not self.cell_depth and "\n" in "".join(el.itertext()).strip():
            return self.preformatted(el, depth)
        start, flushes = len(self.inline), self.flushes
        self.verbatim += 1
        spanned = self.marked(el, depth, "`")
        self.verbatim -= 1
        if not spanned and flushes == self.flushes:  # no code span could hold it: text
            self.inline[start:] = [escaped("".join(self.inline[start:]))]

    def strong(self, el: Element, depth: int) -> None:
        """`<b>`/`<strong>` as `**text**`."""
        self.marked(el, depth, "**")

    def emphasis(self, el: Element, depth: int) -> None:
        """`<i>`/`<em>` as `*text*`."""
        self.marked(el, depth, "*")

    def marked(self, el: Element, depth: int, mark: str) -> bool:
        """Wrap the element's inline text in `mark` when it is one plain run of words; True
        when it did."""
        start, flushes = len(self.inline), self.flushes
        self.children(el, depth)
        text = "".join(self.inline[start:])
        core = text.strip()
        if flushes != self.flushes or not core or _BR in text or "*" in core or "`" in core:
            return False
        lead = text[: len(text) - len(text.lstrip())]
        self.inline[start:] = [f"{lead}{mark}{core}{mark}{text[len(text.rstrip()) :]}"]
        return True

    def line_break(self, el: Element, depth: int) -> None:
        """`<br>`."""
        self.inline.append(" " if self.cell_depth else _BR)

    def rule(self, el: Element, depth: int) -> None:
        """`<hr>` as a short line of its own."""
        self.paragraph_break(True)
        self.emit("───")
        self.paragraph_break(True)

    def table(self, el: Element, depth: int) -> None:
        """A data table renders row by row; a layout table as plain blocks."""
        self.tables.append(_is_layout(el))
        self.block(el, depth)
        self.tables.pop()

    def row(self, el: Element, depth: int) -> None:
        """`<tr>` of a data table: one line."""
        if not self.tables or self.tables[-1]:
            return self.block(el, depth)
        self.paragraph_break(False)
        self.cells.append(0)
        self.children(el, depth)
        self.cells.pop()
        self.paragraph_break(False)

    def cell(self, el: Element, depth: int) -> None:
        """`<td>`/`<th>` of a data table: ` | ` between cells, `\\|` for a `|` in one; a cell
        spanning columns is followed by empty ones."""
        if not self.cells:
            return self.block(el, depth)
        if self.cells[-1]:
            self.inline.append(" | ")
        self.cells[-1] += 1
        self.cell_depth += 1
        start, flushes = len(self.inline), self.flushes
        self.children(el, depth)
        self.cell_depth -= 1
        if flushes == self.flushes:
            self.inline[start:] = ["".join(self.inline[start:]).replace("|", "\\|")]
        spanned = _span(el) - 1  # the columns it covers stay empty, the next cell under its own
        self.cells[-1] += spanned
        self.inline.append(" | " * spanned)

    # -- links and images -----------------------------------------------------------------

    def anchor(self, el: Element, depth: int) -> None:
        """`<a href>`: its text followed by `[N]` when the URL is one we show."""
        start, flushes = len(self.inline), self.flushes
        self.children(el, depth)
        url = absolute_url(el.get("href"), self.base_url)
        if url is not None:
            self.attach(0 if flushes != self.flushes else start, url)

    def attach(self, start: int, url: str) -> None:
        """Put `[N]` after the inline text from `start`, if that text is visible."""
        text = "".join(self.inline[start:])
        if not _visible(text):
            return
        body = text.rstrip()
        label = f"[{self.number(url)}]"
        if not body.endswith(label):
            body = f"{body} {label}"
        self.inline[start:] = [body + text[len(text.rstrip()) :]]

    def image(self, el: Element, depth: int) -> None:
        """`<img>` as `[image: alt] [N]`, or `[image 640x480: alt] [N]` with the size the page
        states (the reader keeps the picture's rows from it); tracking pixels vanish."""
        src = image_src(el)
        if is_tracking_pixel(el, src):
            return
        alt, size = clean_line(el.get("alt")), image_size(el)
        label = image_marker(alt, size)
        url = absolute_url(src, self.base_url)
        if url is not None:
            label = f"{label} [{self.number(url)}]"
            if url not in self.images:
                self.images.append(url)
        # A space parts it from the next word, not from the punctuation closing the sentence.
        self.inline.append(f" {label}" if _CLOSING.match(el.tail or "") else f" {label} ")

    def number(self, url: str) -> int:
        """The link number of `url`: the same URL keeps its first number."""
        number = self.links.get(url)
        if number is None:
            number = self.links[url] = len(self.links) + 1
        return number


def _visible(text: str) -> bool:
    """True when inline text has something besides whitespace and line breaks."""
    return bool(text.replace(_BR, " ").strip())


def _span(el: Element) -> int:
    """How many columns a cell covers (its `colspan`, 1 to 100)."""
    try:
        return max(1, min(int(el.get("colspan", "1")), 100))
    except ValueError:
        return 1


def _start(el: Element) -> int:
    """The first number of an `<ol>` (its `start` attribute, default 1)."""
    try:
        return max(0, min(int(el.get("start", "1")), 10**6))
    except ValueError:
        return 1


_Handler = Callable[[_Renderer, Element, int], None]
_HANDLERS: dict[str, _Handler] = {
    **dict.fromkeys(_BLOCKS, _Renderer.block),
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), _Renderer.heading),
    **dict.fromkeys(("ul", "ol", "menu"), _Renderer.listing),
    "li": _Renderer.item,
    "dt": _Renderer.definition,
    "dd": _Renderer.definition,
    "blockquote": _Renderer.quote,
    "pre": _Renderer.preformatted,
    "code": _Renderer.code,
    **dict.fromkeys(("b", "strong"), _Renderer.strong),
    **dict.fromkeys(("i", "em"), _Renderer.emphasis),
    "br": _Renderer.line_break,
    "hr": _Renderer.rule,
    "table": _Renderer.table,
    "tr": _Renderer.row,
    "td": _Renderer.cell,
    "th": _Renderer.cell,
    "a": _Renderer.anchor,
    "img": _Renderer.image,
}
