"""Enclosures keep what the feed states (type, size, playing time) on every parser path, and
`show` and `show --json` tell it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.feedserver import FeedServer
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


VIDEOS = b"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/"
      xmlns:yt="http://www.youtube.com/xml/schemas/2015">
<title>Harbour channel</title>
<entry><id>yt:video:abc</id><yt:videoId>abc</yt:videoId><title>Tide timelapse</title>
  <link rel="alternate" href="https://video.example.org/watch?v=abc"/>
  <published>2024-01-01T00:00:00+00:00</published>
  <media:group><media:title>Tide timelapse</media:title>
    <media:content url="https://video.example.org/v/abc" type="application/x-shockwave-flash"
                   width="640" height="390"/>
    <media:thumbnail url="https://img.example.org/abc.jpg" width="480" height="360"/>
  </media:group></entry>
</feed>"""

MEDIA_ONLY = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Harbour radio</title>
<item><title>Episode 13</title><guid>ep13</guid>
  <media:content url="https://pod.example.org/ep13.mp3" type="audio/mpeg" fileSize="3000000"
                 duration="95" medium="audio"/>
  <media:content url="https://pod.example.org/ep13.mp3" type="audio/mpeg"/>
  <media:content url="https://img.example.org/cover.png" medium="image"/>
  <media:content url="https://img.example.org/photo.jpg"/></item>
</channel></rss>"""


@pytest.mark.parametrize("fast", [True, False], ids=["lxml path", "feedparser path"])
@pytest.mark.parametrize(
    ("feed", "expected"),
    [
        (VIDEOS, Enclosure("https://video.example.org/v/abc", "application/x-shockwave-flash")),
        (MEDIA_ONLY, Enclosure("https://pod.example.org/ep13.mp3", "audio/mpeg", 3_000_000, 95)),
    ],
    ids=["media:group", "bare media:content"],
)
def test_media_content_without_an_enclosure_is_an_attachment(
    feed: bytes, expected: Enclosure, fast: bool
) -> None:
    """Each URL once; the story's photos are no attachments."""
    assert parse_feed(feed, fast=fast).articles[0].enclosures == (expected,)


def test_a_refreshed_video_feed_lists_its_video_in_show(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    feed_server: FeedServer,
) -> None:
    url = feed_server.feed("/videos.xml", VIDEOS, content_type="application/atom+xml")
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[sources]]\nname = "Channel"\nurl = "{url}"\n')
    monkeypatch.setenv("NEWSDESK_CONFIG", str(config))
    assert main(["refresh"]) == 0
    capsys.readouterr()
    assert main(["list", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert main(["show", str(row["id"]), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["attachments"] == [
        {
            "url": "https://video.example.org/v/abc",
            "type": "application/x-shockwave-flash",
            "length": None,
            "duration": None,
        }
    ]


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
