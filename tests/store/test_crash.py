"""A writer killed with SIGKILL mid-import loses nothing that was committed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.sql import sql
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store, View

WRITER = """
import sys
from pathlib import Path
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store
store = Store.open(Path(sys.argv[1]))
for batch in range(100000):
    sid = store.ensure_source(f"S{batch % 7}", SourceKind.WEB, "https://x.example/")
    items = [
        Article(title=f"t{batch}-{i}", body="b " * 500, guid=f"{batch}-{i}") for i in range(50)
    ]
    store.record_refresh(sid, items, FetchOutcome(status=200))
    print(batch, flush=True)
"""


def test_kill_during_import_keeps_committed_articles(tmp_path: Path) -> None:
    path = tmp_path / "newsdesk.db"
    first = Store.open(path)
    sid = first.ensure_source("Kept", SourceKind.WEB, "https://kept.example/")
    first.record_refresh(sid, [Article(title="keep me", body="b", guid="k")], FetchOutcome(200))
    first.set_saved([first.page(View())[0].id])
    first.close()

    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None
    committed = -1
    for line in writer.stdout:  # wait for real progress, then kill mid-transaction
        committed = int(line)
        if committed >= 5:
            break
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()

    store = Store.open(path)
    assert sql(store, "PRAGMA integrity_check")[0][0] == "ok"
    sql(store, "INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")  # raises if bad
    kept = store.page(View(source="Kept"))
    assert [(r.title, r.saved) for r in kept] == [("keep me", True)]
    # Every batch the writer reported as committed is complete (50 articles each).
    titles = {row[0] for row in sql(store, "SELECT title FROM articles")}
    for batch in range(committed + 1):
        assert all(f"t{batch}-{i}" in titles for i in range(50))
    store.close()


def test_second_process_writes_while_first_is_open(tmp_path: Path) -> None:
    path = tmp_path / "newsdesk.db"
    ui = Store.open(path)
    ui.page(View())  # the TUI holds a connection open
    code = WRITER.replace("range(100000)", "range(20)")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert ui.count(View()) == 20 * 50
    ui.close()
