#!/usr/bin/env python3
"""Issue 19's keys as a terminal sees them: from a key's bytes to the frame that answers it.

    python bench/frames_bench.py [--feeds 2000 --items 50] [--dir KEPT] [--keys 300]
                                 [--reps 10] [--typed s,se] [--smoke] [--json OUT]

newsdesk runs in a pseudo-terminal of its own (120x40, TERM=xterm-256color) on the kept cache
of `import_bench.py --keep`, as `tui_bench.py` runs it for the first screen. The harness plays
the terminal: it answers Textual's question whether synchronized output is supported (mode
2026; kitty, WezTerm, foot, iTerm2 and Windows Terminal say yes), so every frame the app
writes ends with the mode's closing sequence, and the clock stops when that arrives. A key's
figure is its **last** frame: the frames it causes are those that follow it with no gap
over 50 ms (`QUIET_S`; nothing in the app repaints on its own sooner). Unlike the Pilot
figures in `tui_bench.py` (headless: no frame is turned into terminal output, and Pilot's
own wait for every widget is timed with each key), this is the whole path a user waits on:
the terminal's bytes read and parsed, the key handled, the screen laid out and painted,
its output written.

- `G` from the top (`g` first, not timed), `--reps` times.
- `/` and the letters of each `--typed` (one write, as typed quickly): the first frame (the
  bar holding the letters) and the frame whose header names the search ("Search: s ·", when
  its results are shown); then Escape, not timed.
- Tab round the three panes, 3 x `--reps` times.
- Enter on the list (the article opens in the reader; its body is laid out in a thread, so
  its frames are followed until 150 ms pass without one), then Escape back, on the next
  row each time, `--reps` times at once (50 ms after `j`) and `--reps` times after the
  cursor rested 0.4 s on the row (a title being read: the app builds the body ahead then):
  the first frame and the last.
- `j` N times from the top (each after the last one's frames), then the cursor is checked:
  the app saves its state at exit, and the saved article must be the N+1-th newest.
`--dir` names a kept cache folder of the same layout elsewhere (the 1M cache:
`--dir bench/out/cache-20000x50 --feeds 20000`; the keys write the UI state).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

from common import Row, emit, folder, log, measure, median, newsdesk_cmd, percentile
from tui_bench import caches, reset_ui_state, tui_config

SYNC_QUERY = b"\x1b[?2026$p"
SYNC_REPLY = b"\x1b[?2026;2$y"  # supported, currently off
SYNC_END = b"\x1b[?2026l"
QUIET_S = 0.05
REST_S = 0.4
"""How long the cursor rests on a row before the "rested" Enter (a title being read)."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--feeds", type=int, default=2000)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--keys", type=int, default=300, help="j presses")
    ap.add_argument("--reps", type=int, default=10, help="timed G and / presses")
    ap.add_argument("--typed", default="s,se", help="typed after / (timed), comma-separated")
    ap.add_argument("--dir", type=folder, help="a kept cache folder (newsdesk/feeds.toml, cache/)")
    ap.add_argument("--smoke", action="store_true", help="6 feeds x 50 items, 20 keys")
    ap.add_argument("--json", help="write the result rows here (for run_all)")
    a = ap.parse_args(argv)
    if a.smoke:
        a.feeds, a.items, a.keys, a.reps = 6, 50, 20, 3
    a.no_newsboat = True  # `caches()` builds no newsboat cache: this bench never runs it
    return a


class Terminal:
    """A program in a pseudo-terminal, its output kept and each frame's end timed."""

    def __init__(self, cmd: list[str], cwd: Path, cols: int = 120, rows: int = 40) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the program, in the terminal
            os.environ.update(TERM="xterm-256color", COLORTERM="truecolor", LANG="C.UTF-8")
            os.chdir(cwd)
            os.execv(cmd[0], cmd)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.out = bytearray()
        self.frames: list[float] = []  # when each frame's end arrived

    def read(self, timeout: float) -> bool:
        """Read what the program wrote within `timeout`; False if nothing came."""
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not ready:
            return False
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:  # the program has ended
            return False
        now = time.perf_counter()
        start = max(0, len(self.out) - len(SYNC_END) + 1)  # one split by a read
        self.out += data
        if SYNC_QUERY in data:
            os.write(self.fd, SYNC_REPLY)
        self.frames += [now] * self.out.count(SYNC_END, start)
        return bool(data)

    def until_text(self, text: bytes, start: int = 0, timeout: float = 60, *more: bytes) -> None:
        """Read until `text` (or one of `more`) is in the output after offset `start`."""
        t0 = time.perf_counter()
        while not any(each in self.out[start:] for each in (text, *more)):
            if time.perf_counter() - t0 > timeout:
                raise RuntimeError(f"{text!r} did not arrive within {timeout:g} s")
            self.read(0.05)

    def frame_with(self, text: bytes, start: int) -> float:
        """When the first frame holding `text` (after offset `start`) ended."""
        self.until_text(text, start)
        found = self.out.index(text, start)
        while (end := self.out.find(SYNC_END, found)) == -1:
            self.read(0.05)
        return self.frames[self.out.count(SYNC_END, 0, end)]

    def settle(self, quiet: float = QUIET_S) -> None:
        """Read until the program has written nothing for `quiet` seconds."""
        while self.read(quiet):
            pass

    def key(self, data: bytes, quiet: float = QUIET_S, timeout: float = 10) -> list[float]:
        """Send `data`; milliseconds to each frame it caused (see the module's note)."""
        first, t0 = len(self.frames), time.perf_counter()
        os.write(self.fd, data)
        while len(self.frames) == first and time.perf_counter() - t0 < timeout:
            self.read(timeout)
        self.settle(quiet)
        return [(t - t0) * 1000 for t in self.frames[first:]]

    def close(self, timeout: float = 10) -> None:
        """Quit with `q` (the app saves its state); kill it if it does not end."""
        os.write(self.fd, b"q")
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            self.read(0.05)
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                return
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)


def drive(a: argparse.Namespace, dest: Path) -> dict:
    config, cache = tui_config(dest), dest / "newsdesk" / "cache"
    reset_ui_state(cache / "newsdesk.db")
    term = Terminal([*newsdesk_cmd(), "--config", str(config), "--cache", str(cache)], dest)
    res: dict = {"search": {}, "search first": {}}
    try:
        term.until_text(b" stories")  # the header counts the list's rows
        term.settle(0.5)
        res["G"] = []
        for _ in range(a.reps):
            term.key(b"g")
            res["G"].append(term.key(b"G")[-1])
        for typed in a.typed.split(","):
            firsts, shown = [], []
            header = f"Search: {typed} ·".encode()
            for _ in range(a.reps):
                start, t0 = len(term.out), time.perf_counter()
                firsts.append(term.key(b"/" + typed.encode(), quiet=0)[0])
                shown.append((term.frame_with(header, start) - t0) * 1000)
                term.settle()
                back_to_list(term)
            res["search first"][typed], res["search"][typed] = firsts, shown
        res["Tab"] = [term.key(b"\t")[-1] for _ in range(3 * a.reps)]  # round the three panes
        res["Enter"], res["Enter rested"] = [], []
        term.key(b"g")
        for _ in range(a.reps):  # each time the next article, opened at once or after a rest
            for rest, frames in ((QUIET_S, res["Enter"]), (REST_S, res["Enter rested"])):
                term.key(b"j", quiet=rest)
                frames.append(term.key(b"\r", quiet=0.15))
                back_to_list(term)
        term.key(b"g")
        res["j"] = [term.key(b"j")[-1] for _ in range(a.keys)]
    finally:
        term.close()
    res["after"] = cursor_check(config, cache, a.keys)
    return res


def back_to_list(term: Terminal) -> None:
    """Escape, until the list is back (the header counts its rows, or its keys show). A
    lone Escape waits out Textual's timeout; a key sent before it is read would make one
    alt+key with it (on a loaded machine `g` became alt+g and the 300 `j` scrolled the
    reader)."""
    start = len(term.out)
    term.key(b"\x1b", quiet=0.3)
    # From a search the header changes; from the reader it stays as it was, and is not
    # drawn again: the footer's Enter key ("⏎ Open", the list's) says the list is in front.
    term.until_text(b" stories", start, 60, "⏎ ".encode())


def cursor_check(config: Path, cache: Path, keys: int) -> str:
    """Where the saved state puts the cursor, against the list's N+1-th newest article."""
    import sqlite3

    with sqlite3.connect(cache / "newsdesk.db") as con:
        saved = con.execute("SELECT value FROM ui_state WHERE key = 'tui.state'").fetchone()
    article = json.loads(saved[0]).get("article") if saved else None
    listed = measure(
        [*newsdesk_cmd(), "--config", str(config), "--cache", str(cache)]
        + ["list", "--json", "--limit", str(keys + 1)]
    )
    ids = [row["id"] for row in json.loads(listed.stdout)]
    if ids[-1:] == [article]:
        return f"cursor on row {ids.index(article) + 1:,} (newest first), as expected"
    return f"cursor on article {article}, not row {keys + 1:,}: check"


def rows(a: argparse.Namespace, res: dict) -> list[Row]:
    item = f"5 key to frame {a.feeds * a.items:,} articles"
    target = "< 16 ms (p95)"

    def row(measure: str, ms: list[float], note: str, judged: bool = True) -> Row:
        note = f"{note}p95 {percentile(ms, 95):.1f} ms, max {max(ms):.1f} ms"
        if not judged:
            return Row(item, measure, ms, note=note, digits=1)
        return Row(item, measure, ms, [], target, percentile(ms, 95) < 16, note, 1)

    j, g, tab = res["j"], res["G"], res["Tab"]
    out = [
        row(f"j x{len(j)} (ms)", j, f"then {res['after']}; "),
        row(f"G from the top x{len(g)} (ms)", g, ""),
        row(f"Tab x{len(tab)} (ms)", tab, "the next pane; ", judged=False),
    ]
    for name, when in (("Enter", "at once"), ("Enter rested", f"after {REST_S:g} s")):
        opened = res[name]
        out.append(row(f"Enter {when}: first frame x{len(opened)} (ms)", [f[0] for f in opened],
                       "the reader opens; ", judged=False))  # fmt: skip
        out.append(row(f"Enter {when}: last frame x{len(opened)} (ms)", [f[-1] for f in opened],
                       "the article laid out; ", judged=False))  # fmt: skip
    for typed, shown in res["search"].items():
        first = res["search first"][typed]
        out.append(row(f"/ + {typed}: first frame x{len(first)} (ms)", first, "the bar; "))
        header = "the header names the search; "
        out.append(row(f"/ + {typed}: results shown x{len(shown)} (ms)", shown, header, False))
    return out


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    dest = a.dir or caches(a)
    log(f"frames: {a.keys} j, {a.reps} G and {a.reps} / + {a.typed} in a pseudo-terminal")
    res = drive(a, dest)
    log(f"frames: j median {median(res['j']):.1f} ms; {res['after']}")
    emit(rows(a, res), a.json, f"Key to frame: {a.feeds * a.items:,}-article cache, 120x40")
    return 0


if __name__ == "__main__":
    sys.exit(main())
