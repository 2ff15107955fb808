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

from collections.abc import Sequence
from dataclasses import dataclass
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

__all__ = ["FORMATS", "ExportError", "ExportFailed", "ExportResult", "Format", "export"]

Format = Literal["md", "html", "epub"]
FORMATS: tuple[Format, ...] = ("md", "html", "epub")


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
) -> ExportResult:
    """Write the articles to `output`: a folder for md, a file for html and epub."""
    items = _load(store, rows_or_ids, cache_dir)
    if not items:
        raise ExportFailed("nothing to export: no such articles")
    writer = {"md": write_markdown, "html": write_html, "epub": write_epub}[fmt]
    try:
        paths = writer(items, output)
    except OSError as exc:
        raise ExportFailed(f"cannot write {exc.filename or output}: {exc.strerror}") from None
    return ExportResult(tuple(paths), len(items))


def _load(store: Store, rows_or_ids: Sequence[ArticleRow | int], cache_dir: Path) -> list[Item]:
    items = []
    for entry in rows_or_ids:
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
