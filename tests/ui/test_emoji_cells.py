"""Emoji sequences take in a list row the cells the terminal gives them, on a real terminal:
tmux, asked as the app asks it. tmux 3.3 joins 👩‍💻 into one emoji of two cells but draws
👍🏽 as two emoji (four cells, Rich counts two) and ❤️ and 1️⃣ in one cell (Rich: two), so
the columns right of such a title moved and the row ran past its border or stopped short."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

WIDTH = 70
TITLES = {
    "family": "Family \U0001f468\u200d\U0001f469\u200d\U0001f467 picnic in the park",
    "flag": "Flag \U0001f1ee\U0001f1f9 Italy wins the match",
    "skin tone": "Thumbs \U0001f44d\U0001f3fd up for the new bridge",
    "keycap": "Keycap 1\ufe0f\u20e3 first place ribbon",
    "heart": "Heart \u2764\ufe0f for the volunteers",
    "coder with a skin tone": "\U0001f469\U0001f3fd\u200d\U0001f4bb Coding night",
}

CHILD = f"""
import json, os, re, sys, termios, tty
from tests.ui.data import NOW
from tui.models import ArticleRow
from tui.ui import terminal
from tui.ui.format import RowStyles, count_cells_like_terminals, row_text
terminal.ask("off")
terminal.answered()
count_cells_like_terminals()  # as make_app does
tty.setraw(0)
advances = []
for title in {list(TITLES.values())!r}:
    row = ArticleRow(1, "Notes", title, None, NOW, None, read=False, saved=False)
    os.write(1, ("\\r" + row_text(row, {WIDTH}, NOW, RowStyles()).plain + "\\x1b[6n").encode())
    answer = b""
    while not answer.endswith(b"R"):
        answer += os.read(0, 1)
    advances.append(int(re.search(rb";(\\d+)R", answer)[1]) - 1)
open(sys.argv[1], "w").write(json.dumps(advances))
"""


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_rows_with_emoji_sequences_take_their_width_in_tmux(tmp_path: Path) -> None:
    socket, script, out = tmp_path / "tmux", tmp_path / "child.py", tmp_path / "advances"
    script.write_text(CHILD)
    root = Path(__file__).parents[2]
    tmux = ["tmux", "-S", str(socket)]
    child = f"cd {root} && PYTHONPATH=. {sys.executable} {script} {out}"
    command = f"{child}; {' '.join(tmux)} wait-for -S done"
    size = ["-x", "120", "-y", "10"]
    subprocess.run([*tmux, "-f", "/dev/null", "new-session", "-d", *size, command], check=True)
    try:
        subprocess.run([*tmux, "wait-for", "done"], check=True, timeout=60)
    finally:
        subprocess.run([*tmux, "kill-server"], check=False)
    advances = dict(zip(TITLES, json.loads(out.read_text()), strict=True))
    assert advances == dict.fromkeys(TITLES, WIDTH)
