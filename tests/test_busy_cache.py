"""A cache another newsdesk is writing: a command on a terminal says it waits (it looked
stuck for up to 30 s), and the error after the wait is newsdesk's words alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.store.test_door import locked
from tests.test_cli_scripts import cache, pseudo_terminal, read_until
from tui.store import CacheLocked, Store, View

__all__ = ["cache"]  # the fixture, found here by pytest

WAITING = b"newsdesk: waiting for the cache (another newsdesk is writing)\xe2\x80\xa6"


def test_a_write_waiting_for_the_lock_says_so_on_a_terminal(cache: Path) -> None:
    database = cache / "newsdesk.db"
    store = Store.open(database)
    first = store.page(View(), limit=1)[0].id
    store.close()
    main_fd, tty_fd = pseudo_terminal()
    try:
        with locked(database, exclusive=False):  # `newsdesk refresh` writing in another shell
            process = subprocess.Popen(
                [sys.executable, "-m", "tui", "read", str(first)],
                stdin=subprocess.DEVNULL, stdout=tty_fd, stderr=tty_fd,
            )  # fmt: skip
            os.close(tty_fd)
            assert WAITING in read_until(main_fd, WAITING)  # after a second, not after 30
        assert process.wait(timeout=60) == 0  # the lock let go: written
    finally:
        os.close(main_fd)
    store = Store.open(database)
    row = store.row(first)
    store.close()
    assert row is not None and row.read


def test_the_busy_error_has_no_raw_sqlite_words(cache: Path) -> None:
    database = cache / "newsdesk.db"
    store = Store.open(database, busy_timeout=0.01)
    try:
        with locked(database, exclusive=False), pytest.raises(CacheLocked) as refused:
            store.set_read([1], True)
    finally:
        store.close()
    assert str(refused.value) == f"{database}: the cache is busy (another newsdesk is writing)"
