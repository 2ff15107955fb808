"""Enclosures keep what the feed states (type, size, playing time) on every parser path, and
`show` and `show --json` tell it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main
from tui.models import Enclosure, FetchOutcome, SourceKind
from tui.sources.enclosures import duration
from tui.sources.feeds import parse_feed
from tui.store import Store, View

PODCAST = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Harbour radio</title>
<item><title>Episode 12</title><guid>ep12</guid>
  <enclosure url="https://pod.example.org/ep12.mp3" type="audio/mpeg" length="45000000"/>
  <itunes:duration>1:02:03</itunes:duration></item>
<item><title>Walkthrough</title><guid>video</guid>
  <enclosure url="https://pod.example.org/walk.mp4" type="video/mp4" length="abc"/>
  <enclosure url="https://pod.example.org/notes.pdf"/>
  <media:content url="https://pod.example.org/walk.mp4" duration="95"/></item>
</channel></rss>"""

EXPECTED = [
    (Enclosure("https://pod.example.org/ep12.mp3", "audio/mpeg", 45_000_000, 3723),),
    (
        Enclosure("https://pod.example.org/walk.mp4", "video/mp4", None, 95),
        Enclosure("https://pod.example.org/notes.pdf"),
    ),
]


@pytest.mark.parametrize("fast", [True, False], ids=["lxml path", "feedparser path"])
def test_type_size_and_playing_time_are_kept_on_both_paths(fast: bool) -> None:
    feed = parse_feed(PODCAST, fast=fast)
    assert [a.enclosures for a in feed.articles] == EXPECTED


def test_json_feed_attachments_keep_type_size_and_time() -> None:
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Harbour radio",
        "items": [
            {
                "id": "1",
                "content_text": "Episode 12",
                "attachments": [
                    {
                        "url": "https://pod.example.org/ep12.mp3",
                        "mime_type": "audio/mpeg",
                        "size_in_bytes": 45000000,
                        "duration_in_seconds": 3723,
                    }
                ],
            }
        ],
    }
    feed = parse_feed(json.dumps(data).encode(), content_type="application/feed+json")
    assert feed.articles[0].enclosures == EXPECTED[0]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("3723", 3723), ("62:03", 3723), ("1:02:03", 3723), ("1:02:03.5", 3723), ("soon", None),
     ("", None), ("0", None), (95, 95), (95.4, 95), (True, None)],
)  # fmt: skip
def test_durations_as_feeds_write_them(text: object, seconds: int | None) -> None:
    assert duration(text) == seconds


def test_show_and_show_json_tell_every_attachment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text('[[sources]]\nname = "Radio"\nurl = "https://pod.example.org/feed"\n')
    monkeypatch.setenv("NEWSDESK_CONFIG", str(config))
    store = Store.open(tmp_path / "cache" / "newsdesk.db")
    source = store.ensure_source("Radio", SourceKind.WEB, "https://pod.example.org/feed")
    store.record_refresh(source, parse_feed(PODCAST).articles, FetchOutcome())
    ids = {row.title: row.id for row in store.page(View())}
    store.close()
    assert main(["show", str(ids["Walkthrough"])]) == 0
    out = capsys.readouterr().out
    assert "[▶] video · video/mp4 · walk.mp4 · 1:35" in out
    assert "[▶] file · application/pdf · notes.pdf" in out
    assert main(["show", str(ids["Episode 12"]), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["enclosures"] == ["https://pod.example.org/ep12.mp3"]  # the key keeps its form
    assert data["attachments"] == [
        {
            "url": "https://pod.example.org/ep12.mp3",
            "type": "audio/mpeg",
            "length": 45_000_000,
            "duration": 3723,
        }
    ]


def test_a_cache_with_bare_enclosure_urls_still_reads() -> None:
    assert Enclosure.from_json("https://pod.example.org/old.mp3") == Enclosure(
        "https://pod.example.org/old.mp3"
    )
