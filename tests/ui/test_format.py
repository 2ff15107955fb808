"""Row formatting: cell widths with CJK, emoji and RTL; relative dates; highlights."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from tests.ui.data import NOW
from tui.models import MATCH_CLOSE, MATCH_OPEN, ArticleRow
from tui.ui.body import BodyStyles, body_parts
from tui.ui.format import (
    RowStyles,
    highlight_terms,
    reading_time,
    relative_age,
    row_text,
    snippet_text,
    terminal_cells,
)

TITLES = (
    "Plain ASCII title that is quite long indeed, longer than any column",
    "東京で新しい電池リサイクル工場が稼働しました、とても長いタイトルです",
    "Emoji 🔋🚀👩‍💻 in the middle of a headline that goes on and on",
    "مرحبا بالعالم هذا عنوان طويل جدا باللغة العربية",
    "",
)


@pytest.mark.parametrize("width", [20, 40, 49, 50, 80, 117])
@pytest.mark.parametrize("title", TITLES)
def test_rows_fill_exactly_the_width(title: str, width: int) -> None:
    row = ArticleRow(1, "東京ニュース source", title, None, NOW - timedelta(hours=3), None,
                     False, True)  # fmt: skip
    text = row_text(row, width, NOW, RowStyles())
    assert cell_len(text.plain) == width
    assert text.plain.rstrip().endswith("3h")


def test_columns_line_up_across_scripts() -> None:
    rows = [ArticleRow(i, "Src", t, None, NOW, None, True, False) for i, t in enumerate(TITLES)]
    lines = [row_text(r, 80, NOW, RowStyles()).plain for r in rows]
    source_columns = {cell_len(line[: line.rindex("Src")]) for line in lines}
    assert len(source_columns) == 1


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(seconds=5), "now"),
        (timedelta(minutes=5), "5m"),
        (timedelta(hours=3), "3h"),
        (timedelta(hours=47), "47h"),
        (timedelta(days=2), "2d"),
        (timedelta(days=59), "59d"),
        (timedelta(days=90), "2mo"),
        (timedelta(days=400), "1y"),
        (timedelta(seconds=-30), "now"),
        (timedelta(hours=-3), "+3h"),
        (timedelta(days=-1), "+24h"),
        (timedelta(days=-59), "+59d"),
        (timedelta(days=-90), "+2mo"),
        (timedelta(days=-330), "+1y"),
        (timedelta(days=-366 * 200), "+99y"),
    ],
)
def test_relative_age(delta: timedelta, expected: str) -> None:
    assert relative_age(NOW - delta, NOW) == expected
    assert cell_len(expected) <= 4


def test_relative_age_without_a_date() -> None:
    assert relative_age(None, NOW) == ""


def test_reading_time() -> None:
    assert reading_time("word " * 10) == "1 min read"
    assert reading_time("word " * 2300) == "10 min read"


def test_highlight_ignores_case_and_accents() -> None:
    text = highlight_terms(Text("Élection à Zürich"), ["election", "zurich*"], "bold")
    spans = [(s.start, s.end) for s in text.spans]
    assert spans == [(0, 8), (11, 17)]


def test_snippet_markers_become_highlights() -> None:
    text = snippet_text(f"a {MATCH_OPEN}word{MATCH_CLOSE} in\ntext", Style(bold=True))
    assert text.plain == "a word in text"
    assert [(s.start, s.end) for s in text.spans] == [(2, 6)]


def test_only_real_link_numbers_are_highlighted() -> None:
    styles = BodyStyles(link=Style(bold=True))
    [flow] = body_parts("see [1], [2] and [3] or [bold]", ("a", "b"), styles)
    text = flow.text
    assert isinstance(text, Text)
    assert text.plain == "see [1], [2] and [3] or [bold]"
    assert [(s.start, s.end) for s in text.spans] == [(4, 7), (9, 12)]


def _libc_width(text: str) -> int:
    """What glibc's wcwidth (used by xterm, tmux and VTE) makes of `text`, cell by cell."""
    import ctypes
    import locale

    locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
    libc = ctypes.CDLL("libc.so.6")
    libc.wcwidth.argtypes = [ctypes.c_wchar]
    return sum(max(0, libc.wcwidth(char)) for char in text)


SCRIPT_TITLES = [
    "गाँव की महिलाओं ने वर्षा जल संचयन से सूखे कुएँ फिर भर दिए",  # Devanagari vowel signs
    "மழைநீர் சேகரிப்பு கிராமத்தை மாற்றியது",  # Tamil
    "مكتبة متنقلة تجوب قرى الصحراء على ظهور الجمال",
    "ตลาดนัดกลางคืนริมแม่น้ำเปิดโซนอาหารปลอดพลาสติก",
    "東京で新しい電池リサイクル工場が稼働",
    "ශ්\u200dරී ලංකාවේ කඳුකර ප්\u200dරදේශවල ව්\u200dයාපෘතියක් ආරම්භ විය",  # joiners
]


def test_an_emoji_sequence_is_drawn_as_its_emoji_where_every_terminal_counts_it_alike() -> None:
    # tmux and xterm draw 👩‍💻 as its two emoji, four cells, where Rich counts two: a row
    # holding it ran past its border there. Without the joiner every terminal gives four.
    title = "\U0001f469\u200d\U0001f4bb Coding night at the library"
    row = ArticleRow(1, "Dev\u200d blog", title, None, NOW, None, read=False, saved=False)
    text = row_text(row, 60, NOW, RowStyles())
    assert "\U0001f469\U0001f4bb Coding night" in text.plain and "Dev blog" in text.plain
    assert "\u200d" not in text.plain
    assert terminal_cells(text.plain) == cell_len(text.plain) == _libc_width(text.plain) == 60


@pytest.mark.parametrize("title", SCRIPT_TITLES)
@pytest.mark.parametrize("width", [40, 57, 80, 89, 119])
def test_rows_fill_exactly_their_width_as_the_terminal_counts(title: str, width: int) -> None:
    row = ArticleRow(1, "सूत्र स्रोत", title, None, NOW, None, read=False, saved=False)
    text = row_text(row, width, NOW, RowStyles())
    assert terminal_cells(text.plain) == width
    assert _libc_width(text.plain) == width


def test_a_title_shows_the_words_the_search_found_not_pieces_of_others() -> None:
    title = "Bahnhofstrasse: die Straße zu, ＦＮＶ report"
    text = highlight_terms(Text(title), ["strasse", "fnv", "rep*"], "bold")
    assert [title[s.start : s.end] for s in text.spans] == ["Straße", "ＦＮＶ", "report"]
