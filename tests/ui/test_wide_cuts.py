"""Where the TUI cuts and breaks wide text: a title is cut between grapheme clusters (never
after a joiner, nor before a vowel sign or a skin tone), the `…` comes right after the last
character kept (the padding after it, where a wide character does not fit), and an outlet's
line under "Also reported by" breaks between its parts, never after a ` · `."""

from __future__ import annotations

from itertools import accumulate

import pytest

from tests.ui.data import NOW
from tests.ui.test_format import _libc_width
from tui.cells import DRAWING, drawable, terminal_cells
from tui.models import ArticleRow
from tui.ui.format import RowStyles, count_cells_like_terminals, row_text

TITLES = (
    "👩\u200d👩\u200d👧 Family day 🇮🇹 in Roma ❤️ 👍🏽 — big crowds at the harbour",
    "जल संरक्षण: गाँव में वर्षा जल संचयन की नई परियोजना शुरू",
    "👩🏽\u200d💻 Coding night: 🇫🇷🇩🇪 flags, 1️⃣ keycaps and 👍🏿 tones",
    "Cafe\u0301 re\u0301sume\u0301 nai\u0308ve — combining accents, decomposed",
    "ตลาดนัดริมแม่น้ำเปิดใหม่ คนแน่นทุกคืน",
)


def cluster_starts(text: str) -> set[str]:
    """Every start of `text` that ends between two grapheme clusters, as the `regex` module
    finds them (Unicode's rules, apart from the app's own)."""
    regex = pytest.importorskip("regex")
    return set(accumulate(regex.findall(r"\X", text), initial=""))


@pytest.mark.parametrize("joins", [False, True], ids=["xterm", "kitty"])
@pytest.mark.parametrize("width", range(50, 81))
def test_a_list_row_cuts_its_title_between_grapheme_clusters(
    width: int, joins: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At 50, 58 and 64 columns the title column ended in `परियोजन…` (its vowel sign dropped)
    # or, where the terminal joins emoji, in `👩‍…` (the joiner glued the `…` to the emoji).
    monkeypatch.setattr(DRAWING, "joins", joins)
    count_cells_like_terminals()  # the app does this when it is built
    for title in TITLES:
        row = ArticleRow(1, "Notes", title, None, NOW, None, read=False, saved=False)
        line = row_text(row, width, NOW, RowStyles(), with_source=False).plain
        assert terminal_cells(line) == width
        shown, cut, _ = line[3:].partition("…")
        assert not cut or shown in cluster_starts(drawable(title)), (width, shown[-4:])


def test_the_ellipsis_follows_a_wide_source_name_and_the_padding_comes_after() -> None:
    # At 80 columns the source column read `人民日报 海 …`: the pad went before the `…`.
    row = ArticleRow(1, "人民日报 海外版", "中国央行降息", None, NOW, None, read=False, saved=False)
    line = row_text(row, 80, NOW, RowStyles()).plain
    assert "人民日报 海… " in line and " …" not in line
    assert _libc_width(line) == 80
