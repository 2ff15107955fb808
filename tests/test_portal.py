"""Captive portals (hotel Wi-Fi): a login page answered in place of articles' pages and feeds
is never kept as an article's text, and counts as the network's failure, not the feeds'; nor
is a paywall's or a sign-in page's, while a mirror of the article or a part of a full-content
feed's article is no wall.

Each portal is a real loopback server answering as portals do: 200 with its login page for
every address, a 302 to its login page (on the same server or another), or HTTP 511.
"""

from __future__ import annotations

import asyncio
import html
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, rss
from tests.sql import sql
from tests.test_saving import (
    ARTICLE,
    QUAY,
    TEASER,
    by_title,
    fill,
    items_feed,
    one_item_feed,
    page,
    run_cli,
    serve_site,
)
from tui.config import Config, Settings, SourceConfig
from tui.offline.keeping import PAYWALL as CUT_OFF
from tui.offline.saving import retry_pending, save_articles
from tui.refresh.run import refresh
from tui.sources.portal import LOGIN_PAGE, NETWORK_LOGIN
from tui.store import Store

LOGIN = b"""<!DOCTYPE html><html><head><title>Hotel WiFi - Please log in</title></head>
<body><main><h1>Welcome to Grand Hotel WiFi</h1>
<p>To access the internet, please accept our terms and conditions and enter your room number
and last name. Our complimentary high speed wireless internet is provided for registered guests
only. By logging in you agree to the acceptable use policy.</p>
<form action="/login" method="post"><input name="room"><input name="name"><button>Connect</button>
</form><p>Need help? Call the front desk on extension 0. Enjoy your stay with us and have a
wonderful day in the city. This service is operated by HotelNet Solutions.</p></main>
</body></html>"""
T0 = time.time()

FERRY = "The ferry operator's new contract contains a clause that could cost the town millions."
PAYWALL = b"""<!doctype html><html><head><meta charset="utf-8"><title>The ferry contract</title>
</head><body><div class="nav"><a href="/">Home</a></div><article><h1>The ferry contract</h1>
<p>The ferry operator's new contract contains a clause that</p>
<div class="paywall"><h2>Subscribe to continue reading</h2><p>Get unlimited access for just
1 pound a week. Already a subscriber? <a href="/login">Log in</a></p>
<form action="/login"><input type="email" name="e"><input type="password" name="p">
<button>Sign in</button></form></div></article></body></html>"""
SIGN_IN = b"""<!doctype html><html><head><title>Sign in</title></head><body>
<h1>Sign in to Harbour Times</h1><form method=post><label>Email <input type=email name=email>
</label><label>Password <input type=password name=password></label><button>Log in</button>
</form><p>Forgot your password?</p></body></html>"""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "cache" / "newsdesk.db")
    yield opened
    opened.close()


@pytest.fixture
def site(feed_server: FeedServer) -> FeedServer:
    """The news site of tests/test_saving.py: its feed, articles and images."""
    return serve_site(feed_server)


@pytest.fixture
def elsewhere() -> Iterator[FeedServer]:
    """The portal's own login server, another address than the sites'."""
    with FeedServer() as server:
        server.page("/login", LOGIN)
        yield server


def text_of(store: Store, article_id: int) -> tuple[str, bool]:
    detail = store.article(article_id)
    assert detail is not None
    return detail.text, detail.full_text


# -- saving an article behind a portal ----------------------------------------------------------


@pytest.mark.parametrize("portal", ["login page", "302 here", "302 elsewhere", "511"])
async def test_a_portal_answering_for_the_page_is_no_full_text_and_the_save_is_retried(
    tmp_path: Path, site: FeedServer, elsewhere: FeedServer, store: Store, portal: str
) -> None:
    # `save 1` behind the portal said "full text saved" and the login page was the article's
    # text for good.
    config = await fill(tmp_path, site, store)
    article_id = by_title(store, "Listening")
    feed_text, _ = text_of(store, article_id)
    site.page("/login", LOGIN)
    if portal == "login page":
        site.page(ARTICLE, LOGIN)
    elif portal == "511":
        site.status(ARTICLE, 511, [("Content-Type", "text/html")], LOGIN)
    else:
        server = site if portal == "302 here" else elsewhere
        site.redirect(ARTICLE, server.url(f"/login?orig={ARTICLE}"), status=302)
    report = await save_articles(config, store, [article_id], cache_dir=tmp_path / "cache")
    [result] = report.results
    assert not result.ok and result.state.startswith(LOGIN_PAGE)
    if portal.startswith("302"):
        assert f"redirected to {server.url('/login?orig=')}" in result.state
    assert text_of(store, article_id) == (feed_text, False)
    site.page(ARTICLE, page("article.html"))  # logged in: the next refresh's retry saves it
    retried = await retry_pending(config, store, cache_dir=tmp_path / "cache")
    assert [r.ok for r in retried.results] == [True]
    assert "seabed" in text_of(store, article_id)[0] and text_of(store, article_id)[1]


async def test_an_article_redirected_to_its_new_address_still_saves(
    tmp_path: Path, site: FeedServer, elsewhere: FeedServer, store: Store
) -> None:
    # A site moving its articles (a new path, another server) is no portal.
    config = await fill(tmp_path, site, store)
    harbour, quay = by_title(store, "Listening"), by_title(store, "Quay")
    elsewhere.page("/2024/harbour-map", page("article.html"))
    headline = b"Listening to the harbour: how a town mapped its seabed"
    quay_page = page("article.html").replace(headline, b"Quay repairs to start in autumn")
    site.redirect(ARTICLE, elsewhere.url("/2024/harbour-map"), status=301)
    site.page("/news/2024/quay-repairs", quay_page)
    site.redirect(QUAY, "/news/2024/quay-repairs", status=302)
    report = await save_articles(config, store, [harbour, quay], cache_dir=tmp_path / "cache")
    assert [r.ok for r in report.results] == [True, True], report.results


async def test_the_same_page_for_different_articles_is_the_networks(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    # A portal page naming no login (and even the news of the day) for every address.
    config = await fill(tmp_path, site, store)
    harbour, quay = by_title(store, "Listening"), by_title(store, "Quay")
    words = " ".join(f"word{i}" for i in range(80))
    welcome = f"<html><body><article><p>Harbour quay news of the day. {words}</p></article>"
    site.page(ARTICLE, welcome.encode())
    site.page(QUAY, welcome.encode())
    report = await save_articles(config, store, [harbour, quay], cache_dir=tmp_path / "cache")
    assert [r.state for r in report.results] == [LOGIN_PAGE, LOGIN_PAGE]
    assert not text_of(store, harbour)[1] and not text_of(store, quay)[1]


async def test_save_again_replaces_the_page_saved_before(
    tmp_path: Path, site: FeedServer, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    # A page saved before could not be fetched anew: `save` said "nothing to fetch" (now:
    # "already saved").
    config = await fill(tmp_path, site, store)
    article_id = by_title(store, "Listening")
    await save_articles(config, store, [article_id], cache_dir=tmp_path / "cache")
    site.page(ARTICLE, page("article.html").replace(b"seabed", b"riverbed"))
    store.close()
    assert await asyncio.to_thread(run_cli, tmp_path, "save", str(article_id)) == 0
    assert capsys.readouterr().out == f"{article_id:>7} already saved (full text)\n"
    again = await asyncio.to_thread(run_cli, tmp_path, "save", "--again", str(article_id))
    assert again == 0
    assert f"{article_id} full text saved" in capsys.readouterr().out
    reopened = Store.open(tmp_path / "cache" / "newsdesk.db")
    text, full = text_of(reopened, article_id)
    reopened.close()
    assert full and "riverbed" in text and "seabed" not in text
    assert config.sources


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        (lambda s, login: s.stop(), "connection refused"),
        (lambda s, login: s.redirect(ARTICLE, login.url("/login?u=x")), LOGIN_PAGE),
    ],
    ids=["offline", "portal"],
)
async def test_save_again_without_a_usable_answer_keeps_the_page_saved_before(
    tmp_path: Path,
    site: FeedServer,
    elsewhere: FeedServer,
    store: Store,
    capsys: pytest.CaptureFixture[str],
    answer: Callable[[FeedServer, FeedServer], object],
    why: str,
) -> None:
    # The good page saved was replaced by the feed's teaser: "saved with feed text only".
    config = await fill(tmp_path, site, store)
    article_id = by_title(store, "Listening")
    await save_articles(config, store, [article_id], cache_dir=tmp_path / "cache")
    answer(site, elsewhere)
    store.close()
    again = await asyncio.to_thread(run_cli, tmp_path, "save", "--again", str(article_id))
    assert again == 0  # the article is whole all the same
    assert f"{article_id} kept the copy saved before: {why}" in capsys.readouterr().out
    reopened = Store.open(tmp_path / "cache" / "newsdesk.db")
    text, full = text_of(reopened, article_id)
    reopened.close()
    assert full and "hydrophone" in text


# -- pages judged: paywalls, sign-in pages, a part of the feed's article, mirrors ----------------


@pytest.mark.parametrize(
    ("body", "why"),
    [(PAYWALL, CUT_OFF), (SIGN_IN, LOGIN_PAGE)],
    ids=["paywall cutting the feed's sentence", "sign-in page"],
)
async def test_a_wall_in_the_articles_place_keeps_the_feed_text(
    tmp_path: Path, site: FeedServer, store: Store, body: bytes, why: str
) -> None:
    # The paywall was stored as the full text ("...a clause that / Subscribe to continue
    # reading"), the feed's "could cost the town millions" nowhere to read; the sign-in page
    # said "no article text found on the page".
    site.page("/ferry", body)
    item = f"<description>{FERRY}</description>"
    config, article_id = await one_item_feed(tmp_path, site, store, "The ferry", "/ferry", item)
    report = await save_articles(config, store, [article_id])
    assert [r.state for r in report.failed] == [why]
    text, full = text_of(store, article_id)
    assert not full and "could cost the town millions" in text
    assert store.pending_saves() == [article_id]  # retried


async def test_a_page_with_the_first_sentence_of_a_full_content_feed_is_no_paywall(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    # "the page has only 11 words, less than the feed (paywall or login wall?)", retried.
    sentences = [
        "Divers mapped the wrecks along the north quay, pile by pile.",
        "The survey found three hulls nobody had charted before.",
        "The harbour master will publish the charts in the spring.",
    ]
    site.page("/survey", f"<html><body><article><p>{sentences[0]}</p>".encode())
    whole = "".join(f"<p>{sentence}</p>" for sentence in sentences)
    item = f"<content:encoded>{html.escape(whole)}</content:encoded>"
    config, article_id = await one_item_feed(tmp_path, site, store, "Survey", "/survey", item)
    report = await save_articles(config, store, [article_id])
    assert [(r.state, r.from_feed) for r in report.results] == [("ok", True)]
    text, full = text_of(store, article_id)
    assert full and "publish the charts in the spring" in text
    assert store.pending_saves() == []


async def test_one_article_at_two_addresses_saved_together_is_no_portal(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    # A story and its AMP copy (or a mirror) saved in one run were both "a login page?
    # (captive portal)": the same page for two addresses, and both lost their full text.
    title = "Listening to the harbour: how a town mapped its seabed"
    site.page("/amp/harbour-map", page("article.html"))
    config = await items_feed(
        tmp_path,
        site,
        store,
        *(
            (f"{title}{tail}", path, f"<description>{TEASER}{tail}</description>")
            for path, tail in ((ARTICLE, ""), ("/amp/harbour-map", " (AMP)"))
        ),
    )
    ids = [i for (i,) in sql(store, "SELECT id FROM articles ORDER BY id")]
    report = await save_articles(config, store, ids)
    assert [r.state for r in report.results] == ["ok", "ok"]
    assert all("towed hydrophone array" in text_of(store, i)[0] for i in ids)


# -- refreshing behind a portal -----------------------------------------------------------------


def two_feeds(tmp_path: Path, server: FeedServer, **settings: float) -> Config:
    sources = tuple(
        SourceConfig(name=name, url=server.url(f"/{name}.xml")) for name in ("alpha", "beta")
    )
    for source in sources:
        server.feed(f"/{source.name}.xml", rss(source.name, 2))
    values: dict[str, float] = {"timeout_seconds": 2.0, "refresh_minutes": 30, **settings}
    return Config(path=tmp_path / "feeds.toml", sources=sources, settings=Settings(**values))  # type: ignore[arg-type]


def retry_in(store: Store, name: str) -> float:
    found = store.source_state(name)
    assert found is not None and found.next_retry is not None
    return found.next_retry.timestamp() - T0


def error_of(store: Store, name: str) -> str:
    found = store.source_state(name)
    assert found is not None and found.error is not None
    return found.error


@pytest.mark.parametrize("portal", ["login page", "302", "511"])
async def test_a_portal_is_the_networks_failure_retried_within_minutes(
    tmp_path: Path, feed_server: FeedServer, store: Store, portal: str
) -> None:
    # Each feed was "broken" and backed off 30 minutes, then an hour, ... up to a day: after
    # the login, the next automatic refresh could be hours away; saves stored the login page.
    config = two_feeds(tmp_path, feed_server)
    assert (await refresh(config, store, now=T0)).failed == 0
    saved = by_title(store, "alpha item 0")
    store.mark_saved([saved])  # its page is to be fetched at the next refresh
    feed_server.page("/login", LOGIN)
    for name in ("alpha", "beta"):
        path = f"/{name}.xml"
        if portal == "login page":
            feed_server.page(path, LOGIN)
        elif portal == "302":
            feed_server.redirect(path, f"/login?orig={path}", status=302)
        else:
            feed_server.status(path, 511, [("Content-Type", "text/html")], LOGIN)
    summary = await refresh(config, store, now=T0)
    assert summary.failed == 2
    [said] = [n for n in summary.notices if n.startswith(NETWORK_LOGIN)]
    assert said.endswith("log in, then refresh")
    for name in ("alpha", "beta"):
        assert error_of(store, name).startswith(NETWORK_LOGIN)
        assert retry_in(store, name) == pytest.approx(5 * 60, abs=1)
    if portal == "302":
        assert error_of(store, "alpha").endswith(
            f"redirected to {feed_server.url('/login')}?orig=/alpha.xml"
        )
    assert feed_server.hits("/news/0") == 0 and not text_of(store, saved)[1]


async def test_one_sites_html_page_is_still_that_feeds_failure(
    tmp_path: Path, feed_server: FeedServer, store: Store
) -> None:
    # No false alarm: a feed replaced by its site's home page while the others answer.
    config = two_feeds(tmp_path, feed_server)
    home = b"<html><body><h1>Our new site</h1><p>We have no feed any more.</p></body></html>"
    feed_server.page("/home", home)
    feed_server.redirect("/beta.xml", "/home", status=302)
    summary = await refresh(config, store, now=T0)
    assert (summary.ok, summary.failed) == (1, 1)
    assert not any(n.startswith(NETWORK_LOGIN) for n in summary.notices)
    # The message says where the redirect ended (it named neither place nor cause).
    expected = (
        f"not a feed: an HTML page without a feed link (redirected to {feed_server.url('/home')})"
    )
    assert error_of(store, "beta") == expected
    assert retry_in(store, "beta") == pytest.approx(30 * 60, abs=1)
