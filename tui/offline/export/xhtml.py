"""(X)HTML from blocks, shared by the HTML page and the EPUB; the self-contained HTML page.

Every piece of text is escaped (and characters XML forbids dropped), so nothing from a web page
can become markup; only http(s) and mailto URLs become links. The page carries no script and a
Content-Security-Policy that would block one; its images are data: URIs.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from tui.content.blocks import cells, spans
from tui.files import write_atomic
from tui.offline.export.document import (
    ATTACHMENTS,
    LOCAL_FILES,
    MARKER,
    Block,
    ImageSource,
    Item,
    attachments,
    blocks,
    byline,
    heading_level,
    is_safe,
    language,
    local_links,
    prepare_file,
    text_of,
    uri_text,
)

MEDIA_TYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
CSS = """body { font-family: Georgia, serif; line-height: 1.5; max-width: 40em; margin: auto; }
.meta { color: #555; font-size: 0.9em; } img { max-width: 100%; height: auto; }
li.d1 { margin-left: 1.5em; } li.d2 { margin-left: 3em; } li.d3 { margin-left: 4.5em; }
li.on { list-style: none; }
pre { white-space: pre-wrap; } article { margin-bottom: 3em; }"""
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def escape_text(value: str) -> str:
    """Text escaped for HTML and XML (characters XML forbids are dropped)."""
    return html.escape(_NOT_XML.sub("", value), quote=True)


_TAGS = {"strong": "strong", "em": "em", "code": "code"}


def _inline(text: str, links: Sequence[str], image_src: ImageSource) -> str:
    """One line as HTML: escaped text, emphasis, `[N]` as links, image markers as images."""
    out = []
    for piece, kind in spans(text):
        html_piece = _linked(piece, links, image_src)
        out.append(f"<{_TAGS[kind]}>{html_piece}</{_TAGS[kind]}>" if kind else html_piece)
    return "".join(out)


def _linked(text: str, links: Sequence[str], image_src: ImageSource) -> str:
    out, pos = [], 0
    for match in MARKER.finditer(text):
        out.append(escape_text(text[pos : match.start()]))
        out.append(_marker(match, links, image_src))
        pos = match.end()
    out.append(escape_text(text[pos:]))
    return "".join(out)


def _marker(match: re.Match[str], links: Sequence[str], image_src: ImageSource) -> str:
    number = int(match[3] or match[4])
    url = links[number - 1] if 0 < number <= len(links) else None
    label = f"[{number}]"
    if match[1] is not None:
        src = image_src(url) if url else None
        if src is not None:
            return f'<img src="{escape_text(uri_text(src))}" alt="{escape_text(match[2] or "")}"/>'
        label = f"{match[1]} [{number}]"
    if url is not None and is_safe(url):
        return f'<a href="{escape_text(uri_text(url))}">{escape_text(label)}</a>'
    return escape_text(label)


def _html_block(block: Block, links: Sequence[str], image_src: ImageSource) -> str:
    def inline(value: str) -> str:
        return _inline(value, links, image_src)

    texts = block.texts
    if block.kind == "h":
        level = heading_level(block.lines[0][0])
        return f"<h{level}>{inline(texts[0])}</h{level}>"
    if block.kind == "code":
        return "<pre><code>" + "\n".join(escape_text(t) for t in texts) + "</code></pre>"
    if block.kind == "rule":
        return "<hr/>"
    if block.kind == "table":
        rows = ("".join(f"<td>{inline(c)}</td>" for c in cells(t)) for t in texts)
        return "<table>" + "".join(f"<tr>{row}</tr>" for row in rows) + "</table>"
    if block.kind in ("ul", "ol"):
        start = f' start="{block.start}"' if block.kind == "ol" and block.start != 1 else ""
        return f"<{block.kind}{start}>{_items(block, inline)}</{block.kind}>"
    paragraph = "<p>" + "<br/>".join(inline(t) for t in texts) + "</p>"
    return f"<blockquote>{paragraph}</blockquote>" if block.kind == "quote" else paragraph


def article_html(item: Item, image_src: ImageSource, anchor: str = "") -> str:
    """One article as an XHTML-compatible `<article>`: title, byline, original link, text."""
    row, detail = item.row, item.detail
    body = "\n".join(_html_block(b, detail.links, image_src) for b in blocks(text_of(item)))
    if local := local_links(item, image_src):
        listed = "".join(f"<li>[{n}] <code>{escape_text(path)}</code></li>" for n, path in local)
        body += f'\n<p class="meta">{LOCAL_FILES}</p><ul>{listed}</ul>'
    if files := attachments(item):
        listed = "".join(
            f'<li><a href="{escape_text(uri_text(url))}">{escape_text(line)}</a></li>'
            for url, line in files
        )
        body += f'\n<p class="meta">{ATTACHMENTS}</p><ul>{listed}</ul>'
    meta = [escape_text(part) for part in byline(row)]
    if row.url and is_safe(row.url):
        meta.append(f'<a href="{escape_text(uri_text(row.url))}">original article</a>')
    ident = f' id="{anchor}"' if anchor else ""
    lang, direction = language(item)
    ident += f' lang="{lang}" xml:lang="{lang}"' if lang else ""
    ident += f' dir="{direction}"'
    return (
        f'<article{ident}><h1 dir="auto">{escape_text(row.title)}</h1>'  # its own direction
        f'<p class="meta">{" · ".join(meta)}</p>\n{body}</article>'
    )


# -- the html page -------------------------------------------------------------------------------


def write_html(items: Sequence[Item], output: Path) -> list[Path]:
    """One self-contained page: images as data: URIs, no scripts, a CSP that forbids them."""
    toc = "".join(f'<li><a href="#a{i.row.id}">{escape_text(i.row.title)}</a></li>' for i in items)
    articles = "\n".join(article_html(i, _data_uris(i), f"a{i.row.id}") for i in items)
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"/>'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}"/>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
        f"<title>newsdesk export</title><style>{CSS}</style></head>\n<body>"
        f"<nav><ol>{toc}</ol></nav>\n{articles}\n</body></html>\n"
    )
    prepare_file(output)
    write_atomic(output, page.encode("utf-8"))  # a full disk keeps the last export
    return [output]


def _data_uris(item: Item) -> ImageSource:
    def source(url: str) -> str | None:
        path = item.images.get(url)
        media = MEDIA_TYPES.get(path.suffix[1:]) if path else None
        if path is None or media is None:
            return None
        return f"data:{media};base64," + base64.b64encode(path.read_bytes()).decode("ascii")

    return source


def _items(block: Block, inline: Callable[[str], str]) -> str:
    """A list's `<li>`s, an ordered item's number as its `value` (a nested list's items
    count on their own); a line going on an item after a `<br/>` in it, or in an item without
    a marker, under the item's text, where the item is in the list block before."""
    items: list[str] = []
    for index, (depth, text) in enumerate(block.lines):
        if block.going_on[index] and items:
            items[-1] += f"<br/>{inline(text)}"
            continue
        mark = " on" if block.going_on[index] else ""
        value = f' value="{block.numbers[index]}"' if block.kind == "ol" and not mark else ""
        items.append(f'<li class="d{depth}{mark}"{value}>{inline(text)}')
    return "".join(item + "</li>" for item in items)
