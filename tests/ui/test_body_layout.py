"""The article body as the reader draws it: the lines a user reads, at a given width.

Blocks keep their shape on screen: list numbers as written (nested lists count on their
own), hanging indents under list items and the quote bar on every line, code verbatim, tables
one row block with their columns lined up.
"""

from __future__ import annotations

from collections.abc import Iterable

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.containers import Lines
from rich.text import Text

from tui.content.readable import html_to_text
from tui.ui.body import BodyStyles, Run, body_parts, wrapped
from tui.ui.body_table import Row, table_rows
from tui.ui.breaks import ascii_cuts, word_cuts


def shown(body: str, width: int = 40) -> list[str]:
    """The reader's lines for `body` at `width` cells (trailing spaces dropped)."""
    console = Console(width=width, color_system=None, legacy_windows=False)
    lines: list[str] = []
    for part in wrapped(body_parts(body, (), BodyStyles()), console, width):
        assert isinstance(part, Run)
        lines += [strip.text.rstrip() for strip in part.lines]
    return lines


def test_nested_ordered_lists_count_on_their_own() -> None:
    body = "1. First\n2. Second\n   1. Sub one\n   2. Sub two\n3. Third"
    assert shown(body) == ["1. First", "2. Second", "   1. Sub one", "   2. Sub two", "3. Third"]


def test_html_lists_keep_their_numbers() -> None:
    html = (
        "<ol><li>First</li><li>Second<ol><li>Second.one</li></ol></li><li>Third</li></ol>"
        '<ol start="7"><li>Seven</li><li>Eight</li></ol>'
    )
    assert shown(html_to_text(html).text) == [
        "1. First",
        "2. Second",
        "   1. Second.one",
        "3. Third",
        "",
        "7. Seven",
        "8. Eight",
    ]


def test_a_nested_list_starts_under_its_parents_text_without_blank_lines() -> None:
    # A list of the other kind (numbers in bullets) was set apart by blank lines, and items
    # under `9.` and `10.` started two cells in, left of their parent's text.
    html = (
        "<ul><li>Bullet<ul><li>Nested bullet<ol><li>deep one</li><li>deep two</li></ol>"
        "</li></ul></li><li>Bullet three</li></ul>"
        '<ol start="9"><li>Ninth<ol><li>nested one</li></ol></li><li>Tenth<ul><li>bullet'
        "</li></ul></li><li>Eleventh</li></ol>"
    )
    assert shown(html_to_text(html).text) == [
        "• Bullet",
        "  • Nested bullet",
        "    1. deep one",
        "    2. deep two",
        "• Bullet three",
        "",
        "9. Ninth",
        "   1. nested one",
        "10. Tenth",
        "    • bullet",
        "11. Eleventh",
    ]


def test_markdown_lists_written_with_one_number_count_up() -> None:
    assert shown("1. a\n1. b\n1. c") == ["1. a", "2. b", "3. c"]


def test_setext_headings_are_headings_not_text_and_a_rule() -> None:
    body = "Setext H1\n=========\n\nSetext H2\n---------\n\nText\n\n---\n\nEnd"
    assert shown(body) == ["SETEXT H1", "", "Setext H2", "", "Text", "", "─" * 24, "", "End"]


def test_an_escaped_pipe_stays_in_its_cell() -> None:
    body = "| Name | Value |\n|------|-------|\n| pipe | a \\| b |\n| plain | c |"
    assert shown(body) == ["Name  │ Value", "pipe  │ a | b", "plain │ c"]


def test_a_wrapped_quote_keeps_its_bar_on_every_line() -> None:
    body = "> A quoted paragraph long enough to wrap onto more lines here.\n"
    body += ">> Nested one wraps too."
    assert shown(body, 30) == [
        "▌ A quoted paragraph long",
        "▌ enough to wrap onto more",
        "▌ lines here.",
        "▌ ▌ Nested one wraps too.",
    ]


def test_a_wrapped_list_item_goes_on_under_its_text() -> None:
    body = "- Bullet item whose text is long enough to wrap\n  - nested item that wraps as well\n"
    body += "\n12. numbered item whose text wraps"
    assert shown(body, 24) == [
        "• Bullet item whose text",
        "  is long enough to wrap",
        "  • nested item that",
        "    wraps as well",
        "",
        "12. numbered item whose",
        "    text wraps",
    ]


def test_a_long_first_word_or_cjk_text_stays_beside_its_marker() -> None:
    assert shown("- Donaudampfschifffahrtsgesellschaft ok\n> quote Donaudampfschiff", 16) == [
        "• Donaudampfschi",
        "  fffahrtsgesell",
        "  schaft ok",
        "",
        "▌ quote",
        "▌ Donaudampfschi",
        "▌ ff",
    ]
    assert shown("1. 東京都渋谷区で新しい図書館が開館しました。", 16) == [
        "1. 東京都渋谷区",
        "   で新しい図書",
        "   館が開館しま",
        "   した。",
    ]


KOREAN = (
    "서울시는 2025년부터 모든 공공도서관에서 전자책 대출 서비스를 무료로 제공한다고 밝혔다. "
    "시민들은 스마트폰 앱(Seoul Library)으로 최대 10권까지 빌릴 수 있으며, 대출 기간은 "
    "2주이다. 東京でも同じ試みが始まった。"
)


def test_korean_breaks_between_words_chinese_and_japanese_anywhere() -> None:
    # Korean is written with spaces between words: "있으|며" and "대|출" split words.
    assert shown(KOREAN, 40) == [
        "서울시는 2025년부터 모든 공공도서관에서",
        "전자책 대출 서비스를 무료로 제공한다고",
        "밝혔다. 시민들은 스마트폰 앱(Seoul",
        "Library)으로 최대 10권까지 빌릴 수",
        "있으며, 대출 기간은 2주이다. 東京でも同",
        "じ試みが始まった。",
    ]
    assert shown(KOREAN, 80) == [
        "서울시는 2025년부터 모든 공공도서관에서 전자책 대출 서비스를 무료로 제공한다고",
        "밝혔다. 시민들은 스마트폰 앱(Seoul Library)으로 최대 10권까지 빌릴 수 있으며,",
        "대출 기간은 2주이다. 東京でも同じ試みが始まった。",
    ]


def test_a_korean_word_wider_than_the_line_is_broken_at_the_width() -> None:
    assert shown("- 국가인권위원회사무총장 직무대행", 16) == [
        "• 국가인권위원회",
        "  사무총장",
        "  직무대행",
    ]


def test_code_is_verbatim_and_broken_at_the_width_under_its_indent() -> None:
    body = '```\nx = "a long line of code, not words"\n\tif True:\n```'
    assert shown(body, 20) == ['  x = "a long line o', '  f code, not words"', "          if True:"]


def test_code_wrapped_goes_on_under_its_lines_own_indent_while_it_leaves_half_the_width() -> None:
    body = "```\ndef f():\n    return compute(argument, other)\n" + " " * 12 + "deep(x, y, z)\n```"
    assert shown(body, 24) == [
        "  def f():",
        "      return compute(arg",
        "      ument, other)",
        "              deep(x, y,",  # an indent past half the width: under the margin
        "   z)",
    ]


def test_a_table_wider_than_the_reader_wraps_its_cells_inside_their_columns() -> None:
    body = "| Country | Capital | Notes |\n|---|---|---|\n"
    body += "| Japan | Tokyo | long long long text here |\n| France | Paris | x |"
    assert shown(body, 30) == [
        "Country │ Capital │ Notes",
        "Japan   │ Tokyo   │ long long",
        "        │         │ long text",
        "        │         │ here",
        "France  │ Paris   │ x",
    ]


def test_a_cell_wider_than_a_column_wraps_inside_it_on_a_wide_reader() -> None:
    word = "Donaudampfschifffahrtsgesellschaftskapitän" * 2
    lines = shown(f"A | B\n{word} | short\nx | y", 100)
    assert lines == [
        "A" + " " * 39 + " │ B",
        word[:40] + " │ short",
        word[40:80] + " │",
        word[80:].ljust(40) + " │",
        "x" + " " * 39 + " │ y",
    ]


def test_a_table_whose_columns_cannot_fit_is_shown_a_row_at_a_time() -> None:
    # 12 columns in 40 cells: one cell each, and the columns past the 10th were cut.
    heads = " | ".join(f"Head{i}" for i in range(12))
    row = " | ".join(f"2026-01-{i:02d}" for i in range(1, 13))
    body = f"Intro.\n\n| {heads} |\n|{'---|' * 12}\n| {row} |\n| {row.replace('01-', '02-')} |"
    lines = shown(body, 40)
    assert lines[:6] == ["Intro.", "", "[table: 12 columns, a row at a time]", "", *[
        "Head0: 2026-01-01", "Head1: 2026-01-02"]]  # fmt: skip
    assert "Head11: 2026-01-12" in lines and "Head11: 2026-02-12" in lines
    assert lines.count("") == 3  # the intro, the notice and each row apart
    assert max(len(line) for line in lines) <= 40


class Passes(Text):
    """A table's line that counts the passes over its styles (each slice of a Text is one)."""

    passes = 0

    def divide(self, offsets: Iterable[int]) -> Lines:
        self.passes += 1
        return super().divide(offsets)


def table_line(cells: list[str]) -> tuple[Passes, Row]:
    line, spans = Passes(), []
    for index, cell in enumerate(cells):
        if index:
            line.append(" │ ", "dim")
        spans.append((len(line), len(line) + len(cell)))
        line.append(cell, "bold")
    return line, Row(tuple(spans), (6,) * len(cells), Text(" │ "), 1 if cells[0][0] == "r" else 0)


def test_a_row_of_a_500_column_table_is_cut_into_its_cells_in_one_pass() -> None:
    # A cell at a time went through all the styles of the row: 30 s to open such a table.
    header = table_line([f"h{column}" for column in range(500)])
    line, row = table_line([f"r1c{column}" for column in range(500)])
    console = Console(width=40, color_system=None, legacy_windows=False)
    texts = [strip.text for strip in table_rows(line, row, header, console, 40)]
    assert texts[:3] == ["", "h0: r1c0", "h1: r1c1"] and texts[-1] == "h499: r1c499"
    assert line.passes == 1 and header[0].passes == 1


def test_a_record_line_wider_than_the_reader_goes_on_under_its_start() -> None:
    heads = " | ".join(f"h{i}" for i in range(10))
    row = " | ".join(["a long cell of words that wraps", *"bcdefghij"])
    lines = shown(f"{heads}\n{row}", 20)
    assert lines[:6] == [
        "[table: 10 columns,",
        "  a row at a time]",
        "",
        "h0: a long cell of",
        "  words that wraps",
        "h1: b",
    ]


def test_paragraphs_of_a_quote_stay_apart() -> None:
    first = "A quote paragraph that is fairly long and goes on for more than sixty characters."
    assert shown(f"> {first}\n>\n> Second paragraph.", 100) == [
        f"▌ {first}",
        "▌",
        "▌ Second paragraph.",
    ]


def test_an_items_second_paragraph_wraps_under_the_items_text() -> None:
    html = "<ul><li><p>First paragraph.</p><p>Second paragraph that wraps here.</p></li></ul>"
    assert shown(html_to_text(html).text, 20) == [
        "• First paragraph.",
        "",
        "  Second paragraph",
        "  that wraps here.",
    ]


def test_an_items_next_paragraph_stays_in_the_list_under_the_items_text() -> None:
    # Under `1. ` it stood two cells in, left of the item's text, and the next item came
    # after a blank line, a list of its own; under a nested item it read as code. The code
    # after a list is still code.
    html = (
        "<ol><li><p>One.</p><p>Its second paragraph.</p></li><li>Two<ul><li><p>deep</p>"
        "<p>deep's second</p></li></ul></li></ol><pre>code after</pre>"
    )
    expected = [
        "1. One.",
        "",
        "   Its second paragraph.",
        "2. Two",
        "   • deep",
        "     deep's second",
        "",
        "  code after",
    ]
    assert shown(html_to_text(html).text) == expected
    markdown = "1. One.\n\n   Its second paragraph.\n2. Two\n   - deep\n     deep's second"
    assert shown(markdown + "\n\n    code after") == expected


CHINESE = "每个汉字占用两个单元格的宽度，而且不能超出边框。经济新闻和东京的消息（新闻）。"


def test_closing_punctuation_never_starts_a_row_nor_an_opening_bracket_ends_one() -> None:
    # Kinsoku: `，` and `。` went alone to the start of a row, `（` ended one.
    assert shown(CHINESE, 28) == [
        "每个汉字占用两个单元格的宽",
        "度，而且不能超出边框。经济新",
        "闻和东京的消息（新闻）。",
    ]
    assert shown(CHINESE, 38)[1:] == ["超出边框。经济新闻和东京的消息（新", "闻）。"]
    for width in range(8, 41):
        rows = shown(CHINESE, width)
        assert not [row for row in rows if row[0] in "，。）" or row[-1] == "（"], width


def test_two_dashes_under_a_line_are_not_a_heading() -> None:
    assert shown("Regards,\nJohn\n--\nFooter") == ["Regards,", "John", "--", "Footer"]


@given(st.text(alphabet="ab c", max_size=60), st.integers(0, 3), st.integers(1, 14))
def test_plain_ascii_lines_wrap_as_every_other_line(plain: str, lead: int, width: int) -> None:
    # ASCII text takes a quicker path (a row at a time): its rows break at the same places.
    lead = min(lead, len(plain))
    if len(plain) - lead > width:
        assert ascii_cuts(plain, lead, width) == list(word_cuts(plain, lead, width))
