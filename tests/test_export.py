"""Export: Markdown files, one self-contained HTML page, an EPUB 3 book; each opened and checked."""

from __future__ import annotations

import base64
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from tests.test_saving import GARBAGE_PNG, PNG
from tui.content.readable import html_to_text
from tui.models import Article, Enclosure, FetchOutcome, SourceKind
from tui.offline.export import ExportError, export
from tui.offline.export.document import blocks
from tui.offline.export.names import slugify
from tui.sources.files import load_file
from tui.store import Store, View

IMAGE_URL = "https://herald.example/img/seabed.png"
FULL_TEXT = """[image 1200x800: A survey boat <towing> a hydrophone] [1]

For three summers volunteers mapped the harbour floor, see the plan [2].

## Counting echoes

• More than 40,000 depth readings
  • nested & corrected for the tide
1. Survey
2. Stitch

> We expected to find mud.

    depth = time * speed / 2

Tags <script>alert("x")</script> & a bad link [3].

[image] [4]"""
NO_ALT_URL = "https://herald.example/img/chart.png"  # an <img> without alt: common on pages
LINKS = (IMAGE_URL, "https://herald.example/plan.pdf", "javascript:alert(1)", NO_ALT_URL)
OPF = "{http://www.idpf.org/2007/opf}"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """Two saved articles: one with full text and a local image, one with its feed text."""
    store = Store.open(tmp_path / "cache" / "newsdesk.db")
    sid = store.ensure_source("The Herald", SourceKind.WEB, "https://herald.example/feed")
    articles = [
        Article(
            title="Listening to the harbour",
            body="Teaser.",
            guid="a",
            url="https://herald.example/news/harbour",
            author="Ingrid Halvorsen",
            published=datetime(2024, 5, 2, 7, 15, tzinfo=UTC),
        ),
        Article(
            title='Quay <script>alert("t")</script> "repairs"',
            body="The north quay closes for six weeks [1].",
            guid="b",
            url="https://herald.example/news/quay",
            links=("https://herald.example/quay-map",),
        ),
    ]
    store.record_refresh(sid, articles, FetchOutcome(status=200))
    ids = {row.title[:5]: row.id for row in store.page(View())}
    store.mark_saved(ids.values())
    harbour = ids["Liste"]
    folder = tmp_path / "cache" / "images" / str(harbour)
    folder.mkdir(parents=True)
    saved = []
    for url, name in ((IMAGE_URL, "abc123.png"), (NO_ALT_URL, "def456.png")):
        (folder / name).write_bytes(PNG)
        saved.append((url, (folder / name).relative_to(tmp_path / "cache").as_posix()))
    store.store_full_text(harbour, FULL_TEXT, LINKS, saved)
    return store


def saved_ids(store: Store) -> list[int]:
    return [row.id for row, _ in store.saved_rows()]


def test_markdown_one_file_per_article(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "md"
    result = export(store, saved_ids(store), "md", out, tmp_path / "cache")
    assert result.articles == 2 and len(result.paths) == 2
    harbour = out / "2024-05-02-listening-to-the-harbour.md"
    assert harbour in result.paths
    text = harbour.read_text("utf-8")
    assert text.startswith('---\ntitle: "Listening to the harbour"\n')
    assert 'author: "Ingrid Halvorsen"' in text and 'source: "The Herald"' in text
    assert 'url: "https://herald.example/news/harbour"' in text and "date: " in text
    assert "# Listening to the harbour" in text
    assert "Original: <https://herald.example/news/harbour>" in text
    assert "[2]: <https://herald.example/plan.pdf>" in text
    image = re.search(r"!\[A survey boat \\<towing> a hydrophone\]\(([^)]+)\)", text)
    assert image is not None and (out / image[1]).read_bytes() == PNG
    no_alt = re.search(r"!\[\]\(([^)]+)\) \[4\]", text)
    assert no_alt is not None and (out / no_alt[1]).read_bytes() == PNG
    assert "1200x800" not in text  # the size the page stated is the reader's, not the export's
    assert "- More than 40,000 depth readings\n  - nested" in text
    assert "\\<script>" in text and "a bad link." in text  # no [3]: it is not listed
    quay = next(p for p in result.paths if p != harbour)
    assert 'title: "Quay <script>alert(\\"t\\")</script> \\"repairs\\""' in quay.read_text()


def test_html_is_self_contained_without_scripts(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "export.html"
    export(store, saved_ids(store), "html", out, tmp_path / "cache")
    page = out.read_text("utf-8")
    assert "<script" not in page.lower()
    assert 'href="javascript' not in page and "a bad link.</p>" in page  # [3]: to nothing
    assert "Tags &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in page
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert len(sources) == 2 and all(s.startswith("data:image/png;base64,") for s in sources)
    assert "1200x800" not in page
    assert "https://herald.example/img" not in page.split("<body>")[1].split("</nav>")[1]
    assert "Listening to the harbour" in page and "Ingrid Halvorsen" in page
    assert "2024-05-02" in page and "The Herald" in page
    assert '<a href="https://herald.example/news/harbour">original article</a>' in page
    assert '<a href="https://herald.example/plan.pdf">[2]</a>' in page
    assert "Content-Security-Policy" in page
    root = etree.fromstring(page.split("\n", 1)[1].encode())  # well-formed, even as XML
    assert root.tag == "html"


def test_epub_is_a_valid_container(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "books" / "saved.epub"
    ids = saved_ids(store)
    export(store, ids, "epub", out, tmp_path / "cache")
    with zipfile.ZipFile(out) as book:
        assert book.testzip() is None
        first = book.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert first.extra == b"" and book.read("mimetype") == b"application/epub+zip"
        container = etree.fromstring(book.read("META-INF/container.xml"))
        rootfile = container.find(".//{*}rootfile")
        assert rootfile is not None
        opf_path = rootfile.get("full-path")
        assert opf_path == "OEBPS/content.opf"
        opf = etree.fromstring(book.read(opf_path))
        assert opf.get("version") == "3.0"
        items = {i.get("id"): i for i in opf.iter(f"{OPF}item")}
        spine = [ref.get("idref") for ref in opf.iter(f"{OPF}itemref")]
        assert spine == [f"a{i}" for i in ids]
        assert any(i.get("properties") == "nav" for i in items.values())
        assert opf.find(".//{*}meta[@property='dcterms:modified']") is not None
        names = set(book.namelist())
        for item in items.values():
            assert "OEBPS/" + str(item.get("href")) in names
        chapters = [n for n in names if n.endswith(".xhtml")]
        assert len(chapters) == len(ids) + 1  # plus nav.xhtml
        for name in chapters:
            etree.fromstring(book.read(name))  # each chapter is well-formed XML
        harbour = next(row.id for row, _ in store.saved_rows() if row.author)
        first_chapter = book.read(f"OEBPS/a{harbour}.xhtml").decode()
        assert "Ingrid Halvorsen" in first_chapter and "original article" in first_chapter
        images = [n for n in names if n.startswith("OEBPS/images/")]
        assert len(images) == 2 and all(book.read(image) == PNG for image in images)
        for image in images:
            assert f'src="{image.removeprefix("OEBPS/")}"' in first_chapter
        assert "<script" not in " ".join(book.read(n).decode() for n in chapters)


def test_a_saved_copy_that_is_no_picture_is_not_embedded(store: Store, tmp_path: Path) -> None:
    # Saved by an older newsdesk, which took a PNG's signature for a picture: the HTML page
    # embedded it as image/png, and the EPUB held a corrupt image.
    harbour = next(r.id for r in store.page(View()) if r.title.startswith("Listening"))
    (tmp_path / "cache" / "images" / str(harbour) / "abc123.png").write_bytes(GARBAGE_PNG)
    page, book = tmp_path / "out.html", tmp_path / "out.epub"
    export(store, [harbour], "html", page, tmp_path / "cache")
    images = re.findall(r'<img src="data:image/png;base64,([^"]+)"', page.read_text("utf-8"))
    assert [base64.b64decode(image) for image in images] == [PNG]  # the picture without alt
    assert "[image: A survey boat &lt;towing&gt; a hydrophone] [1]" in page.read_text("utf-8")
    export(store, [harbour], "epub", book, tmp_path / "cache")
    with zipfile.ZipFile(book) as epub:
        inside = [n for n in epub.namelist() if n.startswith("OEBPS/images/")]
        assert [epub.read(name) for name in inside] == [PNG]


def test_export_errors(store: Store, tmp_path: Path) -> None:
    afile = tmp_path / "taken"
    afile.write_text("x")
    with pytest.raises(ExportError, match="is a file"):
        export(store, saved_ids(store), "md", afile, tmp_path / "cache")
    with pytest.raises(ExportError, match="is a folder"):
        export(store, saved_ids(store), "epub", tmp_path, tmp_path / "cache")
    with pytest.raises(ExportError, match="nothing to export"):
        export(store, [12345], "html", tmp_path / "x.html", tmp_path / "cache")


def test_blocks_and_slugs() -> None:
    kinds = [(b.kind, len(b.lines)) for b in blocks(FULL_TEXT)]
    assert kinds == [
        ("image", 1),
        ("p", 1),
        ("h", 1),
        ("ul", 2),
        ("ol", 2),
        ("quote", 1),
        ("code", 1),
        ("p", 1),
        ("image", 1),
    ]
    assert slugify("Ünïcode — Straße: 東京 2024!", "x") == "ünïcode-strasse-東京-2024"
    assert slugify("!!!", "article-3") == "article-3"


def test_markdown_file_names_keep_vowel_signs(tmp_path: Path) -> None:
    # "जल संरक्षण: …" was written as `2026-12-04-जल-स-रक-षण-….md`: each vowel sign, virama
    # and other mark a `-`, Thai's and Tamil's too.
    store = Store.open(tmp_path / "cache" / "newsdesk.db")
    sid = store.ensure_source("World", SourceKind.WEB, "https://world.example/feed")
    day = datetime(2026, 12, 4, 9, tzinfo=UTC)
    titles = ["जल संरक्षण: गाँव में नई परियोजना", "เทศกาลสงกรานต์ ที่กรุงเทพฯ", "சென்னை செய்திகள்"]
    articles = [Article(title=t, body="…", guid=t, published=day) for t in titles]
    store.record_refresh(sid, articles, FetchOutcome(status=200))
    export(store, [row.id for row in store.page(View())], "md", tmp_path / "md", tmp_path)
    store.close()
    assert sorted(path.name for path in (tmp_path / "md").glob("*.md")) == [
        "2026-12-04-जल-संरक्षण-गाँव-में-नई-परियोजना.md",
        "2026-12-04-சென்னை-செய்திகள்.md",
        "2026-12-04-เทศกาลสงกรานต์-ที่กรุงเทพฯ.md",
    ]


def test_cli_export_saved_and_query(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    store.close()

    def run(*argv: str) -> int:
        return main(list(argv))

    assert run("export", "--format", "epub", "--output", str(tmp_path / "all.epub")) == 0
    assert "exported 2 articles to" in capsys.readouterr().out
    assert run("export", "hydrophone", "--format", "md", "--output", str(tmp_path / "q")) == 0
    assert [p.name for p in (tmp_path / "q").glob("*.md")] == [
        "2024-05-02-listening-to-the-harbour.md"
    ]
    missing = run("export", "zzzzunknownword", "--format", "html", "--output", str(tmp_path / "n"))
    assert missing == 1 and "no articles match" in capsys.readouterr().err


def test_exports_mark_each_articles_language_and_direction(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cache" / "newsdesk.db")
    sid = store.ensure_source("World", SourceKind.WEB, "https://world.example/feed")
    articles = [
        Article(title="مكتبة متنقلة في الصحراء", body="تنقل قافلة صغيرة الكتب.", guid="ar"),
        Article(title="गाँव में पानी लौटा", body="महिलाओं ने कुएँ भर दिए।", guid="hi"),
        Article(title="Harbour sensors", body="Plain English.", guid="en"),
        # The text's script, not the title's: a note with an English title and Arabic text,
        # and an article mostly in Arabic with a Hebrew paragraph (read "he", "ltr").
        Article(title="Arabic text, English title", body="هذا نص عربي طويل عن الأخبار.", guid="t"),
        Article(
            title="Arabic and Hebrew",
            body="<h2>عنوان عربي</h2><p>هذا نص عربي طويل يتحدث عن الأخبار اليومية في المنطقة، "
            "العدد 2026 والكلمة English في الوسط.</p><p>זהו טקסט בעברית על החדשות.</p>",
            guid="m",
        ),
        Article(title="عنوان", body="An English text under an Arabic title.", guid="e"),
    ]
    store.record_refresh(sid, articles, FetchOutcome(status=200))
    ids = [row.id for row in store.page(View())]
    page = tmp_path / "out.html"
    export(store, ids, "html", page, tmp_path / "cache")
    root = etree.HTML(page.read_text(encoding="utf-8"))
    marks = {a.findtext("h1"): (a.get("lang"), a.get("dir")) for a in root.iter("article")}
    assert marks == {
        "مكتبة متنقلة في الصحراء": ("ar", "rtl"),
        "गाँव में पानी लौटा": ("hi", "ltr"),
        "Harbour sensors": (None, "ltr"),
        "Arabic text, English title": ("ar", "rtl"),
        "Arabic and Hebrew": ("ar", "rtl"),
        "عنوان": (None, "ltr"),
    }
    assert {h1.get("dir") for h1 in root.iter("h1")} == {"auto"}  # a title keeps its own
    export(store, ids, "md", tmp_path / "md", tmp_path / "cache")
    texts = [p.read_text(encoding="utf-8") for p in (tmp_path / "md").glob("*.md")]
    assert sum('lang: "ar"' in t and 'dir: "rtl"' in t for t in texts) == 3
    assert sum('lang: "hi"' in t and 'dir: "ltr"' in t for t in texts) == 1
    store.close()


def test_markdown_export_leaves_no_live_javascript_link(store: Store, tmp_path: Path) -> None:
    sid = store.ensure_source("Pages", SourceKind.WEB, "https://pages.example/feed")
    body = (
        "Click [here](javascript:alert(1)) or [there]( data:text/html,x) or [fine](https://ok.example/).\n\n"
        "[ref]: javascript:alert(2)"
    )
    store.record_refresh(sid, [Article(title="Links", body=body, guid="l")], FetchOutcome(200))
    row = store.page(View(source="Pages"))[0]
    result = export(store, [row.id], "md", tmp_path / "md", tmp_path / "cache")
    text = result.paths[0].read_text("utf-8")
    assert "](javascript:" not in text and "]( data:" not in text
    assert "[here]\\(javascript:alert(1))" in text and "\\[ref]: javascript:" in text
    assert "[fine](https://ok.example/)" in text


def exported_page(store: Store, tmp_path: Path, body: str) -> tuple[int, str]:
    """`body` stored as an article of its own, exported as Markdown: (its id, the file's text)."""
    article = stored_page(store, body)
    [path] = export(store, [article], "md", tmp_path / "md", tmp_path / "cache").paths
    return article, path.read_text("utf-8")


def test_markdown_export_keeps_nested_numbers_and_pipes_in_cells(
    store: Store, tmp_path: Path
) -> None:
    body = "1. First\n2. Second\n  1. Sub\n3. Third\n\nA | B\n\\|pipe\\| | 1"
    article, text = exported_page(store, tmp_path, body)
    assert "1. First\n2. Second\n   1. Sub\n3. Third" in text
    assert "| \\|pipe\\| | 1 |" in text
    html = export(store, [article], "html", tmp_path / "h", tmp_path / "cache").paths[0].read_text()
    assert '<li class="d1" value="1">Sub</li><li class="d0" value="3">Third</li>' in html


def stored_page(store: Store, body: str) -> int:
    """The id of a new article of the source "Pages" whose body is `body`."""
    sid = store.ensure_source("Pages", SourceKind.WEB, "https://pages.example/feed")
    store.record_refresh(sid, [Article(title="Page", body=body, guid=body)], FetchOutcome(200))
    return store.page(View(source="Pages"))[0].id


def commonmark(markdown: str) -> etree._Element:
    """An exported Markdown file's text (after its front matter) as CommonMark renders it."""
    return etree.HTML(MarkdownIt("commonmark").render(markdown.split("\n---\n", 1)[1]))


def test_markdown_export_nests_lists_under_their_items_text(store: Store, tmp_path: Path) -> None:
    # CommonMark nests a list only as far in as its parent item's text: 3 columns under `9. `,
    # 4 under `10. `; with 2, `9. Ninth item` and `1. nested one` were one flat list. The
    # parent's next item follows without a blank line, or the whole list becomes a loose one.
    html = (
        '<ol start="9"><li>Ninth item<ol><li>nested one</li><li>nested two</li></ol></li>'
        "<li>Tenth item<ul><li>bullet<ol><li>deep</li></ol></li></ul></li><li>Eleventh</li></ol>"
        "<ul><li>a<ol><li>x</li></ol></li><li>b</li></ul>"
    )
    _, text = exported_page(store, tmp_path, html_to_text(html).text)
    assert "9. Ninth item\n   1. nested one\n   2. nested two\n10. Tenth item\n" in text
    assert "10. Tenth item\n    - bullet\n      1. deep\n11. Eleventh\n" in text  # one list
    assert "- a\n  1. x\n- b\n" in text
    rendered = commonmark(text)
    assert rendered.xpath("//li/p") == []  # tight lists: no item set apart as a paragraph
    nested = {li.text.strip(): (li.xpath("./ancestor::li[1]/text()") or [""])[0].strip()
              for li in rendered.iter("li")}  # fmt: skip
    assert nested == {
        "Ninth item": "",
        "nested one": "Ninth item",
        "nested two": "Ninth item",
        "Tenth item": "",
        "bullet": "Tenth item",
        "deep": "bullet",
        "Eleventh": "",
        "a": "",
        "x": "a",
        "b": "",
    }


def test_an_items_next_paragraph_is_exported_in_its_item(store: Store, tmp_path: Path) -> None:
    # It broke out of the list: `1. One.` then `  Its second paragraph.`, two columns in
    # where the item's text starts at three, was a paragraph after the list.
    html = (
        "<ol><li><p>One.</p><p>Its second paragraph.</p></li><li>Two<ul><li><p>deep</p>"
        "<p>deep's second</p></li></ul></li></ol>"
    )
    row, text = exported_page(store, tmp_path, html_to_text(html).text)
    rendered = commonmark(text)
    items = [
        " ".join("".join(li.xpath("./p//text()|./text()")).split()) for li in rendered.iter("li")
    ]
    assert items == ["One. Its second paragraph.", "Two", "deep deep's second"]
    assert len(rendered.xpath("//ol")) == 1
    html = export(store, [row], "html", tmp_path / "h", tmp_path / "cache").paths[0].read_text()
    page = etree.HTML(html)
    markerless = page.xpath("//li[contains(@class, 'on')]//text()")
    assert markerless == ["Its second paragraph."] and "li.on { list-style: none; }" in html
    assert '<li class="d1">deep<br/>deep&#x27;s second</li>' in html


def stored_note(note: Path, cache: Path) -> Store:
    """A cache in `cache` holding the local note `note` (its folder the source "Notes")."""
    [article], _ = load_file(note)
    store = Store.open(cache / "newsdesk.db")
    source = store.ensure_source("Notes", SourceKind.LOCAL, str(note.parent))
    store.record_refresh(source, [article], FetchOutcome())
    return store


def test_a_local_notes_images_beside_it_are_exported(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    (notes / "img").mkdir(parents=True)
    (notes / "img" / "pic.png").write_bytes(PNG)
    (notes / "note.md").write_text("# Note\n\n![](img/pic.png)\n\nText.\n")
    store = stored_note(notes / "note.md", tmp_path / "cache")
    store.mark_saved([row.id for row in store.page(View())])
    out = tmp_path / "notes.html"
    export(store, saved_ids(store), "html", out, tmp_path / "cache")
    assert re.findall(r'<img src="([^"]+)"', out.read_text("utf-8")) == [
        "data:image/png;base64," + base64.b64encode(PNG).decode()
    ]


def test_only_a_notes_own_images_are_exported(tmp_path: Path) -> None:
    # A note may link to any file (a key, a picture elsewhere, a key named .png, a link out
    # of its folder): only the pictures in its own folder are its images; no export copies
    # or embeds the others, and the reader does not decode them.
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "id_rsa").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    (secret / "holiday.png").write_bytes(PNG)
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "pic.png").write_bytes(PNG)
    (notes / "key.png").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    (notes / "broken.png").write_bytes(GARBAGE_PNG)
    (notes / "out.png").symlink_to(secret / "holiday.png")
    links = [(secret / "id_rsa").as_uri(), (secret / "holiday.png").as_uri()]
    links += [(notes / name).as_uri() for name in ("key.png", "out.png")]
    body = " ".join(f"[file {n}]({url})" for n, url in enumerate(links))
    (notes / "note.md").write_text(
        f"# Note\n\n![](pic.png)\n\n![broken](broken.png)\n\n{body} ![x]({links[0]})\n"
    )
    store = stored_note(notes / "note.md", tmp_path / "cache")
    ids = [row.id for row in store.page(View())]
    assert set(links) <= set(store.article(ids[0]).links)  # still links, to open
    out = tmp_path / "out"
    export(store, ids, "md", out / "md", tmp_path / "cache")
    copied = [path for path in (out / "md").rglob("*") if path.is_file() and path.suffix != ".md"]
    assert [path.read_bytes() for path in copied] == [PNG]
    export(store, ids, "html", out / "page.html", tmp_path / "cache")
    images = re.findall(r'<img src="([^"]+)"', (out / "page.html").read_text("utf-8"))
    assert images == ["data:image/png;base64," + base64.b64encode(PNG).decode()]
    export(store, ids, "epub", out / "book.epub", tmp_path / "cache")
    with zipfile.ZipFile(out / "book.epub") as book:
        inside = [n for n in book.namelist() if n.startswith("OEBPS/images/")]
        assert [book.read(name) for name in inside] == [PNG]


def test_every_marker_of_a_local_note_points_at_something(tmp_path: Path) -> None:
    # A note's links to files on the disk (and its picture, a file too) kept their `[N]` in
    # every export, and no export listed an address for them: markers pointing at nothing.
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "pic.png").write_bytes(PNG)
    odd = (tmp_path / "a\x1b[31mred`s.txt").as_uri()  # an escape sequence and a backtick
    (notes / "trip.md").write_text(
        "# Trip\n\nThe plan is in [the sheet](file:///home/me/plan%20v2.ods) and "
        f"[online](https://trip.example/plan).\n\n![A map](pic.png)\n\nAlso [this]({odd}).\n"
    )
    store = stored_note(notes / "trip.md", tmp_path / "cache")
    ids = [row.id for row in store.page(View())]
    store.mark_saved(ids)
    out = tmp_path / "out"
    [md] = export(store, ids, "md", out / "md", tmp_path / "cache").paths
    text = md.read_text("utf-8")
    assert "the sheet [1] and online [2]." in text and "![A map](images/1/pic.png)\n" in text
    assert text.endswith(
        "[2]: <https://trip.example/plan>\n\nLocal files (not in the export):\n\n"
        f"- \\[1\\] `/home/me/plan v2.ods`\n- \\[4\\] ``{tmp_path}/ared`s.txt``\n"
    )
    assert "\x1b" not in text and "file://" not in text
    page = export(store, ids, "html", out / "page.html", tmp_path / "cache").paths[0].read_text()
    listed = "<li>[1] <code>/home/me/plan v2.ods</code></li>"
    assert "the sheet [1] and" in page and listed in page and "\x1b" not in page
    export(store, ids, "epub", out / "book.epub", tmp_path / "cache")
    with zipfile.ZipFile(out / "book.epub") as book:
        chapters = [book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml")]
    assert any(listed in chapter for chapter in chapters)


def test_a_local_notes_footnotes_are_exported_as_footnotes(tmp_path: Path) -> None:
    # The export wrote `\[^1]: …`, a paragraph of text, and reading the note took
    # `[^note]: Short.` for a link's address: the reference showed `^note`, its note gone.
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "claims.md").write_text(
        "# Claims\n\nA claim[^1] and another[^note] and a trap[^js].\n\n"
        "[^1]: The source, with [a link](https://example.org/src).\n[^note]: Short.\n"
        "[^js]: javascript:alert(1)\n"
    )
    store = stored_note(notes / "claims.md", tmp_path / "cache")
    ids = [row.id for row in store.page(View())]
    [md] = export(store, ids, "md", tmp_path / "md", tmp_path / "cache").paths
    text = md.read_text("utf-8")
    rendered = etree.HTML(MarkdownIt("commonmark").use(footnote_plugin).render(text))
    notes_shown = [" ".join("".join(li.itertext()).split()) for li in rendered.iter("li")]
    assert notes_shown == ["The source, with a link 1. ↩︎", "Short. ↩︎"]
    assert len(rendered.xpath("//sup[contains(@class, 'footnote-ref')]")) == 2
    assert "\\[^js]: javascript:alert(1)" in text  # an address no viewer may link to
    assert not [a for a in rendered.iter("a") if a.get("href", "").startswith("javascript")]


def test_markdown_export_keeps_code_as_it_is_and_page_text_as_text(
    store: Store, tmp_path: Path
) -> None:
    """Code is verbatim (no `\\<` in it); page text never becomes HTML, however its
    backslashes, backticks and link syntax fall around the code."""
    body = html_to_text(
        '<p>Embed it with <code>&lt;iframe src="https://v.example/"&gt;</code>.</p>'
        "<p>A path: C:\\&lt;img src=x onerror=alert(1)&gt;</p>"
        '<p>[t](https://a.example/ "<code>a") &lt;img src=x onerror=alert(2)&gt;</code></p>'
    ).text
    _, text = exported_page(store, tmp_path, body)
    assert 'Embed it with `<iframe src="https://v.example/">`.' in text
    page = MarkdownIt("commonmark").render(text)
    assert "<code>&lt;iframe src=&quot;https://v.example/&quot;&gt;</code>" in page
    assert "A path: C:\\&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img" not in page


def test_exports_link_the_articles_attachments(tmp_path: Path) -> None:
    # A podcast's episode exported without its audio: nothing said there was one.
    store = Store.open(tmp_path / "cache" / "newsdesk.db")
    sid = store.ensure_source("Cast", SourceKind.WEB, "https://cast.example/feed")
    episode = Enclosure("https://cast.example/ep/episode%2012.mp3", "audio/mpeg", 45_000_000, 3723)
    hostile = Enclosure("javascript:alert(1)", "audio/mpeg")
    article = Article("Episode 12", "Talk.", guid="e12", enclosures=(episode, hostile))
    store.record_refresh(sid, [article], FetchOutcome(status=200))
    ids = [row.id for row in store.page(View())]
    line = "audio · audio/mpeg · episode 12.mp3 · 42.9 MB · 1:02:03"
    [md] = export(store, ids, "md", tmp_path / "md", tmp_path / "cache").paths
    assert md.read_text("utf-8").endswith(
        f"Attachments:\n\n- <https://cast.example/ep/episode%2012.mp3> {line}\n"
    )
    export(store, ids, "html", tmp_path / "out.html", tmp_path / "cache")
    page = (tmp_path / "out.html").read_text("utf-8")
    assert f'<li><a href="https://cast.example/ep/episode%2012.mp3">{line}</a></li>' in page
    assert "javascript" not in page
