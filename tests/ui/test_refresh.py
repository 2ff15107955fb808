"""Refresh from a loopback server: live progress, new articles, failures named, no waiting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from tests.feedserver import FeedServer
from tests.ui.conftest import AppFactory, record_notifications, settle, wait_for_rows
from tests.ui.data import NOW, make_config
from tests.ui.test_reading import TITLES, parts
from tui.config import Config, Settings, SourceConfig, load_config
from tui.local_time import local
from tui.models import FetchOutcome
from tui.refresh.schedule import due_sources
from tui.store import Store
from tui.ui import NewsdeskApp, refresher
from tui.ui.widgets.status import SPIN_EVERY


def recent_rss(title: str, count: int) -> bytes:
    """Items newer than every cached article, so they land above the selection."""
    items = "".join(
        f"<item><title>{title} {i}</title><guid>{title}-{i}</guid><description>Fresh {i}."
        f"</description><pubDate>{format_datetime(NOW - timedelta(minutes=10 + i))}</pubDate>"
        "</item>"
        for i in range(count)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://x.example/</link><description>d</description>{items}</channel></rss>"
    ).encode()


def served_config(tmp_path: Path, server: FeedServer) -> Config:
    return Config(
        path=tmp_path / "feeds.toml",
        sources=(
            SourceConfig("Fresh", url=server.feed("/fresh.xml", recent_rss("Fresh", 3))),
            SourceConfig("Down", url=server.status("/down.xml", 500)),
        ),
        settings=Settings(refresh_minutes=0),
    )


async def test_refresh_all_shows_progress_new_articles_and_failures(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path
) -> None:
    app = new_app(config=served_config(tmp_path, feed_server))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        notes = record_notifications(app)
        await pilot.press("j", "j", "j")
        selected = articles.current
        await pilot.press("R")
        await settle(pilot)
        assert ("", "1 source failed: marked ! in Sources (! goes to each)") in notes
        assert "1 failed" in screen.status.activity
        assert "3 new articles" in screen.status.activity
        assert screen.status.activity.endswith(f" · {local(NOW):%H:%M}")  # the line stays: when
        assert articles.rows.total == 13
        assert articles.current == selected and articles.cursor == 6  # kept, 3 rows lower
        assert screen.sources.entries["source:Down"].problem
        assert screen.sources.entries["source:Fresh"].count == 3


async def test_the_status_line_counts_the_pages_a_refresh_could_not_save(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path
) -> None:
    # A full-text source's pages answered 404 and kept only the feed text, while the status
    # line said all was well.
    gone = feed_server.status("/gone.html", 404)
    feed = recent_rss("Fresh", 2).replace(b"<guid>", f"<link>{gone}</link><guid>".encode())
    source = SourceConfig("Fresh", url=feed_server.feed("/full.xml", feed), full_text=True)
    app = new_app(config=replace(served_config(tmp_path, feed_server), sources=(source,)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        await pilot.press("R")
        await settle(pilot)
        said = "2 new articles, 2 pages not saved ('Fresh 0': HTTP 404 Not Found; and 1 more)"
        assert said in screen.status.activity


async def test_r_refreshes_the_selected_source_only(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path
) -> None:
    app = new_app(config=served_config(tmp_path, feed_server))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        screen, _, _ = parts(app)
        screen.sources.highlight("source:Fresh")
        screen.sources.focus()
        await pilot.press("r")
        await settle(pilot)
        assert feed_server.hits("/fresh.xml") == 2
        assert feed_server.hits("/down.xml") == 1


async def test_r_on_all_says_which_source_it_refreshes(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path
) -> None:
    config = served_config(tmp_path, feed_server)
    fresh = replace(config.sources[0], name="Fresh [/] [b]news[/b]")  # a title with brackets
    app = new_app(config=replace(config, sources=(fresh, *config.sources[1:])))
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        screen, articles, _ = parts(app)
        screen.focus_pane("list")
        first = next(
            i for i in range(articles.rows.total) if articles.rows.get(i).source == fresh.name
        )
        articles.move_to(first)
        assert screen.views.state.scope.label == "All"
        await pilot.press("r")
        await settle(pilot)
        said = "Refreshing Fresh [/] [b]news[/b], the selected article's source (R: all)"
        assert ("", said) in notes and feed_server.hits("/fresh.xml") == 2
        [toast] = [t for t in app._notifications if t.message == said]
        assert not toast.markup  # shown as written, and drawn


async def test_start_up_does_not_wait_for_the_network(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path
) -> None:
    config = Config(
        path=tmp_path / "feeds.toml",
        sources=(SourceConfig("Slow", url=feed_server.hang("/slow.xml")),),
        settings=Settings(refresh_minutes=0, timeout_seconds=60),
    )
    app = new_app(config=config, refresh_on_start=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_rows(pilot)
        screen, articles, _ = parts(app)
        assert articles.rows.total == 10
        for _ in range(50):  # the refresh starts once the list is drawn
            if screen.refresher.running:
                break
            await pilot.pause()
        assert screen.refresher.running
        assert articles.current is not None and articles.current.title == TITLES[0]


def test_due_sources_follow_each_interval(store: Store, tmp_path: Path) -> None:
    base = make_config(tmp_path, refresh_minutes=30)
    sources = list(base.sources)
    sources[0] = replace(sources[0], refresh_minutes=10)  # World News
    sources[2] = replace(sources[2], refresh_minutes=0)  # 東京ニュース: never automatically
    sources.append(SourceConfig("Brand new", url="https://new.example/rss"))
    config = replace(base, sources=tuple(sources))
    checked = NOW.timestamp()
    assert due_sources(config, store.sources(), checked + 5 * 60) == ["Brand new"]
    assert due_sources(config, store.sources(), checked + 15 * 60) == ["World News", "Brand new"]
    later = due_sources(config, store.sources(), checked + 31 * 60)
    assert later == ["World News", "Tech Daily", "Broken Feed", "Brand new"]
    broken = config.source("Broken Feed")
    assert broken is not None and broken.url is not None
    gone = FetchOutcome(status=410, error="HTTP 410 Gone", dead=True)  # no retry time
    store.record_refresh(store.web_sources()[broken.url], None, gone, now=checked)
    assert "Broken Feed" not in due_sources(config, store.sources(), checked + 31 * 60)


async def test_many_failures_get_one_short_notice(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path
) -> None:
    down = tuple(
        SourceConfig(f"Down {i}", url=feed_server.status(f"/{i}.xml", 500)) for i in range(7)
    )
    config = Config(
        path=tmp_path / "feeds.toml", sources=down, settings=Settings(refresh_minutes=0)
    )
    app = new_app(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        notes = record_notifications(app)
        await pilot.press("R")
        await settle(pilot)
        # One notice, not a toast each:
        failures = [note for note in notes if "failed" in note[1]]
        assert failures == [("", "7 sources failed: marked ! in Sources (! goes to each)")]
        assert "7 failed" in screen.status.activity
        assert all(screen.sources.entries[f"source:Down {i}"].problem for i in range(7))


def marked_read_elsewhere(cache: Path, article_id: int) -> None:
    """Another program (a cron `newsdesk refresh`, `newsdesk read`) marks an article read."""
    other = Store.open(cache)
    other.set_read([article_id], True)
    other.close()


async def test_the_apps_own_refresh_is_not_taken_for_another_programs_write(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path, store: Store
) -> None:
    """A refresh writes on a connection of its own and reloads the list itself; the watch
    for other programs' writes does not reload it once more (nor miss theirs after)."""
    app = new_app(config=served_config(tmp_path, feed_server))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        reloads: list[str] = []
        reload_list = screen.views.reload_list

        def counted() -> None:
            reloads.append("reload")
            reload_list()

        screen.views.reload_list = counted  # type: ignore[method-assign]
        await pilot.press("R")
        await settle(pilot)
        assert articles.rows.total == 13 and reloads
        by_refresh = len(reloads)
        screen.refreshing.check_outside_writes()
        await settle(pilot)
        assert len(reloads) == by_refresh
        newest = articles.rows.get(0)
        assert newest is not None and not newest.read
        marked_read_elsewhere(store.path, newest.id)
        screen.refreshing.check_outside_writes()
        await settle(pilot)
        shown = articles.rows.get(0)
        assert len(reloads) == by_refresh + 1 and shown is not None and shown.read


async def test_another_programs_write_just_after_a_refresh_is_shown(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path, store: Store
) -> None:
    """No look at the cache between the refresh's end and another program's write: the next
    look still tells that write from the refresh's own and shows it."""
    app = new_app(config=served_config(tmp_path, feed_server))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        await pilot.press("R")
        await settle(pilot)
        newest = articles.rows.get(0)
        assert articles.rows.total == 13 and newest is not None and not newest.read
        marked_read_elsewhere(store.path, newest.id)
        screen.refreshing.check_outside_writes()
        await settle(pilot)
        shown = articles.rows.get(0)
        assert shown is not None and shown.read


async def test_a_full_disk_ends_the_refresh_and_says_so(
    new_app: AppFactory,
    feed_server: FeedServer,
    tmp_path: Path,
    page_cap: Callable[[Path, int], None],
) -> None:
    cache = tmp_path / "full" / "newsdesk.db"
    Store.open(cache).close()
    page_cap(cache, 0)  # not even room for the sources' rows
    full = Store.open(cache)
    many = tuple(  # more source rows than the cache's pages have room for
        SourceConfig(f"Source {i} " + "x" * 200, url=feed_server.status(f"/{i}.xml", 404))
        for i in range(300)
    )
    config = replace(served_config(tmp_path, feed_server), sources=many)
    app = new_app(config=config, store=full)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            screen, _, _ = parts(app)
            await pilot.press("R")
            await settle(pilot)
            assert not screen.refresher.running
            assert "refresh failed: " in screen.status.activity
            assert "disk is full" in screen.status.activity
            await pilot.press("R")  # and it can be tried again
            await settle(pilot)
            assert feed_server.hits("/0.xml") == 0
    finally:
        full.close()


async def test_r_reads_the_config_again_when_it_was_edited(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path
) -> None:
    one = feed_server.feed("/one.xml", recent_rss("One", 1))
    two = feed_server.feed("/two.xml", recent_rss("Two", 1))
    path = tmp_path / "feeds.toml"
    entry = '[[sources]]\nname = "{}"\nurl = "{}"\n'
    path.write_text("[settings]\nrefresh_minutes = 0\n" + entry.format("One", one))
    app = new_app(config=load_config(path))
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        path.write_text(path.read_text() + "this is = = broken\n")
        await pilot.press("R")  # told, and the config read before is refreshed
        await settle(pilot)
        assert any(title == "Reading the config failed" for title, _ in notes)
        assert (feed_server.hits("/one.xml"), feed_server.hits("/two.xml")) == (1, 0)
        path.write_text(path.read_text().replace("this is = = broken\n", entry.format("Two", two)))
        await pilot.press("R")
        await settle(pilot)
        assert (feed_server.hits("/one.xml"), feed_server.hits("/two.xml")) == (2, 1)
        assert "source:Two" in screen.sources.entries
        await pilot.press("R")  # unchanged: not read again, refreshed
        await settle(pilot)
        assert feed_server.hits("/two.xml") == 2


def app_reading(
    new_app: AppFactory, tmp_path: Path, text: str
) -> tuple[NewsdeskApp, list[tuple[str, str]], Path]:
    """An app on a config file holding `text`, the toasts it tells, and the file."""
    path = tmp_path / "feeds.toml"
    path.write_text(text)
    app = new_app(config=load_config(path))
    return app, record_notifications(app), path


async def test_r_applies_keys_edited_into_the_config_at_once(
    new_app: AppFactory, tmp_path: Path
) -> None:
    config = '[settings]\nrefresh_minutes = 0\n[[sources]]\nname = "Notes"\npath = "n"\n'
    app, notes, path = app_reading(new_app, tmp_path, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, articles, _ = parts(app)
        path.write_text(path.read_text() + '[keys]\nnext_article = "ctrl+n"\nquit = "nonsense+"\n')
        await pilot.press("R")
        await settle(pilot)
        titles = [title for title, _ in notes]
        assert "The config has errors (see ?)" in titles
        assert "nonsense+" in notes[titles.index("The config has errors (see ?)")][1]
        at = articles.cursor
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert articles.cursor == at + 1
        await pilot.press("question_mark")
        await settle(pilot)
        assert any("nonsense+" in line for line in app.config_problems)


async def test_a_config_with_notes_alone_is_not_called_broken(
    new_app: AppFactory, tmp_path: Path
) -> None:
    # A value read as the most allowed is a note: the config works as written. The toast's
    # title said "The config has errors".
    config = "[settings]\nrefresh_minutes = 0\nretention_days = 100000\n"
    app, notes, _ = app_reading(new_app, tmp_path, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        told = dict(notes)
        assert "The config has errors (see ?)" not in told
        assert "read as 36500" in told["Notes on the config (see ?)"]


async def test_r_with_a_broken_config_says_so_not_that_there_are_no_sources(
    new_app: AppFactory, tmp_path: Path
) -> None:
    broken = Config(path=tmp_path / "feeds.toml")  # what the app opens with a broken file
    app = new_app(config=broken, config_error="feeds.toml:29: invalid TOML")
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert ("", "The config has errors (see ?): fix it, then R") in notes


async def test_r_applies_the_theme_and_auto_refresh_edited_into_the_config(
    new_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As `images`: a `[settings]` key changed in the file waited for a restart, untold.
    looked: list[int] = []

    def due(config: Config, *args: object) -> list[str]:
        looked.append(config.settings.refresh_minutes)
        return []

    monkeypatch.setattr(refresher, "TICK_SECONDS", 0.05)
    monkeypatch.setattr(refresher, "due_sources", due)
    path = tmp_path / "feeds.toml"
    source = '[[sources]]\nname = "Notes"\npath = "n"\n'
    path.write_text('[settings]\nrefresh_minutes = 0\ntheme = "textual-dark"\n' + source)
    app = new_app(config=load_config(path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert not looked and app.theme == "textual-dark"  # auto-refresh off
        path.write_text('[settings]\nrefresh_minutes = 30\ntheme = "textual-light"\n' + source)
        await pilot.press("R")
        await settle(pilot)
        await pilot.pause(0.2)
        assert app.theme == "textual-light"
        assert looked and set(looked) == {30}  # auto-refresh on: due sources looked for


async def test_the_spinner_turns_and_names_the_source_waited_on(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path
) -> None:
    # With only Slow left, the line stood still for as long, naming Fresh (the one that had
    # just finished): the spinner's frame came from the count of sources done.
    config = Config(
        path=tmp_path / "feeds.toml",
        sources=(
            SourceConfig("Slow", url=feed_server.hang("/slow.xml")),
            SourceConfig("Fresh", url=feed_server.feed("/fresh.xml", recent_rss("Fresh", 3))),
        ),
        settings=Settings(refresh_minutes=0, timeout_seconds=60),
    )
    app = new_app(config=config, refresh_on_start=True)
    async with app.run_test(size=(120, 40)) as pilot:
        status = parts(app)[0].status
        for _ in range(200):
            await pilot.pause(0.05)
            if "refreshing 1/2" in status.activity:
                break
        seen = {status.activity}
        for _ in range(10):
            await pilot.pause(SPIN_EVERY)
            seen.add(status.activity)
        assert {line[2:] for line in seen} == {"refreshing 1/2 Slow"}
        assert len({line[0] for line in seen}) > 2  # it turns while Slow is waited on
