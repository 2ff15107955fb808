"""Downloads of enclosures (`E`): what is kept, what is refused, what is cleaned up."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

import pytest

from tests.feedserver import HTML, FeedServer
from tui.cli import main
from tui.config import Settings
from tui.models import Article, Enclosure, FetchOutcome, SourceKind
from tui.offline.media import MB, SWEEP_EVERY, DownloadFailed, cached, download, sweep_due
from tui.store import Store, View

AUDIO = b"ID3" + bytes(4096)
PORTAL = b"<html><form>Log in to Hotel WiFi <input type=password></form></html>"
SETTINGS = dataclasses.replace(Settings(), timeout_seconds=5)


def files(cache: Path) -> list[str]:
    folder = cache / "media"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize("stated", ["audio/mpeg", None])
def test_a_login_page_for_a_media_file_is_refused_and_nothing_kept(
    tmp_path: Path, feed_server: FeedServer, stated: str | None
) -> None:
    # A hotel's portal answered 200 with its page: "downloaded (68 bytes)", then `E` said it
    # was downloaded without asking again, and `e` refused it as of no known type.
    url = feed_server.page("/ep/flaky.mp3", PORTAL, content_type=HTML)
    with pytest.raises(DownloadFailed) as failed:
        download(Enclosure(url, stated), tmp_path, SETTINGS)
    assert str(failed.value) == (
        f"{url}: the server answered a web page, not the file (a login page?)"
    )
    assert cached(url, tmp_path) is None and files(tmp_path) == []


def test_a_web_page_attachment_is_still_downloaded(tmp_path: Path, feed_server: FeedServer) -> None:
    url = feed_server.page("/notes/show-notes", PORTAL, content_type=HTML)
    saved = download(Enclosure(url, "text/html"), tmp_path, SETTINGS)
    assert saved.read_bytes() == PORTAL


def test_a_download_over_its_limit_names_the_setting(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    url = feed_server.big("/ep/big.mp3", size=2 * MB)
    settings = dataclasses.replace(SETTINGS, media_max_mb=1)
    with pytest.raises(DownloadFailed) as failed:
        download(Enclosure(url, "audio/mpeg"), tmp_path, settings)
    assert str(failed.value) == f"{url}: larger than 1 MB (media_max_mb)"
    assert files(tmp_path) == []


def test_partial_files_left_by_an_ended_process_are_removed(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    # A download ended by `kill` or a closed terminal left `.<hash>.part` for good.
    folder = tmp_path / "media"
    folder.mkdir()
    stale, running = folder / ".0123abcd.old.part", folder / ".4567ef01.now.part"
    stale.write_bytes(bytes(1000))
    running.write_bytes(bytes(10))  # another window's, being written now
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    url = feed_server.page("/ep/one.mp3", AUDIO, content_type="audio/mpeg")
    saved = download(Enclosure(url), tmp_path, SETTINGS)
    assert files(tmp_path) == sorted([running.name, saved.name])


def test_removing_a_source_removes_its_downloads(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # `feeds remove` forgot the articles and left their podcasts in cache/media for good.
    cache = tmp_path / "cache"
    urls = {n: feed_server.page(f"/ep/{n}.mp3", AUDIO, "audio/mpeg") for n in ("a", "b", "c")}
    store = Store.open(cache / "newsdesk.db")
    for name, episodes in (("Cast", ("a", "b")), ("Other", ("c",))):
        source = store.ensure_source(name, SourceKind.WEB, f"http://127.0.0.1:9/{name}.xml")
        articles = [Article(n, "Talk.", guid=n, enclosures=(Enclosure(urls[n]),)) for n in episodes]
        store.record_refresh(source, articles, FetchOutcome(status=200))
    [kept] = [row.id for row in store.page(View(), limit=10) if row.title == "b"]
    store.set_saved([kept])
    store.close()
    for url in urls.values():
        download(Enclosure(url), cache, SETTINGS)
    config = tmp_path / "feeds.toml"
    config.write_text(
        '[[sources]]\nname = "Cast"\nurl = "http://127.0.0.1:9/Cast.xml"\n\n'
        '[[sources]]\nname = "Other"\nurl = "http://127.0.0.1:9/Other.xml"\n'
    )
    assert main(["--config", str(config), "--cache", str(cache), "feeds", "remove", "Cast"]) == 0
    assert "forgot its 1 cached article; kept 1 saved article" in capsys.readouterr().out
    assert cached(urls["a"], cache) is None  # its article forgotten
    assert cached(urls["b"], cache) is not None  # a saved article's
    assert cached(urls["c"], cache) is not None  # another source's


def test_refreshes_look_for_downloads_no_article_has_once_a_day(tmp_path: Path) -> None:
    # The look reads every article's attachments (~0.4 s at 1M articles): a refresh each
    # minute took it each minute. Articles leave by retention, a day at a time.
    (tmp_path / "media").mkdir()
    assert sweep_due(tmp_path) and not sweep_due(tmp_path)
    a_day_ago = time.time() - SWEEP_EVERY - 1
    os.utime(tmp_path / "media" / ".swept", (a_day_ago, a_day_ago))
    assert sweep_due(tmp_path) and not sweep_due(tmp_path)
