"""The search index keeps no copy of the text, and bodies are stored compressed: every write
path leaves the index exactly as a rebuild from the articles would, and nothing reads back
different text."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.old_cache import write_version_2_cache
from tests.sql import connection, sql
from tui.models import MATCH_CLOSE, MATCH_OPEN, Article, FetchOutcome, Rule, SourceKind
from tui.store import Store, View
from tui.store.sync import SyncedFeed, SyncedItem

OK = FetchOutcome(status=200)
LONG = " ".join(["The central bank raised its rates again this spring."] * 40)
JAPANESE = "東京都の会議で、気象庁は今年の天気について発表しました。" * 20


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "newsdesk.db")
    yield opened
    opened.close()


def postings(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    """Every (term, article, column, offset) the index holds."""
    conn.execute("CREATE VIRTUAL TABLE temp.postings USING fts5vocab(main, articles_fts, instance)")
    try:
        return conn.execute("SELECT * FROM temp.postings ORDER BY 1, 2, 3, 4").fetchall()
    finally:
        conn.execute("DROP TABLE temp.postings")


def assert_index_matches_articles(store: Store) -> None:
    """The index holds what a rebuild from the stored articles gives, no more, no less."""
    with connection(store) as conn:
        kept = postings(conn)
        conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
        assert kept == postings(conn)


def assert_cache_index_matches_articles(path: Path) -> None:
    """`assert_index_matches_articles` of the cache at `path` (upgraded as it opens)."""
    store = Store.open(path)
    try:
        assert_index_matches_articles(store)
    finally:
        store.close()


def test_every_write_keeps_the_index_in_step(store: Store) -> None:
    feed = store.ensure_source("Wire", SourceKind.WEB, "https://wire.example/rss")
    first = [
        Article(title="Rates rise", body=LONG, guid="1", tags=("Economy",)),
        Article(title="天気", body=JAPANESE, guid="2"),
        Article(title="Short", body="Tiny.", guid="3", author="Müller"),
    ]
    rule = Rule(query="rates", action="tag", tag="money")
    store.record_refresh(feed, first, OK, rules=[rule])
    store.record_refresh(feed, [Article(title="Rates rise", body=LONG + " Update.", guid="1")], OK)
    local = store.ensure_source("Notes", SourceKind.LOCAL, "/notes")
    store.record_refresh(local, [Article(title="A note", body=LONG, guid="n")], OK)
    (note,) = [row.id for row in store.page(View(source="Notes"))]
    store.mark_saved([note])  # copies a local file's text as its full text
    store.set_hidden([note], True)
    store.prune(0, now=4e9)
    assert_index_matches_articles(store)


def test_sources_stored_in_one_commit_keep_the_index_in_step(store: Store) -> None:
    # A refresh stores the sources that queue up in one commit; their index rows go in at
    # the commit, so what reads, rewrites or deletes those articles before it must find them.
    wire = store.ensure_source("Wire", SourceKind.WEB, "https://wire.example/rss")
    desk = store.ensure_source("Desk", SourceKind.WEB, "https://desk.example/rss")
    rule = Rule(query="rates", action="tag", tag="money")
    changed = Article(title="Rates again", body=LONG + " Update.", guid="r")
    with store.transaction():
        store.record_refresh(desk, [Article(title="Rates", body=LONG, guid="r")], OK, 1e9)
        store.record_refresh(desk, [changed], OK, 1e9 + 1)
        store.record_refresh(wire, [Article(title="Gone", body=LONG, guid="g")], OK, 1e9)
        store.record_refresh(wire, [Article(title="天気", body=JAPANESE, guid="j")], OK, 1e9 + 1)
        assert store.prune(0, now=4e9, source_ids=[wire]) == 1  # "Gone" left its feed
        new = Article(title="Desk rates", body=LONG, guid="e")
        store.record_refresh(desk, [changed, new], OK, 1e9 + 2, rules=[rule])
    assert_index_matches_articles(store)
    assert [h.row.title for h in store.search("tag:money").hits] == ["Desk rates"]


def test_a_renamed_server_feed_is_found_by_its_new_name(store: Store) -> None:
    store.sync_feeds([SyncedFeed("7", "Old Wire")])
    item = Article(title="Quantum leap", body=LONG, guid="q")
    store.sync_items([SyncedItem("1", "7", item, False, False)], None)
    store.sync_feeds([SyncedFeed("7", "New Wire")])
    assert [h.row.title for h in store.search("source:new quantum").hits] == ["Quantum leap"]
    assert store.search("wire old").hits == []
    assert_index_matches_articles(store)
    store.sync_forget_feed("7")
    assert_index_matches_articles(store)


def test_bodies_read_back_as_written_and_take_less_room(store: Store) -> None:
    feed = store.ensure_source("Wire", SourceKind.WEB, "https://wire.example/rss")
    bodies = {"1": LONG, "2": JAPANESE, "3": "Tiny."}
    store.record_refresh(feed, [Article(title=g, body=b, guid=g) for g, b in bodies.items()], OK)
    rows = {row.title: row.id for row in store.page(View())}
    for guid, body in bodies.items():
        detail = store.article(rows[guid])
        assert detail is not None and detail.text == body
    (stored,) = sql(store, "SELECT length(body) FROM articles WHERE id = ?", (rows["1"],))[0]
    assert stored < len(LONG) / 4
    lead = store.search("source:wire", limit=3).hits
    assert {h.snippet[:20] for h in lead} == {b[:20] for b in bodies.values()}
    snippet = store.search("bank").hits[0].snippet
    assert f"central {MATCH_OPEN}bank{MATCH_CLOSE}" in snippet


def test_an_upgraded_cache_keeps_its_text_and_finds_the_same(tmp_path: Path) -> None:
    path = tmp_path / "newsdesk.db"
    write_version_2_cache(path)
    store = Store.open(path)
    try:
        by_title = {row.title: row.id for row in store.page(View())}
        japanese = store.article(by_title["天気"])
        assert japanese is not None and japanese.text == "今日は東京都で会議。"
        assert [h.row.title for h in store.search("会議").hits] == ["天気"]
        assert sql(store, "SELECT typeof(body) FROM articles WHERE title = '天気'") == [("text",)]
        assert_index_matches_articles(store)
    finally:
        store.close()


def test_bodies_the_parser_process_prepared_are_indexed_as_any_other(store: Store) -> None:
    # The parser process says which bodies need no segmenting; a word of each is found,
    # CJK text included, and the index is what a rebuild would make.
    from tui.prepared import prepare

    feed = store.ensure_source("Wire", SourceKind.WEB, "https://wire.example/rss")
    articles = [
        Article(title="Rates", body=LONG, guid="1"),
        Article(title="Zürich", body="Die Nationalbank “erhöht” den Zins. " * 9, guid="2"),
        Article(title="天気", body=JAPANESE, guid="3"),
        Article(title="Radicals", body="Kangxi ⺀ radicals precede the ideographs. " * 9, guid="4"),
    ]
    prepared = [prepare(article) for article in articles]
    assert [p.as_is for p in prepared] == [True, True, False, False]
    store.record_refresh(feed, articles, OK, prepared=prepared)
    for word, title in (("Nationalbank", "Zürich"), ("会議", "天気"), ("ideographs", "Radicals")):
        assert [hit.row.title for hit in store.search(word).hits] == [title]
    assert_index_matches_articles(store)
