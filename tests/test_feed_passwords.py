"""A password in a feed's URL (`http://bob:secret@host/feed.xml`): sent with each fetch, shown
nowhere (`***` in every message, listing and `--json`), never in the cache's config memo."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, free_port, rss
from tui.cli import main

SECRET = "pa55w0rd"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    main(list(argv))
    out, err = capsys.readouterr()
    return out + err


def test_a_password_in_a_feed_url_is_sent_but_never_shown(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    feed_server.feed("/new.xml", rss("New", 1))
    moved = feed_server.redirect("/old.xml", "/new.xml", status=301)
    missing = feed_server.status("/gone.xml", 404)
    down = f"http://127.0.0.1:{free_port()}/x.xml"
    config = tmp_path / "config" / "feeds.toml"
    config.parent.mkdir()
    sources = {"Moved": moved, "Missing": missing, "Down": down}
    config.write_text(
        "".join(
            f'[[sources]]\nname = "{name}"\nurl = "{url.replace("://", f"://bob:{SECRET}@")}"\n'
            for name, url in sources.items()
        ),
        encoding="utf-8",
    )
    said = run(capsys, "refresh") + run(capsys, "sources") + run(capsys, "sources", "--json")
    assert SECRET not in said
    assert f"http://bob:***@127.0.0.1:{feed_server.port}/gone.xml" in said
    assert "moved permanently to http://bob:***@" in said
    locations = {
        row["name"]: row["location"] for row in json.loads(run(capsys, "sources", "--json"))
    }
    assert locations["Down"] == down.replace("://", "://bob:***@")
    sent = feed_server.requests("/gone.xml")[0].headers["authorization"]
    assert base64.b64decode(sent.removeprefix("Basic ")) == f"bob:{SECRET}".encode()
    assert not any(
        SECRET.encode() in path.read_bytes() for path in (tmp_path / "cache").glob("*.memo")
    )
