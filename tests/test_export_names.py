"""The names a Markdown export writes: an article's file kept by that article at each export
into the folder; pictures under names any disk takes and any Markdown viewer shows; an
undated article's without a date."""

from __future__ import annotations

import os
import re
import stat
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from lxml import etree
from markdown_it import MarkdownIt

from tests.test_export import PNG, saved_ids, stored_note
from tui.models import Article, FetchOutcome, SourceKind
from tui.offline.export import export
from tui.store import Store, View

DAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _saved(tmp_path: Path, articles: list[Article]) -> Store:
    store = Store.open(tmp_path / "cache" / "newsdesk.db")
    sid = store.ensure_source("Desk", SourceKind.WEB, "https://desk.example/feed")
    store.record_refresh(sid, articles, FetchOutcome(200))
    store.mark_saved([row.id for row in store.page(View())])
    return store


def _held(folder: Path) -> dict[str, str]:
    """Each Markdown file's name and the article it holds (its URL)."""
    return {
        path.name: re.findall(r'^url: "(.*)"$', path.read_text("utf-8"), re.M)[0]
        for path in folder.glob("*.md")
    }


def test_articles_of_one_title_keep_their_files_at_each_export(tmp_path: Path) -> None:
    budgets = [
        Article(
            title="Budget",
            body=f"Version {n}.",
            guid=n,
            url=f"https://desk.example/{n}",
            published=DAY,
        )
        for n in ("a", "b", "c")
    ]
    store = _saved(tmp_path, budgets)
    ids = saved_ids(store)
    out = tmp_path / "md"
    export(store, ids, "md", out, tmp_path / "cache")
    first = _held(out)
    assert len(first) == 3 and "2026-03-02-budget.md" in first
    for order in (ids[::-1], ids[1:] + ids[:1]):
        export(store, order, "md", out, tmp_path / "cache")
        assert _held(out) == first


def test_a_notes_pictures_are_copied_under_names_any_disk_takes(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    (notes / "img").mkdir(parents=True)
    names = ['spaced "odd" name (1).png', "nul.png", "a|b?.png"]
    for name in names:
        (notes / "img" / name).write_bytes(PNG)
    pictures = "\n\n".join(f"![pic {n}](img/{quote(name)})" for n, name in enumerate(names))
    (notes / "note.md").write_text(f"# Note\n\n{pictures}\n\nText.\n")
    store = stored_note(notes / "note.md", tmp_path / "cache")
    store.mark_saved([row.id for row in store.page(View())])
    out = tmp_path / "md"
    [path] = export(store, saved_ids(store), "md", out, tmp_path / "cache").paths
    page = etree.HTML(MarkdownIt("commonmark").render(path.read_text("utf-8")))
    sources = [img.get("src") for img in page.iter("img")]
    assert len(sources) == 3
    for source in sources:
        name = Path(source).name
        assert (out / source).read_bytes() == PNG
        assert not re.search(r'[\s"*:<>?\\|]', name)
        assert name.split(".")[0].lower() not in ("con", "nul", "prn", "aux")


def test_an_undated_article_is_exported_without_a_date(tmp_path: Path) -> None:
    store = _saved(tmp_path, [Article(title="Undated", body="No date.", guid="u")])
    [path] = export(store, saved_ids(store), "md", tmp_path / "md", tmp_path / "cache").paths
    text = path.read_text("utf-8")
    assert path.name == "undated.md"
    assert "\ndate:" not in text and "*first seen 20" in text
    page = tmp_path / "page.html"
    export(store, saved_ids(store), "html", page, tmp_path / "cache")
    [meta] = re.findall(r'<p class="meta">(.*?)</p>', page.read_text("utf-8"))
    assert meta.startswith("first seen 20")


def test_a_markdown_export_syncs_each_file_and_each_folder_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each file on the disk before its rename (a power loss leaves no empty file), each
    # folder's renames synced once at the end: 300 files no longer sync their folder 300 times.
    synced: list[tuple[bool, int]] = []
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        status = os.fstat(descriptor)
        synced.append((stat.S_ISDIR(status.st_mode), status.st_ino))
        real_fsync(descriptor)

    articles = [
        Article(title=f"Note {n}", body="Text.", guid=str(n), published=DAY) for n in range(5)
    ]
    store = _saved(tmp_path, articles)
    monkeypatch.setattr(os, "fsync", fsync)
    out = tmp_path / "md"
    paths = export(store, saved_ids(store), "md", out, tmp_path / "cache").paths
    files = sorted(inode for is_folder, inode in synced if not is_folder)
    assert files == sorted(path.stat().st_ino for path in paths)
    assert [inode for is_folder, inode in synced if is_folder] == [out.stat().st_ino]
