"""Dates as a user in any time zone reads them: each in the local rules for its own moment, a
day stated without a time as that day everywhere, a file's zoneless time as its writer's."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.feedserver import FeedServer
from tui.cli import main
from tui.config import load_config
from tui.dates import failing_text, published_text
from tui.local_time import stated_day
from tui.models import Article, FetchOutcome, SourceKind
from tui.refresh.run import refresh
from tui.sources.feeds import parse_feed
from tui.store import Store, View

Zone = Callable[[str], None]
WINTER_NOW = datetime(2026, 12, 5, 9, tzinfo=timezone(timedelta(hours=1)))
"""A December morning in Rome, as `datetime.now().astimezone()` gives it: a fixed +01:00."""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def rows(cache: Path) -> dict[str, int]:
    store = Store.open(cache / "newsdesk.db")
    found = {row.title: row.id for row in store.page(View())}
    store.close()
    return found


def import_notes(capsys: pytest.CaptureFixture[str], folder: Path, notes: dict[str, str]) -> None:
    """Write these local files (name -> text) into `folder` and import it."""
    folder.mkdir()
    for name, text in notes.items():
        (folder / name).write_text(text, encoding="utf-8")
    run(capsys, "import", str(folder))


def dated_note(title: str, stated: str) -> str:
    """A Markdown note with this title and front matter date."""
    return f"---\ntitle: {title}\ndate: {stated}\n---\n\nText.\n"


def test_a_summer_date_shows_in_summer_time_whatever_the_season_now(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], local_zone: Zone
) -> None:
    # `show` and the reader took today's offset for every date: 22:30 GMT on 14 July read
    # 23:30 in Rome all winter, where `list` said the 15th.
    local_zone("Europe/Rome")
    july, january = (datetime(2024, month, 14, 22, 30, tzinfo=UTC) for month in (7, 1))
    assert published_text(july, WINTER_NOW).startswith("2024-07-15 00:30 (")
    since = failing_text(july, WINTER_NOW)
    assert since.startswith("failing since 2024-07-15 (")
    store = Store.open(tmp_path / "cache" / "newsdesk.db")
    source = store.ensure_source("Wire", SourceKind.LOCAL, str(tmp_path / "wire"))
    stated = [
        Article(t, "Text.", guid=t, published=d) for t, d in (("July", july), ("January", january))
    ]
    store.record_refresh(source, stated, FetchOutcome())
    store.close()
    ids = rows(tmp_path / "cache")
    # Whatever today's offset, one of the two was an hour off.
    assert "Wire · 2024-07-15 00:30 (" in run(capsys, "show", str(ids["July"]))
    assert "Wire · 2024-01-14 23:30 (" in run(capsys, "show", str(ids["January"]))
    listed = run(capsys, "list")
    assert " 2024-07-15  Wire" in listed and " 2024-01-14  Wire" in listed


DAY_FEEDS = {
    "/atom.xml": (
        b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        b"<title>Atom Desk</title><id>urn:a</id><updated>2024-12-03</updated>"
        b"<entry><title>Atom day</title><id>urn:a:1</id><link href='https://a.test/1'/>"
        b"<published>2024-12-03</published><summary>Text.</summary></entry></feed>"
    ),
    "/feed.json": json.dumps({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Json Desk",
        "items": [{"id": "1", "title": "Json day", "content_text": "Text.",
                   "date_published": "2024-12-01"}],
    }).encode(),
}  # fmt: skip
DAY_FILES = {
    "front.md": "---\ntitle: Markdown day\ndate: 2024-12-03\n---\n\nText of the note.\n",
    "note.txt": "Text day\n\n3 dicembre 2024\n\nText of the note.\n",
}
DAYS = {"Atom day": "2024-12-03", "Json day": "2024-12-01", "Markdown day": "2024-12-03"}
DAYS |= {"Text day": "2024-12-03"}


@pytest.fixture
def days_stated(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> Path:
    """A cache holding articles dated by a day alone, from feeds and from files, refreshed
    in UTC."""
    config = tmp_path / "feeds.toml"
    (tmp_path / "notes").mkdir()
    for name, text in DAY_FILES.items():
        (tmp_path / "notes" / name).write_text(text, encoding="utf-8")
    sources = [f'name = "{p}"\nurl = "{feed_server.feed(p, b)}"' for p, b in DAY_FEEDS.items()]
    sources.append('name = "Notes"\npath = "notes"')
    config.write_text("".join(f"[[sources]]\n{s}\n" for s in sources), encoding="utf-8")
    run(capsys, "--config", str(config), "refresh")
    return config


@pytest.mark.parametrize(
    "zone", ["America/St_Johns", "Pacific/Pago_Pago", "Pacific/Kiritimati", "Pacific/Auckland"]
)
def test_a_day_without_a_time_is_that_day_in_every_zone(
    days_stated: Path, capsys: pytest.CaptureFixture[str], local_zone: Zone, zone: str
) -> None:
    # West of UTC the feeds' days read a day early, east of +12 the files' a day late.
    local_zone(zone)
    config = str(days_stated)
    listed = run(capsys, "--config", config, "list").splitlines()
    ids = rows(days_stated.parent / "cache")
    for title, day in DAYS.items():
        (line,) = [line for line in listed if line.endswith(title)]
        assert f" {day}  " in line, line
        shown = run(capsys, "--config", config, "show", str(ids[title])).splitlines()[1]
        assert f" · {day} (" in shown, shown  # the day alone: no made-up time
    listed_json = json.loads(run(capsys, "list", "--json"))
    dated = {i["title"]: (i["published"], i["day_only"]) for i in listed_json}
    assert dated == {title: (f"{day}T12:00:00+00:00", True) for title, day in DAYS.items()}


def test_both_feed_parsers_keep_a_day_without_a_time() -> None:
    atom = DAY_FEEDS["/atom.xml"]
    for fast in (True, False):
        (entry,) = parse_feed(atom, fast=fast).articles
        assert entry.published == stated_day(date(2024, 12, 3)), fast


def test_a_time_without_a_zone_in_a_file_is_local_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], local_zone: Zone
) -> None:
    # A person writing a file means their own clock: 09:15 in Rome came out as 10:15.
    local_zone("Europe/Rome")
    text = "Ponte riaperto\ndi Mario Rossi, 5 dicembre 2024, 09:15\n\nIl ponte riapre.\n"
    import_notes(
        capsys,
        tmp_path / "notes",
        {"a.txt": text, "b.md": dated_note("Late note", "2024-12-03 23:30")},
    )
    dated = {i["title"]: i["published"] for i in json.loads(run(capsys, "list", "--json"))}
    assert dated == {
        "Ponte riaperto": "2024-12-05T08:15:00+00:00",
        "Late note": "2024-12-03T22:30:00+00:00",
    }
    assert " 2024-12-03  " in next(
        line for line in run(capsys, "list").splitlines() if "Late" in line
    )


def test_a_feeds_time_without_a_zone_stays_utc(local_zone: Zone) -> None:
    local_zone("Europe/Rome")
    atom = DAY_FEEDS["/atom.xml"].replace(b">2024-12-03<", b">2024-12-03T09:15:00<")
    (entry,) = parse_feed(atom).articles
    assert entry.published == datetime(2024, 12, 3, 9, 15, tzinfo=UTC)


def test_a_source_failing_since_yesterday_says_the_day_and_a_past_try_is_due(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str], local_zone: Zone
) -> None:
    # "failing since 21:30 (23h)" named yesterday's hour as today's, and "next try" kept
    # printing a time gone by.
    local_zone("America/St_Johns")
    url = feed_server.status("/down.xml", 500)
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[sources]]\nname = "Down"\nurl = "{url}"\n', encoding="utf-8")
    midnight = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    began = min(midnight.timestamp() - 60, time.time() - 2 * 3600)  # yesterday, under a day
    store = Store.open(tmp_path / "cache" / "newsdesk.db")
    asyncio.run(refresh(load_config(config), store, now=began, force=True))
    store.close()
    day = datetime.fromtimestamp(began).strftime("%Y-%m-%d")
    out = run(capsys, "--config", str(config), "sources")
    assert f"; failing since {day} (1 day), next try at the next refresh" in out, out


def test_since_counts_an_undated_article_by_when_it_was_first_seen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # As the list sorts it (README, Search): found by `since:1d`, not by `before:1d`.
    store = Store.open(tmp_path / "cache" / "newsdesk.db")
    source = store.ensure_source("Notes", SourceKind.LOCAL, str(tmp_path / "notes"))
    old = datetime(2024, 3, 1, 12, tzinfo=UTC)
    articles = [
        Article("Undated", "Text.", guid="u"),
        Article("Old", "Text.", guid="o", published=old),
    ]
    store.record_refresh(source, articles, FetchOutcome())
    store.close()
    assert [line.endswith("Undated") for line in run(capsys, "list").splitlines()] == [True, False]
    assert "Undated" in run(capsys, "search", "since:1d")
    assert "Undated" not in run(capsys, "search", "before:1d")
    assert "Old" in run(capsys, "search", "since:2024-03-01 before:2024-03-02")


def test_a_day_without_a_time_sorts_among_its_own_day_west_of_utc(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], local_zone: Zone
) -> None:
    # Kept at midnight UTC, 3 December fell between two rows of 2 December in New York.
    local_zone("America/New_York")
    stated = {"late": "2024-12-02T22:00:00-05:00", "day": "2024-12-03"}
    stated["early"] = "2024-12-02T10:00:00-05:00"
    notes = {f"{title}.md": dated_note(title, day) for title, day in stated.items()}
    import_notes(capsys, tmp_path / "notes", notes)
    listed = [line.split()[-1] for line in run(capsys, "list").splitlines()]
    assert listed == ["day", "late", "early"]


def test_the_markdown_export_states_a_day_as_a_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Its front matter wrote the stored moment, 00:00:00.500000, the mark and all.
    import_notes(capsys, tmp_path / "notes", {"a.md": dated_note("A day", "2024-12-03")})
    run(capsys, "save", "1")
    run(capsys, "export", "--format", "md", "--output", str(tmp_path / "out"))
    (exported,) = (tmp_path / "out").glob("*.md")
    assert 'date: "2024-12-03"' in exported.read_text(encoding="utf-8") or (
        "date: 2024-12-03\n" in exported.read_text(encoding="utf-8")
    )
