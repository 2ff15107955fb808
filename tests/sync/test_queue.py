"""The queue of local changes, without a server: every way a synced article's flags change
queues the change in the same transaction; the server's own state is never queued back."""

from __future__ import annotations

import time
from pathlib import Path

from tui.models import Article, Rule
from tui.store import Store, View
from tui.store.sync import SyncedFeed, SyncedItem


def synced_store(path: Path) -> tuple[Store, dict[str, int]]:
    """A cache holding three server items (one read, one starred) and a local article."""
    store = Store.open(path)
    store.sync_begin("ttrss http://127.0.0.1/ me")
    store.sync_feeds([SyncedFeed("7", "Server feed", tags=("News",))])
    items = [
        SyncedItem(str(n), "7", Article(title=f"t{n}", body="b", guid=str(n)), n == 2, n == 3)
        for n in (1, 2, 3)
    ]
    store.sync_items(items, "3")
    return store, {r.title: r.id for r in store.page(View())}


def queued(store: Store) -> set[tuple[str, str, bool]]:
    return {(c.remote_id, c.field, c.value) for c in store.sync_pending()}


def test_the_servers_state_is_not_queued(tmp_path: Path) -> None:
    store, ids = synced_store(tmp_path / "c.db")
    assert queued(store) == set()
    rows = {r.title: (r.read, r.saved) for r in store.page(View())}
    assert rows == {"t1": (False, False), "t2": (True, False), "t3": (False, True)}
    report = store.sync_apply_state(unread={"2"}, starred=set())
    assert (report.unread, report.read, report.unsaved) == (1, 2, 1)
    assert queued(store) == set()


def test_every_way_a_flag_changes_is_queued(tmp_path: Path) -> None:
    store, ids = synced_store(tmp_path / "c.db")
    store.set_read([ids["t1"]])
    store.set_read([ids["t2"]], False)
    store.mark_saved([ids["t1"]])
    store.unsave([ids["t3"]])
    assert queued(store) == {
        ("1", "read", True),
        ("2", "read", False),
        ("1", "saved", True),
        ("3", "saved", False),
    }


def test_mark_all_read_and_rules_are_queued(tmp_path: Path) -> None:
    store, ids = synced_store(tmp_path / "c.db")
    assert sorted(store.mark_view_read(View())) == sorted([ids["t1"], ids["t3"]])
    assert queued(store) == {("1", "read", True), ("3", "read", True)}
    store.sync_pushed(store.sync_pending())
    rule = Rule(query="t5", action="read")
    new = [SyncedItem("5", "7", Article(title="t5", body="b", guid="5"), False, False)]
    store.sync_items(new, "5", rules=[rule])
    assert queued(store) == {("5", "read", True)}


def test_a_newer_change_replaces_the_queued_one(tmp_path: Path) -> None:
    store, ids = synced_store(tmp_path / "c.db")
    store.set_read([ids["t1"]])
    sent = store.sync_pending()
    store.set_read([ids["t1"]], False)  # while the first was being pushed
    store.sync_pushed(sent)
    assert queued(store) == {("1", "read", False)}


def test_a_queued_change_wins_over_the_servers_state(tmp_path: Path) -> None:
    store, ids = synced_store(tmp_path / "c.db")
    store.set_read([ids["t1"]])
    store.sync_apply_state(unread={"1", "3"}, starred={"3"})
    assert store.row(ids["t1"]).read is True  # type: ignore[union-attr]


def test_local_articles_are_never_queued(tmp_path: Path) -> None:
    from tui.models import FetchOutcome, SourceKind

    store, _ = synced_store(tmp_path / "c.db")
    source = store.ensure_source("Mine", SourceKind.WEB, "https://example.org/feed")
    store.record_refresh(source, [Article(title="mine", body="b", guid="m")], FetchOutcome(200))
    store.set_read([r.id for r in store.page(View(source="Mine"))])
    assert queued(store) == set()


def test_another_server_starts_afresh(tmp_path: Path) -> None:
    store, ids = synced_store(tmp_path / "c.db")
    store.set_read([ids["t1"]])
    assert store.sync_begin("fever http://127.0.0.1/fever/ me") == (1, ["Server feed"])
    assert queued(store) == set() and store.sync_known_items() == set()
    # the old server's feed leaves, but its saved article stays
    assert [(s.name, s.total) for s in store.sources()] == [("Server feed", 1)]
    assert [r.title for r in store.page(View())] == ["t3"]


def test_prune_keeps_saved_unread_and_queued_synced_articles(tmp_path: Path) -> None:
    store, ids = synced_store(tmp_path / "c.db")  # t1 unread, t2 read, t3 starred
    store.set_read([ids["t1"], ids["t3"]])  # queued, not yet pushed
    later = time.time() + 100 * 86_400

    assert store.sync_prune(30, later) == 1

    assert {r.title for r in store.page(View())} == {"t1", "t3"}  # t2: read on the server
    store.sync_pushed(store.sync_pending())
    assert store.sync_prune(30, later) == 1
    assert [r.title for r in store.page(View())] == ["t3"]
    assert store.sync_known_items() == {"3"}


def test_another_servers_item_with_a_kept_articles_id_is_another_article(tmp_path: Path) -> None:
    store, ids = synced_store(tmp_path / "c.db")  # t3: saved, server id "3"
    store.sync_begin("fever http://127.0.0.1/fever/ me")
    store.sync_feeds([SyncedFeed("9", "Server feed")])  # the same feed there continues it
    other = SyncedItem("3", "9", Article(title="other", body="c", guid="3"), False, False)

    store.sync_items([other], "3")

    rows = {r.title: r.saved for r in store.page(View())}
    assert rows == {"t3": True, "other": False}  # the saved one keeps its text


def test_a_pull_tells_how_many_new_items_a_hide_rule_hid(tmp_path: Path) -> None:
    # The sync counted them new ("12 new articles", `--json`'s `new`): they are never shown.
    store, _ = synced_store(tmp_path / "c.db")
    rule = Rule(query="title:t5", action="hide")
    new = [
        SyncedItem(str(n), "7", Article(title=f"t{n}", body="b", guid=str(n)), False, False)
        for n in (4, 5)
    ]
    ids, ruled = store.sync_items(new, "5", rules=[rule])
    assert (len(ids), ruled.applied["hide"]) == (2, 1)
    assert [row.title for row in store.page(View(unread=True))] == ["t4", "t3", "t1"]
