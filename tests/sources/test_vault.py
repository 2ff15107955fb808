"""A notes app's folder (Obsidian, Logseq) as a local source: its notes' titles, what it keeps
beside them, its file names."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.sources.files import load_local


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
