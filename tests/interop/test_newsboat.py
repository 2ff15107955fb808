"""newsboat: the urls file becomes sources; cache.db read state marks cached articles read."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, rss
from tests.interop import feeds_cli
from tests.sql import sql
from tui.config import load_config
from tui.interop import InteropError
from tui.interop.newsboat import (
    apply_read_state,
    default_urls_path,
    feed_titles,
    import_newsboat,
    keep_flagged,
    parse_urls,
)
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store, View

OK = FetchOutcome(status=200)

URLS = Path(__file__).parent.parent / "fixtures" / "opml" / "newsboat-urls"
LWN = "https://lwn.net/headlines/rss"
XKCD = "https://xkcd.com/rss.xml"

# newsboat's own schema (src/cache.cpp), trimmed to the columns that matter plus a few others.
SCHEMA = """
CREATE TABLE rss_feed (
    rssurl VARCHAR(1024) PRIMARY KEY NOT NULL, url VARCHAR(1024) NOT NULL,
    title VARCHAR(1024) NOT NULL, lastmodified INTEGER(11) NOT NULL DEFAULT 0,
    is_rtl INTEGER(1) NOT NULL DEFAULT 0, etag VARCHAR(128) NOT NULL DEFAULT "");
CREATE TABLE rss_item (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, guid VARCHAR(64) NOT NULL,
    title VARCHAR(1024) NOT NULL, author VARCHAR(1024) NOT NULL, url VARCHAR(1024) NOT NULL,
    feedurl VARCHAR(1024) NOT NULL, pubDate INTEGER NOT NULL, content VARCHAR(65535) NOT NULL,
    unread INTEGER(1) NOT NULL, enclosure_url VARCHAR(1024), enclosure_type VARCHAR(1024),
    enqueued INTEGER(1) NOT NULL DEFAULT 0, flags VARCHAR(52),
    deleted INTEGER(1) NOT NULL DEFAULT 0, base VARCHAR(128) NOT NULL DEFAULT "");
"""


def make_cache_db(path: Path, items: list[tuple[str, str, str, int]]) -> Path:
    """A newsboat-shaped cache.db: feeds with titles and items (feedurl, guid, url, unread)."""
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA)
    conn.executemany(
        "INSERT INTO rss_feed (rssurl, url, title) VALUES (?, ?, ?)",
        [(LWN, "https://lwn.net", "LWN.net"), (XKCD, "https://xkcd.com/", "xkcd.com")],
    )
    conn.executemany(
        "INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate, content, unread) "
        "VALUES (?, 't', 'a', ?, ?, 0, 'c', ?)",
        [(guid, url, feed, unread) for feed, guid, url, unread in items],
    )
    conn.commit()
    conn.close()
    return path


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "conf" / "feeds.toml"
    path.parent.mkdir()
    path.write_text("# mine\n[settings]\nrefresh_minutes = 5\n", encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "cache" / "newsdesk.db")
    yield opened
    opened.close()


# -- the urls file --------------------------------------------------------------------------


def test_urls_file_tags_titles_hidden_and_unsupported_lines() -> None:
    listed = parse_urls(URLS.read_text(encoding="utf-8"), "urls")
    assert [(f.name, f.url, f.tags) for f in listed.feeds] == [
        ("lwn.net/headlines/rss", LWN, ("linux", "news", "again")),  # line 10 joins line 2
        ("Kernel releases", "https://www.kernel.org/feeds/kdist.xml", ("linux",)),
        (
            "planet.debian.org/rss20.xml",
            "https://planet.debian.org/rss20.xml",
            ("debian", "Planet & friends"),
        ),
        ("xkcd.com/rss.xml", XKCD, ("fun",)),
        ("untitled.example/blog/feed", "https://untitled.example/blog/feed/", ("misc",)),
        # as newsboat reads it: an apostrophe is a letter, and a comment ends the line
        ("bobs.example/feed.rss", "https://bobs.example/feed.rss", ("Bob's", "cooking")),
    ]
    assert listed.skipped == [
        "urls:7: query feed 'Unread Articles' is not supported "
        "(a [[searches]] entry does the same)",
        "urls:8: exec: feeds run a program and are not supported",
        "urls:9: filter: feeds run a program and are not supported",
        f"urls:10: lwn.net/headlines/rss ({LWN}): listed again in the file (first as "
        "'lwn.net/headlines/rss'): one feed, with the tags of both",
        "urls:11: unbalanced quotes",
        "urls:12: file:///home/me/local.xml: only http and https feeds can be added",
    ]
    assert listed.notices == [
        "urls:5: 'xkcd.com/rss.xml' is hidden in newsboat; imported as visible"
    ]


def test_import_writes_sources_skips_the_repeat_and_keeps_comments(config: Path) -> None:
    report = import_newsboat(config, URLS)
    assert report.added == [
        "lwn.net/headlines/rss",
        "Kernel releases",
        "planet.debian.org/rss20.xml",
        "xkcd.com/rss.xml",
        "untitled.example/blog/feed",
        "bobs.example/feed.rss",
    ]
    assert report.skipped[3].startswith(f"newsboat-urls:10: lwn.net/headlines/rss ({LWN}): ")
    assert len(report.skipped) == 6
    assert load_config(config).source("lwn.net/headlines/rss").tags == ("linux", "news", "again")
    assert config.read_text(encoding="utf-8").startswith(
        "# mine\n[settings]\nrefresh_minutes = 5\n"
    )
    assert load_config(config).source("Kernel releases") is not None


def test_feeds_named_after_their_url_keep_its_port(config: Path, tmp_path: Path) -> None:
    # Without cache.db, two servers on one host were "127.0.0.1/f/700.xml" and its "(2)".
    urls = tmp_path / "urls"
    urls.write_text("http://127.0.0.1:8101/f/700.xml\nhttp://127.0.0.1:8102/f/700.xml\n")
    urls.write_text(urls.read_text() + "https://www.example.org:443/feed/\n")
    report = import_newsboat(config, urls)
    assert report.added == [
        "127.0.0.1:8101/f/700.xml",
        "127.0.0.1:8102/f/700.xml",
        "example.org/feed",
    ]


def test_cache_db_titles_name_the_feeds_without_a_tilde_title(config: Path, tmp_path: Path) -> None:
    cache_db = make_cache_db(tmp_path / "cache.db", [])
    assert feed_titles(cache_db) == {LWN: "LWN.net", XKCD: "xkcd.com"}
    report = import_newsboat(config, URLS, cache_db=cache_db)
    assert report.added[:2] == ["LWN.net", "Kernel releases"]
    assert "xkcd.com" in report.added


def test_default_urls_path_prefers_dot_newsboat(tmp_path: Path) -> None:
    assert default_urls_path(tmp_path) == tmp_path / ".config" / "newsboat" / "urls"
    (tmp_path / ".newsboat").mkdir()
    (tmp_path / ".newsboat" / "urls").write_text("")
    assert default_urls_path(tmp_path) == tmp_path / ".newsboat" / "urls"


def test_missing_urls_file_is_a_clear_error(config: Path, tmp_path: Path) -> None:
    with pytest.raises(InteropError, match="urls: cannot read: No such file"):
        import_newsboat(config, tmp_path / "urls")


# -- cache.db read state --------------------------------------------------------------------


def cache_lwn(store: Store) -> dict[str, int]:
    """LWN in the newsdesk cache with four articles; returns title -> id."""
    source = store.ensure_source("LWN", SourceKind.WEB, LWN)
    articles = [
        Article(title="by guid", body="b", guid="lwn-1", url="https://lwn.net/1"),
        Article(title="by link", body="b", url="https://lwn.net/2"),
        Article(title="unread there", body="b", guid="lwn-3"),
        Article(title="unknown there", body="b", guid="lwn-4"),
    ]
    store.record_refresh(source, articles, FetchOutcome(status=200))
    return {r.title: r.id for r in store.page(View())}


def read_titles(store: Store) -> set[str]:
    return {r.title for r in store.page(View()) if r.read}


def test_read_state_marks_matching_cached_articles(store: Store, tmp_path: Path) -> None:
    cache_lwn(store)
    cache_db = make_cache_db(
        tmp_path / "cache.db",
        [
            (LWN, "lwn-1", "https://lwn.net/1", 0),
            (LWN, "https://lwn.net/2", "https://lwn.net/2", 0),  # newsboat's guid for no-guid items
            (LWN, "lwn-3", "https://lwn.net/3", 1),
            (LWN, "lwn-9", "https://lwn.net/9", 0),  # not in the newsdesk cache yet
            (XKCD, "x-1", "https://xkcd.com/1", 0),  # a feed newsdesk does not have
        ],
    )
    before = cache_db.read_bytes()
    result = apply_read_state(store, cache_db)
    assert (result.marked, result.matched_feeds, result.remembered) == (2, 1, 1)
    assert read_titles(store) == {"by guid", "by link"}
    assert cache_db.read_bytes() == before  # opened read-only
    again = apply_read_state(store, cache_db)
    assert (again.marked, again.remembered) == (0, 0)  # each item carried once
    # The item newsboat read comes with the next refresh: read at once.
    source = store.web_sources()[LWN]
    store.record_refresh(source, [Article(title="later", body="b", guid="lwn-9")], OK)
    assert read_titles(store) == {"by guid", "by link", "later"}


def test_items_sharing_a_link_are_matched_by_guid_only(store: Store, tmp_path: Path) -> None:
    # A comic's feed: each item links to the site's home page. Reading one is not reading all.
    source = store.ensure_source("LWN", SourceKind.WEB, LWN)
    home = "https://lwn.net/"
    comics = [Article(title=f"comic {i}", body="b", guid=f"c{i}", url=home) for i in (1, 2, 3)]
    store.record_refresh(source, comics, OK)
    items = [(LWN, f"c{i}", home, int(i != 1)) for i in (1, 2, 3)]
    cache_db = make_cache_db(tmp_path / "cache.db", items)
    assert apply_read_state(store, cache_db).marked == 1
    assert read_titles(store) == {"comic 1"}


def test_an_item_deleted_in_newsboat_marks_the_cached_article_read(
    store: Store, tmp_path: Path
) -> None:
    cache_lwn(store)
    cache_db = make_cache_db(tmp_path / "cache.db", [(LWN, "lwn-3", "https://lwn.net/3", 1)])
    flag(cache_db, "lwn-3", "", deleted=1)  # unread there, and deleted
    assert apply_read_state(store, cache_db).marked == 1
    assert read_titles(store) == {"unread there"}


def test_read_state_follows_a_redirected_source(store: Store, tmp_path: Path) -> None:
    cache_lwn(store)
    sql(store, "UPDATE sources SET location = 'https://lwn.net/new/rss'")
    cache_db = make_cache_db(tmp_path / "cache.db", [(LWN, "lwn-1", "", 0)])
    assert apply_read_state(store, cache_db).marked == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"this is not sqlite" * 100, "not a database"), (None, "not a newsboat cache")],
)
def test_a_file_that_is_not_a_newsboat_cache(
    store: Store, tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "cache.db"
    if content is None:
        sqlite3.connect(path).execute("CREATE TABLE other (x)").connection.close()
    else:
        path.write_bytes(content)
    with pytest.raises(InteropError, match=message):
        apply_read_state(store, path)
    with pytest.raises(InteropError, match="no such file"):
        apply_read_state(store, tmp_path / "missing.db")


# -- flagged items --------------------------------------------------------------------------


def flag(
    cache_db: Path, guid: str, flags: str, *, deleted: int = 0, by: str = "guid", **columns: object
) -> None:
    """Give newsboat's item `guid` (its link with `by="url"`) these flags, deleted mark and
    other column values."""
    values = {"flags": flags, "deleted": deleted, **columns}
    assignments = ", ".join(f"{column} = ?" for column in values)
    conn = sqlite3.connect(cache_db)
    conn.execute(f"UPDATE rss_item SET {assignments} WHERE {by} = ?", [*values.values(), guid])
    conn.commit()
    conn.close()


def saved_articles(store: Store) -> dict[str, tuple[str, tuple[str, ...], bool]]:
    """Title -> (source, tags, read) of each saved article."""
    found = {}
    for row, _ in store.saved_rows():
        detail = store.article(row.id)
        assert detail is not None
        found[row.title] = (row.source, detail.tags, row.read)
    return found


def test_flagged_items_become_saved_articles_tagged_by_flag_letter(
    store: Store, tmp_path: Path
) -> None:
    # What a newsboat user flagged is what they kept: the article newsdesk holds already is
    # saved; one it never fetched comes with newsboat's copy; one of a feed gone from the urls
    # file too, under a source that goes with its last saved article. Each flag letter is a
    # tag, the read state is newsboat's, and what newsboat deleted stays behind. Its text is
    # cleaned as a feed's is.
    cache_lwn(store)
    cache_db = make_cache_db(
        tmp_path / "cache.db",
        [
            (LWN, "lwn-1", "https://lwn.net/1", 0),
            (LWN, "lwn-7", "https://lwn.net/7", 1),
            (LWN, "lwn-8", "https://lwn.net/8", 0),
            (LWN, "lwn-9", "https://lwn.net/9", 0),
            (XKCD, "https://xkcd.com/42/", "https://xkcd.com/42/", 0),
            (XKCD, "https://xkcd.com/43/", "https://xkcd.com/43/", 0),
        ],
    )
    flag(cache_db, "lwn-1", "s")
    flag(
        cache_db,
        "lwn-7",
        "sA",
        title="Kernel & you",
        author="Jon Corbet",
        pubDate=1_700_000_000,
        content="<p>The <b>whole</b> story, as <a href='/7/more'>newsboat</a> kept it.</p>",
    )
    flag(cache_db, "lwn-8", "s", deleted=1, title="Deleted there")
    flag(cache_db, "https://xkcd.com/42/", "r", title="Geese\x1b]52;c;aGk=\x07\x1b[2J")
    report = keep_flagged(store, cache_db)
    assert (report.kept, len(report.new_ids), report.archived, report.deleted) == (
        3,
        2,
        ["xkcd.com"],
        1,
    )
    assert saved_articles(store) == {
        "by guid": ("LWN", ("flag-s",), True),
        "Kernel & you": ("LWN", ("flag-s", "flag-A"), False),
        "Geese": ("xkcd.com", ("flag-r",), True),
    }
    kept = store.article(next(r.id for r, _ in store.saved_rows() if r.title.startswith("Ker")))
    assert kept is not None
    assert (kept.row.author, kept.row.url) == ("Jon Corbet", "https://lwn.net/7")
    assert kept.text.startswith("The **whole** story, as newsboat [1] kept it.")
    assert kept.links == ("https://lwn.net/7/more",)
    assert kept.row.published is not None and kept.row.published.timestamp() == 1_700_000_000
    assert {r.title for r in store.page(View(source="xkcd.com"))} == {"Geese"}
    # Again: nothing more. The feed lists lwn-7 later: the same article, still saved.
    assert keep_flagged(store, cache_db).new_ids == []
    source = store.web_sources()[LWN]
    store.record_refresh(source, [Article("Kernel and you", "Fresh text.", guid="lwn-7")], OK)
    assert saved_articles(store)["Kernel and you"] == ("LWN", ("flag-s", "flag-A"), False)
    # The archived feed's source is a removed one: unsaving its last article lets it go.
    geese = next(r.id for r, _ in store.saved_rows() if r.title == "Geese")
    store.unsave([geese])
    assert store.source_state("xkcd.com") is None


def test_a_flagged_item_without_a_guid_is_the_article_cached_by_its_link(
    store: Store, tmp_path: Path
) -> None:
    # newsboat keys an item without a guid by its link; newsdesk stored it by that link.
    cache_lwn(store)  # "by link": https://lwn.net/2, no guid
    cache_db = make_cache_db(
        tmp_path / "cache.db", [(LWN, "https://lwn.net/2", "https://lwn.net/2", 1)]
    )
    flag(cache_db, "https://lwn.net/2", "s")
    report = keep_flagged(store, cache_db)
    assert (report.kept, report.new_ids) == (1, [])
    assert saved_articles(store) == {"by link": ("LWN", ("flag-s",), False)}


def test_each_item_without_a_guid_comes_over_once(store: Store, tmp_path: Path) -> None:
    # In a feed without guids only the first import carried anything: every item was noted
    # as the same `read:` and `flags:`, so one read or flagged in newsboat since stayed behind.
    cache_lwn(store)  # "by link": https://lwn.net/2, no guid
    more = [Article(title=f"by link {i}", body="b", url=f"https://lwn.net/{i}") for i in (5, 6)]
    store.record_refresh(store.web_sources()[LWN], more, OK)
    items = [(LWN, "", f"https://lwn.net/{i}", int(i != 2)) for i in (2, 5, 6)]
    cache_db = make_cache_db(tmp_path / "cache.db", items)
    assert apply_read_state(store, cache_db).marked == 1
    flag(cache_db, "https://lwn.net/2", "s", by="url")
    assert keep_flagged(store, cache_db).kept == 1
    flag(cache_db, "https://lwn.net/5", "s", by="url", unread=0)  # read and flagged there since
    flag(cache_db, "https://lwn.net/6", "", by="url", unread=0)  # read there since
    assert apply_read_state(store, cache_db).marked == 1
    assert keep_flagged(store, cache_db).kept == 1
    assert saved_articles(store) == {
        "by link": ("LWN", ("flag-s",), True),
        "by link 5": ("LWN", ("flag-s",), True),
    }
    store.set_read([r.id for r in store.page(View())], False)  # done here since: it stays
    assert (apply_read_state(store, cache_db).marked, keep_flagged(store, cache_db).kept) == (0, 0)
    assert read_titles(store) == set()


# -- the CLI --------------------------------------------------------------------------------


def test_cli_newsboat_import_with_cache_db(
    config: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cache_dir = tmp_path / "nd-cache"
    store = Store.open(cache_dir / "newsdesk.db")
    cache_lwn(store)
    store.close()
    cache_db = make_cache_db(tmp_path / "cache.db", [(LWN, "lwn-1", "https://lwn.net/1", 0)])
    argv = ["feeds", "import", "--newsboat", str(URLS), "--cache-db", str(cache_db)]
    code, out, _ = feeds_cli(
        monkeypatch, capsys, *argv, "--config", str(config), "--cache", str(cache_dir)
    )
    assert code == 0
    assert "skipped: urls:7: query feed 'Unread Articles' is not supported" not in out
    assert "skipped: newsboat-urls:7: query feed 'Unread Articles'" in out
    assert "added 6 feeds" in out
    assert "marked 1 article read from newsboat (1 feed)" in out
    store = Store.open(cache_dir / "newsdesk.db")
    assert read_titles(store) == {"by guid"}
    store.close()


def test_cli_newsboat_default_urls_file(
    config: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = tmp_path / "home"  # HOME points here (tests/conftest.py)
    (home / ".config" / "newsboat").mkdir(parents=True)
    (home / ".config" / "newsboat" / "urls").write_text(f"{XKCD} fun\n")
    code, out, _ = feeds_cli(
        monkeypatch, capsys, "feeds", "import", "--newsboat", "--config", str(config)
    )
    assert code == 0 and "added 1 feed to" in out
    assert load_config(config).sources[0].tags == ("fun",)


def test_cli_newsboat_without_a_urls_file_names_both_places_looked_in(
    config: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # It named ~/.config/newsboat/urls alone, though ~/.newsboat/urls is looked in first.
    home = tmp_path / "home"  # HOME points here (tests/conftest.py)
    code, out, err = feeds_cli(
        monkeypatch, capsys, "feeds", "import", "--newsboat", "--config", str(config)
    )
    assert (code, out) == (2, "")
    assert str(home / ".newsboat" / "urls") in err
    assert str(home / ".config" / "newsboat" / "urls") in err and err.count("\n") == 1


def test_cli_first_move_in_finds_cache_db_and_keeps_read_state_for_the_first_refresh(
    config: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # newsboat's default home, nothing fetched by newsdesk yet: the read state and the titles
    # come from the cache.db beside the urls file, and the reads wait for the first refresh.
    folder = tmp_path / "home" / ".newsboat"  # HOME points here (tests/conftest.py)
    folder.mkdir(parents=True)
    (folder / "urls").write_text(f"{LWN} linux\n")
    cache_db = make_cache_db(
        folder / "cache.db",
        [(LWN, "lwn-1", "https://lwn.net/1", 0), (LWN, "lwn-2", "https://lwn.net/2", 0)],
    )
    flag(cache_db, "lwn-2", "s")
    sqlite3.connect(cache_db).execute(
        "INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate, content, unread, "
        "flags) VALUES ('gone-1', 'Kept from a feed left behind', '', 'https://old.example/1', "
        "'https://old.example/feed', 0, '<p>Old text.</p>', 1, 'k')"
    ).connection.commit()
    cache_dir = tmp_path / "nd-cache"
    argv = ["feeds", "import", "--newsboat", "--config", str(config), "--cache", str(cache_dir)]
    code, out, _ = feeds_cli(monkeypatch, capsys, *argv)
    assert code == 0
    assert f"reading titles and read state from {cache_db}" in out
    assert "+ LWN.net" in out and "marked 0 articles read from newsboat (1 feed)" in out
    assert "1 more item read or deleted in newsboat, not fetched yet" in out
    assert "saved 2 articles flagged in newsboat" in out
    assert (
        "kept as removed sources (each goes with its last saved article): 'old.example/feed'" in out
    )
    store = Store.open(cache_dir / "newsdesk.db")
    try:
        source = store.web_sources()[LWN]
        fetched = [Article("first fetch", "b", guid="lwn-1"), Article("flagged", "c", guid="lwn-2")]
        store.record_refresh(source, fetched, OK)
        assert read_titles(store) == {"first fetch", "flagged"}
        assert set(saved_articles(store)) == {"flagged", "Kept from a feed left behind"}
    finally:
        store.close()


def test_cli_items_deleted_in_newsboat_arrive_read_with_the_first_refresh(
    config: Path,
    tmp_path: Path,
    feed_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The user deleted two items in newsboat without reading them (one of them flagged): done
    # with, they are not news again here. The item left unread there is unread here.
    url = feed_server.feed("/news.xml", rss("News", 4))
    urls = tmp_path / "urls"
    urls.write_text(f"{url}\n")
    items = [(url, f"News-{i}", f"https://example.org/{i}", int(i != 0)) for i in range(4)]
    cache_db = make_cache_db(tmp_path / "cache.db", items)
    flag(cache_db, "News-1", "", deleted=1)
    flag(cache_db, "News-3", "s", deleted=1)
    cache = ("--config", str(config), "--cache", str(tmp_path / "nd-cache"))
    argv = ["feeds", "import", "--newsboat", str(urls), "--cache-db", str(cache_db), *cache]
    code, out, _ = feeds_cli(monkeypatch, capsys, *argv)
    assert code == 0
    assert "3 more items read or deleted in newsboat, not fetched yet" in out
    assert "note: 1 flagged item deleted in newsboat not saved (deleted items arrive read)" in out
    assert feeds_cli(monkeypatch, capsys, "refresh", *cache)[0] == 0
    code, out, _ = feeds_cli(monkeypatch, capsys, "list", "--json", *cache)
    assert {row["title"]: row["read"] for row in json.loads(out)} == {
        "News item 0": True,
        "News item 1": True,
        "News item 2": False,
        "News item 3": True,
    }


def test_cli_cache_db_needs_newsboat(
    config: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["feeds", "import", "x.opml", "--cache-db", "c.db", "--config", str(config)]
    code, _, err = feeds_cli(monkeypatch, capsys, *argv)
    assert code == 2 and "--cache-db goes with --newsboat" in err
