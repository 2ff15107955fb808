"""What the screen tells without the theme's colours: the highlighted row of a pane without
the focus, the pane in front, a failing source's `!`; and the theme a 16-colour terminal
starts with."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.color import Color
from textual.filter import Monochrome
from textual.strip import Strip

from tests.ui.conftest import AppFactory, settle
from tests.ui.data import make_config
from tests.ui.test_reading import focused_pane, parts
from tui.ui import NewsdeskApp
from tui.ui.widgets.sources import SourcesPane


def app_in(
    new_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, theme: str
) -> NewsdeskApp:
    """An app in `theme`; "NO_COLOR" sets that variable, in the default theme."""
    if theme == "NO_COLOR":
        monkeypatch.setenv("NO_COLOR", "1")
        theme = "textual-dark"
    return new_app(config=make_config(tmp_path, theme=theme))


def underlined(strip: Strip) -> bool:
    """Whether every cell of the row is underlined."""
    return all(segment.style and segment.style.underline for segment in strip)


def borders(app: NewsdeskApp) -> list[str]:
    """The border of the sources, the list and the reader."""
    boxes = ("#sources", "#list-pane", "#reader")
    return [app.screen.query_one(box).styles.border_top[0] for box in boxes]


@pytest.mark.parametrize(
    "theme", ["ansi-dark", "ansi-light", "textual-dark", "rose-pine-dawn", "NO_COLOR"]
)
async def test_the_pane_in_front_and_the_rows_highlighted_behind_it_show_without_colour(
    new_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, theme: str
) -> None:
    # The pane in front was told by its border's colour alone: rose-pine-dawn's is 1.1:1
    # against the others', NO_COLOR's greys 241 against 237. ansi-dark/-light drew the open
    # article's row and the sources' one as any other while the reader had the focus;
    # textual-dark's faint blue was 1.37:1, NO_COLOR's grey 236 on 234.
    app = app_in(new_app, tmp_path, monkeypatch, theme)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert borders(app) == ["round", "heavy", "round"]
        screen, articles, _ = parts(app)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert focused_pane(screen) == "reader"
        assert borders(app) == ["round", "round", "heavy"]
        row = articles.cursor_offset
        assert underlined(articles.render_line(row))
        assert not underlined(articles.render_line(row + 1))
        sources = screen.sources
        assert sources.cursor is not None
        assert underlined(sources.render_line(sources.cursor - sources.scroll_offset.y))
        assert not underlined(sources.render_line(sources.cursor + 1 - sources.scroll_offset.y))


@pytest.mark.parametrize(
    ("term", "theme", "shown"),
    [
        ("xterm", "", "ansi-dark"),
        ("linux", "", "ansi-dark"),
        ("xterm-256color", "", "textual-dark"),
        ("xterm", "nord", "nord"),
    ],
)
async def test_a_16_colour_terminal_starts_in_its_own_colours_unless_a_theme_is_chosen(
    new_app: AppFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    term: str,
    theme: str,
    shown: str,
) -> None:
    # textual-dark brought down to 16 colours: the footer's keys bright red on bright grey.
    monkeypatch.setenv("TERM", term)
    monkeypatch.delenv("COLORTERM", raising=False)
    config = make_config(tmp_path, theme=theme)
    app = new_app(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == shown
        await pilot.press("ctrl+p", *"theme: light")
        await settle(pilot)
        await pilot.press("enter", "q")
    again = new_app(config=config)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert again.theme == "textual-light"  # the palette's pick stays


async def test_without_colour_a_failing_sources_mark_stands_out_as_much_as_its_name(
    new_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # NO_COLOR: the `!`, in the error colour made grey, was darker than the names.
    monkeypatch.setenv("NO_COLOR", "1")
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        sources = app.screen.query_one(SourcesPane)
        line = next(n for n, text in enumerate(sources.lines) if "Broken Feed" in str(text))
        shown = Monochrome().apply(list(sources.render_line(line)), Color(0, 0, 0))
        mark = next(segment.style for segment in shown if segment.text.startswith("!"))
        name = next(segment.style for segment in shown if "Broken" in segment.text)
        assert mark and name and mark.bold and mark.color and name.color
        assert sum(mark.color.get_truecolor()) >= sum(name.color.get_truecolor())
