"""`newsdesk export` on a terminal: a line redrawn as articles are read, then written (10,000
Markdown files took 42 s with nothing on the screen); nothing of it in a pipe or a log."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.test_cli_scripts import stderr_on_terminal
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store, View


def test_export_shows_its_progress_on_a_terminal_only(isolated_env: Path) -> None:
    (isolated_env / "config").mkdir()
    (isolated_env / "config" / "feeds.toml").write_text("", encoding="utf-8")
    store = Store.open(isolated_env / "cache" / "newsdesk.db")
    source = store.ensure_source("Notes", SourceKind.LOCAL, str(isolated_env / "notes"))
    store.record_refresh(source, [Article(f"Kept {n}", "B.", guid=f"{n}") for n in range(3)],
                         FetchOutcome())  # fmt: skip
    store.set_saved([row.id for row in store.page(View())])
    store.close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    command = [sys.executable, "-m", "tui", "export", "--format", "md", "--output"]
    piped = subprocess.run([*command, str(isolated_env / "piped")], capture_output=True,
                           text=True, env=env, timeout=60)  # fmt: skip
    assert (piped.returncode, piped.stderr) == (0, "")
    done, drawn = stderr_on_terminal([*command, str(isolated_env / "shown")], env)
    assert done.returncode == 0
    steps = [f"\r\x1b[Kexport: {n}/3 articles {stage} …" for stage in ("read", "written")
             for n in (1, 2, 3)]  # fmt: skip
    assert drawn == "".join(steps) + "\r\x1b[K"  # the line redrawn, then erased
