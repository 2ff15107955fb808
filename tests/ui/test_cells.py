"""Hindi and other Indic text is measured as terminals measure it, in the reader's lines and
where a dialog cuts a list row, so no line spills past its border; at 120x40 and 80x24. So is
Sinhala, which writes the zero-width joiner inside its words."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from rich.console import Console
from textual.geometry import Region
from textual.strip import Strip

from tests.ui.conftest import AppFactory, settle
from tests.ui.data import NOW
from tests.ui.test_format import SCRIPT_TITLES, _libc_width
from tui.models import ArticleRow, FetchOutcome, SourceKind
from tui.sources.files import load_file
from tui.store import Store
from tui.ui.format import RowStyles, count_cells_like_terminals, row_text
from tui.ui.widgets.article_body import ArticleBody
from tui.ui.widgets.reader import Reader

SAMPLES = Path(__file__).parents[2] / "samples"


@pytest.mark.parametrize("title", SCRIPT_TITLES)
@pytest.mark.parametrize("cut", [6, 21, 40])
def test_the_part_of_a_row_right_of_a_dialog_is_drawn_whole(title: str, cut: int) -> None:
    """A dialog over the list keeps only each row's cells left and right of it."""
    count_cells_like_terminals()  # the app does this when it is built
    width = 80
    row = ArticleRow(1, "Samples", title, None, NOW, None, read=False, saved=False)
    strip = Strip(list(row_text(row, width, NOW, RowStyles()).render(Console())), width)
    right = strip.crop(width - cut, width)
    assert _libc_width(right.text) == cut and right.text.endswith(" now")


def body_lines(reader: Reader) -> tuple[int, list[str]]:
    """The reader body's width and its lines as drawn."""
    body = reader.query_one(ArticleBody)
    width, height = body.size
    return width, [strip.text for strip in body.render_lines(Region(0, 0, width, height))]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_hindi_lines_in_the_reader_stay_inside_the_pane(
    new_app: AppFactory, store: Store, size: tuple[int, int]
) -> None:
    [article], _ = load_file(SAMPLES / "hi-water-harvesting.md")
    source = store.ensure_source("Samples", SourceKind.LOCAL, str(SAMPLES))
    article = dataclasses.replace(article, published=None)
    store.record_refresh(source, [article], FetchOutcome(), now=2 * 10**9)
    app = new_app()
    async with app.run_test(size=size) as pilot:
        reader = app.screen.query_one(Reader)
        await settle(pilot)
        await pilot.press("g", "enter")
        await settle(pilot)
        assert reader.article is not None and reader.article.row.title.startswith("गाँव")
        width, lines = body_lines(reader)
        assert sum("राजस्थान" in line for line in lines) == 1 and len(lines) > 3
        assert all(_libc_width(line) == width for line in lines)


SINHALA = (
    "ශ්\u200dරී ලංකාවේ කඳුකර ප්\u200dරදේශවල තේ වතු කම්කරුවන් වැසි ජලය එකතු කිරීමේ නව "
    "ව්\u200dයාපෘතියක් ආරම්භ කළහ. ප්\u200dරාදේශීය සභාව ශ්\u200dරී පාද කන්ද අසල ටැංකි දහයක් "
    "ඉදි කළ අතර, ගම්වාසීන් ක්\u200dරමයෙන් ඒවා නඩත්තු කරති."
)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_sinhala_lines_with_joiners_stay_inside_the_pane(
    new_app: AppFactory, store: Store, tmp_path: Path, size: tuple[int, int]
) -> None:
    # Rich counts the letter after a joiner as no cell; terminals count it. The body keeps its
    # joiners (search and exports have them), the reader draws the letters without them.
    note = tmp_path / "si.txt"
    note.write_text(f"ශ්\u200dරී ලංකාවේ වැසි ජලය\n\n{SINHALA}\n\n{SINHALA}\n", encoding="utf-8")
    [article], _ = load_file(note)
    assert article.body.count("\u200d") == 12
    source = store.ensure_source("Notes", SourceKind.LOCAL, str(tmp_path))
    store.record_refresh(source, [article], FetchOutcome(), now=2 * 10**9)
    app = new_app()
    async with app.run_test(size=size) as pilot:
        reader = app.screen.query_one(Reader)
        await settle(pilot)
        await pilot.press("g", "enter")
        await settle(pilot)
        assert reader.article is not None and reader.article.text.count("\u200d") == 12
        width, lines = body_lines(reader)
        assert len(lines) > 3 and all(_libc_width(line) == width for line in lines)
        assert sum("ව්යාපෘතියක්" in line for line in lines) == 2  # drawn without its joiner
