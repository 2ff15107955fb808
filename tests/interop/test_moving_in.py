"""Moving in from newsboat and other readers: over a config that has their feeds already
(under URLs `feeds import` calls the same), again (what newsdesk changed since stays), from an
old newsboat's cache.db (refused before anything changes), with passwords in feed URLs (never
shown)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.interop import feeds_cli
from tests.interop.test_newsboat import (
    LWN,
    XKCD,
    flag,
    make_cache_db,
    read_titles,
    saved_articles,
)
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store, View

FEEDLY = "LWN via Feedly"


def move_in(tmp_path: Path, config_url: str, urls_url: str) -> tuple[tuple[str, ...], Path, Path]:
    """A config with LWN under `config_url` (from a Feedly import), its articles cached; a
    newsboat with LWN under `urls_url`: lwn-1 read, lwn-2 flagged, lwn-3 unread, and xkcd, a
    feed the urls file no longer lists: x-1 flagged ("Geese"), x-2 read. Returns the import's
    arguments, the cache folder and the cache.db."""
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[sources]]\nname = "{FEEDLY}"\nurl = "{config_url}"\n')
    cache = tmp_path / "nd-cache"
    store = Store.open(cache / "newsdesk.db")
    source = store.ensure_source(FEEDLY, SourceKind.WEB, config_url)
    cached = [Article(f"LWN {i}", "b", guid=f"lwn-{i}") for i in (1, 2, 3)]
    store.record_refresh(source, cached, FetchOutcome(status=200))
    store.close()
    urls = tmp_path / "urls"
    urls.write_text(f"{urls_url} linux\n")
    items = [(urls_url, f"lwn-{i}", f"https://lwn.net/{i}", int(i != 1)) for i in (1, 2, 3)]
    items += [(XKCD, f"x-{i}", f"https://xkcd.com/{i}", 0) for i in (1, 2)]
    cache_db = make_cache_db(tmp_path / "cache.db", items)
    flag(cache_db, "lwn-2", "s")
    flag(cache_db, "x-1", "s", title="Geese")
    argv = ("feeds", "import", "--newsboat", str(urls), "--cache-db", str(cache_db))
    return (*argv, "--config", str(config), "--cache", str(cache)), cache, cache_db


@pytest.mark.parametrize(
    ("config_url", "urls_url"),
    [
        ("http://LWN.NET/headlines/rss", "http://lwn.net/headlines/rss"),
        ("https://lwn.net/headlines/rss/", "http://lwn.net/headlines/rss"),  # Feedly's https
    ],
)
def test_a_feed_the_config_has_under_another_spelling_gets_its_read_state_and_flags(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    config_url: str,
    urls_url: str,
) -> None:
    # It said "same feed as 'LWN via Feedly'", then marked nothing read, and saved the flagged
    # item again under a new source "LWN.net", told as a feed no longer in the urls file.
    argv, cache, _ = move_in(tmp_path, config_url, urls_url)
    code, out, _ = feeds_cli(monkeypatch, capsys, *argv)
    assert code == 0
    assert f"same feed as '{FEEDLY}'" in out
    assert "marked 1 article read from newsboat (1 feed)" in out
    assert "saved 2 articles flagged in newsboat" in out
    assert "kept as removed sources (each goes with its last saved article): 'xkcd.com'" in out
    store = Store.open(cache / "newsdesk.db")
    try:
        assert read_titles(store) == {"LWN 1", "Geese"}
        assert saved_articles(store) == {
            "LWN 2": (FEEDLY, ("flag-s",), False),
            "Geese": ("xkcd.com", ("flag-s",), True),
        }
        assert store.source_state("LWN.net") is None
    finally:
        store.close()


def test_the_import_again_undoes_nothing_done_since_and_brings_what_is_new_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Run again, it marked read the articles made unread since, saved again the ones unsaved
    # (the gone feed's source made anew, the article under a new id) and said so each time.
    argv, cache, cache_db = move_in(tmp_path, LWN, LWN)
    assert feeds_cli(monkeypatch, capsys, *argv)[0] == 0
    change(cache, unread="LWN 1", unsave="LWN 2")
    assert quiet_again(monkeypatch, capsys, argv)
    assert cached(cache) == ({"Geese"}, {"Geese"}, True)
    change(cache, unsave="Geese")  # the last of xkcd's: its source goes
    assert quiet_again(monkeypatch, capsys, argv)
    assert cached(cache) == (set(), set(), False)
    # Read in newsboat since: that comes over, and only that.
    conn = sqlite3.connect(cache_db)
    conn.execute("UPDATE rss_item SET unread = 0 WHERE guid = 'lwn-3'")
    conn.commit()
    conn.close()
    code, out, _ = feeds_cli(monkeypatch, capsys, *argv)
    assert "marked 1 article read from newsboat (1 feed)" in out and "saved" not in out
    assert cached(cache) == ({"LWN 3"}, set(), False)


def change(cache: Path, *, unsave: str, unread: str | None = None) -> None:
    """What the user does in newsdesk: an article unsaved, another marked unread."""
    store = Store.open(cache / "newsdesk.db")
    ids = {row.title: row.id for row in store.page(View())}
    store.unsave([ids[unsave]])
    store.set_read([ids[unread]] if unread else [], False)
    store.close()


def quiet_again(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> bool:
    """Whether the import, run again, says nothing after its count of feeds added."""
    code, out, _ = feeds_cli(monkeypatch, capsys, *argv)
    return code == 0 and out.splitlines()[-1].startswith("added 0 feeds to")


def cached(cache: Path) -> tuple[set[str], set[str], bool]:
    """The read articles, the saved ones and whether xkcd's source is still there."""
    store = Store.open(cache / "newsdesk.db")
    try:
        xkcd = store.source_state("xkcd.com") is not None
        return read_titles(store), set(saved_articles(store)), xkcd
    finally:
        store.close()


def test_a_cache_db_of_an_old_newsboat_is_refused_before_the_config_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Its rss_item has no flags, deleted nor base: the urls file's feeds were written to
    # feeds.toml, then "not a newsboat cache", exit 2.
    config, urls, old = tmp_path / "feeds.toml", tmp_path / "urls", tmp_path / "old.db"
    config.write_text('[[sources]]\nname = "Mine"\nurl = "https://mine.example/feed"\n')
    urls.write_text(f"{LWN}\n{XKCD}\n")
    conn = sqlite3.connect(old)
    conn.executescript(
        "CREATE TABLE rss_feed (rssurl TEXT PRIMARY KEY, url TEXT, title TEXT);"
        "CREATE TABLE rss_item (id INTEGER PRIMARY KEY, guid TEXT, title TEXT, author TEXT,"
        " url TEXT, feedurl TEXT, pubDate INTEGER, content TEXT, unread INTEGER);"
    )
    conn.close()
    before = config.read_bytes()
    argv = ("feeds", "import", "--newsboat", str(urls), "--cache-db", str(old))
    for dry_run in ((), ("--dry-run",)):
        code, out, err = feeds_cli(monkeypatch, capsys, *argv, *dry_run, "--config", str(config))
        assert (code, out) == (2, "")
        assert f"{old}: not a newsboat cache" in err and err.count("\n") == 1
        assert config.read_bytes() == before


def test_skip_lines_show_no_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # "same feed as", "listed again" and a refused URL showed http://bob:s3cret@... in clear.
    secret = "http://bob:s3cret@127.0.0.1:8765/pw/a.xml"
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[sources]]\nname = "Mine"\nurl = "{secret}"\n')
    urls = tmp_path / "urls"
    urls.write_text(f"{secret}\n{secret} again\nftp://bob:s3cret@127.0.0.1/b.xml\n")
    opml = tmp_path / "subs.opml"
    opml.write_text(
        f'<opml version="2.0"><body><outline text="A" xmlUrl="{secret}"/>'
        f'<outline text="B" xmlUrl="{secret}"/>'
        '<outline text="C" xmlUrl="ftp://bob:s3cret@127.0.0.1/b.xml"/></body></opml>'
    )
    shown = "http://bob:***@127.0.0.1:8765/pw/a.xml"
    outputs = [
        feeds_cli(monkeypatch, capsys, "feeds", "import", *source, "--config", str(config))
        for source in (("--newsboat", str(urls)), (str(opml),))
    ]
    for (code, out, _), first in zip(outputs, ("urls:1", "subs.opml:1"), strict=True):
        assert code == 0 and "s3cret" not in out
        (same,) = [line for line in out.splitlines() if "same feed as 'Mine'" in line]
        assert same.startswith(f"skipped: {first}: ") and f"({shown}): same" in same  # its line
        assert f"({shown}): listed again in the file" in out
    for _, out, _ in outputs:
        assert "ftp://bob:***@127.0.0.1/b.xml" in out and "only http and https feeds" in out
