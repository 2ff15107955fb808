"""The EPUB 3 export: one XHTML chapter per article, the saved images inside, a contents page."""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from tui.files import replacing
from tui.offline.export.document import Item, prepare_file, uri_text
from tui.offline.export.names import picture_names
from tui.offline.export.xhtml import CSS, MEDIA_TYPES, article_html, escape_text

_XHTML = (
    '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
    '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
    'xml:lang="en" lang="en"><head><meta charset="utf-8"/><title>{title}</title>'
    '<link rel="stylesheet" type="text/css" href="style.css"/></head>\n<body>{body}</body></html>\n'
)
_CONTAINER = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
    '<rootfiles><rootfile full-path="OEBPS/content.opf" '
    'media-type="application/oebps-package+xml"/></rootfiles></container>\n'
)


def write_epub(items: Sequence[Item], output: Path) -> list[Path]:
    """An EPUB 3 book: one chapter per article, the saved images inside, a table of contents."""
    prepare_file(output)
    with replacing(output) as sink, zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as book:
        # The mimetype must come first and stored uncompressed (OCF container rules).
        book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", _CONTAINER)
        book.writestr("OEBPS/style.css", CSS)
        manifest = _epub_chapters(book, items)
        book.writestr("OEBPS/nav.xhtml", _nav(items))
        book.writestr("OEBPS/content.opf", _opf(items, manifest))
    return [output]


def _epub_chapters(book: zipfile.ZipFile, items: Sequence[Item]) -> list[tuple[str, str, str]]:
    """Write each chapter and its images; returns the manifest (id, href, media type)."""
    manifest: list[tuple[str, str, str]] = []
    for item in items:
        hrefs: dict[str, str] = {}
        names = picture_names(item.images)
        for number, (url, path) in enumerate(item.images.items()):
            media = MEDIA_TYPES.get(path.suffix[1:])
            if media is not None:
                href = f"images/{item.row.id}-{names[url]}"
                book.write(path, f"OEBPS/{href}")
                manifest.append((f"i{item.row.id}-{number}", uri_text(href), media))
                hrefs[url] = href  # encoded where it is written
        body = article_html(item, hrefs.get)
        chapter = _XHTML.format(title=escape_text(item.row.title), body=body)
        book.writestr(f"OEBPS/a{item.row.id}.xhtml", chapter)
        manifest.append((f"a{item.row.id}", f"a{item.row.id}.xhtml", "application/xhtml+xml"))
    return manifest


def _nav(items: Sequence[Item]) -> str:
    entries = "".join(
        f'<li><a href="a{i.row.id}.xhtml">{escape_text(i.row.title)}</a></li>' for i in items
    )
    body = f'<nav epub:type="toc" id="toc"><h1>Contents</h1><ol>{entries}</ol></nav>'
    return _XHTML.format(title="Contents", body=body)


def _opf(items: Sequence[Item], manifest: list[tuple[str, str, str]]) -> str:
    ids = ",".join(str(i.row.id) for i in items)
    book_id = uuid.uuid5(uuid.NAMESPACE_URL, f"newsdesk:export:{ids}")
    modified = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    title = items[0].row.title if len(items) == 1 else f"newsdesk: {len(items)} articles"
    entries = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
        *(f'<item id="{i}" href="{h}" media-type="{m}"/>' for i, h, m in manifest),
    ]
    spine = "".join(f'<itemref idref="a{i.row.id}"/>' for i in items)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
        'unique-identifier="book-id" xml:lang="en">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:identifier id="book-id">urn:uuid:{book_id}</dc:identifier>'
        f"<dc:title>{escape_text(title)}</dc:title><dc:language>en</dc:language>"
        f'<meta property="dcterms:modified">{modified}</meta></metadata>'
        f"<manifest>{''.join(entries)}</manifest><spine>{spine}</spine></package>\n"
    )
