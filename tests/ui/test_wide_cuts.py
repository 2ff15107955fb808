"""Where the TUI cuts and breaks wide text: a title is cut between grapheme clusters (never
after a joiner, nor before a vowel sign or a skin tone), the `…` comes right after the last
character kept (the padding after it, where a wide character does not fit), and an outlet's
line under "Also reported by" breaks between its parts, never after a ` · `."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from itertools import accumulate
from pathlib import Path

import pytest
import regex
from textual.widgets import Static

from tests.stories.test_detection import PORT
from tests.ui.conftest import AppFactory, settle
from tests.ui.data import NOW, make_config
from tests.ui.test_format import _libc_width
from tests.ui.test_hostile_names import screen_text
from tests.ui.test_reading import parts
from tui.cells import DRAWING, clusters, drawable, ellipsized, terminal_cells
from tui.config import SourceConfig
from tui.models import Article, ArticleRow, FetchOutcome, SourceKind
from tui.store import Store
from tui.stories.grouping import group_stories
from tui.ui.format import RowStyles, count_cells_like_terminals, row_text

TITLES = (
    "👩\u200d👩\u200d👧 Family day 🇮🇹 in Roma ❤️ 👍🏽 — big crowds at the harbour",
    "जल संरक्षण: गाँव में वर्षा जल संचयन की नई परियोजना शुरू",
    "👩🏽\u200d💻 Coding night: 🇫🇷🇩🇪 flags, 1️⃣ keycaps and 👍🏿 tones",
    "Cafe\u0301 re\u0301sume\u0301 nai\u0308ve — combining accents, decomposed",
    "ตลาดนัดริมแม่น้ำเปิดใหม่ คนแน่นทุกคืน",
    "अक्\u200dषर लेख",
    "ស្រី…",
    "अक्\u200dषर, पक्\u200dष और विपक्\u200dष: शिक्\u200dषा मंत्री की परीक्\u200dषा नीति पर संसद में बहस",
    "ស្ត្រី ខ្មែរ ក្នុង ស្រុក ប្រកួត ប្រជែង ស្រូវ ល្អ បំផុត នៅ ខេត្ត ក្រចេះ ក្នុង ឆ្នាំ ថ្មី",
    "ဗုဒ္ဓ ပုဂ္ဂိုလ် သိက္ခ",
)


def cluster_starts(text: str) -> set[str]:
    """Every start of `text` that ends between two grapheme clusters, as the `regex` module
    finds them (Unicode's rules, apart from the app's own)."""
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


def test_a_title_falls_into_the_grapheme_clusters_unicode_gives() -> None:
    # `अक्‍षर` fell apart after its joiner and `ស្រី` after its coeng: cut to 3 and 2 cells
    # they read `अक्‍…` and `ស្…`, a dangling joiner and a subscript with nothing under it.
    for title in TITLES:
        assert list(clusters(title)) == regex.findall(r"\X", title), title


def test_a_cut_keeps_a_conjunct_whole_and_only_a_consonant_joins_one() -> None:
    assert ellipsized("अक्\u200dषर लेख", 3) == "अ…"
    assert ellipsized("ស្រី…", 2) == "…"
    assert ellipsized("पन्अ लेख", 3) == "पन्…"  # a virama before a vowel ends its cluster


def test_the_ellipsis_follows_a_wide_source_name_and_the_padding_comes_after() -> None:
    # At 80 columns the source column read `人民日报 海 …`: the pad went before the `…`.
    row = ArticleRow(1, "人民日报 海外版", "中国央行降息", None, NOW, None, read=False, saved=False)
    line = row_text(row, 80, NOW, RowStyles()).plain
    assert "人民日报 海… " in line and " …" not in line
    assert _libc_width(line) == 80


@pytest.mark.parametrize("name", ["壊れたフィード" * 3, "x壊れたフィード" * 3])
async def test_the_status_line_ends_in_an_ellipsis_right_after_its_text(
    new_app: AppFactory, store: Store, tmp_path: Path, name: str
) -> None:
    # At 60x20 the status line naming a failing source read `! 2 failing: ... 壊れ …`.
    url = "http://127.0.0.1:9/feed"
    failing = store.ensure_source(name, SourceKind.WEB, url)
    store.record_refresh(failing, None, FetchOutcome(status=404, error="HTTP 404"))
    config = make_config(tmp_path)
    config = replace(config, sources=(*config.sources, SourceConfig(name, url=url)))
    async with new_app(config=config).run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        line = screen_text(pilot.app).splitlines()[-2]  # the status line, above the keys
        assert "failing: " in line and _libc_width(line) == 60
        assert line.rstrip()[-1] == "…" and line.rstrip()[-2] != " "  # the padding after it


async def test_an_other_outlet_s_line_breaks_before_its_separator(
    new_app: AppFactory, tmp_path: Path
) -> None:
    # At 80x24 a Chinese headline under "Also reported by" went to the next line and left
    # `  新华社 中文新闻 · 5h ·` ending the one before.
    store = Store.open(tmp_path / "stories.db")
    headline = "鹿特丹码头工人因自动化计划举行罢工" * 3
    outlets = (
        ("新华社 中文新闻", headline, PORT, 5),
        ("Herald", "Port strike", "UPDATE: " + PORT, 4),
    )
    new: list[int] = []
    for source, title, body, hours in outlets:  # the Herald's, with the most text, is listed
        source_id = store.ensure_source(source, SourceKind.WEB, f"https://{hours}.example/feed")
        article = Article(
            title=title, body=body, guid=title, published=NOW - timedelta(hours=hours)
        )
        new += store.record_refresh(source_id, [article], FetchOutcome(200)).new_ids
    group_stories(store, new)
    async with new_app(store=store, config=make_config(tmp_path)).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _, _, reader = parts(pilot.app)
        await pilot.press("enter")
        await settle(pilot)
        assert reader.article is not None and reader.article.row.source == "Herald"
        header = reader.query_one("#reader-meta", Static)
        lines = [header.render_line(y).text.rstrip() for y in range(header.size.height)]
        also = lines[lines.index("Also reported by (A opens each):") + 1 :]
        assert also[0] == "  新华社 中文新闻 · 5h"
        assert "".join(line.strip() for line in also[1:]) == headline
