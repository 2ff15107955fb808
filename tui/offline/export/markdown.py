"""The Markdown export: one `.md` file per article (front matter, text, links) and its images."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from tui.content.blocks import cells, list_marker
from tui.content.spans import PUNCTUATION, escaped
from tui.files import LinkedFolder, batch, folder_within, replacing, write_atomic
from tui.local_time import day_only, day_text, iso_text
from tui.offline.export.document import (
    ATTACHMENTS,
    LOCAL_FILES,
    MARKER,
    Block,
    ExportError,
    ImageSource,
    Item,
    attachments,
    blocks,
    byline,
    heading_level,
    is_safe,
    language,
    local_links,
    text_of,
)
from tui.offline.export.names import article_names, picture_names
from tui.weburl import readable_host


def write_markdown(
    items: Sequence[Item], output: Path, wrote: Callable[[int], None] = lambda done: None
) -> list[Path]:
    """One `.md` file per article (front matter, title, text, link list) and its images;
    `wrote` is told how many are written, after each."""
    if output.exists() and not output.is_dir():
        raise ExportError(f"{output} is a file; Markdown export writes a folder")
    output.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    names = article_names([item.row for item in items], output)
    with batch() as folders:  # each folder synced once, at the end
        for item, name in zip(items, names, strict=True):
            path = output / f"{name}.md"
            text = _markdown(item, _copy_images(item, output, folders))
            write_atomic(path, text.encode("utf-8"), folders=folders)
            written.append(path)
            wrote(len(written))
    return written


def _copy_images(item: Item, output: Path, folders: set[Path]) -> ImageSource:
    """Copy the article's saved images beside the Markdown, under names safe on any disk;
    returns their relative paths."""
    folder = Path("images") / str(item.row.id)
    names = picture_names(item.images)
    for url, path in item.images.items():
        try:
            into = folder_within(output, *folder.parts)
        except LinkedFolder as exc:  # someone else's link in the export folder
            raise ExportError(str(exc)) from None
        with path.open("rb") as image, replacing(into / names[url], folders=folders) as copy:
            shutil.copyfileobj(image, copy)

    def source(url: str) -> str | None:
        return (folder / names[url]).as_posix() if url in names else None

    return source


def _markdown(item: Item, image_src: ImageSource) -> str:
    row, detail = item.row, item.detail
    parts = ["---", *_front_matter(item), "---", "", f"# {_md_text(escaped(row.title))}", ""]
    line = " · ".join(byline(row))
    parts += [f"*{_md_text(escaped(line))}*", ""] if line else []  # a title's `*`: text
    parts += [f"Original: <{readable_host(row.url)}>", ""] if row.url else []
    for block in blocks(text_of(item)):
        written = _md_block(block, detail.links, image_src) + "\n"
        if block.goes_on:  # no blank line: it would make the whole list a loose one
            parts[-1] += written
        else:
            parts.append(written)
    if detail.links:
        parts += [
            f"[{n}]: <{readable_host(u)}>" for n, u in enumerate(detail.links, 1) if is_safe(u)
        ]
    if local := local_links(item, image_src):
        parts += ["", LOCAL_FILES, "", *(f"- \\[{n}\\] {_code(path)}" for n, path in local)]
    if listed := attachments(item):
        links = (f"- <{readable_host(url)}> {_md_text(escaped(line))}" for url, line in listed)
        parts += ["", ATTACHMENTS, "", *links]
    return "\n".join(parts).rstrip("\n") + "\n"


def _code(text: str) -> str:
    """`text` as a Markdown code span: shown as it is, whatever characters it holds."""
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text[:1] == "`" or text[-1:] == "`" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _front_matter(item: Item) -> list[str]:
    row = item.row
    lang, direction = language(item)
    fields: dict[str, object] = {
        "title": row.title,
        "author": row.author,
        "date": _front_matter_date(row.published) if row.published and row.dated else None,
        "source": row.source,
        "url": row.url,
        "full_text": item.detail.full_text,
        "lang": lang,
        "dir": direction,
        "id": row.id,  # a later export into the folder gives the article this file again
    }
    return [f"{key}: {_yaml(value)}" for key, value in fields.items() if value is not None]


def _front_matter_date(moment: datetime) -> str:
    """The article's date as front matter states it: the day alone when it states no time
    (read back as that day), else ISO 8601 in UTC."""
    return day_text(moment) if day_only(moment) else iso_text(moment)


def _yaml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    # A JSON string is a valid YAML double-quoted scalar.
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _md_block(block: Block, links: Sequence[str], image_src: ImageSource) -> str:
    if block.kind == "code":
        return "\n".join("    " + t for t in block.texts)
    # In a paragraph with code, page text's link syntax stays text: a link's title or
    # target reaching into a code span would leave the span's text outside it, as HTML.
    inert = any(code for text in block.texts for _, code in _code_spans(text))

    def inline(text: str) -> str:
        return _md_inline(text, links, image_src, inert)

    if block.kind == "h":
        level, text = block.lines[0]
        return "#" * heading_level(level) + " " + inline(text)
    if block.kind == "rule":
        return "---"
    if block.kind == "table":
        rows = [[inline(c).replace("|", "\\|") for c in cells(t)] for t in block.texts]
        lines = ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join([lines[0], "|" + "---|" * len(rows[0]), *lines[1:]])
    if block.kind in ("ul", "ol"):
        return _md_list(block, inline)
    lines = [("> " if block.kind == "quote" else "") + inline(t) for t in block.texts]
    if block.kind != "p":
        return "\n".join(lines)
    written = lines[0]
    for line in lines[1:]:  # each footnote a paragraph: a line break would run it on the last
        written += ("\n\n" if _FOOTNOTE.match(line) else "  \n") + line
    return written


_FOOTNOTE = re.compile(r"[ \t]{0,3}\\?\[\^[^\]\n]+\]:")
"""A footnote's line, `[^1]: note` (or escaped, `\\[^1]: javascript:…`)."""


def _md_list(block: Block, inline: Callable[[str], str]) -> str:
    """A list's items under their parent's text; a line going on an item under that item's
    text, after a line break (without one, Markdown runs it on as the item's words)."""
    lines: list[str] = []
    for index, column in enumerate(block.columns):
        if block.going_on[index] and lines:
            lines[-1] += "  "
        marker = list_marker(block, index, "-")
        lines.append(" " * column + marker + inline(block.texts[index]))
    return "\n".join(lines)


def _md_inline(text: str, links: Sequence[str], image_src: ImageSource, inert: bool) -> str:
    """A line of Markdown: its code spans as they are (code is verbatim), the rest as text
    (`_md_text`) where `[N]` stays (defined at the end) and saved images become `![alt](…)`."""

    def image(match: re.Match[str]) -> str:
        number = int(match[3] or match[4])
        url = links[number - 1] if 0 < number <= len(links) else None
        src = image_src(url) if url and match[1] is not None else None
        if src is None:
            return match[0]
        shown = f"![{match[2] or ''}]({src})"  # its marker only where the address is listed
        return f"{shown} [{number}]" if is_safe(url) else shown

    pieces = _code_spans(text)
    return "".join(
        piece if code else MARKER.sub(image, _md_text(piece, inert, line_start=index == 0))
        for index, (piece, code) in enumerate(pieces)
    )


_TOKEN = re.compile(rf"\\[{PUNCTUATION}]|(?P<marker>{MARKER.pattern})|(?P<run>`+)")


def _code_spans(line: str) -> list[tuple[str, bool]]:
    """The line in pieces, (text, True) for a code span: a run of backticks up to the next run
    as long, as CommonMark pairs them (`_md_text` escapes every other backtick, so a viewer
    pairs these alone), not an escaped one, not inside a link marker (an image's alt is
    text)."""
    pieces: list[tuple[str, bool]] = []
    at = text_from = 0
    while token := _TOKEN.search(line, at):
        at = token.end()
        run = token["run"]
        close = re.compile(f"(?<!`){run}(?!`)").search(line, at) if run else None
        if close is not None:  # else a marker, or a run nothing closes: text
            pieces += [
                (line[text_from : token.start()], False),
                (line[token.start() : close.end()], True),
            ]
            at = text_from = close.end()
    pieces.append((line[text_from:], False))
    return [(piece, code) for piece, code in pieces if piece]


def _md_text(text: str, inert: bool = False, line_start: bool = True) -> str:
    """Page text that must stay text in a Markdown viewer: the body's escapes (`\\*`) kept,
    as Markdown's own; `` ` ``, `<` and any other `\\` escaped (no raw HTML, no code, and a
    backslash never escapes the next character), and so is link syntax,
    `[x](javascript:…)` or `[x]: data:…` (at the `line_start`), unless it leads to http(s)
    or mailto (any link, when `inert`)."""
    text = _UNSAFE.sub(_escape, text)
    keep = _never if inert else is_safe

    def inert_link(match: re.Match[str]) -> str:
        return _inert_link(match, keep)

    text = _LINK_SYNTAX.sub(inert_link, text)
    return _DEFINITION.sub(inert_link, text) if line_start else text


_UNSAFE = re.compile(rf"\\[{PUNCTUATION}]|[\\`<]")
"""An escape of the body's (kept), or a character to escape."""


def _escape(found: re.Match[str]) -> str:
    return found[0] if len(found[0]) == 2 else "\\" + found[0]


def _never(url: str) -> bool:
    """No link is kept."""
    return False


# `](target` of an inline link, and a whole reference definition line `[label]: target`.
_LINK_SYNTAX = re.compile(r"\]\((?P<url>[ \t]*(?:\\<)?[^)\s]*)")
_DEFINITION = re.compile(
    r"^(?P<indent>[ \t]{0,3})\[(?P<label>[^\]\n]*)\]:[ \t]*(?P<url>(?:\\<)?\S*)", re.M
)
_ELSEWHERE = re.compile(r"[a-z][a-z0-9+.-]*:|//", re.I)
"""An address that leads off the page: a scheme, or another host."""


def _inert_link(match: re.Match[str], keep: Callable[[str], bool]) -> str:
    """The link syntax with its `(` or `[` escaped, unless `keep` keeps its target. A
    footnote (`[^1]: note`) stays one unless its note starts as an address would (a viewer
    without footnotes reads the line as a link's)."""
    url = match["url"].strip().removeprefix("\\<")
    if keep(url):
        return match[0]
    footnote = (match.groupdict().get("label") or "").startswith("^")
    if footnote and not _ELSEWHERE.match(url):
        return match[0]
    if match[0].startswith("]"):
        return "]\\(" + match[0][2:]
    indent = match["indent"]
    return indent + "\\" + match[0][len(indent) :]
