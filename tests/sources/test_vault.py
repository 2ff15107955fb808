"""A notes app's folder (Obsidian, Logseq) as a local source: its notes' titles, what it keeps
beside them, its file names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui.models import FetchOutcome, SourceKind
from tui.sources.files import load_local
from tui.store import Store, View

T0 = 1_796_000_000.0
"""A December morning, the notes' first file time."""


def imported(folder: Path) -> dict[str, str]:
    """Title -> body of each note the folder gives."""
    return {a.title: a.body for a in load_local(folder).articles}


@pytest.mark.parametrize(
    ("first", "kept"),
    [
        ("![](attachments/img3.png)", "[image]"),
        ("**Meeting** with [Bob](http://example.org/bob)", "**Meeting** with Bob [1]"),
        ("> A quoted opening line", "> A quoted opening line"),
        ("- an item", "- an item"),
        ("title:: My Page", "title:: My Page"),
    ],
)
def test_a_note_opening_with_markdown_is_titled_by_its_name(
    tmp_path: Path, first: str, kept: str
) -> None:
    # The line stays in the body, its picture or link with it.
    (tmp_path / "My note.md").write_text(f"{first}\n\nThe rest.\n", encoding="utf-8")
    assert imported(tmp_path) == {"My note": f"{kept}\n\nThe rest."}


def test_a_plain_first_line_is_the_title_without_its_marks(tmp_path: Path) -> None:
    (tmp_path / "note.md").write_text("**Big** news `today`\n\nThe rest.\n", encoding="utf-8")
    assert imported(tmp_path) == {"Big news today": "The rest."}


def test_an_edited_note_sorts_by_its_new_file_time(tmp_path: Path) -> None:
    # A clipping seen first, a note written after it, then the clipping appended to: it is
    # dated by its new file time and listed above the note, as the list sorts by date.
    folder = tmp_path / "vault"
    folder.mkdir()
    store = Store.open(tmp_path / "cache.db")
    source = store.ensure_source("Vault", SourceKind.LOCAL, str(folder))

    def write(name: str, text: str, when: float) -> None:
        (folder / name).write_text(text, encoding="utf-8")
        os.utime(folder / name, (when, when))
        found = load_local(folder).articles
        store.record_refresh(source, found, FetchOutcome(status=200), now=when + 10)

    write("clip1.txt", "Clip\n\nThe first paragraph.\n", T0)
    write("note.txt", "Note\n\nWritten after the clip.\n", T0 + 60)
    write("clip1.txt", "Clip\n\nThe first paragraph.\n\nAppended later.\n", T0 + 240)
    assert [row.title for row in store.page(View())] == ["Clip", "Note"]
    store.close()


def test_a_notes_apps_backups_and_hidden_folders_are_skipped(tmp_path: Path) -> None:
    for name in ["pages/Page.md", "logseq/bak/pages/Page.md", "logseq/version-files/Page.md",
                 ".trash/Page.md", ".obsidian/Page.md"]:  # fmt: skip
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("Page\n\nThe text.\n", encoding="utf-8")
    result = load_local(tmp_path)
    assert [a.title for a in result.articles] == ["Page"] and result.warnings == []


def test_a_bad_byte_and_its_escape_written_out_are_two_notes(tmp_path: Path) -> None:
    # `bad<0xff>name.md` and `bad\\xffname.md`: one guid, they took turns as one article.
    folder = tmp_path / "vault"
    folder.mkdir()
    (folder / os.fsdecode(b"bad\xffname.md")).write_text("Byte\n\nOne.\n", encoding="utf-8")
    (folder / "bad\\xffname.md").write_text("Escape\n\nTwo.\n", encoding="utf-8")
    (folder / "plain.md").write_text("Plain\n\nThree.\n", encoding="utf-8")
    store = Store.open(tmp_path / "cache.db")
    source = store.ensure_source("Vault", SourceKind.LOCAL, str(folder))
    for _ in range(2):
        found = load_local(folder).articles
        store.record_refresh(source, found, FetchOutcome(status=200))
    assert sorted(row.title for row in store.page(View())) == ["Byte", "Escape", "Plain"]
    assert {a.guid for a in found} >= {f"file:{(folder / 'plain.md').resolve()}"}  # as before
    store.close()


def test_wikilinks_read_as_the_notes_they_name(tmp_path: Path) -> None:
    # `[[Tomato plan]]` showed with its brackets, an alias's target and pipe with it.
    text = "Plan\n\nSee [[Tomato plan]], [[Compost|the heap]], [[Budget#Costs]] and [[Log#^b1]].\n"
    (tmp_path / "plan.md").write_text(text, encoding="utf-8")
    assert imported(tmp_path) == {"Plan": "See Tomato plan, the heap, Budget > Costs and Log."}


def test_an_embedded_picture_beside_the_note_is_one_of_its_pictures(tmp_path: Path) -> None:
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    text = "Garden\n\n![[photo.png]]\n\n![[missing.png|The shed]]\n\n![[Other note]]\n"
    (tmp_path / "garden.md").write_text(text, encoding="utf-8")
    [article] = load_local(tmp_path).articles
    assert article.body == "[image: photo.png] [1]\n\n[image: The shed]\n\nOther note"
    assert article.links == ((tmp_path / "photo.png").resolve().as_uri(),)


def test_inline_tags_are_the_notes_tags(tmp_path: Path) -> None:
    # Obsidian lists `#gardening` and `#plants/tomato` as the note's tags, beside its
    # front matter's; a number, a link's fragment and code are no tags.
    text = (
        "---\ntags: [Garden]\n---\n# Beds\n\nToday #gardening, #plants/tomato and #garden.\n"
        "Bed #2, see https://example.org/page#part and `#include`.\n\n```\n#fenced\n```\n"
    )
    (tmp_path / "beds.md").write_text(text, encoding="utf-8")
    [article] = load_local(tmp_path).articles
    assert article.tags == ("Garden", "gardening", "plants/tomato")
