"""The command line run from scripts and cron: no terminal, other encodings, exit statuses a
script can act on."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store

NO_TERMINAL = "run a command, e.g. `newsdesk refresh`, or see --help"


@pytest.fixture
def cache(isolated_env: Path) -> Path:
    """The isolated config (one local source) and its cache with two articles."""
    config = isolated_env / "config" / "feeds.toml"
    config.parent.mkdir()
    config.write_text('[[sources]]\nname = "Notes"\npath = "notes"\n', encoding="utf-8")
    store = Store.open(isolated_env / "cache" / "newsdesk.db")
    sid = store.ensure_source("Notes", SourceKind.LOCAL, str(config.parent / "notes"))
    when = datetime(2026, 3, 1, 12, tzinfo=UTC)
    articles = [
        Article(title="Café Müller — 東京", body="Über alles.", guid="a", published=when),
        Article(title="Plain", body="Plain text.", guid="b", published=when),
    ]
    store.record_refresh(sid, articles, FetchOutcome())
    store.close()
    return isolated_env / "cache"


def newsdesk(*argv: str, **options: object) -> subprocess.CompletedProcess[str]:
    """`python -m tui ARGV` as a script runs it (stdin from /dev/null unless told)."""
    options.setdefault("stdin", subprocess.DEVNULL)
    options.setdefault("capture_output", "stdout" not in options)
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "tui", *argv], text=True, timeout=60, **options
    )


def on_a_terminal(*argv: str, stdin: int = subprocess.DEVNULL) -> tuple[int, str]:
    """Run with stdout and stderr on a pseudo-terminal: the status and what it showed."""
    main_fd, tty_fd = pty.openpty()
    try:
        done = newsdesk(*argv, stdin=stdin, stdout=tty_fd, stderr=tty_fd)
    finally:
        os.close(tty_fd)
    shown = b""
    try:
        while chunk := os.read(main_fd, 65536):
            shown += chunk
    except OSError:  # EIO: the terminal's other side is closed and all of it was read
        pass
    finally:
        os.close(main_fd)
    return done.returncode, shown.decode()


# -- no terminal -----------------------------------------------------------------------------


def test_the_reader_without_a_terminal_says_so_and_exits_2(cache: Path) -> None:
    # A cron line missing its command: no spinning, no escape codes in the mail.
    done = newsdesk()
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (
        f"newsdesk: the reader needs a terminal (stdin, stdout and stderr are not); {NO_TERMINAL}\n"
    )


def test_the_reader_on_a_terminal_with_stdin_from_elsewhere_says_so(cache: Path) -> None:
    # `newsdesk </dev/null` in tmux: the UI was drawn and ignored every key.
    status, shown = on_a_terminal()
    assert status == 2 and "\x1b" not in shown
    assert shown == f"newsdesk: the reader needs a terminal (stdin is not one); {NO_TERMINAL}\r\n"
