"""The cache: dedupe, flags that survive refreshes, retention, paging and robustness."""

from __future__ import annotations

import pickle
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.old_cache import write_version_2_cache
from tests.sql import connection, sql
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import CorruptDatabase, Store, StoreError, View, listing, schema, search
from tui.store.writes import MAX_DEPARTED

OK = FetchOutcome(status=200)
DAY = 86400.0
NOW = datetime(2026, 6, 1, tzinfo=UTC).timestamp()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "cache" / "newsdesk.db")
    yield opened
    opened.close()


def art(n: int, **fields: object) -> Article:
    values: dict[str, object] = {"title": f"Title {n}", "body": f"Body {n}", "guid": f"g{n}"}
    values.update(fields)
    return Article(**values)  # type: ignore[arg-type]


def web(store: Store, name: str = "Feed") -> int:
    return store.ensure_source(name, SourceKind.WEB, f"https://{name.lower()}.example/rss")


def test_new_articles_are_listed_newest_first(store: Store) -> None:
    sid = web(store)
    when = [datetime(2026, 1, d, tzinfo=UTC) for d in (1, 3, 2)]
    result = store.record_refresh(sid, [art(i, published=w) for i, w in enumerate(when)], OK)
    assert result.new == 3
    assert [r.title for r in store.page(View())] == ["Title 1", "Title 2", "Title 0"]


def test_dedupe_by_guid_then_link_then_content(store: Store) -> None:
    sid = web(store)
    store.record_refresh(sid, [art(1), art(2, guid=None, url="https://x/2"), art(3, guid=None)], OK)
    again = [
        art(1, body="Body 1 edited"),
        art(2, guid=None, url="https://x/2", body="Body 2 edited"),
        art(3, guid=None),
    ]
    result = store.record_refresh(sid, again, OK)
    assert (result.new, result.updated) == (0, 2)
    assert store.count(View()) == 3


def test_flags_survive_refresh_and_update(store: Store) -> None:
    sid = web(store)
    store.record_refresh(sid, [art(1), art(2)], OK)
    first, second = sorted(r.id for r in store.page(View()))
    store.set_read([first])
    store.set_saved([second])
    store.record_refresh(sid, [art(1, body="changed"), art(2, title="renamed")], OK)
    rows = {r.id: r for r in store.page(View())}
    assert rows[first].read and rows[second].saved and rows[second].title == "renamed"
    detail = store.article(first)
    assert detail is not None and detail.text == "changed"


def test_view_filters(store: Store) -> None:
    a, b = web(store, "A"), store.ensure_source("B", SourceKind.LOCAL, "/tmp/b", ["notes"])
    store.record_refresh(a, [art(1), art(2)], OK)
    store.record_refresh(b, [art(3)], OK)
    store.set_read([store.page(View(source="A"))[0].id])
    assert store.count(View(source="A")) == 2
    assert store.count(View(source="A", unread=True)) == 1
    assert [r.source for r in store.page(View(tag="notes"))] == ["B"]
    assert {s.name: s.unread for s in store.sources()} == {"A": 1, "B": 1}


@pytest.mark.parametrize("limit", [1, 2])
def test_keyset_paging_visits_every_row_once(store: Store, limit: int) -> None:
    sid = web(store)
    same_time = datetime(2026, 1, 1, tzinfo=UTC)
    store.record_refresh(sid, [art(i, published=same_time) for i in range(7)], OK)
    seen, after = [], None
    while page := store.page(View(), after=after, limit=limit):
        seen += [r.id for r in page]
        after = page[-1].sort_key
    assert seen == [r.id for r in store.page(View(), limit=100)]
    assert len(set(seen)) == 7
    last = store.page(View(), backward=True, limit=limit)
    assert [r.id for r in last] == seen[-limit:]
    assert store.position(View(), last[-1].sort_key) == 6


def test_prune_rule_left_the_feed_and_older_than_retention_read_or_not_saved_never(
    store: Store,
) -> None:
    """The rule README's "What the cache keeps" states."""
    sid = web(store)
    old = datetime(2020, 1, 1, tzinfo=UTC)
    store.record_refresh(sid, [art(i, published=old) for i in range(3)], OK, now=NOW)
    ids = sorted(r.id for r in store.page(View()))
    store.set_read([ids[0]])
    store.set_saved([ids[1]])
    store.record_refresh(sid, [], OK, now=NOW + DAY)  # all three left the feed
    assert store.prune(30, now=NOW + DAY) == 2
    assert [r.id for r in store.page(View())] == [ids[1]]
    store.record_refresh(sid, [art(0, published=old), art(2, published=old)], OK, now=NOW + 2 * DAY)
    back = {r.title: r.read for r in store.page(View())}
    assert back == {"Title 0": True, "Title 1": False, "Title 2": False}


def test_a_source_keeps_at_most_max_departed_articles_oldest_go_first(store: Store) -> None:
    sid = web(store)
    batch = [
        art(i, published=datetime(2020, 1, 1, tzinfo=UTC) + timedelta(hours=i))
        for i in range(MAX_DEPARTED)
    ]
    store.record_refresh(sid, batch, OK, now=NOW)
    store.set_saved([r.id for r in store.page(View(), limit=MAX_DEPARTED)][-1:])  # the oldest
    fresh = [art(MAX_DEPARTED + i) for i in range(30)]
    store.record_refresh(sid, fresh[:10], OK, now=NOW + 1)  # every guid new at every fetch
    store.record_refresh(sid, fresh[10:20], OK, now=NOW + 2)
    store.record_refresh(sid, fresh[20:], OK, now=NOW + 3)
    titles = {r.title for r in store.page(View(), limit=2 * MAX_DEPARTED)}
    assert len(titles) == MAX_DEPARTED + 10 + 1  # the cap, the feed's current ten, the saved one
    assert {"Title 0", *(f"Title {MAX_DEPARTED + i}" for i in range(30))} <= titles
    assert not {"Title 1", "Title 19"} & titles  # the oldest unsaved went first
    assert "Title 20" in titles


def test_articles_still_in_the_feed_are_not_pruned(store: Store) -> None:
    sid = web(store)
    old = datetime(2020, 1, 1, tzinfo=UTC)
    store.record_refresh(sid, [art(1, published=old)], OK, now=NOW)
    store.record_refresh(sid, [art(1, published=old)], OK, now=NOW + DAY)
    assert store.prune(30, now=NOW + DAY) == 0


def test_failure_keeps_articles_and_records_error(store: Store) -> None:
    sid = web(store)
    store.record_refresh(sid, [art(1)], OK)
    store.record_refresh(sid, None, FetchOutcome(status=500, error="HTTP 500 from server"))
    state = store.source_state("Feed")
    assert state is not None and state.error == "HTTP 500 from server" and state.status == 500
    assert store.count(View()) == 1


def test_mark_view_read_returns_ids_for_undo(store: Store) -> None:
    sid = web(store)
    store.record_refresh(sid, [art(1), art(2)], OK)
    ids = store.mark_view_read(View())
    assert store.count(View(unread=True)) == 0
    store.set_read(ids, False)
    assert store.count(View(unread=True)) == 2


def test_garbage_file_is_reported_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "newsdesk.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CorruptDatabase, match="left untouched"):
        Store.open(path)
    assert path.read_bytes() == b"this is not a database" * 100


def test_another_programs_database_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "newsdesk.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE mine (x)")
    before = path.read_bytes()
    with pytest.raises(CorruptDatabase, match="another program"):
        Store.open(path)
    assert path.read_bytes() == before


def test_a_cache_from_a_newer_newsdesk_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newsdesk.db"
    Store.open(path).close()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA user_version = {schema.VERSION + 1}")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer newsdesk .* upgrade newsdesk to open it"):
        Store.open(path)
    assert path.read_bytes() == before


def test_database_settings(store: Store) -> None:
    with connection(store) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_close_after_use_from_another_thread(tmp_path: Path) -> None:
    import threading

    opened = Store.open(tmp_path / "newsdesk.db")
    worker = threading.Thread(target=lambda: opened.count(View()))
    worker.start()
    worker.join()
    opened.close()  # closes the worker thread's connection too, without an error


def test_an_older_cache_is_migrated_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "newsdesk.db"
    write_version_2_cache(path)
    reopened = Store.open(path)
    assert sql(reopened, "PRAGMA user_version")[0][0] == schema.VERSION
    assert reopened.count(View()) == 2  # uses the index migration 3 created
    assert len(reopened.search("tag:science").hits) == 1  # tags migration 4 copied
    assert len(reopened.search("qubits").hits) == 1  # the index migration 5 rebuilt
    assert len(reopened.search("tag:science quantum").hits) == 1  # its tags column
    assert [h.row.title for h in reopened.search("東京").hits] == ["天気"]  # CJK pairs (7)
    monkeypatch.setattr(search, "RANK_WINDOW", 1)  # the older match in the next tier
    assert len(reopened.search("qubits OR 東京 before:1971").hits) == 2  # days of ids (13)
    reopened.close()


def test_not_modified_writes_only_the_source_row(store: Store) -> None:
    sid = web(store)
    old = datetime(2020, 1, 1, tzinfo=UTC)
    store.record_refresh(sid, [art(1, published=old)], OK, now=NOW)
    before = sql(store, "SELECT * FROM articles")
    store.record_refresh(sid, None, FetchOutcome(status=304, not_modified=True), now=NOW + DAY)
    assert sql(store, "SELECT * FROM articles") == before
    assert store.prune(30, now=NOW + DAY) == 0  # still in the feed, so never pruned


def test_a_row_is_placed_by_counting_from_the_nearer_end_only(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "REACH", 3)
    sid = web(store)
    store.record_refresh(sid, [art(i) for i in range(9)], OK)
    rows = store.page(View(), limit=100)
    assert [store.position(View(), r.sort_key) for r in rows] == [
        0,
        1,
        2,
        None,
        None,
        None,
        6,
        7,
        8,
    ]
    store.set_read([rows[7].id])  # gone from the unread view: its place is kept
    assert store.position(View(unread=True), rows[7].sort_key) == 7
    assert store.position(View(unread=True), rows[8].sort_key) == 7


def test_each_source_lists_its_own_tags(store: Store) -> None:
    store.ensure_source("A", SourceKind.WEB, "https://a.example/rss", ("world", "news"))
    store.ensure_source("B", SourceKind.WEB, "https://b.example/rss", ("news",))
    store.ensure_source("C", SourceKind.WEB, "https://c.example/rss")
    assert {s.name: s.tags for s in store.sources()} == {
        "A": ("news", "world"),
        "B": ("news",),
        "C": (),
    }
    a = store.source_state("A")
    assert a is not None and a.tags == ("news", "world") and a.unread == 0


def test_a_row_is_a_value_found_alike_by_every_read(store: Store) -> None:
    # Rows from a page, a search and a lookup of one article are the same value: equal, one
    # key in a set, the same after a pickle; a copy with a flag changed is another row.
    web_id = web(store)
    store.record_refresh(web_id, [art(1, published=datetime(2026, 5, 1, tzinfo=UTC))], OK)
    listed = store.page(View(), limit=1)[0]
    found = store.search("title").hits[0]
    assert listed == found.row == store.row(listed.id)
    assert {listed, found.row} == {listed}
    assert pickle.loads(pickle.dumps(found)) == found
    read = listed._replace(read=True)
    assert read != listed and (read.id, read.title, read.read) == (listed.id, "Title 1", True)
    assert read.to_json() == {**listed.to_json(), "read": True}


def test_a_changed_item_keeps_the_author_and_date_its_saved_page_gave(store: Store) -> None:
    # The feed states neither: saving filled them in from the page. A corrected headline
    # (a changed item, still with neither) wiped them, and the saved article lost its byline.
    sid = web(store)
    store.record_refresh(sid, [art(1)], OK, now=NOW)
    (row,) = store.page(View())
    store.set_saved([row.id], True)
    day = datetime(2026, 5, 30, 8, tzinfo=UTC)
    store.store_full_text(row.id, "The page's text", [], author="Page Author", published=day)
    store.record_refresh(sid, [art(1, title="Title 1 (corrected)")], OK, now=NOW + 60)
    detail = store.article(row.id)
    assert detail is not None and detail.row.title == "Title 1 (corrected)"
    assert (detail.row.author, detail.row.published) == ("Page Author", day)
    assert [hit.row.id for hit in store.search('author:"page author"').hits] == [row.id]
    store.record_refresh(sid, [art(1, title="Again", author="Feed Author")], OK, now=NOW + 120)
    detail = store.article(row.id)
    assert detail is not None and detail.row.author == "Feed Author"  # the feed's own wins


def test_an_item_dated_ahead_never_sorts_above_articles_seen_after_it(store: Store) -> None:
    # A feed stated a date 3 hours ahead: the item sat at the top of the list above the
    # genuinely new articles of the next hours, new and changed alike.
    sid = web(store)
    ahead = datetime.fromtimestamp(NOW + 3 * 3600, UTC)
    store.record_refresh(sid, [art(1, published=ahead)], OK, now=NOW)
    fresh = datetime.fromtimestamp(NOW + 60, UTC)
    store.record_refresh(sid, [art(1, published=ahead), art(2, published=fresh)], OK, now=NOW + 60)
    assert [r.title for r in store.page(View())] == ["Title 2", "Title 1"]
    changed = [art(1, body="Body 1 edited", published=ahead), art(2, published=fresh)]
    assert store.record_refresh(sid, changed, OK, now=NOW + 120).updated == 1
    first, second = store.page(View())
    assert [first.title, second.title] == ["Title 2", "Title 1"]
    assert second.published == ahead  # the stated date is kept as stated
