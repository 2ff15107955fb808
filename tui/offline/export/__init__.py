"""Export articles as Markdown files, one self-contained HTML file, or an EPUB 3 book.

Article text is the store's Markdown-ish text (`# ` headings, `• `/`1. ` items, `> ` quotes,
code indented four spaces, links as `[N]`, images as `[image: alt] [N]`); it is parsed into
blocks once (`document`) and written out per format (`markdown`, `xhtml`, `epub`). HTML and
XHTML are built by escaping every piece of text, so nothing from a web page can become markup,
and the HTML carries no script and a Content-Security-Policy that would block one. Images come
from the saved copies in the cache, or a local note's files beside it: data: URIs in HTML, files
in the EPUB and beside the Markdown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Literal

from tui.models import ArticleRow
from tui.offline.export.document import ExportError, ExportFailed, Item
from tui.offline.export.epub import write_epub
from tui.offline.export.markdown import write_markdown
from tui.offline.export.xhtml import write_html
from tui.offline.image_paths import is_image_file, note_images
from tui.offline.pictures import fetched
from tui.store import Store

__all__ = ["FORMATS", "ExportError", "ExportFailed", "ExportResult", "Format", "Step", "export"]

Format = Literal["md", "html", "epub"]
FORMATS: tuple[Format, ...] = ("md", "html", "epub")
Step = Callable[[str, int, int], None]
"""Told how far an export is: "read" or "written", how many articles so far, of how many
(a Markdown export writes a file each; an HTML page or a book, all at its end)."""

Writer = Callable[[Sequence[Item], Path], list[Path]]


def _untold(stage: str, done: int, total: int) -> None:
    """No one follows the export's steps."""


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    paths: tuple[Path, ...]
    articles: int


def export(
    store: Store,
    rows_or_ids: Sequence[ArticleRow | int],
    fmt: Format,
    output: Path,
    cache_dir: Path,
    step: Step = _untold,
) -> ExportResult:
    """Write the articles to `output`: a folder for md, a file for html and epub; `step` is
    told of each article read, then written."""
    items = _load(store, rows_or_ids, cache_dir, step)
    if not items:
        raise ExportFailed("nothing to export: no such articles")

    def wrote(done: int) -> None:
        step("written", done, len(items))

    writer: dict[str, Writer] = {
        "md": partial(write_markdown, wrote=wrote),
        "html": write_html,
        "epub": write_epub,
    }
    try:
        paths = writer[fmt](items, output)
    except OSError as exc:
        raise ExportFailed(f"cannot write {exc.filename or output}: {exc.strerror}") from None
    if fmt != "md":  # one file, written whole at the end (Markdown told of each of its files)
        wrote(len(items))
    return ExportResult(tuple(paths), len(items))


def _load(
    store: Store, rows_or_ids: Sequence[ArticleRow | int], cache_dir: Path, step: Step
) -> list[Item]:
    items = []
    for done, entry in enumerate(rows_or_ids, 1):
        step("read", done, len(rows_or_ids))
        article_id = entry if isinstance(entry, int) else entry.id
        detail = store.article(article_id)
        if detail is not None:
            # A save that kept the feed's text has its pictures in the cache all the same.
            cached = fetched(cache_dir, article_id, detail.links)
            kept = cached | store.article_images(article_id, cache_dir)
            images = {url: path for url, path in kept.items() if is_image_file(path)}
            beside = note_images(detail.links, store.note_file(article_id))
            items.append(Item(detail, images | beside))
    return items
