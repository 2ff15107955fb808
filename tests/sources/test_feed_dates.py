"""Feed dates as content systems around the world write them, fetched and listed: a zone
name other than the North American ones, no zone, German or French day and month names, a
12-hour clock, a day without a time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.feedserver import FeedServer
from tui.cli import main

STATED = {
    "Berlin": ("Thu, 03 Dec 2026 12:00:00 CEST", "2026-12-03T10:00:00+00:00"),
    "Vienna": ("Thu, 03 Dec 2026 12:00:00 CET", "2026-12-03T11:00:00+00:00"),
    "London": ("Thu, 03 Dec 2026 12:00:00 BST", "2026-12-03T11:00:00+00:00"),
    "Moscow": ("Thu, 03 Dec 2026 12:00:00 MSK", "2026-12-03T09:00:00+00:00"),
    "Delhi": ("Thu, 03 Dec 2026 12:00:00 IST", "2026-12-03T06:30:00+00:00"),
    "Singapore": ("Thu, 03 Dec 2026 12:00:00 SGT", "2026-12-03T04:00:00+00:00"),
    "Tokyo": ("Thu, 03 Dec 2026 12:00:00 JST", "2026-12-03T03:00:00+00:00"),
    "Adelaide": ("Thu, 03 Dec 2026 12:00:00 ACST", "2026-12-03T02:30:00+00:00"),
    "Sydney": ("Thu, 03 Dec 2026 12:00:00 AEDT", "2026-12-03T01:00:00+00:00"),
    "Wellington": ("Thu, 03 Dec 2026 12:00:00 NZDT", "2026-12-02T23:00:00+00:00"),
    "Chicago": ("Thu, 03 Dec 2026 12:00:00 CST", "2026-12-03T18:00:00+00:00"),
    "Unknown zone": ("Thu, 03 Dec 2026 12:00:00 QQT", "2026-12-03T12:00:00+00:00"),
    "No zone": ("Fri, 04 Dec 2026 11:00:00", "2026-12-04T11:00:00+00:00"),
    "Frankfurt": ("Fr, 04 Dez 2026 08:00:00 +0100", "2026-12-04T07:00:00+00:00"),
    "Paris": ("lun., 30 nov. 2026 10:00:00 +0100", "2026-11-30T09:00:00+00:00"),
    "Rome": ("gio, 03 dic 2026 12:00:00 +0100", "2026-12-03T11:00:00+00:00"),
    "Lisbon": ("qui, 03 set 2026 12:00:00 +0100", "2026-09-03T11:00:00+00:00"),
    "Amsterdam": ("di, 03 mrt 2026 12:00:00 +0100", "2026-03-03T11:00:00+00:00"),
    "Madrid": ("sáb, 05 dic 2026 09:00:00 +0100", "2026-12-05T08:00:00+00:00"),
    "New York evening": ("Thu, 03 Dec 2026 10:00 PM EST", "2026-12-04T03:00:00+00:00"),
    "London afternoon": ("Thu, 03 Dec 2026 02:30:00 pm GMT", "2026-12-03T14:30:00+00:00"),
    "A day alone": ("Thu, 03 Dec 2026", "2026-12-03T12:00:00+00:00"),
    "A day alone, unnamed": ("03 Dec 2026", "2026-12-03T12:00:00+00:00"),
}
DAYS_ONLY = {"A day alone", "A day alone, unnamed"}
"""Days stated without a time: that day in every zone (`day_only`), no time of their own."""


def feed(doctype: str) -> bytes:
    """An RSS 2.0 feed with one item per stated date; a DOCTYPE sends it to feedparser."""
    items = "".join(
        f"<item><title>{title}</title><link>https://world.test/{i}</link>"
        f"<pubDate>{stated}</pubDate></item>"
        for i, (title, (stated, _)) in enumerate(STATED.items())
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{doctype}<rss version="2.0"><channel>'
        f"<title>World Desk</title><link>https://world.test/</link>{items}</channel></rss>"
    ).encode()


@pytest.mark.parametrize("doctype", ["", "<!DOCTYPE rss>"], ids=["fast path", "feedparser"])
def test_dates_in_any_zone_or_language_are_listed_as_stated(
    feed_server: FeedServer, isolated_env: Path, capsys: pytest.CaptureFixture[str], doctype: str
) -> None:
    url = feed_server.feed("/world.xml", feed(doctype))
    config = isolated_env / "config" / "feeds.toml"
    config.parent.mkdir()
    config.write_text(f'[[sources]]\nname = "World"\nurl = "{url}"\n', encoding="utf-8")
    assert main(["refresh"]) == 0
    capsys.readouterr()
    assert main(["list", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    listed = {item["title"]: item["published"] for item in items}
    assert listed == {title: expected for title, (_, expected) in STATED.items()}
    assert {item["title"] for item in items if item["day_only"]} == DAYS_ONLY
