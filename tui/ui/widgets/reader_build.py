"""The reader's body, built off the UI thread: for the open article, or ahead for the one the
list's cursor rests on, so that Enter shows its text in the first frame.

Building a body parses its blocks, styles and wraps them and reads image headers: 5-30 ms, a
frame or two after the reader opened (then a layout for its new size). The list already
reads the resting row's text ahead (`ArticleActions.read_ahead`); `Built.fits` tells whether
a body built then is still right for the reader when it opens (same article, width, look and
search terms).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from tui.models import ArticleDetail
from tui.ui.body import BodyStyles, ImageSpot, Run, body_parts, with_sizes, wrapped
from tui.ui.widgets.reader_media import ReaderMedia


@dataclass(frozen=True)
class Look:
    """What a built body depends on besides its article."""

    width: int
    terms: tuple[str, ...]
    styles: BodyStyles


@dataclass(frozen=True)
class Built:
    """An article's body as the reader shows it."""

    article_id: int
    look: Look
    images: dict[str, Path]
    """Local files of its images that can be drawn."""
    parts: list[Run | ImageSpot]

    def fits(self, article_id: int, look: Look) -> bool:
        return (article_id, look) == (self.article_id, self.look)


async def build(
    article: ArticleDetail,
    look: Look,
    media: ReaderMedia,
    console: Console,
    images: dict[str, Path] | None = None,
) -> Built:
    """`article`'s body for `look` (its images looked up unless given), built in a thread."""
    if images is None:
        off = media.image_mode == "off"
        images = {} if off else await media.image_files(article.row.id, article.links)
    parts = await asyncio.to_thread(_parts, article, look, images, media, console)
    return Built(article.row.id, look, images, parts)


def _parts(
    article: ArticleDetail,
    look: Look,
    found: dict[str, Path],
    media: ReaderMedia,
    console: Console,
) -> list[Run | ImageSpot]:
    """The body's text runs, wrapped, and images (parses, styles, wraps, reads image headers)."""
    fetchable = media.fetchable if media.image_mode != "off" else lambda url: False
    parts = body_parts(article.text, article.links, look.styles, look.terms, found, fetchable)
    return wrapped(with_sizes(parts), console, look.width)
