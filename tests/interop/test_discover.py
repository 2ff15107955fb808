"""`feeds add`: discovery against a real loopback site, validation, and the config write."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, free_port, html_with_alternate, rss
from tests.interop import feeds_cli
from tui.config import load_config
from tui.interop import InteropError
from tui.interop.discover import COMMON_PATHS, Discovery, add_feed, discover, normalize_address
from tui.sources.fetch import make_client

PAGE = b"<!DOCTYPE html><html><head><title>Site</title></head><body><p>Hi</p></body></html>"
JSON_FEED = (
    b'{"version": "https://jsonfeed.org/version/1.1", "title": "Jason",'
    b' "items": [{"id": "1", "content_text": "hello", "url": "https://j.example/1"}]}'
)
CONFIG = '# keep me\n[[sources]]\nname = "Old"\nurl = "https://old.example/feed"\n'


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "conf" / "feeds.toml"
    path.parent.mkdir()
    path.write_text(CONFIG, encoding="utf-8")
    return path


async def find(address: str) -> Discovery:
    async with make_client() as client:
        return await discover(client, address)


async def test_html_page_with_an_alternate_link(feed_server: FeedServer) -> None:
    feed_server.page("/", html_with_alternate("/posts/index.rss"))
    feed_server.feed("/posts/index.rss", rss("Blog", 3))
    found = await find(feed_server.url("/"))
    assert (found.url, found.title, found.articles) == (
        feed_server.url("/posts/index.rss"),
        "Blog",
        3,
    )
    assert found.via == "the page's feed link"


async def test_site_with_only_a_common_path(feed_server: FeedServer) -> None:
    feed_server.page("/", PAGE)
    feed_server.feed("/feed.xml", rss("Quiet site", 2))
    found = await find(feed_server.url("/"))
    assert found.url == feed_server.url("/feed.xml")
    assert found.via == "the common path /feed.xml"
    assert feed_server.hits("/feed") == 1  # every usual place was tried


async def test_preferred_common_path_wins(feed_server: FeedServer) -> None:
    feed_server.page("/", PAGE)
    feed_server.feed("/rss", rss("Via rss", 1))
    feed_server.feed("/index.xml", rss("Via index", 1))
    assert (await find(feed_server.url("/"))).title == "Via rss"


async def test_a_blog_in_a_folder_is_searched_beside_the_page_first(
    feed_server: FeedServer,
) -> None:
    feed_server.page("/blog/", PAGE)
    feed_server.feed("/blog/feed", rss("Folder blog", 1))
    feed_server.feed("/feed", rss("Site-wide", 1))
    found = await find(feed_server.url("/blog/"))
    assert (found.url, found.title) == (feed_server.url("/blog/feed"), "Folder blog")


async def test_a_feed_url_is_its_own_answer_and_a_permanent_move_is_followed(
    feed_server: FeedServer,
) -> None:
    feed_server.redirect("/old.xml", "/new.xml", status=301)
    feed_server.feed("/new.xml", rss("Moved", 4))
    found = await find(feed_server.url("/old.xml"))
    assert (found.url, found.articles, found.via) == (
        feed_server.url("/new.xml"),
        4,
        "the address itself",
    )


async def test_json_feed_at_a_common_path(feed_server: FeedServer) -> None:
    feed_server.page("/", PAGE)
    feed_server.page("/feed.json", JSON_FEED, content_type="application/feed+json")
    found = await find(feed_server.url("/"))
    assert (found.title, found.articles) == ("Jason", 1)


async def test_a_missing_page_still_tries_the_common_paths(feed_server: FeedServer) -> None:
    feed_server.feed("/atom.xml", rss("Behind a 404", 1))
    found = await find(feed_server.url("/nothing-here"))
    assert found.url == feed_server.url("/atom.xml")
    # A mistyped feed URL: the site's other feed is found, and why it is not the one asked.
    assert found.instead.startswith(f"{feed_server.url('/nothing-here')} answered HTTP 404")
    assert (await find(feed_server.url("/atom.xml"))).instead == ""


async def test_a_site_with_nothing_is_a_clear_one_line_error(feed_server: FeedServer) -> None:
    feed_server.page("/", PAGE)
    with pytest.raises(InteropError) as caught:
        await find(feed_server.url("/"))
    message = str(caught.value)
    assert message.startswith("no feed found: ")
    assert "an HTML page without a feed link" in message
    assert ", ".join(COMMON_PATHS) in message
    assert "\n" not in message


async def test_a_broken_feed_link_is_mentioned(feed_server: FeedServer) -> None:
    feed_server.page("/", html_with_alternate("/gone.xml"))
    feed_server.status("/gone.xml", 410)
    with pytest.raises(InteropError, match=r"its feed link .*/gone\.xml does not work"):
        await find(feed_server.url("/"))


async def test_nothing_listening_fails_fast() -> None:
    with pytest.raises(InteropError, match="connection refused"):
        await find(f"http://127.0.0.1:{free_port()}/")


def test_normalize_address() -> None:
    assert normalize_address("example.org") == "https://example.org/"
    assert normalize_address("http://example.org/blog") == "http://example.org/blog"
    with pytest.raises(InteropError, match="not a web address"):
        normalize_address("ftp://example.org/feed")
    with pytest.raises(InteropError, match=r"holds a control character \(U\+200B at"):
        normalize_address("https://example.org/tr\u200bk.xml")  # looks like .../trk.xml
    with pytest.raises(InteropError, match=r"\(port out of range 0-65535\)"):
        normalize_address("http://127.0.0.1:99999/feed")  # once a traceback from `feeds add`


# -- add_feed: what the TUI calls -----------------------------------------------------------


async def test_add_feed_writes_the_discovered_feed(config: Path, feed_server: FeedServer) -> None:
    feed_server.page("/", html_with_alternate("/feed.rss"))
    feed_server.feed("/feed.rss", rss("A Blog", 2))
    report = await add_feed(config, feed_server.url("/"), tags=["tech", "tech", " en "])
    assert (report.name, report.url, report.title, report.articles) == (
        "A Blog",
        feed_server.url("/feed.rss"),
        "A Blog",
        2,
    )
    text = config.read_text(encoding="utf-8")
    assert text.startswith(CONFIG)
    added = load_config(config).source("A Blog")
    assert added is not None and added.tags == ("tech", "en")


async def test_add_feed_with_a_name_and_a_taken_title(
    config: Path, feed_server: FeedServer
) -> None:
    feed_server.feed("/a.xml", rss("Old", 1))
    feed_server.feed("/b.xml", rss("B", 1))
    report = await add_feed(config, feed_server.url("/a.xml"))
    assert report.name == "Old (2)"  # the title is taken by another feed: numbered
    assert (await add_feed(config, feed_server.url("/b.xml"), name="Mine")).name == "Mine"
    with pytest.raises(InteropError, match="a source named 'Mine' already exists"):
        await add_feed(config, feed_server.url("/b.xml"), name="Mine")


async def test_add_feed_refuses_a_feed_already_subscribed(
    config: Path, feed_server: FeedServer
) -> None:
    feed_server.page("/", html_with_alternate("/feed.xml"))
    feed_server.feed("/feed.xml", rss("Once", 1))
    await add_feed(config, feed_server.url("/feed.xml"))
    before = config.read_bytes()
    with pytest.raises(InteropError, match=r"already subscribed: .* is the source 'Once'"):
        await add_feed(config, feed_server.url("/"))
    assert config.read_bytes() == before


async def test_add_feed_says_already_subscribed_before_fetching_an_https_twin(
    config: Path, feed_server: FeedServer
) -> None:
    # The twin was fetched first: the loopback server speaks no TLS, and a TLS error said
    # nothing of the source the config already has.
    feed_server.feed("/feed.xml", rss("Once", 1))
    await add_feed(config, feed_server.url("/feed.xml"))
    twin = feed_server.url("/feed.xml/").replace("http://", "https://")
    said = re.escape(f"already subscribed: {twin} is the source 'Once'")
    with pytest.raises(InteropError, match=said):
        await add_feed(config, twin)
    assert feed_server.hits("/feed.xml") == 1


# -- the CLI --------------------------------------------------------------------------------


def test_cli_add_then_remove(
    config: Path,
    feed_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    feed_server.page("/", PAGE)
    feed_server.feed("/index.xml", rss("Hugo site", 5))
    argv = ["feeds", "add", feed_server.url("/"), "--tag", "web", "--config", str(config)]
    code, out, _ = feeds_cli(monkeypatch, capsys, *argv)
    assert code == 0
    assert out.splitlines() == [
        f"found 'Hugo site': {feed_server.url('/index.xml')} (5 articles; "
        "via the common path /index.xml)",
        f"added 'Hugo site' to {config}; run `newsdesk refresh` to fetch it",
    ]
    assert load_config(config).source("Hugo site").tags == ("web",)  # type: ignore[union-attr]
    code, out, _ = feeds_cli(
        monkeypatch, capsys, "feeds", "remove", "Hugo site", "--config", str(config)
    )
    assert code == 0
    assert config.read_text(encoding="utf-8") == CONFIG


def test_cli_add_says_why_a_name_taken_but_for_case_got_a_number(
    config: Path,
    feed_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for path in ("/a.xml", "/b.xml"):
        feed_server.feed(path, rss("News", 1))
    feeds_cli(
        monkeypatch, capsys, "feeds", "add", feed_server.url("/a.xml"), "--config", str(config)
    )
    argv = ["feeds", "add", feed_server.url("/b.xml"), "--name", "news", "--config", str(config)]
    code, out, err = feeds_cli(monkeypatch, capsys, *argv)
    assert code == 0 and "added 'news (2)'" in out
    assert "note: 'news' is taken: added as 'news (2)'" in err


def test_cli_add_nothing_found_exits_2_and_writes_nothing(
    config: Path,
    feed_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    feed_server.page("/", PAGE)
    argv = ["feeds", "add", feed_server.url("/"), "--config", str(config)]
    code, out, err = feeds_cli(monkeypatch, capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith("newsdesk: no feed found: ") and err.count("\n") == 1
    assert config.read_text(encoding="utf-8") == CONFIG


def test_cli_add_a_bare_host_falls_back_to_http(
    config: Path,
    feed_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`feeds add 127.0.0.1:PORT/feed.xml`: https gets no answer from a plain-http server."""
    url = feed_server.feed("/feed.xml", rss("Plain", 2))
    bare = url.removeprefix("http://")
    code, out, err = feeds_cli(monkeypatch, capsys, "feeds", "add", bare, "--config", str(config))
    assert (code, err) == (0, "")
    assert out.startswith(f"found 'Plain': {url} (2 articles; via the address itself)")
    assert load_config(config).source("Plain").url == url  # type: ignore[union-attr]


async def test_a_bare_host_that_never_answers_names_both_tries() -> None:
    port = free_port()
    with pytest.raises(InteropError) as caught:
        await find(f"127.0.0.1:{port}")
    message = str(caught.value)
    assert f"https://127.0.0.1:{port}/" in message and f"http://127.0.0.1:{port}/" in message
    assert "\n" not in message


@pytest.mark.parametrize("hidden", ["\x1b[31m", "\x01", "\u202e"])
def test_cli_add_refuses_an_address_with_a_control_character(
    config: Path,
    feed_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    hidden: str,
) -> None:
    # Removed, `…/tr<ESC>[31mk.xml` subscribed to `…/trk.xml`, another feed (or "already
    # subscribed" to it).
    plain = feed_server.feed("/trk.xml", rss("Tracker", 2))
    address = plain.replace("/trk.xml", f"/tr{hidden}k.xml")
    code, out, err = feeds_cli(
        monkeypatch, capsys, "feeds", "add", address, "--config", str(config)
    )
    position = len(plain) - len("k.xml") + 1
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and f"U+{ord(hidden[0]):04X} at character {position})" in err
    assert "\x1b" not in err and "\u202e" not in err
    assert config.read_text(encoding="utf-8") == CONFIG


async def test_add_feed_names_the_redirect_target_that_failed(
    config: Path, feed_server: FeedServer
) -> None:
    target = f"http://127.0.0.1:{free_port()}/site/"
    start = feed_server.redirect("/site/", target)
    said = re.escape(f"cannot fetch {target} (redirected from {start}): connection refused")
    with pytest.raises(InteropError, match=said):
        await add_feed(config, start)
