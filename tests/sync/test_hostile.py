"""A server that answers badly (malformed values, too slowly, too much) fails the sync in one
line, or skips the one bad item, and never stops the other sources of a refresh."""

from __future__ import annotations

import json

import pytest

from tests.feedserver import FeedServer
from tests.sync.conftest import Cli, feed_items
from tests.sync.sides import ServerSide


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_a_sync_that_breaks_never_stops_the_other_sources(
    cli: Cli, server: ServerSide, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in the sync")

    monkeypatch.setattr("tui.sync.engine.run_sync", broken)
    local = feed_server.feed("/local.xml", feed_items("Local", 3, feed_server))
    cli.write(server.sync_table(), extra=f'[[sources]]\nname = "Mine"\nurl = "{local}"\n')

    code, out, err = cli("refresh")

    assert "3 new articles" in out
    assert "Traceback" not in err
    assert "[sync]: failed: unexpected error (RuntimeError: a bug in the sync)" in err
    code, out, _ = cli("sources", "--json")
    assert {s["name"]: s["unread"] for s in json.loads(out)} == {"Mine": 3}
