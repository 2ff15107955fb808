"""What every export format shares: the articles with their images, their text as blocks
(`tui.content.blocks` parses the store's Markdown-ish text), language and direction."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tui.content.blocks import Block, blocks
from tui.models import ArticleDetail, ArticleRow

__all__ = ["Block", "blocks"]  # the writers take both from here

ImageSource = Callable[[str], str | None]
"""Image URL -> what an `<img src>` or Markdown image should point at (None: no local copy)."""

MARKER = re.compile(r"\[image: ([^\]\n]*)\] \[(\d+)\]|\[(\d+)\]")
"""A link marker `[N]` or an image marker `[image: alt] [N]`."""
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
