"""Refresh orchestration against a real loopback server and a real store."""

from __future__ import annotations

import asyncio
import shutil
import time
import tracemalloc
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

import tui.refresh.run as run_module
import tui.sources.parsing as parsing_module
from tests.feedserver import MB, FeedServer, free_port, html_with_alternate, rss
from tui.config import Config, Settings, SourceConfig
from tui.models import SourceKind, SourceState
from tui.refresh.importing import import_paths
from tui.refresh.known import sync_sources
from tui.refresh.run import _Run, refresh
from tui.refresh.summary import ProgressEvent, RefreshSummary
from tui.sources.feeds import ParsedFeed, parse_feed
from tui.sources.fetch import Response
from tui.store import Store, View
from tui.store.writes import GONE_FOR
from tui.stories.grouping import settle_intake

T0 = time.time()
DAY = 86400.0


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "cache" / "newsdesk.db")
    yield opened
    opened.close()


def config(tmp_path: Path, *sources: SourceConfig, **settings: float) -> Config:
    """A config with short deadlines so failure tests stay fast."""
    values: dict[str, float] = {"timeout_seconds": 1.0, "refresh_minutes": 30, **settings}
    return Config(path=tmp_path / "feeds.toml", sources=sources, settings=Settings(**values))  # type: ignore[arg-type]


def web(name: str, url: str, **kwargs: object) -> SourceConfig:
    return SourceConfig(name=name, url=url, **kwargs)  # type: ignore[arg-type]


def state(store: Store, name: str) -> SourceState:
    found = store.source_state(name)
    assert found is not None
    return found


def at(stamp: float) -> object:
    """A timestamp to within a millisecond (pytest.approx is relative: ±30 min at 1.7e9)."""
    return pytest.approx(stamp, abs=1e-3)


def titles(store: Store, name: str) -> list[str]:
    return [r.title for r in store.page(View(source=name), limit=1000)]


# -- the summary ---------------------------------------------------------------------------


def test_summary_line() -> None:
    summary = RefreshSummary(ok=12, not_modified=3, failed=1, new=57)
    assert summary.line() == "15 sources up to date, 1 failed, 57 new articles"
    one = RefreshSummary(ok=1, skipped=2, new=1)
    assert one.line() == "1 source up to date, 2 skipped, 1 new article"
    unchanged = RefreshSummary(not_modified=1)  # a 304 is not "0 sources ok"
    assert unchanged.line() == "1 source up to date, 0 new articles"


# -- the happy path ------------------------------------------------------------------------


@pytest.mark.parametrize("big", [False, True], ids=["small-run", "big-run"])
async def test_refresh_stores_articles_and_reports_progress(
    tmp_path: Path,
    store: Store,
    feed_server: FeedServer,
    big: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if big:  # past BIG_RUN the writer's page cache grows in the middle of the run
        monkeypatch.setattr(run_module, "BIG_RUN", 1)
    cfg = config(
        tmp_path,
        web("A", feed_server.feed("/a.xml", rss("A", 3)), tags=("news",)),
        web("B", feed_server.feed("/b.xml", rss("B", 2))),
    )
    events: list[ProgressEvent] = []
    summary = await refresh(cfg, store, progress=events.append)
    assert (summary.ok, summary.failed, summary.new) == (2, 0, 5)
    assert summary.errors == [] and summary.notices == []
    assert sorted(titles(store, "A")) == [f"A item {i}" for i in range(3)]
    a = state(store, "A")
    assert (a.status, a.error, a.kind, a.tags, a.next_retry) == (
        200,
        None,
        SourceKind.WEB,
        ("news",),
        None,
    )
    assert [e.state for e in events if e.source == "A"] == ["started", "ok"]
    assert events[-1].done == events[-1].total == 2
    assert {(e.source, e.new) for e in events if e.state == "ok"} == {("A", 3), ("B", 2)}


async def test_a_big_run_s_stories_pass_gives_the_big_page_cache_back(
    tmp_path: Path, store: Store, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The pass's peak sat on top of the full big cache: the 100k import's peak 79 -> 67 MiB.
    monkeypatch.setattr(run_module, "BIG_RUN", 1)
    caches: list[int] = []

    def settle(writer: Store, ids: Sequence[int], now: float) -> str | None:
        caches.append(writer._conn.execute("PRAGMA cache_size").fetchone()[0])
        return settle_intake(writer, ids, now)

    monkeypatch.setattr(run_module, "settle_intake", settle)
    cfg = config(tmp_path, web("A", feed_server.feed("/a.xml", rss("A", 3))))
    assert (await refresh(cfg, store)).new == 3
    assert caches == [-run_module.WRITER_CACHE_KIB]


async def test_second_refresh_is_conditional_and_304_writes_nothing(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    cfg = config(tmp_path, web("A", feed_server.feed("/a.xml", rss("A", 3), etag='"e1"')))
    await refresh(cfg, store, now=T0)
    before = store.page(View(source="A"))
    summary = await refresh(cfg, store, now=T0 + 60)
    assert (summary.ok, summary.not_modified, summary.new) == (0, 1, 0)
    assert feed_server.requests("/a.xml")[1].headers["if-none-match"] == '"e1"'
    assert store.page(View(source="A")) == before
    a = state(store, "A")
    assert a.checked_at is not None and a.checked_at.timestamp() == at(T0 + 60)
    assert (a.status, a.error) == (304, None)


async def test_changed_feed_adds_only_new_articles(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    url = feed_server.feed("/a.xml", rss("A", 2))
    cfg = config(tmp_path, web("A", url))
    await refresh(cfg, store)
    feed_server.feed("/a.xml", rss("A", 5))
    summary = await refresh(cfg, store)
    assert (summary.ok, summary.new) == (1, 3)


async def test_articles_that_left_the_feed_past_retention_are_pruned_by_the_refresh(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    url = feed_server.feed("/a.xml", rss("A", 3))  # items of November 2023: past retention
    still = feed_server.feed("/b.xml", rss("B", 2))
    cfg = config(tmp_path, web("A", url), web("B", still), retention_days=30)
    await refresh(cfg, store)
    feed_server.feed("/a.xml", rss("A", 2))  # "A item 2" left the feed
    summary = await refresh(cfg, store, now=time.time() + GONE_FOR)  # a day ago: pruned
    assert (summary.ok, summary.not_modified) == (1, 1)
    assert titles(store, "A") == ["A item 0", "A item 1"]
    assert titles(store, "B") == ["B item 0", "B item 1"]


async def test_an_article_that_left_the_feed_is_pruned_when_the_feed_then_answers_304(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    # A feed that changes once and then answers 304 kept its departed articles for ever.
    url = feed_server.feed("/a.xml", rss("A", 3))  # items of November 2023: past retention
    cfg = config(tmp_path, web("A", url), retention_days=30)
    await refresh(cfg, store, now=T0)
    feed_server.feed("/a.xml", rss("A", 2))  # "A item 2" left the feed
    await refresh(cfg, store, now=T0 + 3600)  # out of it for an hour: kept
    assert len(titles(store, "A")) == 3
    summary = await refresh(cfg, store, now=T0 + 3600 + GONE_FOR)  # unchanged since
    assert (summary.ok, summary.not_modified) == (0, 1)
    assert titles(store, "A") == ["A item 0", "A item 1"]


async def test_a_feed_whose_window_shrinks_and_grows_again_keeps_its_articles_and_ids(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    # 6 -> 2 -> 6 items past retention: each shrink pruned 4, each growth made "4 new
    # articles" with new ids (`show 116`: no article; the one open in the reader gone).
    url = feed_server.feed("/a.xml", rss("A", 6))
    cfg = config(tmp_path, web("A", url), retention_days=30)
    await refresh(cfg, store, now=T0)
    ids = {row.title: row.id for row in store.page(View(source="A"))}
    for hour, items in enumerate([2, 6, 2, 6], start=1):
        feed_server.feed("/a.xml", rss("A", items))
        assert (await refresh(cfg, store, now=T0 + hour * 3600)).new == 0
    assert {row.title: row.id for row in store.page(View(source="A"))} == ids
    feed_server.feed("/a.xml", rss("A", 2))  # last in the feed at hour 4
    await refresh(cfg, store, now=T0 + 5 * 3600)
    assert len(titles(store, "A")) == 6
    feed_server.feed("/a.xml", rss("A", 1))  # "A item 1" was in it at hour 5: kept
    await refresh(cfg, store, now=T0 + 4 * 3600 + GONE_FOR)  # out of the feed for a day
    assert titles(store, "A") == ["A item 0", "A item 1"]


# -- failures ------------------------------------------------------------------------------


async def test_failing_sources_do_not_stop_the_others_and_are_recorded(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    cfg = config(
        tmp_path,
        web("Broken", feed_server.status("/500", 500)),
        web("Refused", f"http://127.0.0.1:{free_port()}/feed"),
        web("Missing", feed_server.status("/404", 404)),
        web("Good", feed_server.feed("/ok.xml", rss("Good", 2))),
    )
    summary = await refresh(cfg, store, now=T0)
    assert (summary.ok, summary.failed, summary.new) == (1, 3, 2)
    assert sorted(e.split(":")[0] for e in summary.errors) == ["Broken", "Missing", "Refused"]
    assert any(e.startswith("Refused: connection refused") for e in summary.errors)
    broken = state(store, "Broken")
    assert broken.status == 500 and broken.error and broken.error.startswith("HTTP 500")
    assert broken.next_retry is not None
    assert broken.next_retry.timestamp() == at(T0 + 30 * 60)
    assert state(store, "Refused").status is None
    assert state(store, "Good").error is None


async def test_cached_articles_survive_a_failure(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    cfg = config(tmp_path, web("A", feed_server.feed("/a.xml", rss("A", 3))))
    await refresh(cfg, store, now=T0)
    feed_server.status("/a.xml", 500)
    summary = await refresh(cfg, store, now=T0 + 60, force=True)
    assert summary.failed == 1
    assert len(titles(store, "A")) == 3
    assert state(store, "A").error is not None


async def test_backoff_doubles_and_is_honoured_only_by_automatic_refreshes(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    cfg = config(tmp_path, web("A", feed_server.status("/a.xml", 503), refresh_minutes=10))
    await refresh(cfg, store, now=T0)
    first = state(store, "A").next_retry
    assert first is not None and first.timestamp() == at(T0 + 600)
    # 503 without Retry-After is still "the server is overloaded": even forced refreshes wait.
    skipped = await refresh(cfg, store, now=T0 + 60, force=True)
    assert skipped.skipped == 1 and feed_server.hits("/a.xml") == 1
    assert "up to date, 1 skipped," in skipped.line()  # the server's wait: not a retry's
    feed_server.status("/a.xml", 500)
    assert (await refresh(cfg, store, now=T0 + 601)).failed == 1
    second = state(store, "A").next_retry
    assert second is not None and second.timestamp() == at(T0 + 601 + 1200)
    waiting = await refresh(cfg, store, now=T0 + 700)  # automatic: waits
    assert waiting.skipped == 1
    assert waiting.line() == "0 sources up to date, 1 waiting to retry, 0 new articles"
    assert (await refresh(cfg, store, now=T0 + 700, force=True)).failed == 1  # manual: tries
    third = state(store, "A").next_retry  # ... and does not lengthen the wait
    assert third is not None and third.timestamp() == at(T0 + 700 + 1200)
    assert (await refresh(cfg, store, now=T0 + 1901)).failed == 1  # automatic, due
    fourth = state(store, "A").next_retry
    assert fourth is not None and fourth.timestamp() == at(T0 + 1901 + 2400)


async def test_manual_refreshes_in_a_row_keep_the_backoff_at_the_interval(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    cfg = config(tmp_path, web("A", feed_server.status("/a.xml", 500)))
    now = T0
    for _ in range(4):  # four `R` presses in ten minutes
        assert (await refresh(cfg, store, now=now, force=True)).failed == 1
        now += 150
    retry = state(store, "A").next_retry
    assert retry is not None and retry.timestamp() == at(now - 150 + 30 * 60)


async def test_manual_refreshes_after_the_retry_time_do_not_lengthen_the_wait(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    # A cron `newsdesk refresh` each time past the next try doubled it: 1, 3, 7, 15, 31 min.
    cfg = config(tmp_path, web("A", feed_server.status("/a.xml", 500), refresh_minutes=1))
    now, waits = T0, []
    for _ in range(5):
        assert (await refresh(cfg, store, now=now, force=True)).failed == 1
        retry = state(store, "A").next_retry
        assert retry is not None
        waits.append(round(retry.timestamp() - now))
        now = retry.timestamp() + 1
    assert waits == [60] * 5
    assert (await refresh(cfg, store, now=now)).failed == 1  # an automatic one doubles it
    retry = state(store, "A").next_retry
    assert retry is not None and retry.timestamp() == at(now + 120)


async def test_a_source_that_does_not_answer_is_retried_within_minutes(
    tmp_path: Path, store: Store
) -> None:
    """Network down is not the server being dead: no answer never backs off for hours."""
    cfg = config(tmp_path, web("A", f"http://127.0.0.1:{free_port()}/feed.xml"))
    now = T0
    for _ in range(6):  # an evening offline, each automatic retry failing again
        assert (await refresh(cfg, store, now=now)).failed == 1
        retry = state(store, "A").next_retry
        assert retry is not None and retry.timestamp() == at(now + 300)
        now += 301
    assert (await refresh(cfg, store, now=now - 200)).skipped == 1  # in between: waits


async def test_backoff_is_capped_at_a_day(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    cfg = config(tmp_path, web("A", feed_server.status("/a.xml", 500), refresh_minutes=600))
    now = T0
    for _ in range(4):  # 10 h, 20 h, then a day, each automatic retry failing again
        await refresh(cfg, store, now=now)
        retry = state(store, "A").next_retry
        assert retry is not None
        now = retry.timestamp()
    assert retry.timestamp() - state(store, "A").checked_at.timestamp() == at(DAY)  # type: ignore[union-attr]


async def test_retry_after_is_respected(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    url = feed_server.status("/a.xml", 429, [("Retry-After", "120")])
    cfg = config(tmp_path, web("A", url))
    summary = await refresh(cfg, store, now=T0)
    assert summary.failed == 1 and "429" in summary.errors[0]
    retry = state(store, "A").next_retry
    assert retry is not None and retry.timestamp() == at(T0 + 120)
    events: list[ProgressEvent] = []
    again = await refresh(cfg, store, now=T0 + 60, force=True, progress=events.append)
    assert again.skipped == 1 and feed_server.hits("/a.xml") == 1
    assert events[0].state == "skipped" and "asked to wait" in (events[0].message or "")
    feed_server.feed("/a.xml", rss("A", 1))
    later = await refresh(cfg, store, now=T0 + 121)
    assert later.ok == 1 and state(store, "A").next_retry is None


async def test_gone_source_is_marked_dead_and_not_fetched_again(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    cfg = config(tmp_path, web("A", feed_server.status("/a.xml", 410)))
    summary = await refresh(cfg, store, now=T0)
    assert summary.failed == 1 and "410" in summary.errors[0]
    assert state(store, "A").dead
    for force in (False, True):
        again = await refresh(cfg, store, now=T0 + DAY, force=force)
        assert again.skipped == 1
    assert feed_server.hits("/a.xml") == 1
    # Naming it re-enables it: the feed is back.
    feed_server.feed("/a.xml", rss("A", 1))
    named = await refresh(cfg, store, ["A"], now=T0 + DAY)
    assert named.ok == 1 and not state(store, "A").dead


async def test_permanent_redirect_moves_the_source_and_says_so_until_the_config_follows(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    new = feed_server.feed("/new.xml", rss("A", 2))
    old = feed_server.redirect("/old.xml", "/new.xml", 301)
    cfg = config(tmp_path, web("A", old))
    first = await refresh(cfg, store)
    assert first.ok == 1 and state(store, "A").location == new
    moved = f"A: feed moved permanently to {new} — update feeds.toml (it still says {old})"
    assert first.notices == [moved]
    # A notice missed once (a cron refresh) is said again while the config is not updated.
    second = await refresh(cfg, store)
    assert second.not_modified == 1 and second.notices == [moved]
    assert feed_server.hits("/old.xml") == 1 and feed_server.hits("/new.xml") == 2
    sync_sources(cfg, store)  # the unchanged config does not undo the move
    assert state(store, "A").location == new
    updated = await refresh(config(tmp_path, web("A", new)), store)
    assert updated.not_modified == 1 and updated.notices == []


async def test_temporary_redirect_keeps_the_location(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    feed_server.feed("/new.xml", rss("A", 2))
    old = feed_server.redirect("/old.xml", "/new.xml", 302)
    cfg = config(tmp_path, web("A", old))
    first = await refresh(cfg, store)
    assert first.ok == 1 and first.notices == []
    await refresh(cfg, store)
    assert state(store, "A").location == old and feed_server.hits("/old.xml") == 2


async def test_validators_go_only_to_the_url_that_gave_them(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    # The same ETag on two feeds (a server's constant one): sent to the other, its 304
    # would keep the first feed's articles for the second.
    first = feed_server.feed("/a.xml", rss("A", 2), etag='"same"')
    other = feed_server.feed("/b.xml", rss("B", 3), etag='"same"')
    await refresh(config(tmp_path, web("Feed", first)), store)
    edited = await refresh(config(tmp_path, web("Feed", other)), store)
    assert (edited.ok, edited.new) == (1, 3)
    assert "if-none-match" not in feed_server.requests("/b.xml")[0].headers
    # Across a temporary redirect, the target's validators are not sent to the start.
    feed_server.feed("/final.xml", rss("C", 2), etag='"final"')
    start = feed_server.redirect("/start.xml", "/final.xml", 302)
    cfg = config(tmp_path, web("Feed", start))
    await refresh(cfg, store)
    again = await refresh(cfg, store)
    assert (again.ok, again.not_modified) == (1, 0)
    sent = [*feed_server.requests("/start.xml"), *feed_server.requests("/final.xml")]
    assert not any("if-none-match" in r.headers or "if-modified-since" in r.headers for r in sent)


async def test_size_caps_fail_with_bounded_memory(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    cfg = config(
        tmp_path,
        web("Bomb", feed_server.gzip_bomb("/bomb")),
        web("Huge", feed_server.big("/huge", 50 * MB, declare_length=False)),
        web("Good", feed_server.feed("/ok.xml", rss("Good", 1))),
        max_body_mb=2,
        timeout_seconds=5,
    )
    tracemalloc.start()
    try:
        summary = await refresh(cfg, store)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (summary.ok, summary.failed) == (1, 2)
    assert all("response larger than 2 MB" in e for e in summary.errors)
    assert peak < 16 * MB
    # Asked again 5 minutes later, as if nothing had answered: it answers the same.
    huge = state(store, "Huge")
    assert huge.status == 200 and huge.next_retry is not None
    assert huge.next_retry.timestamp() - time.time() > 20 * 60


async def test_slow_servers_fail_within_the_deadline(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    cfg = config(
        tmp_path,
        web("Hang", feed_server.hang("/hang")),
        web("Trickle", feed_server.trickle("/trickle", interval=0.1)),
        web("Good", feed_server.feed("/ok.xml", rss("Good", 1))),
        timeout_seconds=0.5,
    )
    started = time.monotonic()
    summary = await refresh(cfg, store)
    assert time.monotonic() - started < 2.0
    assert (summary.ok, summary.failed) == (1, 2)
    assert all("timed out after 0.5 s" in e for e in summary.errors)


async def test_html_page_with_a_feed_link_suggests_it(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    feed_url = feed_server.feed("/feed.xml", rss("A", 1))
    page = feed_server.page("/", html_with_alternate("/feed.xml"))
    summary = await refresh(config(tmp_path, web("Blog", page)), store)
    assert summary.errors == [f"Blog: not a feed (HTML page); try {feed_url}"]
    assert state(store, "Blog").error == f"not a feed (HTML page); try {feed_url}"


async def test_content_type_does_not_decide_what_a_body_is(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    cfg = config(
        tmp_path,
        web("FeedAsHtml", feed_server.feed("/f", rss("F", 2), content_type="text/html")),
        web(
            "HtmlAsFeed",
            feed_server.page("/h", b"<html><body>hi</body></html>", "application/rss+xml"),
        ),
    )
    summary = await refresh(cfg, store)
    assert (summary.ok, summary.failed, summary.new) == (1, 1, 2)
    assert summary.errors[0].startswith("HtmlAsFeed: not a feed")


async def test_a_cut_copy_then_the_whole_feed_store_each_item_once_and_whole(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    """A feed cut off inside an item (a dropped connection) keeps its whole items, skips the
    cut one and says so; the next whole copy adds that one and no item twice."""
    body = rss("T", 3)
    cut = body[: body.rindex(b"<item>") + 40]
    cfg = config(tmp_path, web("T", feed_server.feed("/t", cut)))
    first = await refresh(cfg, store)
    assert (first.ok, first.new) == (1, 2)
    [notice] = first.source_notices
    assert notice.startswith("T: malformed XML") and "(the last was cut off: skipped)" in notice
    feed_server.feed("/t", body)
    assert (await refresh(cfg, store)).new == 1
    assert sorted(titles(store, "T")) == ["T item 0", "T item 1", "T item 2"]


async def test_a_broken_copy_and_the_good_one_are_the_same_articles(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    """A feed served once with a stray `&` (read leniently) and then fixed, an item's title
    edited meanwhile: each item is still one article, known by its guid ("T-1")."""
    items = [("One", "Body one."), ("Two & more", "Body two.")]
    broken = rss("T", items).replace(b"&amp;", b"&")
    cfg = config(tmp_path, web("T", feed_server.feed("/t", broken)))
    assert (await refresh(cfg, store)).new == 2
    assert state(store, "T").warning.startswith("malformed XML")  # type: ignore[union-attr]
    feed_server.feed("/t", rss("T", [("One", "Body one."), ("Two and more", "Body two.")]))
    assert (await refresh(cfg, store)).new == 0
    assert sorted(titles(store, "T")) == ["One", "Two and more"]


async def test_an_internal_error_is_recorded_not_raised(
    tmp_path: Path, store: Store, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = parse_feed

    def flaky(data: bytes, *args: object) -> object:
        if b"Bad" in data:
            raise RuntimeError("boom\nsecond line")
        return real(data, *args)  # type: ignore[arg-type]

    monkeypatch.setattr("tui.sources.feeds.parse_feed", flaky)
    cfg = config(
        tmp_path,
        web("Bad", feed_server.feed("/bad.xml", rss("Bad", 1))),
        web("Good", feed_server.feed("/ok.xml", rss("Good", 1))),
    )
    summary = await refresh(cfg, store)
    assert (summary.ok, summary.failed) == (1, 1)
    assert summary.errors == ["Bad: internal error: RuntimeError: boom second line"]
    assert state(store, "Bad").error == "internal error: RuntimeError: boom second line"


async def test_per_host_setting_bounds_requests(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    sources = [
        web(f"S{i}", feed_server.feed(f"/{i}.xml", rss(f"S{i}", 1), delay=0.02)) for i in range(6)
    ]
    summary = await refresh(config(tmp_path, *sources, per_host=1), store)
    assert summary.ok == 6 and feed_server.max_in_flight == 1


async def test_downloads_wait_while_downloaded_bodies_wait_to_be_stored(
    tmp_path: Path, store: Store, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.refresh.run.BACKLOG", 2)
    requested_at_parse: list[int] = []
    real_parse = _Run.parse

    async def parse(run: _Run, response: Response) -> ParsedFeed:
        requested_at_parse.append(len(feed_server.log))
        return await real_parse(run, response)

    monkeypatch.setattr(_Run, "parse", parse)
    sources = [web(f"S{i}", feed_server.feed(f"/{i}.xml", rss(f"S{i}", 1))) for i in range(6)]
    summary = await refresh(config(tmp_path, *sources, per_host=8), store)
    assert summary.ok == 6
    # The n-th body reaches the parser when at most n + 1 downloads have been started.
    assert all(seen <= n + 2 for n, seen in enumerate(requested_at_parse))


async def test_a_refresh_of_unchanged_feeds_starts_no_parser_process(
    tmp_path: Path, store: Store, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[tuple[object, ...]] = []
    spawn = asyncio.create_subprocess_exec

    async def counted(*args: object, **kwargs: object) -> object:
        started.append(args)
        return await spawn(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parsing_module.asyncio, "create_subprocess_exec", counted)
    feeds = [feed_server.feed(f"/{i}.xml", rss(f"S{i}", 2), etag=f'"{i}"') for i in range(16)]
    cfg = config(tmp_path, *(web(f"S{i}", url) for i, url in enumerate(feeds)))
    first = await refresh(cfg, store)
    second = await refresh(cfg, store)
    assert (first.ok, first.new, second.not_modified, second.new) == (16, 32, 16, 0)
    assert len(started) == 1  # the first refresh's parser; none for sixteen 304s


# -- choosing sources ----------------------------------------------------------------------


async def test_names_select_sources_and_unknown_names_are_an_error(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    cfg = config(
        tmp_path,
        web("A", feed_server.feed("/a.xml", rss("A", 1))),
        web("B", feed_server.feed("/b.xml", rss("B", 1))),
        web("Off", feed_server.feed("/off.xml", rss("Off", 1)), enabled=False),
    )
    with pytest.raises(ValueError, match="no source named 'Nope'"):
        await refresh(cfg, store, ["A", "Nope"])
    assert (await refresh(cfg, store, ["B"])).ok == 1
    assert feed_server.hits("/a.xml") == 0
    everything = await refresh(cfg, store)
    assert (everything.ok, everything.skipped) == (1, 0)  # A; B is 304; Off is not counted
    named = await refresh(cfg, store, ["Off"])
    assert named.skipped == 1 and named.source_notices == ["Off: skipped: disabled in feeds.toml"]
    assert feed_server.hits("/off.xml") == 0


def test_sync_sources_registers_every_configured_source(tmp_path: Path, store: Store) -> None:
    notes = tmp_path / "notes"
    cfg = config(
        tmp_path,
        web("A", "https://example.org/a.xml", tags=("x", "y")),
        SourceConfig(name="Notes", path=notes),
        web("Off", "https://example.org/off.xml", enabled=False),
    )
    sync_sources(cfg, store)
    found = {s.name: s for s in store.sources()}
    assert set(found) == {"A", "Notes", "Off"}
    assert found["A"].tags == ("x", "y") and found["Notes"].kind is SourceKind.LOCAL
    assert found["Notes"].location == str(notes)


async def test_passed_client_is_left_open(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    from tui.sources.fetch import make_client

    client = make_client()
    try:
        cfg = config(tmp_path, web("A", feed_server.feed("/a.xml", rss("A", 1))))
        assert (await refresh(cfg, store, client=client)).ok == 1
        assert not client.is_closed
    finally:
        await client.aclose()


# -- local sources and imports -------------------------------------------------------------


def write_notes(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "one.txt").write_text("First note\n\nSome text about kernels.\n")
    (folder / "two.md").write_text("# Second note\n\nMore *text* here.\n")


async def test_local_sources_refresh_too(tmp_path: Path, store: Store) -> None:
    notes = tmp_path / "notes"
    write_notes(notes)
    cfg = config(
        tmp_path,
        SourceConfig(name="Notes", path=notes),
        SourceConfig(name="Gone", path=tmp_path / "missing"),
    )
    events: list[ProgressEvent] = []
    summary = await refresh(cfg, store, progress=events.append)
    assert (summary.ok, summary.failed, summary.new) == (1, 1, 2)
    assert summary.errors == [f"Gone: no such file or folder: {tmp_path / 'missing'}"]
    assert sorted(titles(store, "Notes")) == ["First note", "Second note"]
    assert [e.state for e in events if e.source == "Notes"] == ["started", "ok"]
    again = await refresh(cfg, store)
    assert (again.ok, again.new) == (1, 0)


async def test_each_skipped_file_is_told_when_the_sources_line_is_cut(
    tmp_path: Path, store: Store
) -> None:
    # "a.txt: ...; b.txt: ...; c.txt: ...; and 2 more" named no reason for the other two.
    notes = tmp_path / "notes"
    write_notes(notes)
    for name in "abcde":
        (notes / f"{name}.txt").write_text("")
    summary = await refresh(config(tmp_path, SourceConfig(name="Notes", path=notes)), store)
    assert summary.notices == [f"Notes: {name}.txt: skipped: empty file" for name in "abcde"]
    assert state(store, "Notes").warning == (
        "a.txt: skipped: empty file; b.txt: skipped: empty file; c.txt: skipped: empty file; "
        "and 2 more"
    )


@pytest.mark.parametrize("how", ["copied", "moved"])
async def test_a_local_folder_found_elsewhere_keeps_its_articles(
    tmp_path: Path, store: Store, how: str
) -> None:
    # The README's way to make a config the everyday one copies it with its folder of
    # notes and its cache: every note came back as a new unread article, its twin kept.
    notes = tmp_path / "here" / "notes"
    write_notes(notes)
    (notes / "feed.xml").write_bytes(rss("Clips", 1))
    await refresh(config(tmp_path, SourceConfig(name="Notes", path=notes)), store)
    before = {row.title: row for row in store.page(View(source="Notes"))}
    store.set_read([before["First note"].id])
    store.set_saved([before["Clips item 0"].id])
    there = tmp_path / "there" / "notes"
    shutil.copytree(notes, there, copy_function=shutil.copy)  # as `cp -r`: new file times
    if how == "moved":
        shutil.rmtree(notes)
    summary = await refresh(config(tmp_path, SourceConfig(name="Notes", path=there)), store)
    assert (summary.ok, summary.new) == (1, 0)
    after = {row.title: row for row in store.page(View(source="Notes"))}
    assert {t: r.id for t, r in after.items()} == {t: r.id for t, r in before.items()}
    assert after["First note"].read and after["Clips item 0"].saved
    assert not after["Second note"].read
    (there / "one.txt").write_text("First note\n\nRevised where it is now.\n")
    await refresh(config(tmp_path, SourceConfig(name="Notes", path=there)), store)
    article = store.article(before["First note"].id)
    assert article is not None and "Revised" in article.text


async def test_a_renamed_local_file_keeps_its_article(tmp_path: Path, store: Store) -> None:
    notes = tmp_path / "notes"
    write_notes(notes)
    (notes / "copy.md").write_bytes((notes / "two.md").read_bytes())  # a twin stays apart
    cfg = config(tmp_path, SourceConfig(name="Notes", path=notes))
    await refresh(cfg, store)
    before = store.page(View(source="Notes"))
    first = next(row for row in before if row.title == "First note")
    store.set_read([first.id])
    store.set_saved([first.id])
    (notes / "sub").mkdir()
    (notes / "one.txt").rename(notes / "sub" / "renamed.txt")  # renamed and moved within

    summary = await refresh(cfg, store)

    assert (summary.ok, summary.new) == (1, 0)
    after = {row.id: row for row in store.page(View(source="Notes"))}
    assert after.keys() == {row.id for row in before}
    assert after[first.id].read and after[first.id].saved
    (notes / "sub" / "renamed.txt").write_text("First note\n\nEdited after the rename.\n")
    await refresh(cfg, store)
    article = store.article(first.id)
    assert article is not None and "Edited after the rename" in article.text


async def test_a_file_renamed_with_a_new_one_in_its_place_keeps_its_flags(
    tmp_path: Path, store: Store
) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "journal.txt").write_text("Journal 2025\n\nLast year's notes.\n")
    (notes / "a.txt").write_text("Note a\n\nText a.\n")
    (notes / "b.txt").write_text("Note b\n\nText b.\n")
    cfg = config(tmp_path, SourceConfig(name="Notes", path=notes))
    await refresh(cfg, store)
    ids = {row.title: row.id for row in store.page(View(source="Notes"))}
    store.set_saved([ids["Journal 2025"], ids["Note a"]])
    store.set_read([ids["Note a"]])
    (notes / "journal.txt").rename(notes / "journal-2025.txt")
    (notes / "journal.txt").write_text("Journal 2026\n\nA fresh year.\n")
    (notes / "a.txt").rename(notes / "swap")  # a.txt and b.txt swap names
    (notes / "b.txt").rename(notes / "a.txt")
    (notes / "swap").rename(notes / "b.txt")

    summary = await refresh(cfg, store)

    assert summary.new == 1  # "Journal 2026" alone
    rows = {row.title: row for row in store.page(View(source="Notes"))}
    assert {title: row.id for title, row in rows.items() if title != "Journal 2026"} == ids
    assert rows["Journal 2025"].saved and not rows["Journal 2026"].saved
    assert rows["Note a"].saved and rows["Note a"].read and not rows["Note b"].read
    assert (await refresh(cfg, store)).new == 0  # and it stays so
    (notes / "journal-2025.txt").unlink()
    (notes / "b.txt").rename(notes / "a.txt")  # "Note a" written over "Note b"
    assert (await refresh(cfg, store)).new == 0
    assert "Last year" in (store.article(ids["Journal 2025"]) or pytest.fail()).text
    rows = {row.title: row for row in store.page(View(source="Notes"))}
    assert rows["Note a"].id == ids["Note a"] and rows["Note a"].saved
    assert rows["Note b"].id == ids["Note b"]  # kept as a deleted file's article is


def test_import_twice_adds_nothing_and_changes_update_in_place(
    tmp_path: Path, store: Store
) -> None:
    notes = tmp_path / "clippings"
    write_notes(notes)
    first = import_paths(store, [notes])
    assert (first.ok, first.new) == (1, 2)
    assert sorted(titles(store, "clippings")) == ["First note", "Second note"]
    again = import_paths(store, [notes])
    assert (again.ok, again.new) == (1, 0)
    rows = {r.title: r for r in store.page(View(source="clippings"))}
    store.set_read([rows["First note"].id])
    store.set_saved([rows["First note"].id])
    (notes / "one.txt").write_text("First note\n\nSome text about kernels, revised.\n")
    changed = import_paths(store, [notes])
    assert changed.new == 0
    article = store.article(rows["First note"].id)
    assert article is not None and "revised" in article.text
    assert article.row.read and article.row.saved


def test_a_file_imported_after_another_is_an_article_of_its_own(
    tmp_path: Path, store: Store
) -> None:
    # The second import took the first file's article, its saved flag with it: "Weather
    # report" was gone and "Football results" came up saved.
    (tmp_path / "w.txt").write_text("Weather report\n\nRain expected tomorrow in the north.\n")
    (tmp_path / "f.txt").write_text("Football results\n\nThe home team won three to one.\n")
    assert import_paths(store, [tmp_path / "w.txt"]).new == 1
    (weather,) = store.page(View(source="Imported"))
    store.set_saved([weather.id])
    assert import_paths(store, [tmp_path / "f.txt"]).new == 1
    rows = {row.title: row for row in store.page(View(source="Imported"))}
    assert rows["Weather report"].id == weather.id and rows["Weather report"].saved
    assert not rows["Football results"].saved


async def test_a_config_naming_another_file_leaves_the_saved_one_alone(
    tmp_path: Path, store: Store
) -> None:
    # A single-file source pointed at another file took the first one's article and flags.
    (tmp_path / "w.txt").write_text("Weather report\n\nRain expected tomorrow in the north.\n")
    (tmp_path / "f.txt").write_text("Football results\n\nThe home team won three to one.\n")
    await refresh(config(tmp_path, SourceConfig(name="Note", path=tmp_path / "w.txt")), store)
    (weather,) = store.page(View(source="Note"))
    store.set_saved([weather.id])
    await refresh(config(tmp_path, SourceConfig(name="Note", path=tmp_path / "f.txt")), store)
    saved = store.article(weather.id)
    assert saved is not None and saved.row.title == "Weather report" and saved.row.saved


def test_two_files_with_one_text_are_two_articles(tmp_path: Path, store: Store) -> None:
    # Copies of one file (a.txt and b.txt): merged, editing a.txt made b.txt's article vanish.
    folder = tmp_path / "copies"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text("Same title\n\nThe same text in both files.\n")
    assert import_paths(store, [folder]).new == 2
    (folder / "a.txt").write_text("Another title\n\nNow a text of its own.\n")
    assert import_paths(store, [folder]).new == 0
    assert sorted(titles(store, "copies")) == ["Another title", "Same title"]
    assert import_paths(store, [folder]).new == 0


def test_import_names_the_source(tmp_path: Path, store: Store) -> None:
    write_notes(tmp_path / "a")
    files = [tmp_path / "a" / "one.txt", tmp_path / "a" / "two.md"]
    assert import_paths(store, files).new == 2
    assert len(titles(store, "Imported")) == 2
    assert import_paths(store, [tmp_path / "a"], source_name="Mine").new == 2
    missing = import_paths(store, [tmp_path / "nope"], source_name="Mine")
    assert missing.failed == 1 and "no such file or folder" in missing.errors[0]


def test_import_refuses_a_web_source_name(tmp_path: Path, store: Store) -> None:
    sync_sources(config(tmp_path, web("A", "https://example.org/a.xml")), store)
    write_notes(tmp_path / "a")
    with pytest.raises(ValueError, match="web source"):
        import_paths(store, [tmp_path / "a"], source_name="A")


async def test_a_304_to_a_first_request_is_a_failure_not_ok(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    # No validators were sent, so "not modified" leaves nothing to show: it must not read "ok".
    cfg = config(tmp_path, web("Odd", feed_server.status("/odd.xml", 304)))
    summary = await refresh(cfg, store, now=T0)
    assert (summary.ok, summary.not_modified, summary.failed) == (0, 0, 1)
    assert "304 without a cached copy" in summary.errors[0]
    assert state(store, "Odd").error is not None


async def test_a_source_whose_port_is_out_of_range_fails_alone_and_says_why(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    # asyncio failed on `:99999` with an IndexError of its own: "internal error" in the pane.
    cfg = config(
        tmp_path,
        web("Bad", "http://127.0.0.1:99999/a.xml"),
        web("Good", feed_server.feed("/b.xml", rss("B", 2))),
    )
    summary = await refresh(cfg, store)
    assert (summary.ok, summary.failed, summary.new) == (1, 1, 2)
    assert summary.errors == ["Bad: port out of range 0-65535 (http://127.0.0.1:99999/a.xml)"]


async def test_a_files_warning_is_said_once_while_it_stays(tmp_path: Path, store: Store) -> None:
    # An empty Untitled.md and four more: their notices came back at every refresh (each `R`,
    # automatic refresh and start), toasts stacked; a file newly broken is said.
    notes = tmp_path / "notes"
    write_notes(notes)
    for name in "abcde":
        (notes / f"{name}.txt").write_text("")
    cfg = config(tmp_path, SourceConfig(name="Notes", path=notes))
    assert len((await refresh(cfg, store)).all_notices) == 5
    assert (await refresh(cfg, store)).all_notices == []
    (notes / "f.txt").write_text("")
    said = " ".join((await refresh(cfg, store)).all_notices)  # d and e: the line named them not
    assert "f.txt: skipped: empty file" in said and "a.txt" not in said
    assert state(store, "Notes").warning == (
        "a.txt: skipped: empty file; b.txt: skipped: empty file; c.txt: skipped: empty file; "
        "and 3 more"
    )
