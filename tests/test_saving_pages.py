"""What a fetched page is judged to be, against a real loopback site: a paywall that cuts the
feed's sentence off, a sign-in page at the article's address, a page showing a part of a
full-content feed's article, the same article at two addresses."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.feedserver import FeedServer
from tests.sql import sql
from tests.test_saving import ARTICLE, TEASER, one_item_feed, page, serve_site, write_config
from tui.config import load_config
from tui.offline.saving import save_articles
from tui.refresh.run import refresh
from tui.sources.portal import LOGIN_PAGE
from tui.store import Store

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
    return serve_site(feed_server)


def text_of(store: Store, article_id: int) -> tuple[str, bool]:
    detail = store.article(article_id)
    assert detail is not None
    return detail.text, detail.full_text


async def test_a_paywall_cutting_the_feeds_sentence_off_keeps_the_feed_text(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    # Stored as the full text: "...a clause that / Subscribe to continue reading", and the
    # feed's "could cost the town millions" was nowhere to read.
    site.page("/ferry", PAYWALL)
    item = f"<description>{FERRY}</description>"
    config, article_id = await one_item_feed(tmp_path, site, store, "The ferry", "/ferry", item)
    report = await save_articles(config, store, [article_id])
    assert [r.state for r in report.failed] == [
        "the page stops before the feed's text does, and asks to subscribe or log in (paywall?)"
    ]
    text, full = text_of(store, article_id)
    assert not full and "could cost the town millions" in text
    assert store.pending_saves() == [article_id]  # retried, as a paywall is


async def test_a_sign_in_page_at_the_articles_address_is_called_a_login_page(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    # It said "no article text found on the page".
    site.page("/members", SIGN_IN)
    item = f"<description>{FERRY}</description>"
    config, article_id = await one_item_feed(tmp_path, site, store, "The ferry", "/members", item)
    report = await save_articles(config, store, [article_id])
    assert [r.state for r in report.failed] == [LOGIN_PAGE]


async def test_a_page_with_the_first_sentence_of_a_full_content_feed_is_no_paywall(
    tmp_path: Path, site: FeedServer, store: Store
) -> None:
    # "the page has only 9 words, less than the feed (paywall or login wall?)", retried.
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
    items = "".join(
        f"<item><title>{title}{tail}</title><link>{site.url(path)}</link><guid>{path}</guid>"
        f"<description>{TEASER}{tail}</description></item>"
        for path, tail in ((ARTICLE, ""), ("/amp/harbour-map", " (AMP)"))
    )
    site.feed("/two.xml", f"<rss version='2.0'><channel>{items}</channel></rss>".encode())
    config = write_config(tmp_path, None)
    with config.path.open("a", encoding="utf-8") as toml:
        toml.write(f'[[sources]]\nname = "Two"\nurl = "{site.url("/two.xml")}"\n')
    config = load_config(config.path)
    assert (await refresh(config, store)).failed == 0
    ids = [i for (i,) in sql(store, "SELECT id FROM articles ORDER BY id")]
    report = await save_articles(config, store, ids)
    assert [r.state for r in report.results] == ["ok", "ok"]
    assert all("towed hydrophone array" in text_of(store, i)[0] for i in ids)
