"""Moving in from other readers: which outline a skip line means, which names win, and the
files given to the wrong import (OPML as a urls file, an HTML page), a urls file without
--newsboat."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.interop import feeds_cli
from tui.config import load_config
from tui.interop import InteropError
from tui.interop.opml import parse_opml
from tui.interop.subscriptions import NEWSBOAT_CACHE

CONFIG = '[[sources]]\nname = "Existing"\nurl = "https://existing.example/feed"\n'
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A config with one feed: a refused file must leave it as it was."""
    (tmp_path / "feeds.toml").write_text(CONFIG, encoding="utf-8")
    return tmp_path / "feeds.toml"


@pytest.fixture
def run_import(
    config: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Run:
    """`newsdesk --config CONFIG feeds import ARGV...`: (exit status, stdout, stderr)."""
    return lambda *argv: feeds_cli(
        monkeypatch, capsys, "--config", str(config), "feeds", "import", *argv
    )


def test_each_skip_line_names_the_file_and_line_of_its_outline(
    tmp_path: Path, run_import: Run
) -> None:
    # Two outlines named "Password": "skipped: Password (...)" did not say which one.
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><body>\n'
        '<outline text="Password" type="rss" xmlUrl="https://pw.example/feed"/>\n'
        '<outline text="Password" type="rss" xmlUrl="https://pw.example/feed"/>\n'
        '<outline text="Password" type="rss" xmlUrl="ftp://pw.example/feed"/>\n'
        '<outline text="Home" type="link" url="https://home.example/"/>\n'
        '<outline text="Lost" type="rss"/>\n'
        "</body></opml>\n",
        encoding="utf-8",
    )
    code, out, _ = run_import(str(opml))
    assert code == 0
    assert [line for line in out.splitlines() if line.startswith("skipped")] == [
        "skipped: subs.opml:4: Password (https://pw.example/feed): listed again in the file "
        "(first as 'Password'): one feed, with the tags of both",
        "skipped: subs.opml:5: Password (ftp://pw.example/feed): "
        "only http and https feeds can be added",
        "skipped: subs.opml:6: Home: a web link, not a feed",
        "skipped: subs.opml:7: Lost: a feed without an xmlUrl",
    ]


def test_the_text_the_reader_showed_names_the_feed_before_its_title() -> None:
    # OPML 2.0: `text` is what the reader displayed (the user's rename), `title` the feed's own.
    found = parse_opml(
        b'<opml version="2.0"><body><outline text="My folder" title="Folder title">'
        b'<outline text="Text wins" title="Title loses" xmlUrl="https://a.example/feed"/>'
        b'<outline title="Title only" xmlUrl="https://b.example/feed"/>'
        b"</outline></body></opml>"
    )
    assert [(feed.name, feed.tags) for feed in found.feeds] == [
        ("Text wins", ("My folder",)),
        ("Title only", ("My folder",)),
    ]


def test_freshrss_web_scraping_outlines_are_skipped_with_the_reason() -> None:
    found = parse_opml(
        b'<opml version="2.0" xmlns:frss="https://freshrss.org/opml"><body>\n'
        b'<outline text="Releases" type="rss" xmlUrl="https://fr.example/releases.atom"/>\n'
        b'<outline text="Scraped" type="HTML+XPath" xmlUrl="https://fr.example/page.html"'
        b' frss:xPathItem="//article"/>\n'
        b'<outline text="Scraped XML" type="XML+XPath" xmlUrl="https://fr.example/data.xml"/>\n'
        b'<outline text="JSON thing" type="JSON+DotNotation" xmlUrl="https://fr.example/api"'
        b' frss:jsonItem="items"/>\n'
        b'<outline text="JSON Feed" type="JSONFeed" xmlUrl="https://fr.example/feed.json"/>\n'
        b"</body></opml>",
        "freshrss.opml.xml",
    )
    assert [feed.name for feed in found.feeds] == ["Releases", "JSON Feed"]
    scraping = "a FreshRSS web-scraping feed: newsdesk reads only feeds"
    assert found.skipped == [
        f"freshrss.opml.xml:3: Scraped: {scraping}",
        f"freshrss.opml.xml:4: Scraped XML: {scraping}",
        f"freshrss.opml.xml:5: JSON thing: {scraping}",
    ]


@pytest.mark.parametrize(
    "page",
    [
        b'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Sign in</title>'
        b"</head><body><form><input type=password></form></body></html>",
        b"\xef\xbb\xbf\n  <html><head><meta charset=utf-8></head><body><p>Saved page</body></html>",
        b'<?xml version="1.0"?>\n<!-- saved -->\n<html xmlns="http://www.w3.org/1999/xhtml">'
        b"<head><title>t</title></head><body/></html>",
    ],
)
def test_an_html_page_saved_as_opml_is_said_to_be_one(page: bytes) -> None:
    with pytest.raises(InteropError) as caught:
        parse_opml(page, "subscriptions.opml")
    assert str(caught.value) == "subscriptions.opml: not OPML (an HTML page)"


URLS = """\
# my newsboat feeds
https://lwn.net/headlines/rss linux "~LWN"
http://feeds.example/news.xml news

"query:Unread:unread = \\"yes\\""
exec:~/bin/make-feed
"""


def test_a_newsboat_urls_file_without_newsboat_is_imported_as_the_app_imports_it(
    config: Path, tmp_path: Path, run_import: Run
) -> None:
    # The command refused it ("use --newsboat") while the palette's import took it.
    urls = tmp_path / "urls"
    urls.write_text(URLS, encoding="utf-8")
    code, out, err = run_import(str(urls))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "+ LWN",
        "+ feeds.example/news.xml",
        "skipped: urls:5: query feed 'Unread' is not supported (a [[searches]] entry does the "
        "same)",
        "skipped: urls:6: exec: feeds run a program and are not supported",
        f"note: urls read as newsboat's urls file: {NEWSBOAT_CACHE}",
        f"added 2 feeds to {config} (2 skipped)",
        "run `newsdesk refresh` to fetch them",
    ]
    assert load_config(config).source("LWN") is not None


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_opml_given_as_a_urls_file_is_refused_and_changes_nothing(
    config: Path, tmp_path: Path, run_import: Run, encoding: str
) -> None:
    # It printed a line "only http and https feeds can be added" per line and exited 0.
    opml = tmp_path / "subs.opml"
    opml.write_text(
        f'<?xml version="1.0" encoding="{encoding.upper()}"?>\n<opml version="2.0"><body>\n'
        '<outline text="LWN" type="rss" xmlUrl="https://lwn.net/headlines/rss"/>\n'
        "</body></opml>\n",
        encoding=encoding,
    )
    code, out, err = run_import("--newsboat", str(opml))
    assert (code, out) == (2, "")
    assert err == f"newsdesk: {opml} is OPML: drop --newsboat\n"
    assert config.read_text(encoding="utf-8") == CONFIG
    assert [source.name for source in load_config(config).sources] == ["Existing"]
