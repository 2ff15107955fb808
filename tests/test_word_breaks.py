"""A zero-width space, the word break of Thai, Khmer, Lao and Burmese, stays in the stored text:
a search finds the words on either side of it, and a terminal shows nothing for it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.ui.data import NOW
from tests.ui.test_format import _libc_width
from tui.cells import terminal_cells
from tui.cli import main
from tui.models import ArticleRow
from tui.text import clean_body, clean_line, name_key
from tui.ui.format import RowStyles, row_text

TITLE = "Zero\u200bwidth\u200bspaces"
THAI = "ภาษา\u200bไทย"


def test_the_words_either_side_of_a_zero_width_space_are_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # It was removed on the way in: "Zerowidthspaces" was stored, and `width` found nothing.
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "note.txt").write_text(f"{TITLE}\n\nThe body says {THAI} here.\n", encoding="utf-8")
    config = tmp_path / "feeds.toml"
    config.write_text('[[sources]]\nname = "Notes"\npath = "notes"\n', encoding="utf-8")
    assert main(["--config", str(config), "refresh"]) == 0
    capsys.readouterr()
    for query in ("width", "ไทย", "ภาษา", "Zero\u200bwidth"):
        assert main(["--config", str(config), "search", "--json", query]) == 0
        assert [hit["title"] for hit in json.loads(capsys.readouterr().out)] == [TITLE], query
    # Kept in the title, it is drawn as nothing: the list's row fills exactly its width.
    row = ArticleRow(1, "Notes", f"{TITLE} {THAI}", None, NOW, None, read=False, saved=False)
    text = row_text(row, 60, NOW, RowStyles()).plain
    assert "width\u200bspaces" in text and terminal_cells(text) == _libc_width(text) == 60


def test_a_zero_width_space_between_words_stays_and_one_that_breaks_nothing_goes() -> None:
    assert clean_line(f"\u200b{TITLE} \u200bnow\u200b") == f"{TITLE} now"
    assert clean_body(f"{THAI}\u200b\n\u200bline") == f"{THAI}\nline"
    assert name_key("BBC\u200bNews") == name_key("BBCNews")  # names that look alike are one
