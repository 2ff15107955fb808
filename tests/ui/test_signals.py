"""`kill -TERM` and a closed terminal (SIGHUP) end the reader as quitting does: the terminal
is given back as it was and where the user was is remembered."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli_scripts import cache, pseudo_terminal, read_until
from tui.store import Store, View
from tui.ui.state import load_state

__all__ = ["cache"]  # the fixture, found here by pytest

RESTORED = ("\x1b[?1049l", "\x1b[?1000l", "\x1b[?25h")
"""The alternate screen left, mouse tracking off, the cursor shown again."""


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_ends_the_reader_as_quitting_does(cache: Path, number: signal.Signals) -> None:
    main_fd, tty_fd = pseudo_terminal(120)
    process = subprocess.Popen(
        [sys.executable, "-m", "tui"], stdin=tty_fd, stdout=tty_fd, stderr=tty_fd
    )
    os.close(tty_fd)
    try:
        assert b"Plain" in read_until(main_fd, b"Plain")  # drawn: the articles listed
        process.send_signal(number)
        shown = read_until(main_fd).decode("utf-8", "replace")
    finally:
        os.close(main_fd)
        status = process.wait(timeout=60)
    assert status == 128 + number  # as a shell says a program was ended by it
    assert all(sequence in shown for sequence in RESTORED)  # written after the signal
    store = Store.open(cache / "newsdesk.db")
    try:
        assert load_state(store).article == store.page(View(), limit=1)[0].id  # remembered
    finally:
        store.close()
