"""An article body as styled text runs and images, ready for the reader to draw.

The body's blocks (`tui.content.blocks`) become `rich.text.Text` with styles, never markup:
headings without their `#`, bullets and numbers, quotes behind a bar, code verbatim, tables
with aligned columns. A block that is only an image marker becomes an `ImageSpot` between the
text runs when the reader may draw images (a local copy, or one it may fetch); otherwise it
stays an `[image: alt] [N]` line. `body_parts` is pure and slow on long articles: the reader
runs it in a worker.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Text

from tui.content.blocks import IMAGE_LINE, Block, blocks, cells, image_label, list_marker, spans
from tui.ui.body_table import Row
from tui.ui.body_wrap import CODE_MARGIN, Flow, Hang, Lines, wrap_flow
from tui.ui.format import clickable, drawable, highlight_terms
from tui.ui.images import pixel_size

_LINK_MARK = re.compile(r"\[(\d{1,4})\]")
_QUOTE_BAR = "▌ "
_HAND_WRAPPED = 60
"""A line at least this long followed by more of its paragraph was wrapped by hand."""
_MAX_COLUMN = 40
"""Table cells wider than this wrap inside the row instead of widening every row."""


@dataclass(frozen=True)
class BodyStyles:
    """Styles of the parts of an article body (resolved from the reader's component classes)."""

    heading: Style = Style(bold=True)
    quote: Style = Style(italic=True)
    code: Style = Style(dim=True)
    link: Style = Style(underline=True)
    match: Style = Style(reverse=True)
    rule: Style = Style(dim=True)


@dataclass(frozen=True)
class ImageSpot:
    """An image between text runs: link number `number` (1-based), with its alt text."""

    number: int
    alt: str
    url: str
    path: Path | None = None
    """Its local file; None while it is still to be fetched."""
    pixels: tuple[int, int] | None = None
    """(width, height) from the file's header, when known: the placeholder takes its rows."""


Part = Flow | ImageSpot


@dataclass(frozen=True)
class Run:
    """A text run with the lines it wraps into at the reader's width."""

    text: Text
    lines: Lines
    starts: list[int]
    """Where in `text` each line starts."""


def wrapped(parts: list[Part], console: Console, width: int) -> list[Run | ImageSpot]:
    """The text runs wrapped into lines of `width` cells (slow on long articles: a worker's
    job). Rich measures cells here as the terminal does once the app counts them so."""
    return [
        Run(part.text, *wrap_flow(part, console, max(1, width))) if isinstance(part, Flow) else part
        for part in parts
    ]


def body_parts(
    body: str,
    links: tuple[str, ...],
    styles: BodyStyles,
    terms: Iterable[str] = (),
    images: Mapping[str, Path] = {},  # noqa: B006 (never changed)
    fetchable: Callable[[str], bool] = lambda url: False,
) -> list[Part]:
    """The body as text runs and images: `images` holds the local files of the images that
    can be drawn, `fetchable(url)` says which others may be fetched to be drawn."""
    parts: list[Part] = []
    run = Flow()  # one run between images: it is wrapped ahead, so its size costs nothing
    for block in blocks(drawable(body)):
        spot = _image_spot(block, links, images, fetchable)
        if spot is not None:
            parts += [_finished(run, links, styles, terms), spot]
            run = Flow()
            continue
        if run.text:
            run.newline(1 if block.goes_on else 2)  # a blank line would part one list
        _BLOCKS.get(block.kind, _paragraph)(run, block, styles)
    parts.append(_finished(run, links, styles, terms))
    return [p for p in parts if not isinstance(p, Flow) or p.text.plain]


def _image_spot(
    block: Block,
    links: tuple[str, ...],
    images: Mapping[str, Path],
    fetchable: Callable[[str], bool],
) -> ImageSpot | None:
    """The image of an image block, if it links a URL that can be drawn."""
    match = IMAGE_LINE.fullmatch(block.texts[0]) if block.kind == "image" else None
    if match is None or match["number"] is None or not 1 <= int(match["number"]) <= len(links):
        return None
    number, url = int(match["number"]), links[int(match["number"]) - 1]
    if url not in images and not fetchable(url):
        return None
    stated = (int(match["width"]), int(match["height"])) if match["width"] else None
    return ImageSpot(number, match["alt"] or "", url, images.get(url), _sane(stated))


def _sane(pixels: tuple[int, int] | None) -> tuple[int, int] | None:
    return pixels if pixels and all(pixels) else None


def with_sizes(parts: list[Part]) -> list[Part]:
    """The images with a local file get their pixel size from its header (reads files); the
    others keep the size the page stated, if any."""
    return [
        replace(part, pixels=pixel_size(part.path) or part.pixels)
        if isinstance(part, ImageSpot) and part.path is not None
        else part
        for part in parts
    ]


def _image(run: Flow, block: Block, styles: BodyStyles) -> None:
    run.text.append(image_label(block.texts[0]))  # an image not drawn: its label alone


def _finished(run: Flow, links: tuple[str, ...], styles: BodyStyles, terms: Iterable[str]) -> Flow:
    """Link markers of real links styled (a click opens them), search terms highlighted."""
    for match in _LINK_MARK.finditer(run.text.plain):
        if 1 <= (number := int(match.group(1))) <= len(links):
            run.text.stylize(clickable(styles.link, number), match.start(), match.end())
    highlight_terms(run.text, terms, styles.match)
    return run


def _inline(run: Text, line: str, base: Style | None = None) -> None:
    """One line's emphasis and code as styles (the marks themselves are not shown)."""
    kinds = {"strong": Style(bold=True), "em": Style(italic=True), "code": Style(dim=True)}
    for text, kind in spans(line):
        style = kinds.get(kind)
        run.append(text, base + style if base and style else style or base)


def _lines(run: Flow, block: Block, prefix: Callable[[int, int], str], style: Style | None) -> None:
    """Each line after its prefix; a line too long goes on under its text, the prefix's
    marks (a quote's bars) repeated, its bullet or number not."""
    for index, (depth, line) in enumerate(block.lines):
        if index:
            run.newline()
        lead = prefix(index, depth)
        if lead:
            indent = lead if block.kind == "quote" else " " * len(lead)
            run.hang(Hang(len(lead), Text.assemble((indent, style or ""))))
        elif line.startswith(" "):  # written indented: its next rows under its text
            spaces = len(line) - len(line.lstrip(" "))
            run.hang(Hang(spaces, Text(" " * spaces)))
        run.text.append(lead, style)
        _inline(run.text, line, style)


def _paragraph(run: Flow, block: Block, styles: BodyStyles) -> None:
    _lines(run, _unwrapped(block), lambda index, depth: "", None)


def _unwrapped(block: Block) -> Block:
    """Lines of prose wrapped by hand (Markdown, plain text) joined again, so the reader wraps
    them at its own width; short lines (verse, addresses, `<br>` breaks) stay as they are."""
    lines: list[tuple[int, str]] = []
    for depth, line in block.lines:
        last = lines[-1][1] if lines else ""
        joined = len(last) >= _HAND_WRAPPED and not last.endswith("  ") and line.strip()
        if joined and lines[-1][0] == depth:  # an empty line (a quote's `>`) parts them
            lines[-1] = (depth, f"{last} {line.lstrip()}")
        else:
            lines.append((depth, line))
    return Block(block.kind, lines, block.start, block.numbers)


def _heading(run: Flow, block: Block, styles: BodyStyles) -> None:
    level, line = block.lines[0]
    text = Text(end="")
    _inline(text, line, styles.heading)
    if level == 1:
        text = Text(text.plain.upper(), styles.heading, end="")
    run.text.append_text(text)


def _items(run: Flow, block: Block, styles: BodyStyles) -> None:
    """List items after their marker, a nested item's under its parent's text (`10. ` is
    wider than `9. `: the columns `blocks` worked out, `show`'s and the exports' too), and a
    line going on an item under that item's text."""

    def lead(index: int, depth: int) -> str:
        return " " * block.columns[index] + list_marker(block, index, "•")

    _lines(run, block, lead, None)


def _quote(run: Flow, block: Block, styles: BodyStyles) -> None:
    _lines(run, _unwrapped(block), lambda index, depth: _QUOTE_BAR * max(1, depth), styles.quote)


def _code(run: Flow, block: Block, styles: BodyStyles) -> None:
    """Verbatim, tabs at every eighth column; a long line broken at the width, going on under
    its own indent."""
    for index, line in enumerate(block.texts):
        if index:
            run.newline()
        line = " " * CODE_MARGIN + line.expandtabs(8)
        indent = len(line) - len(line.lstrip(" "))
        run.hang(Hang(indent, Text(" " * indent), verbatim=True))
        run.text.append(line, styles.code)


def _rule(run: Flow, block: Block, styles: BodyStyles) -> None:
    run.text.append("─" * 24, styles.rule)


def _table(run: Flow, block: Block, styles: BodyStyles) -> None:
    """Rows of cells between bars; the reader lays them out in columns at its width."""
    rows = [[_plain(cell) for cell in cells(line)] for line in block.texts]
    columns = max(len(row) for row in rows)
    widths = [0] * columns
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = min(_MAX_COLUMN, max(widths[index], cell_len(cell)))
    for number, row in enumerate(rows):
        if number:
            run.newline()
        style = styles.heading if number == 0 else None
        spans, offset = [], 0
        for index, cell in enumerate(row):
            if index:
                run.text.append(_BAR, styles.rule)
                offset += len(_BAR)
            run.text.append(cell, style)
            spans.append((offset, offset + len(cell)))
            offset += len(cell)
        run.hang(Row(tuple(spans), tuple(widths), Text.assemble((_BAR, styles.rule)), number))


_BAR = " │ "


def _plain(cell: str) -> str:
    return "".join(text for text, _ in spans(cell))


_Render = Callable[[Flow, Block, BodyStyles], None]
_BLOCKS: dict[str, _Render] = {
    "h": _heading,
    "ul": _items,
    "ol": _items,
    "quote": _quote,
    "code": _code,
    "rule": _rule,
    "table": _table,
    "image": _image,
}
