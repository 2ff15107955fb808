"""A refresh that parses in its parser process stores what parsing in-process stores: the
bodies (compressed there), their search, and the stories (keys computed there)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, rss
from tests.store.test_index_text import assert_index_matches_articles
from tests.stories.test_detection import JAPANESE, PORT
from tui.config import Config, Settings, SourceConfig
from tui.models import MATCH_CLOSE, MATCH_OPEN, Article, FetchOutcome, SourceKind
from tui.refresh.run import refresh
from tui.sources.parsing import WORKER_AT_LEAST
from tui.store import Store, View
from tui.stories.grouping import group_stories

LONG = " ".join(f"Paragraph {i} of a long report on the harbour and its cranes." for i in range(40))
LONG_JAPANESE = JAPANESE * 3  # long enough to be stored compressed


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "cache" / "newsdesk.db")
    yield opened
    opened.close()


async def test_a_refresh_parsed_in_its_parser_process_stores_text_search_and_stories(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    items = {
        "Agency": [("Rotterdam dockers strike", PORT), ("Harbour report", LONG)],
        "Herald": [("Port of Rotterdam at a standstill", PORT)],
        "Nikkei": [("日経平均が急落", LONG_JAPANESE)],
    }
    sources = [
        SourceConfig(name=name, url=feed_server.feed(f"/{name}.xml", rss(name, pairs)))
        for name, pairs in items.items()
    ]
    sources += [
        SourceConfig(name=f"S{i}", url=feed_server.feed(f"/{i}.xml", rss(f"S{i}", 2)))
        for i in range(WORKER_AT_LEAST)  # enough for the refresh to start its parser process
    ]
    config = Config(path=tmp_path / "feeds.toml", sources=tuple(sources), settings=Settings())

    summary = await refresh(config, store)

    assert summary.ok == len(sources)
    rows = {row.title: row for row in store.page(View(), limit=100)}
    strike, copy = rows["Rotterdam dockers strike"], rows["Port of Rotterdam at a standstill"]
    assert strike.story == copy.story is not None
    assert rows["Harbour report"].story is None
    for title, body in (("Harbour report", LONG), ("日経平均が急落", LONG_JAPANESE)):
        detail = store.article(rows[title].id)
        assert detail is not None and detail.text == body
    hits = store.search("株価").hits
    assert [hit.row.title for hit in hits] == ["日経平均が急落"]
    assert f"{MATCH_OPEN}株価{MATCH_CLOSE}" in hits[0].snippet
    assert_index_matches_articles(store)  # what deletes and rewrites of these rows rely on


def test_keys_prepared_in_another_process_find_this_ones(store: Store) -> None:
    # As a refresh's parser process does: the story keys computed with its own string hashes.
    when = datetime(2026, 10, 6, 8, 0, tzinfo=UTC)
    first, second = (
        Article(title=title, body=PORT, guid=title, published=when)
        for title in ("Rotterdam dockers strike", "Port strike")
    )
    code = (
        "import pickle, sys\n"
        "from tui.prepared import prepare\n"
        "sys.stdout.buffer.write(pickle.dumps(prepare(pickle.loads(sys.stdin.buffer.read()))))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": str(hash("seed") % 1000 + 1)}
    done = subprocess.run(
        [sys.executable, "-c", code], input=pickle.dumps(first), capture_output=True, env=env
    )
    assert done.returncode == 0, done.stderr
    ids = []
    for article, prepared in ((first, (pickle.loads(done.stdout),)), (second, ())):
        source = store.ensure_source(article.title, SourceKind.LOCAL, article.title)
        ids += store.record_refresh(source, [article], FetchOutcome(), prepared=prepared).new_ids
    assert group_stories(store, ids) == 2
    stories = {row.id: row.story for row in store.page(View(), limit=10)}
    assert stories[ids[0]] == stories[ids[1]] is not None


def test_a_first_refresh_starts_its_parser_process_before_loading_httpx(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    # The process's start-up (~0.2 s of imports) then runs beside httpx's: the first feeds are
    # parsed sooner.
    config = tmp_path / "feeds.toml"
    urls = [feed_server.feed(f"/{i}.xml", rss(f"S{i}", 2)) for i in range(WORKER_AT_LEAST)]
    config.write_text(
        "".join(f'[[sources]]\nname = "{url}"\nurl = "{url}"\n' for url in urls), encoding="utf-8"
    )
    code = (
        "import asyncio, sys\n"
        "from tui.cli import main\n"
        "spawn = asyncio.create_subprocess_exec\n"
        "async def watched(*args, **kwargs):\n"
        "    print('httpx loaded at spawn:', 'httpx' in sys.modules, file=sys.stderr)\n"
        "    return await spawn(*args, **kwargs)\n"
        "asyncio.create_subprocess_exec = watched\n"
        "sys.exit(main())\n"
    )
    args = ["--config", str(config), "--cache", str(tmp_path / "cache"), "refresh"]
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "httpx loaded at spawn: False" in done.stderr
    assert (
        f"{WORKER_AT_LEAST} sources up to date, {2 * WORKER_AT_LEAST} new articles" in done.stdout
    )
