"""The reader shows an article's structure and images, zooms, jumps between search matches,
and plays or downloads enclosures; at 120x40 and 80x24."""

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Static

import tui.ui.widgets.reader_build as reader_build
from tests.feedserver import FeedServer
from tests.ui.conftest import AppFactory, record_notifications, settle
from tests.ui.data import NOW, make_config
from tui.models import Article, Enclosure, FetchOutcome, SourceKind
from tui.offline.media import MB, cached, size_text
from tui.sources.files import load_file
from tui.store import Store
from tui.ui.body_wrap import Lines
from tui.ui.widgets.article_body import ArticleBody
from tui.ui.widgets.reader import Reader
from tui.ui.widgets.reader_attachments import Attachments

SAMPLE = Path(__file__).parents[2] / "samples" / "md-harbour-sensors.md"
SIZES = [(120, 40), (80, 24)]


def add_sample(
    store: Store, enclosures: tuple[Enclosure, ...] = (), links: tuple[str, ...] | None = None
) -> None:
    """Put the bundled structured sample in the store (with `links` for its own, when given),
    undated and first seen at the tests' frozen now (the newest, so it is the first row)."""
    [article], problem = load_file(SAMPLE)
    assert problem is None
    links = article.links if links is None else links
    article = dataclasses.replace(article, published=None, enclosures=enclosures, links=links)
    source = store.ensure_source("Samples", SourceKind.LOCAL, str(SAMPLE.parent))
    store.record_refresh(source, [article], FetchOutcome(), now=NOW.timestamp())


def body_text(reader: Reader) -> str:
    body = reader.query_one("#reader-body", ArticleBody)
    return "\n".join(text.plain for _, text in body.runs)


def body_lines(reader: Reader) -> list[str]:
    """Every row of the body as drawn, pictures included (whether in view or not)."""
    body = reader.query_one("#reader-body", ArticleBody)
    region = Region(0, 0, body.size.width, len(body.rows))
    return [strip.text for strip in body.render_lines(region)]


def picture_rows(reader: Reader) -> list[int]:
    """The rows of the body a picture is drawn in (half blocks)."""
    return [number for number, line in enumerate(body_lines(reader)) if "▀" in line]


def attachment_lines(reader: Reader) -> list[str]:
    """The attachment lines the reader lists."""
    attachments = reader.query_one(Attachments)
    return [str(attachments.get_option_at_index(n).prompt) for n in range(attachments.option_count)]


async def open_sample(pilot: object, reader: Reader) -> None:
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press("g", "enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert reader.article is not None and "tide sensors" in reader.article.row.title


@pytest.mark.parametrize("size", SIZES)
async def test_structure_is_drawn_without_marks(
    new_app: AppFactory, store: Store, tmp_path: Path, size: tuple[int, int]
) -> None:
    add_sample(store)
    app = new_app(config=make_config(tmp_path, images="off"))
    async with app.run_test(size=size) as pilot:
        reader = app.screen.query_one(Reader)
        await open_sample(pilot, reader)
        text = body_text(reader)
        assert "What the sensors measure" in text and "## " not in text
        # No line loses its end to the scrollbar: the body was wrapped before its lines made
        # the reader scroll, then the scrollbar took every full line's last column.
        body = reader.query_one("#reader-body", ArticleBody)
        assert reader.max_scroll_y > 0  # long enough to scroll
        text_rows = [
            row for row in body.rows if isinstance(row, tuple) and isinstance(row[0], Lines)
        ]
        widest = max(lines[index].cell_length for lines, index in text_rows)
        assert widest <= body.size.width == reader.scrollable_content_region.width
        assert widest >= body.size.width - 12  # full lines, wrapped to that width
        assert "• Water temperature" in text and "1. The sensor sends" in text
        assert "▌ " in text and "**" not in text and "```" not in text
        assert "  curl -s https://example.org/tides/north-pier.csv \\" in text
        assert any("North pier  │ 4.21" in line for line in body_lines(reader))  # aligned
        assert "[image: Water levels over one day at the north pier] [1]" in text
        assert not picture_rows(reader)


@pytest.mark.parametrize("size", SIZES)
async def test_images_are_drawn_in_half_blocks_after_a_placeholder(
    new_app: AppFactory, store: Store, tmp_path: Path, size: tuple[int, int]
) -> None:
    add_sample(store)
    app = new_app(config=make_config(tmp_path, images="blocks"))
    async with app.run_test(size=size) as pilot:
        reader = app.screen.query_one(Reader)
        await open_sample(pilot, reader)
        await settle(pilot)
        rows = picture_rows(reader)
        assert len(rows) >= 3  # its own size: where it sits may be scrolled out of view
        label = body_lines(reader)[rows[-1] + 1]
        assert label.startswith("[image: Water levels over one day at the north pier] [1]")
        assert "[image: Water levels" not in body_text(reader)


@pytest.mark.parametrize("size", SIZES)
async def test_z_gives_the_reader_the_whole_screen_and_back(
    new_app: AppFactory, store: Store, size: tuple[int, int]
) -> None:
    add_sample(store)
    app = new_app()
    async with app.run_test(size=size) as pilot:
        reader = app.screen.query_one(Reader)
        await open_sample(pilot, reader)
        before = reader.region.height
        await pilot.press("z")
        await pilot.pause()
        assert reader.is_maximized and reader.region.height == size[1] - 1  # all but the footer
        assert reader.region.height > before
        await pilot.press("z")
        await pilot.pause()
        assert not reader.is_maximized and reader.region.height == before


async def test_zooming_keeps_the_place_in_the_article_and_keys_move_on_from_it(
    new_app: AppFactory, store: Store
) -> None:
    # At the end of an article, z and z again: Textual cut the scroll to the taller view's
    # end but kept where keys scroll on from: back unzoomed, the reader showed a place near
    # the top, and the next key jumped a screenful.
    add_sample(store)
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        reader = app.screen.query_one(Reader)
        await open_sample(pilot, reader)
        await pilot.press("G")
        await pilot.pause()
        end = reader.scroll_y
        assert end > 0
        await pilot.press("z")
        await settle(pilot)
        assert reader.scroll_y == reader.max_scroll_y  # at the end, zoomed
        await pilot.press("z")
        await settle(pilot)
        assert reader.scroll_y == end  # at the end again
        await pilot.press("k")
        await settle(pilot)
        assert reader.scroll_y == end - 1  # one line up, not a jump


async def open_found(pilot: Pilot[Any], word: str) -> None:
    """Search `word` and open the first article found."""
    await settle(pilot)
    await pilot.press("slash", *word, "enter")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
async def test_search_terms_are_highlighted_and_brackets_jump_between_them(
    new_app: AppFactory, store: Store, size: tuple[int, int]
) -> None:
    add_sample(store)
    app = new_app()
    async with app.run_test(size=size) as pilot:
        reader = app.screen.query_one(Reader)
        await open_found(pilot, "sensors")
        assert reader.terms and reader.article is not None
        body = reader.query_one(ArticleBody)
        assert len(body.matches(reader.terms)) >= 3
        highlighted = [
            span
            for _, text in body.runs
            for span in text.spans
            if span.style == reader._style("match")
        ]
        assert len(highlighted) >= 3
        await pilot.press("G")
        await pilot.press("right_square_bracket")  # from the end: back to the first match
        await pilot.pause()
        first = reader.scroll_y
        assert first < reader.max_scroll_y
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert reader.scroll_y >= first
        await pilot.press("left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert reader.scroll_y == first
        keys = {b.key: b.action for _, b, *_ in app.screen.active_bindings.values()}
        assert keys["N"] == "next_unread"  # the existing key keeps its meaning


async def test_a_match_key_goes_on_from_where_the_reader_was_scrolled_to(
    new_app: AppFactory, store: Store
) -> None:
    # After `]` three times and `G`, `]` went back to the fourth match, near the top.
    code = "\n".join(f"    line_{n:04d} = compute({n})" for n in range(300))
    source = store.ensure_source("Code", SourceKind.WEB, "https://code.example/")
    article = Article("Long code", f"Before.\n\n{code}\n\nAfter.", guid="code")
    store.record_refresh(source, [article], FetchOutcome(status=200))
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.screen.query_one(Reader)
        await open_found(pilot, "compute")
        await pilot.press(*["right_square_bracket"] * 3)
        await pilot.pause()
        assert reader.border_subtitle == "match 3 of 300"
        await pilot.press("G", "right_square_bracket")
        await pilot.pause()
        assert reader.scroll_y == reader.max_scroll_y
        assert int(str(reader.border_subtitle).split()[1]) > 280  # a match on the screen G showed
        await pilot.press("g", "left_square_bracket")
        await pilot.pause()
        assert reader.border_subtitle == "match 300 of 300"  # none above the top: round to the last


def fake_player(tmp_path: Path) -> str:
    """A real program standing in for mpv: it writes its arguments to a file."""
    script = tmp_path / "player.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {tmp_path / "played.txt"}\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


@pytest.mark.parametrize("size", SIZES)
async def test_enclosures_are_listed_played_and_downloaded(
    new_app: AppFactory,
    store: Store,
    tmp_path: Path,
    feed_server: FeedServer,
    size: tuple[int, int],
) -> None:
    audio = b"ID3" + os.urandom(2048)
    url = feed_server.page("/ep/episode 12.mp3", audio, content_type="audio/mpeg")
    add_sample(store, (Enclosure(url + "?t=1;$(touch pwned)"),))
    config = make_config(tmp_path, player=fake_player(tmp_path))
    app = new_app(config=config)
    async with app.run_test(size=size) as pilot:
        reader = app.screen.query_one(Reader)
        await open_sample(pilot, reader)
        assert "Attachments" in str(reader.query_one("#reader-attachments-title", Static).render())
        assert "audio · audio/mpeg · episode 12.mp3" in attachment_lines(reader)[0]
        await pilot.press("e")
        await settle(pilot)
        for _ in range(50):
            if (tmp_path / "played.txt").exists():
                break
            await pilot.pause(0.05)
        played = (tmp_path / "played.txt").read_text().splitlines()
        assert played == [url + "?t=1;$(touch pwned)"]  # one argument, no shell
        assert not Path("pwned").exists()


async def test_download_keeps_the_enclosure_in_the_cache(
    new_app: AppFactory, store: Store, tmp_path: Path, feed_server: FeedServer
) -> None:
    audio = b"ID3" + os.urandom(4096)
    url = feed_server.page("/ep/episode.mp3", audio, content_type="audio/mpeg")
    add_sample(store, (Enclosure(url),))
    app = new_app(config=make_config(tmp_path, player=fake_player(tmp_path)))
    async with app.run_test(size=(120, 40)) as pilot:
        reader = app.screen.query_one(Reader)
        await open_sample(pilot, reader)
        await pilot.press("E")
        await settle(pilot)
        saved = cached(url, store.path.parent)
        assert saved is not None and saved.name.endswith(".mp3")
        assert saved.read_bytes() == audio
        assert "downloaded (4 KB)" in attachment_lines(reader)[0]
        await pilot.press("e")
        await settle(pilot)
        for _ in range(50):
            if (tmp_path / "played.txt").exists():
                break
            await pilot.pause(0.05)
        assert (tmp_path / "played.txt").read_text().splitlines() == [str(saved)]


async def test_a_body_that_cannot_be_laid_out_is_reported_in_one_line(
    new_app: AppFactory, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("a table nested past any limit")

    monkeypatch.setattr(reader_build, "body_parts", broken)
    add_sample(store)
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        notes = record_notifications(app)
        reader = app.screen.query_one(Reader)
        await open_sample(pilot, reader)
        assert notes == [("", "Lay out article failed: a table nested past any limit")]


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (1, "1 byte"),
        (13, "13 bytes"),
        (1023, "1,023 bytes"),
        (4096, "4 KB"),
        (5 * MB // 2, "2.5 MB"),
    ],
)
def test_a_size_is_shown_in_the_unit_it_is_in(count: int, shown: str) -> None:
    # A 13-byte download said "downloaded (1 KB)".
    assert size_text(count) == shown
