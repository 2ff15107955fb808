"""A rule that fails at refresh time is named, with why, on the status line."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot

from tests.test_refresh_rules import BROKEN, WHY, failing_rule
from tests.ui.conftest import AppFactory, record_notifications, settle
from tui.config import Config, Settings, SourceConfig, load_config
from tui.models import Rule
from tui.store import Store
from tui.ui import refresher
from tui.ui.refresher import Refresher
from tui.ui.widgets.sources import SourcesPane
from tui.ui.widgets.status import Status

__all__ = ["failing_rule"]  # the fixture, for this module's tests


def status_line(app: App[None]) -> str:
    """The status line as drawn."""
    return app.screen.query_one(Status).render_line(0).text


@pytest.mark.usefixtures("failing_rule")
async def test_status_line_names_the_rule_that_failed(new_app: AppFactory, tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "hello.md").write_text("# Hello\n\nA note.\n", encoding="utf-8")
    position = "feeds.toml:6: rules[1]"  # short: the status line is one line
    config = Config(
        path=tmp_path / "feeds.toml",
        sources=(SourceConfig("Notes", path=tmp_path / "notes"),),
        rules=(Rule(BROKEN, "hide", position=position),),
        settings=Settings(refresh_minutes=0),
    )
    app = new_app(config=config)
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        line = status_line(app)
        assert f"rule failed: {position}: query '{BROKEN}' cannot run: {WHY}" in line
        assert "1 new article" in line


BAD_RULES = "".join(
    f'[[rules]]\nquery = {query!r}\naction = "hide"\n' for query in ('"', "title:(", "since:bogus")
)


def rule_notes(notes: list[tuple[str, str]]) -> list[str]:
    """The toasts that name a broken rule."""
    return [message for _, message in notes if "rule skipped" in message]


@pytest.mark.parametrize("at_start", [True, False])
async def test_broken_rules_are_told_once_in_one_notice(
    new_app: AppFactory, tmp_path: Path, at_start: bool
) -> None:
    # Three broken rules added before `R` made four toasts: the config's, then one for each
    # rule as the refresh listed them again (and again at every R); at a start, three.
    (tmp_path / "notes").mkdir()
    path = tmp_path / "feeds.toml"
    sources = '[settings]\nrefresh_minutes = 0\n[[sources]]\nname = "Notes"\npath = "notes"\n'
    path.write_text(sources + (BAD_RULES if at_start else ""), encoding="utf-8")
    app = new_app(config=load_config(path), refresh_on_start=True)
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        if not at_start:
            assert rule_notes(notes) == []
            path.write_text(sources + BAD_RULES, encoding="utf-8")
        await pilot.press("R")
        await settle(pilot)
        [told] = rule_notes(notes)
        assert all(query in told for query in ("'\"'", "'title:('", "'since:bogus'"))
        assert ("The config has errors (see ?)", told) in notes
        await pilot.press("R")  # the same config: nothing new to tell
        await settle(pilot)
        assert len(rule_notes(notes)) == 1


async def test_a_broken_saved_search_is_told_and_the_others_listed(
    new_app: AppFactory, tmp_path: Path
) -> None:
    # A saved search with a malformed query made the whole config fail: no search listed.
    path = tmp_path / "feeds.toml"
    searches = '[[searches]]\nname = "Everything"\nquery = "source:"\n'
    searches += '[[searches]]\nname = "Space"\nquery = "nasa"\n'
    path.write_text(searches, encoding="utf-8")
    app = new_app(config=load_config(path))
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        told = [message for _, message in notes if "saved search skipped" in message]
        assert told and f"{path}:3: searches[1].query: " in told[0]
        pane = app.screen.query_one(SourcesPane)
        assert pane.index_of("search:Space") is not None
        assert pane.index_of("search:Everything") is None


def edit(path: Path, text: str) -> None:
    """Save `text` as an editor does, in one step: a tick that read the file half written
    would tell of a mistake the user never saved."""
    draft = path.with_suffix(".draft")
    draft.write_text(text, encoding="utf-8")
    draft.replace(path)


async def refreshed_again(pilot: Pilot[None], refresher: Refresher, runs: int) -> None:
    """Wait (a few seconds at most) until `runs` automatic refreshes are over."""
    for _ in range(200):
        await pilot.pause(0.05)
        if refresher.runs >= runs and not refresher.running:
            break
    await settle(pilot)


async def test_the_automatic_refresh_reads_rules_and_searches_edited_into_the_config(
    new_app: AppFactory, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A hide rule added to feeds.toml waited for `R`: the automatic refreshes kept showing
    # what it hides. A file broken by the next edit is told once; the rule stays in force.
    monkeypatch.setattr(refresher, "TICK_SECONDS", 0.05)
    due: list[str] = []  # none until the edit: no refresh in flight with the old config
    monkeypatch.setattr(refresher, "due_sources", lambda config, *_: due)
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "hello.md").write_text("# Hello\n\nA note.\n", encoding="utf-8")
    path = tmp_path / "feeds.toml"
    sources = '[settings]\nrefresh_minutes = 1\n[[sources]]\nname = "Notes"\npath = "notes"\n'
    path.write_text(sources, encoding="utf-8")
    app = new_app(config=load_config(path))
    told = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        edited = '[[rules]]\nquery = "title:horoscope"\naction = "hide"\n'
        edited += '[[searches]]\nname = "Greetings"\nquery = "hello"\n'
        edit(path, sources + edited)
        (notes / "horoscope.md").write_text("# Horoscope\n\nStars.\n", encoding="utf-8")
        pane, runs = app.screen.query_one(SourcesPane), app.screen.query_one(Refresher)
        for _ in range(200):  # the edit read: a look for due sources begun before it is over
            if pane.index_of("search:Greetings") is not None:
                break
            await pilot.pause(0.05)
        due.append("Notes")  # (such a look, answered after this, took the old config along)
        await refreshed_again(pilot, runs, 1)
        assert pane.index_of("search:Greetings") is not None
        edit(path, sources + edited + "[[rules]\n")
        (notes / "horoscope 2.md").write_text("# Horoscope two\n\nStars.\n", encoding="utf-8")
        await refreshed_again(pilot, runs, runs.runs + 3)  # a few ticks on the broken file
    hidden = {hit.row.title for hit in store.search("is:hidden").hits}
    assert hidden == {"Horoscope", "Horoscope two"}
    assert [title for title, _ in told].count("Reading the config failed") == 1


async def test_the_app_reads_an_edited_config_within_a_minute_with_automatic_refresh_off(
    new_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # README: "the app reads feeds.toml again within a minute of an edit", not only when
    # the automatic refresh is on; nothing is fetched for it.
    monkeypatch.setattr(refresher, "TICK_SECONDS", 0.05)
    path = tmp_path / "feeds.toml"
    off = "[settings]\nrefresh_minutes = 0\n"
    path.write_text(off, encoding="utf-8")
    app = new_app(config=load_config(path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        edit(path, off + '[[searches]]\nname = "Greetings"\nquery = "hello"\n')
        pane, runs = app.screen.query_one(SourcesPane), app.screen.query_one(Refresher)
        for _ in range(200):
            await pilot.pause(0.05)
            if pane.index_of("search:Greetings") is not None:
                break
        assert pane.index_of("search:Greetings") is not None
        assert runs.runs == 0
