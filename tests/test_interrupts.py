"""`kill -TERM` stops a command as ctrl+c does: the same cleanup, one line on what was done,
exit status 143 (ctrl+c: 130). Each command is a real `newsdesk` process, signalled at a
point the test knows it reached (a request its server holds, a progress line), never after
a sleep."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, rss
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store, View

TERM = 128 + signal.SIGTERM


@pytest.fixture
def home(isolated_env: Path) -> Path:
    (isolated_env / "config").mkdir()
    return isolated_env


def newsdesk(*argv: str, code: str = "") -> subprocess.Popen[str]:
    """`newsdesk ARGV` (after running `code`, a fault put in its way) with stderr piped."""
    script = f"import sys\n{code}\nfrom tui.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.Popen(
        [sys.executable, "-c", script, *argv],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def held(server: FeedServer, path: str) -> tuple[str, threading.Event]:
    """A URL whose request is held unanswered, and the event set once it arrived."""
    arrived = threading.Event()

    def hold(handler: object) -> None:
        arrived.set()
        handler.pause(None)  # type: ignore[attr-defined]

    return server.route(path, hold), arrived


def stderr_lines(process: subprocess.Popen[str]) -> Iterator[str]:
    assert process.stderr is not None
    yield from process.stderr


@pytest.mark.parametrize(("number", "status"), [(signal.SIGTERM, TERM), (signal.SIGINT, 130)])
def test_term_during_refresh_says_how_far_it_got(
    home: Path, feed_server: FeedServer, number: signal.Signals, status: int
) -> None:
    slow, arrived = held(feed_server, "/slow.xml")
    tables = [f'[[sources]]\nname = "Slow"\nurl = "{slow}"\n'] + [
        f'[[sources]]\nname = "S{n}"\nurl = "{feed_server.feed(f"/{n}.xml", rss(f"S{n}", 2))}"\n'
        for n in range(2)
    ]
    (home / "config" / "feeds.toml").write_text("\n".join(tables), encoding="utf-8")
    process = newsdesk("refresh")
    lines = stderr_lines(process)
    assert any(line.startswith("[2/3]") for line in lines)  # the two answered are stored
    assert arrived.wait(30)
    process.send_signal(number)
    rest = [*lines]
    assert process.wait(timeout=60) == status
    assert rest == [
        "newsdesk: interrupted: 2 of 3 sources stored; run refresh again for the rest\n"
    ]


def test_term_during_save_says_the_pages_stay_pending(home: Path, feed_server: FeedServer) -> None:
    page, arrived = held(feed_server, "/article.html")
    (home / "config" / "feeds.toml").write_text("", encoding="utf-8")
    store = Store.open(home / "cache" / "newsdesk.db")
    source = store.ensure_source("Web", SourceKind.WEB, feed_server.url("/feed.xml"))
    store.record_refresh(
        source, [Article("Long read", "Short.", guid="a", url=page)], FetchOutcome()
    )
    article = store.page(View(), limit=1)[0].id
    store.close()
    process = newsdesk("save", str(article))
    assert arrived.wait(30)
    process.send_signal(signal.SIGTERM)
    _, said = process.communicate(timeout=60)
    assert process.returncode == TERM
    assert said == (
        "newsdesk: interrupted: the articles stay saved; the pages not fetched yet stay "
        "pending, fetched at the next refreshes\n"
    )
    store = Store.open(home / "cache" / "newsdesk.db")
    assert [row.id for row, state in store.saved_rows() if state in (None, "pending")] == [article]
    store.close()


def test_term_during_export_leaves_no_part_file(home: Path) -> None:
    (home / "config" / "feeds.toml").write_text("", encoding="utf-8")
    store = Store.open(home / "cache" / "newsdesk.db")
    source = store.ensure_source("Notes", SourceKind.LOCAL, str(home / "notes"))
    store.record_refresh(source, [Article("Kept", "Body.", guid="k")], FetchOutcome())
    store.set_saved([store.page(View(), limit=1)[0].id])
    store.close()
    out = home / "out"
    out.mkdir()
    # The signal arrives while the export's file is being made (as it is synced to disk).
    fault = "import os, signal\nos.fsync = lambda fd: os.kill(os.getpid(), signal.SIGTERM)"
    process = newsdesk("export", "--format", "epub", "--output", str(out / "book.epub"), code=fault)
    process.communicate(timeout=60)
    assert process.returncode == TERM
    assert [*out.iterdir()] == []  # no `.book.epub.xxxx.part` left behind


def test_ctrl_c_during_import_says_nothing_was_imported(home: Path) -> None:
    notes = home / "notes"
    notes.mkdir()
    (notes / "a.txt").write_text("A note\n\nIts text.", encoding="utf-8")
    (home / "config" / "feeds.toml").write_text("", encoding="utf-8")
    # ctrl+c while the files are read, before anything is stored (one transaction).
    fault = (
        "import os, signal, tui.refresh.importing as i\nread = i._load_all\n"
        "i._load_all = lambda paths: (os.kill(os.getpid(), signal.SIGINT), read(paths))[1]"
    )
    process = newsdesk("import", str(notes), code=fault)
    _, said = process.communicate(timeout=60)
    assert process.returncode == 130
    assert said == "newsdesk: interrupted: nothing was imported; run import again\n"


def test_ctrl_c_during_a_markdown_export_says_how_many_were_exported(home: Path) -> None:
    (home / "config" / "feeds.toml").write_text("", encoding="utf-8")
    store = Store.open(home / "cache" / "newsdesk.db")
    source = store.ensure_source("Notes", SourceKind.LOCAL, str(home / "notes"))
    kept = [Article(f"Kept {n}", "Body.", guid=f"k{n}") for n in range(5)]
    store.record_refresh(source, kept, FetchOutcome())
    store.set_saved([row.id for row in store.page(View())])
    store.close()
    out = home / "out"
    # ctrl+c as the third article's file is about to be written.
    fault = (
        "import os, signal, tui.offline.export.markdown as m\nwrite, files = m.write_atomic, []\n"
        "def third(*args, **kwargs):\n    files.append(1)\n"
        "    if len(files) == 3:\n        os.kill(os.getpid(), signal.SIGINT)\n"
        "    return write(*args, **kwargs)\nm.write_atomic = third"
    )
    process = newsdesk("export", "--format", "md", "--output", str(out), code=fault)
    _, said = process.communicate(timeout=60)
    assert process.returncode == 130
    assert said == f"newsdesk: interrupted: 2 of 5 articles exported to {out}\n"
    assert len([*out.glob("*.md")]) == 2
