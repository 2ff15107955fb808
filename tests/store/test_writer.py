"""The writer thread: calls queued while it is busy share one commit; a failure stays its own."""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path

import pytest

import tui.store.thread as thread_module
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import DbThread, Store, View, db

OK = FetchOutcome(status=200)


def _sources(path: Path, names: list[str]) -> list[int]:
    store = Store.open(path)
    try:
        return [store.ensure_source(n, SourceKind.WEB, f"https://{n}.example/rss") for n in names]
    finally:
        store.close()


def _refresh(source_id: int, title: str):  # noqa: ANN202 - a writer call
    return lambda store: store.record_refresh(source_id, [Article(title, "body", guid=title)], OK)


def _broken(store: Store) -> None:
    store.set_state("half", "written")
    raise ValueError("parse went wrong halfway")


async def _batch_behind_a_busy_writer(writer: DbThread, works: list) -> list:
    """Hold the writer thread until every call is queued, so they go out as one batch."""
    release = threading.Event()
    blocker = asyncio.ensure_future(writer.call(lambda store: release.wait(5)))
    calls = [asyncio.ensure_future(writer.call_together(work)) for work in works]
    await asyncio.sleep(0)  # let every call queue up
    release.set()
    await blocker
    return await asyncio.gather(*calls, return_exceptions=True)


def test_a_failing_write_is_undone_alone_and_the_rest_are_stored(tmp_path: Path) -> None:
    path = tmp_path / "newsdesk.db"
    first, second = _sources(path, ["one", "two"])

    async def run() -> list:
        writer = DbThread(path)
        try:
            return await _batch_behind_a_busy_writer(
                writer, [_refresh(first, "Kept A"), _broken, _refresh(second, "Kept B")]
            )
        finally:
            await writer.aclose()

    outcomes = asyncio.run(run())
    assert [type(o).__name__ for o in outcomes] == ["UpsertResult", "ValueError", "UpsertResult"]
    store = Store.open(path)
    try:
        assert sorted(r.title for r in store.page(View())) == ["Kept A", "Kept B"]
        assert store.get_state("half") is None  # the failed call's own write was rolled back
    finally:
        store.close()


def test_queued_writes_are_all_done_when_the_writer_closes(tmp_path: Path) -> None:
    path = tmp_path / "newsdesk.db"
    (source,) = _sources(path, ["one"])

    async def run() -> None:
        writer = DbThread(path)
        works = [_refresh(source, f"T{i}") for i in range(20)]
        pending = [asyncio.ensure_future(writer.call_together(work)) for work in works]
        await asyncio.sleep(0)
        await writer.aclose()
        assert all(p.done() for p in pending)

    asyncio.run(run())
    store = Store.open(path)
    try:
        assert store.count(View()) == 20
    finally:
        store.close()


def test_a_nested_transaction_is_part_of_the_outer_one(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "newsdesk.db")
    try:
        with pytest.raises(RuntimeError), store.transaction():
            store.set_state("outer", "1")
            store.set_state("inner", "1")  # its own `transaction` joins the outer one
            raise RuntimeError("outer")
        assert store.get_state("inner") is None and store.get_state("outer") is None
        with store.transaction():
            store.set_state("inner", "2")
        assert store.get_state("inner") == "2"
    finally:
        store.close()


def test_writes_on_their_way_share_one_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A refresh's feeds are parsed one after another: each commit would write the search
    # index's rows as one more segment, merged again and again.
    monkeypatch.setattr(thread_module, "LINGER", 60.0)  # never the reason a batch goes out
    path = tmp_path / "newsdesk.db"
    (source,) = _sources(path, ["one"])
    batches: list[int] = []

    async def run() -> None:
        writer = DbThread(path)
        together = writer._run_together
        writer._run_together = lambda works: batches.append(len(works)) or together(works)
        writer.more_coming = lambda: True
        try:
            calls = []
            for number in range(thread_module.GATHER):
                calls.append(
                    asyncio.ensure_future(writer.call_together(_refresh(source, f"T{number}")))
                )
                await asyncio.sleep(0)  # one arrives per turn of the event loop
            await asyncio.gather(*calls)
            writer.more_coming = lambda: False
            await writer.call_together(_refresh(source, "Last"))  # nothing more: at once
        finally:
            await writer.aclose()

    asyncio.run(run())
    assert batches == [thread_module.GATHER, 1]


def test_the_log_file_shrinks_back_after_a_checkpoint_while_the_app_keeps_the_cache_open(
    tmp_path: Path,
) -> None:
    # With the TUI open, the write-ahead log file stayed 4.3 MB beside a 1 MB cache (40 MB
    # after a big import): a checkpoint empties it but never made it smaller.
    path = tmp_path / "newsdesk.db"
    app = Store.open(path)  # the TUI's connection, open all along
    writer = Store.open(path)
    try:
        source = writer.ensure_source("Big", SourceKind.WEB, "https://big.example/rss")
        checkpointed = path.stat().st_size
        while path.stat().st_size == checkpointed:  # written until copied into the database
            text = os.urandom(50_000).hex()  # as long as stored: nothing to compress
            writer.record_refresh(source, [Article(text[:20], text, guid=text[:20])], OK)
        writer.set_state("next", "write")
        assert path.with_name("newsdesk.db-wal").stat().st_size <= db.WAL_KEPT_BYTES
        assert app.count(View()) == writer.count(View())  # and the app reads on, all of them
    finally:
        writer.close()
        app.close()
