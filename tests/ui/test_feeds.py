"""The palette's feed commands: add a feed, import and export OPML, preview a rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.feedserver import FeedServer, html_with_alternate, rss
from tests.ui.conftest import AppFactory, record_notifications, settle
from tests.ui.test_dialogs import inside, shown, unspaced
from tests.ui.test_reading import parts
from tui.config import Config, load_config
from tui.interop.subscriptions import NEWSBOAT_CACHE
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store
from tui.ui import NewsdeskApp
from tui.ui.feeds import preview_line, preview_rule
from tui.ui.screens.dialogs import NoteDialog, PromptDialog
from tui.ui.screens.main import MainScreen

OK = FetchOutcome(status=200)


def config_file(tmp_path: Path, server: FeedServer | None = None) -> Config:
    """A real feeds.toml (the commands edit it), with one served source if given a server."""
    path = tmp_path / "config" / "feeds.toml"
    path.parent.mkdir(exist_ok=True)
    text = "[settings]\nrefresh_minutes = 0\ntimeout_seconds = 5.0\n"
    if server is not None:
        url = server.feed("/first.xml", rss("First", 2))
        text += f'\n[[sources]]\nname = "First"\nurl = "{url}"\ntags = ["news"]\n'
    path.write_text(text, encoding="utf-8")
    return load_config(path)


async def prompted(pilot: Pilot[Any], command: str) -> Input:
    """Run a palette command; the input of the prompt it opens."""
    await pilot.press("ctrl+p", *command.lower())
    await settle(pilot)
    await pilot.press("enter")
    for _ in range(10):  # the command's worker waits for the answer: no settle until then
        await pilot.pause()
        if isinstance(pilot.app.screen, PromptDialog):
            break
    assert isinstance(pilot.app.screen, PromptDialog)
    return pilot.app.screen.query_one(Input)


async def palette(pilot: Pilot[Any], command: str, answer: str) -> None:
    """Run a palette command and answer its prompt."""
    (await prompted(pilot, command)).value = answer
    await pilot.press("enter")
    await settle(pilot)


async def added(
    new_app: AppFactory, config: Config, url: str
) -> tuple[NewsdeskApp, list[tuple[str, str]]]:
    """An app on `config` after the palette's Add feed of `url`, and its notifications."""
    app = new_app(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = record_notifications(app)
        await palette(pilot, "Add feed", url)
        await settle(pilot)
    return app, notes


async def test_add_feed_discovers_the_feed_of_a_page(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path
) -> None:
    feed_server.feed("/blog/feed.xml", rss("Harbour Blog", 3))
    page = feed_server.page("/blog/", html_with_alternate("/blog/feed.xml"))
    config = config_file(tmp_path)
    app = new_app(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        notes = record_notifications(app)
        await palette(pilot, "Add feed", page)
        await settle(pilot)
        assert ("", "Added 'Harbour Blog' (3 articles)") in notes
        assert feed_server.url("/blog/feed.xml") in config.path.read_text(encoding="utf-8")
        assert app.config.source("Harbour Blog") is not None
        assert screen.config is app.config and screen.refresher.config is app.config
        assert screen.sources.entries["source:Harbour Blog"].count == 3


async def test_add_feed_says_why_a_taken_title_got_a_number(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path
) -> None:
    config = config_file(tmp_path, feed_server)  # "First", whose title another feed has
    _, notes = await added(new_app, config, feed_server.feed("/other.xml", rss("first", 1)))
    said = "Added 'first (2)' (1 article) ('first' is taken: added as 'first (2)')"
    assert ("", said) in notes


async def test_add_feed_reports_errors_in_one_line(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path
) -> None:
    page = feed_server.page("/plain", b"<!DOCTYPE html><html><body><p>No feed.</p></body></html>")
    app = new_app(config=config_file(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = record_notifications(app)
        await palette(pilot, "Add feed", page)
        titles = [title for title, _ in notes]
        assert "Add feed failed" in titles
        message = notes[titles.index("Add feed failed")][1]
        assert message.startswith("no feed found") and "\n" not in message


async def test_import_opml_adds_the_feeds_and_shows_them(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path
) -> None:
    url = feed_server.feed("/imported.xml", rss("Imported", 2))
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
        f'<outline text="Imported News &mdash; Daily" type="rss" xmlUrl="{url}"/>'
        '<outline text="Gopher" type="rss" xmlUrl="gopher://example.org/feed"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    config = config_file(tmp_path)
    app = new_app(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, dialog = await imported(pilot, opml)
        assert dialog.body.splitlines() == [
            "skipped: subs.opml:1: Gopher (gopher://example.org/feed): "
            "only http and https feeds can be added",
            "note: HTML entities (&mdash;) read as the characters they name",
        ]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert url in config.path.read_text(encoding="utf-8")
        assert load_config(config.path).source("Imported News — Daily") is not None
        assert screen.sources.entries["source:Imported News — Daily"].count == 2


async def imported(pilot: Pilot[None], path: Path) -> tuple[MainScreen, NoteDialog]:
    """The main screen, and the note the palette's import of `path` left open (one feed
    added, one skipped)."""
    await settle(pilot)
    screen, _, _ = parts(pilot.app)
    await palette(pilot, "Import subscriptions", str(path))
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, NoteDialog)
    assert dialog.heading == "Import subscriptions: added 1 feed (1 skipped)"
    return screen, dialog


async def test_import_opml_shows_each_skipped_feed_with_why_at_80x24(
    new_app: AppFactory, tmp_path: Path
) -> None:
    # "Added 1 feed (30 skipped)" said neither which nor why; the CLI prints each reason.
    opml = tmp_path / "subs.opml"
    outlines = "\n".join(
        f'<outline text="Gopher {n}" type="rss" xmlUrl="gopher://example.org/{n}"/>'
        for n in range(30)
    )
    opml.write_text(
        '<opml version="2.0"><body>\n'
        '<outline text="Web" type="rss" xmlUrl="https://example.org/feed.xml"/>\n'
        f"{outlines}\n</body></opml>",
        encoding="utf-8",
    )
    app = new_app(config=config_file(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await palette(pilot, "Import subscriptions", str(opml))
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        assert shown(dialog.query_one(".dialog-title")) == unspaced(
            "Import subscriptions: added 1 feed (30 skipped)"
        )
        not_web = "only http and https feeds can be added"
        text = dialog.query_one("#note-text")
        assert shown(text).startswith(
            unspaced(f"skipped: subs.opml:3: Gopher 0 (gopher://example.org/0): {not_web}")
        )
        assert inside(dialog.query_one(".dialog-hint"), dialog.region)  # "Esc closes" seen
        scroll = dialog.query_one("#note-scroll")
        assert text.region.bottom > scroll.region.bottom  # the rest further down
        await pilot.press("end")
        await settle(pilot)
        assert scroll.region.bottom >= text.region.bottom > scroll.region.y  # the last one seen
        assert text.region.bottom <= dialog.query_one(".dialog-hint").region.y


async def test_import_subscriptions_takes_a_newsboat_urls_file(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path
) -> None:
    # "Import OPML…" said "use --newsboat", a flag the app has no place for.
    url = feed_server.feed("/boat.xml", rss("Boat", 2))
    urls = tmp_path / "urls"
    urls.write_text(f'# newsboat\n{url} tech "~Boat News"\nexec:~/bin/feed.sh\n')
    config = config_file(tmp_path)
    app = new_app(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, dialog = await imported(pilot, urls)
        assert dialog.body.splitlines() == [
            "skipped: urls:3: exec: feeds run a program and are not supported",
            f"note: urls read as newsboat's urls file: {NEWSBOAT_CACHE}",
        ]
        await pilot.press("enter")
        await settle(pilot)
        assert load_config(config.path).source("Boat News") is not None
        assert screen.sources.entries["source:Boat News"].count == 2


HAND_ORDERED = """\
[settings]
refresh_minutes = 0

[[sources]]
name = "First"
path = "notes"

[[searches]]
name = "Shipping"
query = "shipping"

[[sources]]           # added by hand at the end
name = "Day Two Notes"
path = "local2"

[keys]
next_article = "n"
"""


def hand_ordered(tmp_path: Path) -> Config:
    """A config with a `[[sources]]` table after `[[searches]]`, as a hand edit leaves it."""
    path = tmp_path / "config" / "feeds.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(HAND_ORDERED, encoding="utf-8")
    return load_config(path)


def added_after_day_two(table: str) -> str:
    """The hand-ordered config with `table` after its last source, every other byte kept."""
    return HAND_ORDERED.replace('path = "local2"\n', f'path = "local2"\n\n{table}')


async def test_add_feed_edits_a_hand_ordered_config(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path
) -> None:
    url = feed_server.feed("/harbour.xml", rss("Harbour", 2))
    config = hand_ordered(tmp_path)
    app, notes = await added(new_app, config, url)
    assert ("", "Added 'Harbour' (2 articles)") in notes
    table = f'[[sources]]\nname = "Harbour"\nurl = "{url}"\n'
    assert config.path.read_text(encoding="utf-8") == added_after_day_two(table)
    assert app.config.source("Harbour") is not None


async def test_import_opml_edits_a_hand_ordered_config(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path
) -> None:
    url = feed_server.feed("/imported.xml", rss("Imported", 2))
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        f'<outline text="Imported" type="rss" xmlUrl="{url}"/></body></opml>',
        encoding="utf-8",
    )
    config = hand_ordered(tmp_path)
    app = new_app(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = record_notifications(app)
        await palette(pilot, "Import subscriptions", str(opml))
        await settle(pilot)
        assert ("", "Added 1 feed") in notes
        table = f'[[sources]]\nname = "Imported"\nurl = "{url}"\n'
        assert config.path.read_text(encoding="utf-8") == added_after_day_two(table)
        assert app.config.source("Imported") is not None


async def test_export_opml_writes_the_configured_feeds(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path
) -> None:
    config = config_file(tmp_path, feed_server)
    target = tmp_path / "out" / "export.opml"
    target.parent.mkdir()
    app = new_app(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = record_notifications(app)
        await palette(pilot, "Export OPML", str(target))
        assert ("", f"Exported 1 feed to {target}") in notes
        assert feed_server.url("/first.xml") in target.read_text(encoding="utf-8")


async def test_export_opml_says_the_local_sources_are_left_out(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path
) -> None:
    # The command line named them; the palette's export left them out without a word.
    notes = tmp_path / "notes"
    notes.mkdir()
    path = config_file(tmp_path, feed_server).path
    with path.open("a", encoding="utf-8") as config:
        config.write(f'\n[[sources]]\nname = "My notes"\npath = "{notes}"\n')
    target = tmp_path / "export.opml"
    app = new_app(config=load_config(path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes_said = record_notifications(app)
        await palette(pilot, "Export OPML", str(target))
        said = f"Exported 1 feed to {target}\nNot the 1 local source: My notes"
        assert ("", said) in notes_said
        assert "My notes" not in target.read_text(encoding="utf-8")


async def test_preview_rule_counts_the_matching_articles(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = record_notifications(app)
        await palette(pilot, "Preview rule", "source:Tech")
        previews = [note for title, note in notes if title == "Rule preview"]
        assert previews and previews[0].startswith("Rule 'source:Tech' would match 4 cached")
        assert "New compiler makes builds twice as fast" in previews[0]


def test_preview_rule_counts_up_to_a_thousand_as_the_pane_does(store: Store) -> None:
    # It listed the id of every match to count them: at 1,000,000 articles, a common word's
    # preview read them all. It counts as `rules test` does now, hidden articles too.
    source = store.ensure_source("Wire", SourceKind.WEB, "https://wire.example/rss")
    briefs = [Article(title=f"Brief {n}", body="In brief.", guid=str(n)) for n in range(1_000)]
    new = store.record_refresh(source, briefs, FetchOutcome(status=200)).new_ids
    store.set_hidden(new[:1], True)
    said = preview_line("brief", preview_rule(store, "brief"))
    assert said.startswith("Rule 'brief' would match 1,000 cached articles: ")
    store.record_refresh(source, [Article(title="Brief more", body=".", guid="m")], OK)
    said = preview_line("brief", preview_rule(store, "brief"))
    assert said.startswith("Rule 'brief' would match 1,000+ cached articles: ")


@pytest.mark.parametrize("query", ["since:bogus", "*"])
async def test_preview_rule_refuses_a_query_the_config_would_skip(
    new_app: AppFactory, query: str
) -> None:
    # Such a query selects every article: the preview said the rule would match them all,
    # while the config skips the rule and it does nothing.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = record_notifications(app)
        await palette(pilot, "Preview rule", query)
        assert not [note for title, note in notes if title == "Rule preview"]
        [refusal] = [note for title, note in notes if title == "Invalid rule"]
        skipped = "has nothing to search for or filter by: a rule with this query is skipped"
        assert refusal == f"{query!r} {skipped}"


async def test_export_opml_offers_a_file_that_enter_takes(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The suggested file was a placeholder: Enter on it closed the prompt and wrote nothing.
    monkeypatch.setenv("HOME", str(tmp_path))
    app = new_app(config=config_file(tmp_path, feed_server))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert (await prompted(pilot, "Export OPML")).value == "~/newsdesk.opml"
        await pilot.press("enter")
        await settle(pilot)
        assert feed_server.url("/first.xml") in (tmp_path / "newsdesk.opml").read_text()
