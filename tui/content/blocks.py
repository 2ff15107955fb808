"""The store's body text read back as blocks: headings, paragraphs, lists, quotes, code, tables.

Bodies are Markdown-ish text: `html_to_text` writes `# ` headings, `• ` and `1. ` items,
`> ` quotes, code indented four spaces, ` | ` between table cells, `───` rules and `*`/`**`
around emphasis (a page's own `*` escaped, `\\*`: text); Markdown files keep their own `- `
items, fences and `| a | b |` tables.
`blocks` parses either (and bodies cached before structure was kept) in one pass, `spans`
(spans.py) splits a line into emphasis and code, and `plain` strips every mark for search.
Nothing here interprets the text as anything but text: the reader styles it with `rich.Text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tui.content.spans import literal, unmarked
from tui.content.spans import spans as spans

_FENCE = re.compile(r" {0,3}(```|~~~)")
_HEADING = re.compile(r" {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*")
_ITEM = re.compile(r"( *)(•|[-*+]|\d{1,9}[.)]) (.*)")
_QUOTE = re.compile(r" {0,3}((?:> ?)+)(.*)")
_RULE = re.compile(r" {0,3}(?:─{3,}|(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})")
_SETEXT = re.compile(r" {0,3}(={3,}|-{3,})[ \t]*")
"""The line under a setext heading (three at least: `--` under a line signs a letter)."""
_CELL_EDGE = re.compile(r"(?<!\\)\|")
_NUMBER = re.compile(r"(\d{1,9})[.)] ")
_TABLE_RULE = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
IMAGE_LINE = re.compile(
    r"\[image(?: (?P<width>\d{1,5})x(?P<height>\d{1,5}))?(?:: (?P<alt>[^\]\n]*))?\]"
    r"(?: \[(?P<number>\d{1,4})\])?"
)
"""A line that is only an image marker: `[image: alt] [N]`, or `[image 640x480: alt] [N]`
with the size in pixels the page gave it."""


@dataclass
class Block:
    """A run of lines of one kind: h, p, quote, code, ul, ol, table, rule or image."""

    kind: str
    lines: list[tuple[int, str]] = field(default_factory=list)
    """(heading level, list depth or quote depth; text) per line; table rows keep their `|`."""
    start: int = 1
    """The number of an ordered list's first item."""
    numbers: list[int] = field(default_factory=list)
    """The number of each item of an ordered list: each depth counts on its own, from the
    number its first item is written with (as CommonMark does: `1. 1. 1.` counts 1, 2, 3)."""
    columns: list[int] = field(default_factory=list)
    """A list's items: the column each one's marker starts at, under its parent item's text
    (3 columns in under `9. `, 4 under `10. `, 2 under a bullet), as CommonMark nests them;
    a line going on an item: the column of that item's text."""
    going_on: list[bool] = field(default_factory=list)
    """A list's lines: True for one going on the item above it (its next paragraph, or its
    line after a `<br>`), drawn under that item's text without a marker of its own."""
    rows: list[int] = field(default_factory=list)
    """The line of the text each of `lines` was read from."""
    goes_on: bool = False
    """A list that goes on the list block just before it, without a blank line: one nested
    in that one's items (numbers under a bullet are a block of their own), or the outer list
    coming back after it."""

    @property
    def texts(self) -> list[str]:
        """The text of each line."""
        return [text for _, text in self.lines]


def blocks(text: str) -> list[Block]:
    """The text's blocks, in order; blank lines end a block. A list's items know their
    columns, and a list whether it goes on the one before it: the reader, `show` and the
    exports nest lists alike."""
    found: list[Block] = []
    fence: str | None = None
    item: int | None = None  # the depth of the last list item, while lines may go on it
    for row, line in enumerate(text.split("\n")):
        marker = _FENCE.match(line)
        if marker and (fence is None or marker.group(1) == fence):
            fence = None if fence else marker.group(1)
            found.append(Block(""))
            item = None
            continue
        if fence is not None:
            _add(found, row, "code", 0, line)
            continue
        line = _tabs_expanded(line)
        if not line.strip():
            found.append(Block(""))
        elif found and found[-1].kind == "p" and (underline := _SETEXT.fullmatch(line)):
            title = " ".join(text.strip() for text in found.pop().texts)  # `Title` + `===`
            found.append(Block("h", [(1 if underline[1][0] == "=" else 2, title)]))
        else:
            kind, depth, text = classify(line)
            under = _item_going_on(line, kind, item, loose=bool(found) and not found[-1].kind)
            if under is not None:
                _add(found, row, _list_kind(found), under, line.strip(), going_on=True)
                continue
            _add(found, row, kind, depth, text)
            item = depth if kind in _LISTS else None
    return _nested([_settled(b) for b in found])


def _tabs_expanded(line: str) -> str:
    """`line` with the tabs of its indent as the spaces to the next tab stop of 4, as
    CommonMark reads them (`\t- child` is an item nested under `- parent`)."""
    indent = len(line) - len(line.lstrip(" \t"))
    return line[:indent].expandtabs(4) + line[indent:] if "\t" in line[:indent] else line


def _item_going_on(line: str, kind: str, item: int | None, loose: bool) -> int | None:
    """The depth of the item an indented line goes on, or None. The renderer writes an
    item's next lines two spaces in per level, its next paragraph after a blank line only
    at the first level (Markdown: under the item's text); four spaces more are code, and
    four after a blank line are the code after the list."""
    if item is None or kind not in ("p", "code") or not line.startswith(" "):
        return None
    indent = len(line) - len(line.lstrip(" "))
    depth = max(0, min(indent // 2 - 1, item))
    if indent - 2 * (depth + 1) >= 4 or (loose and indent >= 4):
        return None
    return depth


def _list_kind(found: list[Block]) -> str:
    """The kind of the last list block: a line going on its item is one of its lines."""
    return next(block.kind for block in reversed(found) if block.kind in _LISTS)


def _add(
    found: list[Block], row: int, kind: str, depth: int, text: str, going_on: bool = False
) -> None:
    """Append a line to the last block if it is of the same kind, else start a block."""
    last = found[-1] if found else None
    if last is None or last.kind != kind or kind in ("h", "rule", "image"):
        last = Block(kind)
        found.append(last)
    last.lines.append((depth, text))
    last.rows.append(row)
    last.going_on.append(going_on)


def _settled(block: Block) -> Block:
    """A one-line "table" is a paragraph that happens to hold a `|`; list numbers leave the
    text of ordered items for `start`."""
    if block.kind == "ol":
        _number(block)
    if block.kind == "table":
        rows = [(d, t) for d, t in block.lines if not _TABLE_RULE.fullmatch(t)]
        if len(rows) < 2:
            return Block("p", block.lines)
        return Block("table", rows)
    return block


def _number(block: Block) -> None:
    """An ordered list: each item's text without its number, and the number it shows (a
    line going on an item has none of its own)."""
    counters: dict[int, int] = {}  # depth -> the number of its last item
    for index, (depth, text) in enumerate(block.lines):
        for deeper in [d for d in counters if d > depth]:
            del counters[deeper]  # a sublist ended: the next one at that depth starts again
        if block.going_on[index]:
            block.numbers.append(counters.get(depth, 0))
            continue
        written = _NUMBER.match(text)
        if depth in counters:
            counters[depth] += 1
        else:
            counters[depth] = int(written[1]) if written else 1
        block.lines[index] = (depth, text[written.end() :] if written else text)
        block.numbers.append(counters[depth])
    items = [n for n, on in zip(block.numbers, block.going_on, strict=True) if not on]
    block.start = items[0] if items else 1


_LISTS = ("ul", "ol")


def _nested(found: list[Block]) -> list[Block]:
    """The blocks with their lists' columns and which list goes on the one before it; the
    empty blocks, the blank lines, dropped. Where an item's text starts is kept over blank
    lines (a loose list), and forgotten at a block that is no list."""
    items: dict[int, tuple[str, int]] = {}  # depth -> kind of its last item, its text's column
    last = Block("")
    for block in found:
        if block.kind in _LISTS:
            depth = block.lines[0][0]
            back = depth in items and items[depth][0] == block.kind  # the outer list again
            block.goes_on = last.kind in _LISTS and (depth > 0 or back)
            _columns(block, items)
        elif block.kind:
            items.clear()
        last = block
    return [block for block in found if block.kind]


def _columns(block: Block, items: dict[int, tuple[str, int]]) -> None:
    """Each item's column: under its parent's text; two columns a level without a parent. A
    line going on an item: under that item's text, and the items deeper than it are done."""
    for index, (depth, _) in enumerate(block.lines):
        if block.going_on[index]:
            for deeper in [known for known in items if known > depth]:
                del items[deeper]
            block.columns.append(items[depth][1] if depth in items else 2 * depth + 2)
            continue
        parent = items.get(depth - 1)
        column = parent[1] if parent else 2 * depth
        for deeper in [known for known in items if known >= depth]:
            del items[deeper]
        marker = len(f"{block.numbers[index]}. ") if block.kind == "ol" else len("- ")  # or `• `
        items[depth] = (block.kind, column + marker)
        block.columns.append(column)


def relaid(text: str) -> str:
    """The text with its lists where the reader draws them, for a reader of the text itself
    (`show`): each item at its column under its parent's text, numbered as the reader counts,
    and a line going on an item under that item's text; the text's escapes dropped (`2*3`
    as written), code as it is."""
    lines = text.split("\n")
    code: set[int] = set()
    for block in blocks(text):
        if block.kind in _LISTS:
            for index, row in enumerate(block.rows):
                marker = list_marker(block, index, lines[row].lstrip()[:1])
                lines[row] = " " * block.columns[index] + marker + block.texts[index]
        elif block.kind == "code":
            code.update(block.rows)
    return "\n".join(line if row in code else literal(line) for row, line in enumerate(lines))


def list_marker(block: Block, index: int, bullet: str) -> str:
    """The marker a list's line is drawn with: its number, `bullet`, or none where the line
    goes on its item."""
    if block.going_on[index]:
        return ""
    return f"{block.numbers[index]}. " if block.kind == "ol" else f"{bullet} "


def classify(line: str) -> tuple[str, int, str]:
    """(kind, level or depth, text) of one non-blank line outside fences."""
    if _RULE.fullmatch(line):
        return "rule", 0, ""
    item = _ITEM.fullmatch(line)
    if item:
        if item[2] in "•-*+":
            return "ul", len(item[1]) // 2, item[3]
        return "ol", len(item[1]) // 2, f"{item[2]} {item[3]}"
    if line.startswith(("    ", "\t")):
        return "code", 0, line[4:] if line.startswith("    ") else line[1:]
    heading = _HEADING.fullmatch(line)
    if heading:
        return "h", len(heading[1]), heading[2]
    quote = _QUOTE.fullmatch(line)
    if quote:
        return "quote", quote[1].count(">"), quote[2]
    if IMAGE_LINE.fullmatch(line.strip()):
        return "image", 0, line.strip()
    if " | " in line or (line.startswith("|") and line.rstrip().endswith("|")):
        return "table", 0, line
    return "p", 0, line


def cells(row: str) -> list[str]:
    """The cells of a table row (`a | b` or `| a | b |`); `\\|` is a `|` inside a cell."""
    row = row.strip()
    if row.startswith("|") and row.endswith("|") and len(row) > 1 and row[-2:] != "\\|":
        row = row[1:-1]
    return [cell.strip().replace("\\|", "|") for cell in _CELL_EDGE.split(row)]


def image_marker(alt: str | None, size: tuple[int, int] | None = None) -> str:
    """An image's marker in the text, before its link number: `[image: alt]`, `[image]`, or
    `[image 640x480: alt]` with the size in pixels the page states."""
    stated = f" {size[0]}x{size[1]}" if size else ""
    return f"[image{stated}: {alt}]" if alt else f"[image{stated}]"


def image_label(line: str) -> str:
    """An image marker as shown where the image is not drawn: `[image: alt] [N]`, without
    the size kept for drawing it."""
    match = IMAGE_LINE.fullmatch(line.strip())
    if match is None:
        return line
    return image_marker(match["alt"]) + (f" [{match['number']}]" if match["number"] else "")


def plain(text: str) -> str:
    """The whole body as plain text: block marks and emphasis removed, one line per line."""
    lines: list[str] = []
    for block in blocks(text):
        if block.kind == "table":
            lines.extend(" · ".join(unmarked(c) for c in cells(t)) for t in block.texts)
        elif block.kind == "code":
            lines.extend(block.texts)
        elif block.kind == "image":
            lines.extend(image_label(t) for t in block.texts)
        elif block.kind != "rule":
            lines.extend(unmarked(t) for t in block.texts)
    return "\n".join(lines)
