"""What every export format shares: the articles with their images, and their text as blocks.

`blocks` parses the store's Markdown-ish text once into headings, paragraphs, quotes, code
and lists; each writer renders those blocks in its own format.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tui.models import ArticleDetail, ArticleRow

ImageSource = Callable[[str], str | None]
"""Image URL -> what an `<img src>` or Markdown image should point at (None: no local copy)."""

MARKER = re.compile(r"\[image: ([^\]\n]*)\] \[(\d+)\]|\[(\d+)\]")
"""A link marker `[N]` or an image marker `[image: alt] [N]`."""
_HEADING = re.compile(r"(#{1,6}) (.*)")
_ITEM = re.compile(r"( *)(•|\d+\.) (.*)")
_SAFE_SCHEMES = ("http://", "https://", "mailto:")


class ExportError(Exception):
    """The export could not be written; one line naming the path."""


@dataclass(frozen=True)
class Item:
    """One article to export with the local copies of its images."""

    detail: ArticleDetail
    images: dict[str, Path]

    @property
    def row(self) -> ArticleRow:
        return self.detail.row


@dataclass(frozen=True)
class Block:
    """A run of lines of one kind: "h", "p", "quote", "code", "ul" or "ol"."""

    kind: str
    lines: list[tuple[int, str]]
    """(heading level or list depth, text) per line."""


def blocks(text: str) -> list[Block]:
    """The text's headings, paragraphs, quotes, code blocks and lists, in order."""
    found: list[Block] = []
    for line in text.split("\n"):
        if not line.strip():
            found.append(Block("", []))  # a blank line ends the block before it
            continue
        kind, depth, content = _classify(line)
        last = found[-1] if found else None
        if last is not None and last.kind == kind and kind != "h":
            last.lines.append((depth, content))
        else:
            found.append(Block(kind, [(depth, content)]))
    return [b for b in found if b.kind]


def _classify(line: str) -> tuple[str, int, str]:
    item = _ITEM.fullmatch(line)
    if item:
        return ("ul" if item[2] == "•" else "ol"), len(item[1]) // 2, item[3]
    if line.startswith("    "):
        return "code", 0, line[4:]
    heading = _HEADING.fullmatch(line)
    if heading:
        return "h", len(heading[1]), heading[2]
    if line.startswith(">"):
        return "quote", 0, line[1:].removeprefix(" ")
    return "p", 0, line


def is_safe(url: str | None) -> bool:
    """True for the URLs an export may link to: http(s) and mailto."""
    return url is not None and url.lower().startswith(_SAFE_SCHEMES)


def heading_level(level: int) -> int:
    """A heading level below the article title, which is the one h1."""
    return min(6, max(2, level))


def byline(row: ArticleRow) -> list[str]:
    """Author, date and source, those that are known."""
    date = row.published.strftime("%Y-%m-%d %H:%M UTC") if row.published else ""
    return [part for part in (row.author or "", date, row.source) if part]


def prepare_file(output: Path) -> None:
    """Check that `output` can be a file and create its folder."""
    if output.is_dir():
        raise ExportError(f"{output} is a folder; give a file name for this format")
    output.parent.mkdir(parents=True, exist_ok=True)
