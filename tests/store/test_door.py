"""The Store is the one door: every public method gives the store's own errors, never a raw
sqlite3 one; the schema of a new cache is the one a migrated old cache ends with."""

from __future__ import annotations

import inspect
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.old_cache import write_version_2_cache
from tests.read_only import read_only_copy
from tests.sql import connection
from tui.cli import main
from tui.models import Article, FetchOutcome, Rule, SourceKind
from tui.store import CacheLocked, Store, StoreError, View, db
from tui.store.stories import Probe
from tui.store.sync import SyncedFeed

OK = FetchOutcome(status=200)
CALLS: dict[str, Callable[[Store, Path], Any]] = {
    "close": lambda s, p: s.close(),
    "transaction": lambda s, p: s.transaction().__enter__(),
    "data_version": lambda s, p: s.data_version(),
    "changes": lambda s, p: s.changes(),
    "ensure_source": lambda s, p: s.ensure_source("New", SourceKind.WEB, "https://n.example"),
    "sources": lambda s, p: s.sources(),
    "source_state": lambda s, p: s.source_state("Feed"),
    "validators": lambda s, p: s.validators(1),
    "web_sources": lambda s, p: s.web_sources(),
    "read_keys": lambda s, p: s.read_keys(1),
    "remember_read": lambda s, p: s.remember_read(1, ["g:x"]),
    "imported_items": lambda s, p: s.imported_items("feed.example/rss"),
    "note_imported": lambda s, p: s.note_imported("feed.example/rss", ["read:1"]),
    "settle_sources": lambda s, p: s.settle_sources({"New": ("web", "https://feed.example/rss")}),
    "forget_source": lambda s, p: s.forget_source("Feed"),
    "unlisted_sources": lambda s, p: s.unlisted_sources({"Other": ("web", "https://o.example")}),
    "unsettled_sources": lambda s, p: s.unsettled_sources({"New": ("web", "https://f.example")}),
    "record_refresh": lambda s, p: s.record_refresh(1, [Article("New", "b", guid="n")], OK),
    "apply_rules": lambda s, p: s.apply_rules([Rule(query="one", action="read")]),
    "rule_matches": lambda s, p: s.rule_matches("one"),
    "prune": lambda s, p: s.prune(0),
    "rebuild_index": lambda s, p: s.rebuild_index(),
    "analyze": lambda s, p: s.analyze(),
    "page": lambda s, p: s.page(View()),
    "count": lambda s, p: s.count(View()),
    "position": lambda s, p: s.position(View(), (0.0, 0)),
    "row": lambda s, p: s.row(1),
    "article": lambda s, p: s.article(1),
    "existing_ids": lambda s, p: s.existing_ids([1]),
    "newest_id": lambda s, p: s.newest_id(),
    "search": lambda s, p: s.search("one"),
    "search_count": lambda s, p: s.search_count("one"),
    "set_read": lambda s, p: s.set_read([1]),
    "unread_matches": lambda s, p: s.unread_matches("one"),
    "unmark_read": lambda s, p: s.unmark_read([1]),
    "set_story_read": lambda s, p: s.set_story_read([1]),
    "mark_stories_read": lambda s, p: s.mark_stories_read([1]),
    "unread_grouped_away": lambda s, p: s.unread_grouped_away(),
    "stories_unread": lambda s, p: s.stories_unread([1]),
    "story_others": lambda s, p: s.story_others(1),
    "set_saved": lambda s, p: s.set_saved([1]),
    "set_hidden": lambda s, p: s.set_hidden([1], True),
    "mark_view_read": lambda s, p: s.mark_view_read(View()),
    "get_state": lambda s, p: s.get_state("k"),
    "set_state": lambda s, p: s.set_state("k", "v"),
    "swap_state": lambda s, p: s.swap_state("k", None, "v"),
    "check_writable": lambda s, p: s.check_writable(),
    "mark_saved": lambda s, p: s.mark_saved([1]),
    "keep": lambda s, p: s.keep(1, [(Article("Kept", "b", guid="k"), True)]),
    "mark_pending": lambda s, p: s.mark_pending([1]),
    "store_full_text": lambda s, p: s.store_full_text(1, "text", []),
    "record_save_failure": lambda s, p: s.record_save_failure(1, "offline"),
    "unsave": lambda s, p: s.unsave([2]),
    "forgotten_by_unsave": lambda s, p: s.forgotten_by_unsave([2]),
    "pending_saves": lambda s, p: s.pending_saves(),
    "unattempted": lambda s, p: s.unattempted("Feed"),
    "saved_rows": lambda s, p: s.saved_rows(),
    "article_images": lambda s, p: s.article_images(1, p),
    "enclosure_urls": lambda s, p: s.enclosure_urls(),
    "note_file": lambda s, p: s.note_file(1),
    "story_order": lambda s, p: s.story_order([1, 2]),
    "story_texts": lambda s, p: s.story_texts([1], 100),
    "story_keys": lambda s, p: s.story_keys(),
    "story_window": lambda s, p: s.story_window(0, 1e10, 5),
    "story_candidates": lambda s, p: s.story_candidates(
        [Probe(2, 0, ["one two three"], ["alpha", "beta"])], (1, 5), 86400
    ),
    "story_backlog": lambda s, p: s.story_backlog(0, 5),
    "set_stories": lambda s, p: s.set_stories([(1, 1)], caught_up=True),
    "local_image": lambda s, p: s.local_image(1, "https://i.example/a.png", p),
    "sync_begin": lambda s, p: s.sync_begin("ttrss http://127.0.0.1/ me"),
    "sync_pending": lambda s, p: s.sync_pending(),
    "sync_pushed": lambda s, p: s.sync_pushed([]),
    "sync_feeds": lambda s, p: s.sync_feeds([SyncedFeed("1", "Server feed")]),
    "sync_forget_feed": lambda s, p: s.sync_forget_feed("1"),
    "sync_items": lambda s, p: s.sync_items([], "1"),
    "sync_known_items": lambda s, p: s.sync_known_items(),
    "sync_saved_ids": lambda s, p: s.sync_saved_ids(),
    "sync_release": lambda s, p: s.sync_release({"1"}),
    "sync_apply_state": lambda s, p: s.sync_apply_state(set(), set()),
    "sync_counts": lambda s, p: s.sync_counts(),
    "sync_prune": lambda s, p: s.sync_prune(30, 0),
    "sync_get": lambda s, p: s.sync_get("marker"),
    "sync_set": lambda s, p: s.sync_set("marker", "1"),
    "sync_sources": lambda s, p: s.sync_sources(),
}
WRITES = {
    "set_stories",
    "set_story_read",
    "mark_stories_read",
    "transaction",
    "analyze",
    "ensure_source",
    "record_refresh",
    "apply_rules",
    "prune",
    "rebuild_index",
    "set_read",
    "remember_read",
    "note_imported",
    "settle_sources",
    "forget_source",
    "set_saved",
    "set_hidden",
    "mark_view_read",
    "unmark_read",
    "set_state",
    "swap_state",
    "check_writable",
    "mark_saved",
    "keep",
    "mark_pending",
    "store_full_text",
    "record_save_failure",
    "unsave",
    "sync_begin",
    "sync_pushed",
    "sync_feeds",
    "sync_forget_feed",
    "sync_items",
    "sync_apply_state",
    "sync_release",
    "sync_prune",
    "sync_set",
}


def public_methods() -> set[str]:
    """The Store's methods, its story methods (`door.StoryDoor`) included."""
    return {
        n
        for cls in Store.__mro__[:-1]
        for n, v in vars(cls).items()
        if not n.startswith("_") and inspect.isfunction(v)
    }


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A cache with one source and two articles (the second saved)."""
    where = tmp_path / "cache" / "newsdesk.db"
    store = Store.open(where)
    source = store.ensure_source("Feed", SourceKind.WEB, "https://feed.example/rss")
    store.record_refresh(source, [Article("one", "Body one", guid="1"), Article("two", "b")], OK)
    store.set_saved([2])
    store.close()
    return where


@contextmanager
def locked(path: Path, *, exclusive: bool) -> Iterator[None]:
    """A second program holding the cache's write lock (with `exclusive`, the whole file, so
    that no new connection can even read it)."""
    holder = sqlite3.connect(path, isolation_level=None)
    if exclusive:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE" if exclusive else "BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_every_public_method_is_covered() -> None:
    assert public_methods() == set(CALLS)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_write_lock_held_elsewhere_gives_the_stores_error(path: Path, name: str) -> None:
    store = Store.open(path, busy_timeout=0.01)
    try:
        with locked(path, exclusive=False):
            if name in WRITES:
                with pytest.raises(CacheLocked, match="busy"):
                    CALLS[name](store, path.parent)
            else:  # readers never wait for a writer (WAL)
                CALLS[name](store, path.parent)
    finally:
        store.close()


@pytest.mark.parametrize("name", sorted(set(CALLS) - {"close"}))
def test_a_cache_locked_whole_gives_the_stores_error(path: Path, name: str) -> None:
    store = Store.open(path, busy_timeout=0.01)
    store.close()  # the next call opens a connection of this thread's own
    with locked(path, exclusive=True), pytest.raises(CacheLocked):
        CALLS[name](store, path.parent)


def test_opening_a_locked_cache_gives_the_stores_error(path: Path) -> None:
    with locked(path, exclusive=True), pytest.raises(CacheLocked, match="busy"):
        Store.open(path, busy_timeout=0.01)


@pytest.mark.parametrize("argv", [["list"], ["search", "one"], ["read", "1"], ["sources"]])
def test_a_command_on_a_locked_cache_prints_one_line(
    path: Path, argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 10)
    with locked(path, exclusive=True):
        status = main(["--cache", str(path.parent), *argv])
    err = capsys.readouterr().err
    assert status in (1, 2)
    assert err.count("\n") == 1 and "busy" in err and "Traceback" not in err


def test_a_command_on_an_unreadable_cache_prints_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "newsdesk.db").mkdir()  # not a file at all
    status = main(["--cache", str(tmp_path), "list"])
    err = capsys.readouterr().err
    assert status in (1, 2)
    assert err.count("\n") == 1 and "newsdesk.db" in err and "Traceback" not in err


def test_a_cache_in_a_read_only_folder_says_so_and_where_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with read_only_copy(at=tmp_path / "disk") as disk:
        status = main(["--cache", str(disk), "list"])
    assert (status, capsys.readouterr().err) == (
        1,
        f"newsdesk: {disk / 'newsdesk.db'}: cannot create the cache: its folder is read-only; "
        "--cache DIR or NEWSDESK_CACHE picks another folder\n",
    )


def test_a_cache_that_cannot_be_created_prints_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_text("in the way")
    status = main(["--cache", str(tmp_path / "file" / "cache"), "list"])
    err = capsys.readouterr().err
    assert status == 1 and err.count("\n") == 1 and "cannot create the cache" in err
    status = main(["--cache", str(tmp_path / "file"), "list"])  # the cache folder is a file
    err = capsys.readouterr().err
    assert (
        status == 1
        and err == f"newsdesk: {tmp_path / 'file'}: a file, not a folder to keep the cache in\n"
    )


# -- noticing outside writes -----------------------------------------------------------------


def test_data_version_changes_when_another_program_writes(path: Path) -> None:
    store = Store.open(path)
    try:
        before = store.data_version()
        store.set_read([1])  # its own writes do not count
        assert store.data_version() == before
        other = Store.open(path)
        other.set_read([2])
        other.close()
        assert store.data_version() != before
    finally:
        store.close()


@pytest.mark.parametrize("how", ["folder deleted", "file replaced"])
def test_a_cache_deleted_or_replaced_on_disk_is_left_for_the_one_at_its_path(
    path: Path, how: str
) -> None:
    # `rm -rf` of the cache folder (or another cache moved in) while a store has it open:
    # what it writes from then on goes to the file at the path, which a restart opens.
    store = Store.open(path)
    try:
        assert store.count(View()) == 2 and store.changes()[1:] == (0, 0)
        if how == "folder deleted":
            shutil.rmtree(path.parent)
        else:
            other = path.with_name("other.db")
            Store.open(other).close()
            other.replace(path)
        assert store.count(View()) == 0
        assert store.changes()[1:] == (1, 1)
        store.set_state("after", "kept")
    finally:
        store.close()
    reopened = Store.open(path)
    try:
        assert reopened.get_state("after") == "kept"
    finally:
        reopened.close()


# -- the schema ------------------------------------------------------------------------------


def shape(store: Store) -> set[tuple[str, ...]]:
    """Every table, index and trigger with its columns (not its SQL text, which a migration
    may word differently)."""
    with connection(store) as conn:
        objects = conn.execute(
            "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'articles_fts_%'"  # FTS5's own shadow tables
        ).fetchall()
        found = set()
        for kind, name, table in objects:
            pragma = "index_xinfo" if kind == "index" else "table_xinfo"
            columns = [str(r[2]) for r in conn.execute(f"PRAGMA {pragma}('{name}')")]
            found.add((kind, name, table, *columns))
        return found


def test_a_new_cache_has_the_schema_a_migrated_one_ends_with(tmp_path: Path) -> None:
    old = tmp_path / "old" / "newsdesk.db"
    write_version_2_cache(old)
    migrated, new = Store.open(old), Store.open(tmp_path / "new" / "newsdesk.db")
    try:
        assert shape(new) == shape(migrated)
        assert new.search("qubits").hits == []  # and the new one works
    finally:
        migrated.close()
        new.close()


# -- a read-only cache -----------------------------------------------------------------------


@pytest.fixture
def read_only(path: Path) -> Iterator[Path]:
    """A copy of the cache in a folder that cannot be written."""
    with read_only_copy(path, at=path.parent.parent / "disk") as folder:
        yield folder


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["list"], "one"),
        (["show", "1"], "Body one"),
        (["search", "one"], "one"),
        (["sources"], "Feed"),
    ],
)
def test_a_read_only_cache_can_be_read(
    read_only: Path, argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["--cache", str(read_only), *argv])
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    assert expected in out


def test_a_write_to_a_read_only_cache_says_so_in_one_line(
    read_only: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["--cache", str(read_only), "read", "1"])
    err = capsys.readouterr().err
    assert status == 1 and err.count("\n") == 1
    assert "read-only" in err and "not a usable" not in err and "corrupt" not in err


def test_a_cache_that_cannot_be_made_again_is_tried_at_each_call(path: Path) -> None:
    # The folder deleted and a file put in its place: no cache can be made there. The store
    # said "Cannot operate on a closed database" for good, even once the file went.
    store = Store.open(path)
    try:
        shutil.rmtree(path.parent)
        path.parent.write_text("not a folder")
        with pytest.raises(StoreError, match="not a folder"):
            store.count(View())
        with pytest.raises(StoreError, match="not a folder"):
            store.count(View())  # tried again, not a closed connection
        path.parent.unlink()
        assert store.count(View()) == 0  # a new cache, at the path
        assert store.changes()[1:] == (1, 1)
    finally:
        store.close()
