"""Export articles as Markdown files, one self-contained HTML file, or an EPUB 3 book.

Article text is the store's Markdown-ish text (`# ` headings, `• `/`1. ` items, `> ` quotes,
code indented four spaces, links as `[N]`, images as `[image: alt] [N]`); it is parsed into
blocks once and written out per format. HTML and XHTML are built by escaping every piece of
text, so nothing from a web page can become markup, and the HTML carries no script and a
Content-Security-Policy that would block one. Images come from the saved copies in the cache:
data: URIs in HTML, files in the EPUB and beside the Markdown.
"""

from __future__ import annotations

import base64
import html
import re
import shutil
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from tui.models import ArticleDetail, ArticleRow
from tui.store import Store
from tui.store.saved import article_images

Format = Literal["md", "html", "epub"]
FORMATS: tuple[Format, ...] = ("md", "html", "epub")
ImageSource = Callable[[str], str | None]
"""Image URL -> what an `<img src>` or Markdown image should point at (None: no local copy)."""

_MEDIA_TYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
_HEADING = re.compile(r"(#{1,6}) (.*)")
_ITEM = re.compile(r"( *)(•|\d+\.) (.*)")
_MARKER = re.compile(r"\[image: ([^\]\n]*)\] \[(\d+)\]|\[(\d+)\]")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_CSS = """body { font-family: Georgia, serif; line-height: 1.5; max-width: 40em; margin: auto; }
.meta { color: #555; font-size: 0.9em; } img { max-width: 100%; height: auto; }
li.d1 { margin-left: 1.5em; } li.d2 { margin-left: 3em; } li.d3 { margin-left: 4.5em; }
pre { white-space: pre-wrap; } article { margin-bottom: 3em; }"""


class ExportError(Exception):
    """The export could not be written; one line naming the path."""


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    paths: tuple[Path, ...]
    articles: int


@dataclass(frozen=True)
class _Item:
    """One article to export with the local copies of its images."""

    detail: ArticleDetail
    images: dict[str, Path]

    @property
    def row(self) -> ArticleRow:
        return self.detail.row


@dataclass(frozen=True)
class _Block:
    """A run of lines of one kind: "h", "p", "quote", "code", "ul" or "ol"."""

    kind: str
    lines: list[tuple[int, str]]
    """(heading level or list depth, text) per line."""


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
        raise ExportError("nothing to export: no such articles")
    writer = {"md": _write_markdown, "html": _write_html, "epub": _write_epub}[fmt]
    try:
        paths = writer(items, output)
    except OSError as exc:
        raise ExportError(f"cannot write {exc.filename or output}: {exc.strerror}") from None
    return ExportResult(tuple(paths), len(items))


def _load(store: Store, rows_or_ids: Sequence[ArticleRow | int], cache_dir: Path) -> list[_Item]:
    items = []
    for entry in rows_or_ids:
        article_id = entry if isinstance(entry, int) else entry.id
        detail = store.article(article_id)
        if detail is not None:
            items.append(_Item(detail, article_images(store, article_id, cache_dir)))
    return items


# -- text -> blocks ----------------------------------------------------------------------


def blocks(text: str) -> list[_Block]:
    """The text's headings, paragraphs, quotes, code blocks and lists, in order."""
    found: list[_Block] = []
    for line in text.split("\n"):
        if not line.strip():
            found.append(_Block("", []))  # a blank line ends the block before it
            continue
        kind, depth, content = _classify(line)
        last = found[-1] if found else None
        if last is not None and last.kind == kind and kind != "h":
            last.lines.append((depth, content))
        else:
            found.append(_Block(kind, [(depth, content)]))
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


# -- (X)HTML ---------------------------------------------------------------------------------


def _text(value: str) -> str:
    """Text escaped for HTML and XML (characters XML forbids are dropped)."""
    return html.escape(_NOT_XML.sub("", value), quote=True)


def _safe(url: str | None) -> bool:
    return url is not None and url.lower().startswith(_SAFE_SCHEMES)


def _inline(text: str, links: Sequence[str], image_src: ImageSource) -> str:
    """One line as HTML: escaped text, `[N]` as links, image markers as local images."""
    out, pos = [], 0
    for match in _MARKER.finditer(text):
        out.append(_text(text[pos : match.start()]))
        out.append(_marker(match, links, image_src))
        pos = match.end()
    out.append(_text(text[pos:]))
    return "".join(out)


def _marker(match: re.Match[str], links: Sequence[str], image_src: ImageSource) -> str:
    number = int(match[2] or match[3])
    url = links[number - 1] if 0 < number <= len(links) else None
    label = f"[{number}]"
    if match[1] is not None:
        src = image_src(url) if url else None
        if src is not None:
            return f'<img src="{_text(src)}" alt="{_text(match[1])}"/>'
        label = f"[image: {match[1]}] [{number}]"
    if url is not None and _safe(url):
        return f'<a href="{_text(url)}">{_text(label)}</a>'
    return _text(label)


def _html_block(block: _Block, links: Sequence[str], image_src: ImageSource) -> str:
    def inline(value: str) -> str:
        return _inline(value, links, image_src)

    texts = [t for _, t in block.lines]
    if block.kind == "h":
        level = _level(block.lines[0][0])
        return f"<h{level}>{inline(texts[0])}</h{level}>"
    if block.kind == "code":
        return "<pre><code>" + "\n".join(_text(t) for t in texts) + "</code></pre>"
    if block.kind in ("ul", "ol"):
        items = "".join(f'<li class="d{d}">{inline(t)}</li>' for d, t in block.lines)
        return f"<{block.kind}>{items}</{block.kind}>"
    paragraph = "<p>" + "<br/>".join(inline(t) for t in texts) + "</p>"
    return f"<blockquote>{paragraph}</blockquote>" if block.kind == "quote" else paragraph


def _level(level: int) -> int:
    """A heading level below the article title, which is the one h1."""
    return min(6, max(2, level))


def _article_html(item: _Item, image_src: ImageSource, anchor: str = "") -> str:
    """One article as an XHTML-compatible `<article>`: title, byline, original link, text."""
    row, detail = item.row, item.detail
    body = "\n".join(_html_block(b, detail.links, image_src) for b in blocks(detail.text))
    meta = [_text(part) for part in _byline(row)]
    if row.url and _safe(row.url):
        meta.append(f'<a href="{_text(row.url)}">original article</a>')
    ident = f' id="{anchor}"' if anchor else ""
    return (
        f"<article{ident}><h1>{_text(row.title)}</h1>"
        f'<p class="meta">{" · ".join(meta)}</p>\n{body}</article>'
    )


def _byline(row: ArticleRow) -> list[str]:
    date = row.published.strftime("%Y-%m-%d %H:%M UTC") if row.published else ""
    return [part for part in (row.author or "", date, row.source) if part]


# -- html --------------------------------------------------------------------------------------

_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def _write_html(items: Sequence[_Item], output: Path) -> list[Path]:
    """One self-contained page: images as data: URIs, no scripts, a CSP that forbids them."""
    toc = "".join(f'<li><a href="#a{i.row.id}">{_text(i.row.title)}</a></li>' for i in items)
    articles = "\n".join(_article_html(i, _data_uris(i), f"a{i.row.id}") for i in items)
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"/>'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}"/>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
        f"<title>newsdesk export</title><style>{_CSS}</style></head>\n<body>"
        f"<nav><ol>{toc}</ol></nav>\n{articles}\n</body></html>\n"
    )
    _prepare_file(output)
    output.write_text(page, encoding="utf-8")
    return [output]


def _data_uris(item: _Item) -> ImageSource:
    def source(url: str) -> str | None:
        path = item.images.get(url)
        media = _MEDIA_TYPES.get(path.suffix[1:]) if path else None
        if path is None or media is None:
            return None
        return f"data:{media};base64," + base64.b64encode(path.read_bytes()).decode("ascii")

    return source


def _prepare_file(output: Path) -> None:
    if output.is_dir():
        raise ExportError(f"{output} is a folder; give a file name for this format")
    output.parent.mkdir(parents=True, exist_ok=True)


# -- markdown ----------------------------------------------------------------------------------


def _write_markdown(items: Sequence[_Item], output: Path) -> list[Path]:
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


def _copy_images(item: _Item, output: Path) -> ImageSource:
    """Copy the article's saved images beside the Markdown; returns their relative paths."""
    folder = Path("images") / str(item.row.id)
    for path in item.images.values():
        (output / folder).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, output / folder / path.name)

    def source(url: str) -> str | None:
        path = item.images.get(url)
        return (folder / path.name).as_posix() if path else None

    return source


def _markdown(item: _Item, image_src: ImageSource) -> str:
    row, detail = item.row, item.detail
    parts = ["---", *_front_matter(item), "---", "", f"# {_md_text(row.title)}", ""]
    byline = " · ".join(_byline(row))
    parts += [f"*{_md_text(byline)}*", ""] if byline else []
    parts += [f"Original: <{row.url}>", ""] if row.url else []
    parts += [_md_block(b, detail.links, image_src) + "\n" for b in blocks(detail.text)]
    if detail.links:
        parts += [f"[{n}]: <{u}>" for n, u in enumerate(detail.links, 1) if _safe(u)]
    return "\n".join(parts).rstrip("\n") + "\n"


def _front_matter(item: _Item) -> list[str]:
    row = item.row
    fields: dict[str, object] = {
        "title": row.title,
        "author": row.author,
        "date": row.published.isoformat() if row.published else None,
        "source": row.source,
        "url": row.url,
        "full_text": item.detail.full_text,
    }
    return [f"{key}: {_yaml(value)}" for key, value in fields.items() if value is not None]


def _yaml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    # A JSON string is a valid YAML double-quoted scalar.
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _md_block(block: _Block, links: Sequence[str], image_src: ImageSource) -> str:
    if block.kind == "code":
        return "\n".join("    " + t for _, t in block.lines)
    if block.kind == "h":
        level, text = block.lines[0]
        return "#" * _level(level) + " " + _md_inline(text, links, image_src)
    lines = []
    for number, (depth, text) in enumerate(block.lines, 1):
        bullet = {"ul": "- ", "ol": f"{number}. ", "quote": "> "}.get(block.kind, "")
        lines.append("  " * depth + bullet + _md_inline(text, links, image_src))
    return ("  \n" if block.kind == "p" else "\n").join(lines)


def _md_inline(text: str, links: Sequence[str], image_src: ImageSource) -> str:
    """A line of Markdown: `[N]` stays (defined at the end), saved images become `![alt](…)`."""

    def image(match: re.Match[str]) -> str:
        number = int(match[2] or match[3])
        url = links[number - 1] if 0 < number <= len(links) else None
        src = image_src(url) if url and match[1] is not None else None
        return f"![{match[1]}]({src}) [{number}]" if src else match[0]

    return _MARKER.sub(image, _md_text(text))


def _md_text(text: str) -> str:
    """Raw HTML in page text must stay text in a Markdown viewer."""
    return text.replace("<", "\\<")


# -- epub --------------------------------------------------------------------------------------

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


def _write_epub(items: Sequence[_Item], output: Path) -> list[Path]:
    """An EPUB 3 book: one chapter per article, the saved images inside, a table of contents."""
    _prepare_file(output)
    partial = output.with_name(output.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as book:
        # The mimetype must come first and stored uncompressed (OCF container rules).
        book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", _CONTAINER)
        book.writestr("OEBPS/style.css", _CSS)
        manifest = _epub_chapters(book, items)
        book.writestr("OEBPS/nav.xhtml", _nav(items))
        book.writestr("OEBPS/content.opf", _opf(items, manifest))
    partial.replace(output)
    return [output]


def _epub_chapters(book: zipfile.ZipFile, items: Sequence[_Item]) -> list[tuple[str, str, str]]:
    """Write each chapter and its images; returns the manifest (id, href, media type)."""
    manifest: list[tuple[str, str, str]] = []
    for item in items:
        hrefs: dict[str, str] = {}
        for url, path in item.images.items():
            media = _MEDIA_TYPES.get(path.suffix[1:])
            if media is not None:
                href = f"images/{item.row.id}-{path.name}"
                book.write(path, f"OEBPS/{href}")
                manifest.append((f"i{item.row.id}-{path.stem}", href, media))
                hrefs[url] = href
        body = _article_html(item, hrefs.get)
        chapter = _XHTML.format(title=_text(item.row.title), body=body)
        book.writestr(f"OEBPS/a{item.row.id}.xhtml", chapter)
        manifest.append((f"a{item.row.id}", f"a{item.row.id}.xhtml", "application/xhtml+xml"))
    return manifest


def _nav(items: Sequence[_Item]) -> str:
    entries = "".join(
        f'<li><a href="a{i.row.id}.xhtml">{_text(i.row.title)}</a></li>' for i in items
    )
    body = f'<nav epub:type="toc" id="toc"><h1>Contents</h1><ol>{entries}</ol></nav>'
    return _XHTML.format(title="Contents", body=body)


def _opf(items: Sequence[_Item], manifest: list[tuple[str, str, str]]) -> str:
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
        f"<dc:title>{_text(title)}</dc:title><dc:language>en</dc:language>"
        f'<meta property="dcterms:modified">{modified}</meta></metadata>'
        f"<manifest>{''.join(entries)}</manifest><spine>{spine}</spine></package>\n"
    )
