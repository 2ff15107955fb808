"""`--json` dates of feed articles: `published` is the article's own date or null."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from tests.feedserver import FeedServer

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Desk</title><link>https://desk.test/</link>
<item><title>Dated long ago</title><link>https://desk.test/old</link>
<pubDate>Mon, 06 Jan 2020 10:00:00 GMT</pubDate><description>Old news.</description></item>
<item><title>States no date</title><link>https://desk.test/undated</link>
<description>When was this written?</description></item>
</channel></rss>"""


def newsdesk(*argv: str) -> str:
    """Run the command line as a user would; its stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "tui", *argv], capture_output=True, text=True, check=True
    )
    return done.stdout


def test_undated_article_prints_null_and_sorts_by_first_seen(
    feed_server: FeedServer, isolated_env: Path
) -> None:
    url = feed_server.feed("/desk.xml", FEED)
    config = isolated_env / "config" / "feeds.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[[sources]]\nname = "Desk"\nurl = "{url}"\n', encoding="utf-8")
    newsdesk("refresh")
    items = json.loads(newsdesk("list", "--json"))
    assert [i["title"] for i in items] == ["States no date", "Dated long ago"]
    undated, dated = items
    assert undated["published"] is None
    assert datetime.fromisoformat(undated["first_seen"]).year >= 2025
    assert dated["published"] == "2020-01-06T10:00:00+00:00" and dated["first_seen"]
