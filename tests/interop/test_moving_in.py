"""Moving in from newsboat and other readers: from an old newsboat's cache.db (refused before
anything changes), with passwords in feed URLs (never shown)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.interop import feeds_cli
from tests.interop.test_newsboat import LWN, XKCD


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
        f'<outline text="B" xmlUrl="{secret}"/></body></opml>'
    )
    shown = "http://bob:***@127.0.0.1:8765/pw/a.xml"
    outputs = [
        feeds_cli(monkeypatch, capsys, "feeds", "import", *source, "--config", str(config))
        for source in (("--newsboat", str(urls)), (str(opml),))
    ]
    for code, out, _ in outputs:
        assert code == 0 and "s3cret" not in out
        assert f"({shown}): same feed as 'Mine'" in out
        assert f"({shown}): listed again in the file" in out
    assert "ftp://bob:***@127.0.0.1/b.xml: only http and https feeds can be added" in outputs[0][1]
