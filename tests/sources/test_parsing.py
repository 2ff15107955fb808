"""Feed parsing in a worker process gives exactly what parsing in-process gives."""

from __future__ import annotations

from pathlib import Path

import pytest

import tui.sources.parsing as parsing_module
from tui.sources.feeds import parse_feed
from tui.sources.parsing import WORKER_AT_LEAST, FeedParsing

FEEDS = Path(__file__).parent.parent / "fixtures" / "feeds"


async def test_worker_process_parses_like_in_process() -> None:
    bodies = [p.read_bytes() for p in sorted(FEEDS.glob("*.xml"))[:6]]
    parsing = FeedParsing(WORKER_AT_LEAST)
    try:
        results = [await parsing.parse(b, "https://example.org/feed", None, None) for b in bodies]
        assert parsing.uses_worker
    finally:
        await parsing.aclose()
    expected = [parse_feed(b, "https://example.org/feed") for b in bodies]
    assert [r.articles for r in results] == [e.articles for e in expected]
    assert any(r.articles for r in results)


async def test_without_a_worker_parsing_still_works(monkeypatch: pytest.MonkeyPatch) -> None:

    monkeypatch.setattr(parsing_module.sys, "executable", "/nonexistent/python")
    parsing = FeedParsing(WORKER_AT_LEAST)
    try:
        body = next(iter(sorted(FEEDS.glob("*.xml")))).read_bytes()
        result = await parsing.parse(body, "https://example.org/feed", None, None)
        assert not parsing.uses_worker
    finally:
        await parsing.aclose()
    assert result.articles == parse_feed(body, "https://example.org/feed").articles
