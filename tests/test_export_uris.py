"""What the HTML and EPUB exports write into `href` and `src`: URIs as epubcheck and tidy read
them, the same addresses to a browser."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from tests.test_export import saved_ids
from tests.test_export import store as store  # the fixture: two saved articles
from tui.models import Article, FetchOutcome, SourceKind
from tui.offline.export import export
from tui.store import Store, View

_URI = re.compile(r"[A-Za-z0-9\-._~:/?#@!$&'()*+,;=]|%[0-9A-Fa-f]{2}")
"""One character, or escape, a URI holds as it is outside an IPv6 host."""


def _addresses(page: bytes) -> list[str]:
    root = etree.fromstring(page)
    return [v for e in root.iter() for k, v in e.attrib.items() if k in ("href", "src")]


def _is_uri(address: str) -> bool:
    return all(_URI.fullmatch(c) for c in re.findall(r"%..|.", address, re.S))


def test_links_holding_brackets_and_spaces_are_written_as_uris(
    store: Store, tmp_path: Path
) -> None:
    sid = store.ensure_source("Odd", SourceKind.WEB, "https://odd.example/feed")
    article = Article(
        title="Odd links",
        body="See [1] and [2].",
        guid="odd",
        url="https://example.org/a%1B[31mb",
        links=('https://odd.example/a path/"q"?x[]=1&y={2}', "https://odd.example/100%sure"),
    )
    store.record_refresh(sid, [article], FetchOutcome(200))
    store.mark_saved([row.id for row in store.page(View(source="Odd"))])
    page = tmp_path / "all.html"
    export(store, saved_ids(store), "html", page, tmp_path / "cache")
    written = page.read_text("utf-8")
    addresses = _addresses(written.split("\n", 1)[1].encode())
    assert "https://example.org/a%1B%5B31mb" in addresses
    assert "https://odd.example/a%20path/%22q%22?x%5B%5D=1&y=%7B2%7D" in addresses
    assert "https://odd.example/100%25sure" in addresses
    book = tmp_path / "all.epub"
    export(store, saved_ids(store), "epub", book, tmp_path / "cache")
    with zipfile.ZipFile(book) as epub:
        for name in epub.namelist():
            if name.endswith((".xhtml", ".opf")):
                addresses += _addresses(epub.read(name))
    assert len(addresses) > 10
    assert [a for a in addresses if not a.startswith("data:") and not _is_uri(a)] == []
