"""Keymaps from the config, the help screen built from them, the palette and the theme."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.command import CommandInput, CommandList
from textual.events import Key
from textual.widgets import Static

from tests.ui.conftest import AppFactory, record_calls, record_notifications, settle
from tests.ui.data import make_config
from tests.ui.test_reading import focused_pane, marks, parts
from tui.config import Config, load_config
from tui.ui.app import help_sections
from tui.ui.format import UNREAD_MARK
from tui.ui.keys import help_rows
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.main import MainScreen


def help_text(app: Any, width: int = 110) -> str:
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    console = Console(width=width, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    for static in screen.query(Static):
        console.print(static.content)
    return console.export_text()


def remapped(tmp_path: Path, keys: dict[str, str]) -> Config:
    base = make_config(tmp_path)
    return Config(base.path, base.sources, base.searches, base.settings, keys)


async def test_keymap_from_config_rebinds_and_help_shows_keys_in_force(
    new_app: AppFactory, tmp_path: Path
) -> None:
    config = remapped(tmp_path, {"cursor.down": "ctrl+n", "article.next_unread": "x"})
    app = new_app(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, articles, reader = parts(app)
        await pilot.press("j")
        assert articles.cursor == 0
        await pilot.press("ctrl+n")
        assert articles.cursor == 1
        await pilot.press("x")
        await settle(pilot)
        assert reader.article is not None
        await pilot.press("question_mark")
        await settle(pilot)
        text = help_text(app)
        down = [ln for ln in text.splitlines() if "cursor.down" in ln and "=" not in ln]
        assert down and all("^n" in line and " j " not in line for line in down)
        assert any(
            "x" in line.split() for line in text.splitlines() if "article.next_unread" in line
        )
        assert "source:NAME" in text and '"exact phrase"' in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_helps_columns_line_up_in_every_section(
    new_app: AppFactory, size: tuple[int, int]
) -> None:
    # The Reader section's ids started a cell left of the others' (reader.previous_match
    # is wider than the column the others have).
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        body = app.screen.query_one("#help-body")
        text = help_text(app, body.scrollable_content_region.width)
    lines = [line.rstrip() for line in text.splitlines()]
    rows = [line for line in lines if re.search(r" [a-z]+\.[a-z_N]+$", line)]
    assert len(rows) > 40 and any("reader.previous_match" in row for row in rows)
    assert len({row.rindex(" ") for row in rows}) == 1  # where each id starts
    assert len({re.search(r"\S {2,}\S", row).end() for row in rows}) == 1  # what keys do


async def test_q_over_the_help_closes_it_and_the_app_goes_on(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, MainScreen)
        await pilot.press("q")  # on the main screen q quits
        await settle(pilot)
        assert not app.is_running


async def test_g_and_shift_g_go_to_the_top_and_end_of_the_help(new_app: AppFactory) -> None:
    # The help lists g and G as First and Last: over it they did nothing.
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        body = app.screen.query_one("#help-body")
        assert body.max_scroll_y > 0
        await pilot.press("G")
        await settle(pilot)
        assert body.scroll_y == body.max_scroll_y
        await pilot.press("g")
        await settle(pilot)
        assert body.scroll_y == 0


async def test_help_lists_every_binding(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = help_text(app)
        for needle in (
            "Quit",
            "Search",
            "Filter",
            "Mark every article in this view read",
            "Undo",
            "Copy its link",
            "Open numbered link",
            "1…9",
            "Refresh all",
            "article.link",
            "pane.back",
        ):
            assert needle in text, needle


async def test_ctrl_q_has_an_id_the_help_names_and_keys_can_move(
    new_app: AppFactory, tmp_path: Path
) -> None:
    app = new_app(config=remapped(tmp_path, {"app.quit_anywhere": "ctrl+x", "quit": "Q"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        rows = help_text(app).splitlines()
        assert any("^x" in row and "app.quit_anywhere" in row for row in rows)
        assert any(row.split()[:1] == ["Q"] and "app.quit" in row for row in rows)
        assert not any("^q" in row for row in rows)
        await pilot.press("escape", "q", "ctrl+q")
        assert app.is_running
        await pilot.press("ctrl+x")
        await settle(pilot)
        assert not app.is_running


async def test_unknown_binding_id_is_reported_not_fatal(
    new_app: AppFactory, tmp_path: Path
) -> None:
    app = new_app(config=remapped(tmp_path, {"no.such.key": "x", "cursor.up": "ctrl+u"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        assert "keys.no.such.key" in screen.status.activity
        await pilot.press("j", "ctrl+u")
        assert articles.cursor == 0
        await pilot.press("question_mark")  # the toast and the status line cut it: whole here
        await settle(pilot)
        problems = help_text(app).split("Everywhere")[0]
        assert "Problems in the config" in problems and "keys.no.such.key" in problems
        assert "unknown binding id" in " ".join(problems.split())


async def test_an_earlier_binding_id_applies_and_its_note_names_the_id_now(
    new_app: AppFactory, tmp_path: Path
) -> None:
    # "reader.play" was read as article.play in silence: `?` lists it by the id it has now.
    app = new_app(config=remapped(tmp_path, {"reader.play": "f9"}))
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.keymap == {"article.play": "f9"}
        assert [note for _, note in notes if "keys.reader.play" in note] == [
            f"note: {app.config.path}: keys.reader.play: renamed article.play: read as it"
        ]
        await pilot.press("question_mark")
        await settle(pilot)
        problems = " ".join(help_text(app).split("Everywhere")[0].split())
        assert "keys.reader.play: renamed article.play" in problems


async def test_a_key_that_is_none_leaves_the_action_its_own_key(
    new_app: AppFactory, tmp_path: Path
) -> None:
    # A misspelt key took the action's key away, bound to nothing; an empty one failed the
    # whole config (sources and settings too).
    keys = {"view.mark_read": "ctrl+shift+alt+nonsense", "reader.also": "", "cursor.up": "K"}
    app = new_app(config=remapped(tmp_path, keys))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        await pilot.press("j", "K")
        assert articles.cursor == 0  # the good entry applies
        await pilot.press("question_mark")
        await settle(pilot)
        problems, rest = help_text(app).split("Everywhere", 1)
        flat = " ".join(problems.split())
        assert "keys.view.mark_read: 'ctrl+shift+alt+nonsense' is not a key" in flat
        assert "keys.reader.also: gives no key" in flat
        mark_all = next(row for row in rest.splitlines() if "view.mark_read" in row)
        assert mark_all.split()[0] == "M" and "nonsense" not in rest


async def test_config_error_opens_on_the_cache_and_says_so(new_app: AppFactory) -> None:
    app = new_app(config_error="feeds.toml:3: sources[1].url: must be http")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        assert articles.rows.total == 10
        assert "sources[1].url: must be http" in screen.status.activity


async def test_the_status_line_shows_no_control_sequence_of_a_message(
    new_app: AppFactory,
) -> None:
    # The status line is the last stop before the terminal for messages built from outside
    # text (a config key, a server's error): it cleans what it is given.
    hostile = "feeds.toml:3: keys: \x1b]0;owned\x07unknown \x1b[2Jkey\r\nnext"
    app = new_app(config_error=hostile)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        screen.status.explain("Feed\x1b[31m: \x9b0mHTTP 500\u202e")
        line = screen.status.render_line(0).text
        assert "keys: unknown key next" in line and "Feed: HTTP 500" in line
        assert not any(ch in line for ch in "\x1b\x07\r\n\x9b\u202e")


async def test_an_unknown_theme_is_listed_in_help_as_key_problems_are(
    new_app: AppFactory, tmp_path: Path
) -> None:
    # It was told only in a toast at start; `?` listed the [keys] problems alone. Its line is
    # [settings]' own, as the config was read (it was the first `theme =` of the file, read
    # again on the UI thread: here a saved search's query).
    path = tmp_path / "feeds.toml"
    looks = '[[searches]]\nname = "Looks"\nquery = """\ntheme = dark\n"""\n\n'
    path.write_text(f'{looks}[settings]\nrefresh_minutes = 0\ntheme = "nosuchtheme"\n')
    config = replace(make_config(tmp_path), settings=load_config(path).settings)
    app = new_app(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        assert "settings.theme: unknown theme 'nosuchtheme'" in parts(app)[0].status.activity
        await pilot.press("question_mark")
        await settle(pilot)
        problems = " ".join(help_text(app).split("Everywhere")[0].split())
        assert "Problems in the config" in problems
        assert f"{path}:9: settings.theme: unknown theme 'nosuchtheme'" in problems


async def test_palette_switches_theme_and_it_is_remembered(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+p", *"theme: light")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == "textual-light"
        await pilot.press("q")
    again = new_app()
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert again.theme == "textual-light"


async def test_palette_runs_screen_actions(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, articles, _ = parts(app)
        await pilot.press("ctrl+p", *"mark read / unread")
        await settle(pilot)
        prompt = str(app.screen.query_one(CommandList).get_option_at_index(0).prompt)
        assert prompt.splitlines()[0] == "Mark read / unread  m"  # the key it has
        await pilot.press("enter")
        await settle(pilot)
        assert UNREAD_MARK not in marks(app, 0)


async def test_the_palette_finds_a_command_by_its_footer_word(new_app: AppFactory) -> None:
    # The footer says "z Zoom"; the palette's entry is titled by its tooltip, which has no
    # "zoom" in it: typing the word the footer shows found nothing.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the reader (and its keys) in force
        await settle(pilot)
        await pilot.press("ctrl+p", *"zoom")
        await settle(pilot)
        prompt = str(app.screen.query_one(CommandList).get_option_at_index(0).prompt)
        assert prompt.splitlines()[0] == "Reader on the whole screen / back  z"
        assert prompt.splitlines()[1] == "Zoom"


async def palette_entry(pilot: Any, typed: str) -> list[str]:
    """The lines of the palette's first entry for `typed`, as drawn (the palette closed
    again)."""
    await pilot.press("ctrl+p", *typed)
    await settle(pilot)
    prompt = str(pilot.app.screen.query_one(CommandList).get_option_at_index(0).prompt)
    await pilot.press("escape")
    await settle(pilot)
    return prompt.splitlines()


async def test_palette_entries_say_what_they_do_under_their_title(new_app: AppFactory) -> None:
    # `!` was titled "The sources pane, on the next source marked !"; "Undo mark all read"
    # was followed by "Undo", "Theme: nord" by "Use the nord theme".
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert await palette_entry(pilot, "next failing") == [
            "Next failing source  !",
            "The sources pane, its cursor on the next one marked ! (i: why)",
        ]
        assert await palette_entry(pilot, "undo mark all read") == ["Undo mark all read  u"]
        assert await palette_entry(pilot, "mark read / unread") == ["Mark read / unread  m"]
        assert (await palette_entry(pilot, "pick a link"))[1] == "Links"  # the footer's word
        theme, show = (
            await palette_entry(pilot, "theme: nord"),
            await palette_entry(pilot, "show reader"),
        )
        assert theme[0] == "Theme: nord" and "nord" not in theme[1:]
        assert show[0].startswith("Show reader") and not any("Move" in line for line in show[1:])


async def test_editing_keys_typed_in_the_palette_in_a_burst_apply_in_order(
    new_app: AppFactory,
) -> None:
    # Textual ran the input's backspace after the characters of the same burst: "zx",
    # backspace, "oom" gave "zxoo" (the backspace ate the last "m", not the "x").
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        for key, char in (("z", "z"), ("x", "x"), ("backspace", None), *((c, c) for c in "oom")):
            app.post_message(Key(key, char))
        await settle(pilot)
        assert app.screen.query_one(CommandInput).value == "zoom"


def help_section(text: str, title: str, next_title: str) -> list[str]:
    """The rows of one section of the help text."""
    lines = [line.strip() for line in text.splitlines()]
    return lines[lines.index(title) + 1 : lines.index(next_title)]


async def test_help_lists_e_and_E_with_the_keys_for_any_article(new_app: AppFactory) -> None:
    """They act on the list's article too: listed with `o` and `L`, not as the reader's."""
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = help_text(app)
        articles = {row.split()[0]: row for row in help_section(text, "Articles", "Article list")}
        assert "article.play" in articles["e"] and "article.download" in articles["E"]
        reader = help_section(text, "Reader", "Sources pane")
        assert not {"e", "E"} & {row.split()[0] for row in reader}


@pytest.mark.parametrize("width", [30, 50, 96])
async def test_help_shows_every_id_whole_at_any_width(new_app: AppFactory, width: int) -> None:
    # The ids are what [keys] names: they were cut ("reader.previous_mat…", "app.quit_anywhe")
    # in a column of 20 cells. Narrow, each goes under what its key does.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        listed = {row.binding_id for part in help_sections() for row in help_rows(part, {}, str)}
        assert len(listed) > 40 and listed <= set(help_text(app, width).split())


@pytest.mark.parametrize(
    "keys",
    [
        (),
        ("enter",),
        ("slash",),
        ("question_mark",),  # over a dialog it did nothing: the help, the error, the question
        ("exclamation_mark", "i"),
        ("M",),
        ("ctrl+p",),
    ],
)
async def test_ctrl_z_suspends_and_the_help_says_so(
    new_app: AppFactory,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    keys: tuple[str, ...],
) -> None:
    # It did nothing: job control, as every terminal program has it (from the list, the
    # reader, the search bar, a dialog). The test's headless terminal cannot stop: the call
    # is seen.
    asking = keys == ("M",)  # M asks past 20 unread: the big cache's 100,000
    app = new_app(store=request.getfixturevalue("big_store")) if asking else new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        suspended = record_calls(monkeypatch, app, "action_suspend_process")
        await pilot.press(*keys)
        for _ in range(10):  # not `settle`: M's worker waits on its question
            await pilot.pause()
        shown = app.screen
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert suspended == [()] and app.screen is shown
        await pilot.press("escape", "question_mark")
        await settle(pilot)
        assert any("^z" in row and "app.suspend" in row for row in help_text(app).splitlines())


async def test_a_remapped_search_submit_is_the_only_key_that_goes_to_the_results(
    new_app: AppFactory, tmp_path: Path
) -> None:
    # The input's own Enter went to the results whatever `search.submit` said: ctrl+j did
    # too, Enter stayed.
    app = new_app(config=remapped(tmp_path, {"search.submit": "ctrl+j"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        await pilot.press("slash", *"compiler", "enter")
        await settle(pilot)
        assert screen.focused is screen.search_bar.input
        await pilot.press("ctrl+j")
        await settle(pilot)
        assert screen.focused is articles
        await pilot.press("question_mark")
        await settle(pilot)
        row = next(ln for ln in help_text(app).splitlines() if "search.submit" in ln)
        assert "ctrl+j" in row or "^j" in row


def terminal_keys(sent: str) -> list[Key]:
    """The keys Textual makes of bytes the terminal sends in one read (its parser, as the
    driver runs it: Esc and a letter within its escape delay are one alt+letter key)."""
    from textual._xterm_parser import XTermParser

    parser = XTermParser()
    return [*parser.feed(sent), *parser.feed("")]  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("keys", "pane", "cursor"),
    [({}, "sources", 0), ({"cursor.down": "alt+j"}, "list", 1)],
    ids=["two keys", "alt+j bound"],
)
async def test_esc_and_a_letter_sent_at_once_are_both_keys_unless_alt_letter_is_bound(
    new_app: AppFactory, tmp_path: Path, keys: dict[str, str], pane: str, cursor: int
) -> None:
    # `tmux send-keys Escape j` (or Esc and j typed within 0.1 s) was one alt+j, bound to
    # nothing: neither Esc (back a pane) nor j happened.
    app = new_app(config=remapped(tmp_path, keys))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        for key in terminal_keys("\x1bj"):
            app.post_message(key)
        await settle(pilot)
        assert focused_pane(screen) == pane and articles.cursor == cursor
        assert screen.sources.cursor == 1 - cursor  # j moved the sources pane's cursor
