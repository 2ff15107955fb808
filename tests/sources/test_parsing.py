"""Feed parsing in a worker process gives exactly what parsing in-process gives."""

from __future__ import annotations

import subprocess
import sys
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


def test_a_refresh_process_parsing_in_the_worker_never_loads_the_parsers() -> None:
    # What the worker sends back must not need lxml or feedparser to be read: ~9 MiB.
    code = (
        "import asyncio, pathlib, sys\n"
        "from tui.sources.parsing import WORKER_AT_LEAST, FeedParsing\n"
        "async def main():\n"
        "    parsing = FeedParsing(WORKER_AT_LEAST)\n"
        "    for path in sorted(pathlib.Path(sys.argv[1]).glob('*.xml'))[:6]:\n"
        "        await parsing.parse(path.read_bytes(), 'https://example.org/', None, None)\n"
        "    assert parsing.uses_worker\n"
        "    await parsing.aclose()\n"
        "asyncio.run(main())\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('lxml', 'feedparser')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(FEEDS)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
