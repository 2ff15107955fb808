"""The Markdown export: one `.md` file per article (front matter, text, links) and its images."""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from tui.content.blocks import cells
from tui.models import ArticleRow
from tui.offline.export.document import (
    LOCAL_FILES,
    MARKER,
    Block,
    ExportError,
    ImageSource,
    Item,
    blocks,
    byline,
    heading_level,
    is_safe,
    language,
    local_links,
    text_of,
)
from tui.weburl import readable_host


def write_markdown(items: Sequence[Item], output: Path) -> list[Path]:
    """One `.md` file per article (front matter, title, text, link list) and its images."""
    if output.exists() and not output.is_dir():
        raise ExportError(f"{output} is a file; Markdown export writes a folder")
    output.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    taken: set[str] = set()
    for item in items:
        name = _file_name(item.row, taken)
        path = output / f"{name}.md"
        path.write_text(_markdown(item, _copy_images(item, output)), encoding="utf-8")
        written.append(path)
    return written


def _file_name(row: ArticleRow, taken: set[str]) -> str:
    date = row.published.strftime("%Y-%m-%d-") if row.published else ""
    name = date + slugify(row.title, f"article-{row.id}")
    if name in taken:
        name += f"-{row.id}"
    taken.add(name)
    return name


def slugify(title: str, fallback: str) -> str:
    """A file-name-safe slug: lower case words joined by `-`, at most 60 characters."""
    text = unicodedata.normalize("NFKC", title).casefold()
    slug = re.sub(r"[\W_]+", "-", text).strip("-")[:60].strip("-")
    return slug or fallback


def _copy_images(item: Item, output: Path) -> ImageSource:
    """Copy the article's saved images beside the Markdown; returns their relative paths."""
    folder = Path("images") / str(item.row.id)
    for path in item.images.values():
        (output / folder).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, output / folder / path.name)

    def source(url: str) -> str | None:
        path = item.images.get(url)
        return (folder / path.name).as_posix() if path else None

    return source


def _markdown(item: Item, image_src: ImageSource) -> str:
    row, detail = item.row, item.detail
    parts = ["---", *_front_matter(item), "---", "", f"# {_md_text(row.title)}", ""]
    line = " · ".join(byline(row))
    parts += [f"*{_md_text(line)}*", ""] if line else []
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
        "date": row.published.isoformat() if row.published else None,
        "source": row.source,
        "url": row.url,
        "full_text": item.detail.full_text,
        "lang": lang,
        "dir": direction,
    }
    return [f"{key}: {_yaml(value)}" for key, value in fields.items() if value is not None]


def _yaml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    # A JSON string is a valid YAML double-quoted scalar.
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _md_block(block: Block, links: Sequence[str], image_src: ImageSource) -> str:
    if block.kind == "code":
        return "\n".join("    " + t for t in block.texts)
    if block.kind == "h":
        level, text = block.lines[0]
        return "#" * heading_level(level) + " " + _md_inline(text, links, image_src)
    if block.kind == "rule":
        return "---"
    if block.kind == "table":
        rows = [
            [_md_inline(c, links, image_src).replace("|", "\\|") for c in cells(t)]
            for t in block.texts
        ]
        lines = ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join([lines[0], "|" + "---|" * len(rows[0]), *lines[1:]])
    lines = []
    numbers = block.numbers or range(block.start, block.start + len(block.lines))
    columns = block.columns or [0] * len(block.lines)  # a list's items under their parent's
    for number, column, text in zip(numbers, columns, block.texts, strict=False):
        bullet = {"ul": "- ", "ol": f"{number}. ", "quote": "> "}.get(block.kind, "")
        lines.append(" " * column + bullet + _md_inline(text, links, image_src))
    return ("  \n" if block.kind == "p" else "\n").join(lines)


def _md_inline(text: str, links: Sequence[str], image_src: ImageSource) -> str:
    """A line of Markdown: `[N]` stays (defined at the end), saved images become `![alt](…)`."""

    def image(match: re.Match[str]) -> str:
        number = int(match[3] or match[4])
        url = links[number - 1] if 0 < number <= len(links) else None
        src = image_src(url) if url and match[1] is not None else None
        if src is None:
            return match[0]
        shown = f"![{match[2] or ''}]({src})"  # its marker only where the address is listed
        return f"{shown} [{number}]" if is_safe(url) else shown

    return MARKER.sub(image, _md_text(text))


def _md_text(text: str) -> str:
    """Raw HTML and link syntax in page text must stay text in a Markdown viewer: `<` is
    escaped, and `[x](javascript:…)` or `[x]: data:…` unless it leads to http(s) or mailto."""
    text = _LINK_SYNTAX.sub(_inert_link, text.replace("<", "\\<"))
    return _DEFINITION.sub(_inert_link, text)


# `](target` of an inline link, and a whole reference definition line `[label]: target`.
_LINK_SYNTAX = re.compile(r"\]\((?P<url>[ \t]*(?:\\<)?[^)\s]*)")
_DEFINITION = re.compile(r"^(?P<indent>[ \t]{0,3})\[[^\]\n]*\]:[ \t]*(?P<url>(?:\\<)?\S*)", re.M)


def _inert_link(match: re.Match[str]) -> str:
    """The link syntax with its `(` or `[` escaped, unless its target is a safe URL."""
    url = match["url"].strip().removeprefix("\\<")
    if is_safe(url):
        return match[0]
    if match[0].startswith("]"):
        return "]\\(" + match[0][2:]
    indent = match["indent"]
    return indent + "\\" + match[0][len(indent) :]
