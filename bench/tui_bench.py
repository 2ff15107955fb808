#!/usr/bin/env python3
"""Issue 8 items 4 and 5: TUI start-up at 100,000 articles, and the cost of a key press.

    python bench/tui_bench.py [--feeds 2000 --items 50] [--reps 3] [--keys 1000]
                              [--part first,keys] [--dir KEPT] [--tree PATH ...]
                              [--smoke] [--json OUT]

First screen (item 4): each program runs in a private tmux server (`tmux -L NAME`, never the
user's) at 120x40 as `sh -c 'read _; exec CMD'`, so tmux start-up is excluded and the pane PID
is the program. The clock starts when Enter is sent and stops at the first `capture-pane`
containing the marker (polled every 20 ms): for newsdesk the title of the newest article (the
article list is drawn), for newsboat the first feed's title (its feed list is drawn). The CPU
time the program had used by then (user + system, all threads, from /proc/PID/stat) is taken at
the same moment: it moves less than the wall clock when other work shares the machine. Peak RSS
is the pane process's VmHWM one second after the first screen. Both read the caches of the same
corpus that `import_bench.py --keep` leaves in bench/out (built here if missing); newsboat's is
ANALYZEd first (with an empty sqlite_stat1 it needs minutes to start), newsdesk's auto-refresh
is off so neither touches the network. Adapted from the shared reference harness
(/work/shared/bench/first_frame.py). newsdesk starts a second time in each rep from the state
a session leaves (a search on show, the newest article open; rows "with a session's state",
the marker the header naming the search). With `--tree PATH` (a `git worktree` of another
commit, say), the same runs are made with that tree's `tui` first on the path, interleaved
with this tree's run by run (in turn first and last), each tree's rows apart; the config's
memo, which is keyed on the code that reads configs, is then rebuilt at every run, in every
tree alike.

Keys (item 5): Textual Pilot (headless, 120x40) on the same newsdesk cache. Per key: `press`
(every message the key causes is handled) plus `pause(0)` (the screen's pending layout and
paint done now instead of at the next 60 fps tick). `j` pressed N times from the top, then `G`
(to the oldest of the 100,000 articles) timed from the top several times; then `/` and one
letter, then two (`--typed`), timed until the list shows what they find, several times.
`--dir` names a kept cache folder of the same layout elsewhere (the synthetic 1M cache:
`--dir COPY --feeds 20000 --no-newsboat`; the keys write the UI state, so give it a copy).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

from common import (
    REPO,
    Row,
    emit,
    folder,
    log,
    manifest,
    measure,
    median,
    newsboat,
    newsdesk_cmd,
    percentile,
)

POLL_S = 0.0005
"""How long each wait for the app sleeps between polls."""
WAIT_CHARS = 24  # the marker is this many leading characters of a title (columns may truncate)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--feeds", type=int, default=2000)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--keys", type=int, default=1000, help="j presses")
    ap.add_argument("--g-reps", type=int, default=5, help="timed G presses")
    ap.add_argument("--typed", default="s,se", help="typed after / (timed), comma-separated")
    ap.add_argument("--dir", type=folder, help="a kept cache folder (newsdesk/feeds.toml, cache/)")
    ap.add_argument("--part", default="first,keys", help="first (tmux), keys (Pilot)")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--no-newsboat", action="store_true")
    ap.add_argument("--smoke", action="store_true", help="6 feeds x 50 items, 20 keys")
    ap.add_argument("--json", help="write the result rows here (for run_all)")
    ap.add_argument(
        "--tree",
        action="append",
        default=[],
        type=Path,
        help="first screens of this tree's tui too (e.g. a git worktree), run by run with ours",
    )
    a = ap.parse_args(argv)
    if a.smoke:
        a.feeds, a.items, a.keys, a.g_reps = 6, 50, 20, 3
    return a


# --------------------------------------------------------------------------- the caches


def caches(a: argparse.Namespace) -> Path:
    """The kept caches of the corpus (import_bench --keep), built now if missing."""
    import import_bench

    dest = import_bench.kept_dir(a.feeds, a.items)
    need_nb = not a.no_newsboat and newsboat() is not None
    if not (dest / "newsdesk").exists() or (need_nb and not (dest / "newsboat").exists()):
        log(f"tui: building the {a.feeds}x{a.items} caches with import_bench --keep")
        args = ["--feeds", str(a.feeds), "--items", str(a.items), "--reps", "1", "--keep"]
        import_bench.main(args + (["--no-newsboat"] if not need_nb else []))
    return dest


def tui_config(dest: Path) -> Path:
    """The kept feeds.toml with every source disabled and auto-refresh off.

    The TUI refreshes its enabled sources on start; newsboat does not (refresh-on-startup is
    off by default), and the feed servers are gone by now. Disabled sources keep their articles.
    """
    src = (dest / "newsdesk" / "feeds.toml").read_text(encoding="utf-8")
    out = []
    for line in src.splitlines():
        out.append(line)
        if line == "[settings]":
            out.append("refresh_minutes = 0")
        elif line.startswith("url = "):
            out.append("enabled = false")
    path, text = dest / "newsdesk" / "tui.toml", "\n".join(out) + "\n"
    # Written only when it changes: a new file would make every run parse the config again
    # (20,000 sources: ~0.6 s at 1M), where a user's start reads the memo of the last one.
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def reset_ui_state(db: Path) -> None:
    """Forget the saved UI state (scope, cursor) so every run starts on the same first screen."""
    con = sqlite3.connect(db)
    try:
        con.execute("DELETE FROM ui_state")
        con.commit()
    except sqlite3.OperationalError:  # an older schema without saved UI state
        pass
    finally:
        con.close()


SESSION_QUERY = "election"
"""The search a session leaves on show in the state of `session_state`."""


def session_state(db: Path, opened: int) -> None:
    """The state a session of use leaves: a search on show (`SESSION_QUERY`) and an article
    open in the reader (the next start shows both: the results' rows, the article's body)."""
    state = {"search": SESSION_QUERY, "search_active": True, "opened": opened, "pane": "list"}
    con = sqlite3.connect(db)
    try:
        con.execute("DELETE FROM ui_state")
        con.execute("INSERT INTO ui_state VALUES ('tui.state', ?)", (json.dumps(state),))
        con.commit()
    finally:
        con.close()


def newest(config: Path, cache: Path) -> dict:
    """The newest article as `newsdesk list --json` gives it."""
    run = measure(
        [
            *newsdesk_cmd(),
            "--config",
            str(config),
            "--cache",
            str(cache),
            "list",
            "--json",
            "--limit",
            "1",
        ]
    )
    return json.loads(run.stdout)[0]


# --------------------------------------------------------------------------- tmux first frame


def tmux(sock: str, *args: str) -> str:
    cmd = ["tmux", "-L", sock, "-f", "/dev/null", *args]
    return subprocess.run(cmd, capture_output=True, text=True).stdout


def proc_kb(pid: int, field: str) -> int | None:
    """A VmRSS/VmHWM-style field of /proc/PID/status, in KiB."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def proc_cpu(pid: int) -> float | None:
    """Seconds of CPU (user + system, every thread) the process has used so far."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


SETTLED_S = 5.0
"""Peak RSS is taken a second after the first screen (as the reference harness does) and
again this long after it: what a program loads once its first screen is up (newsdesk: the
sources pane's lines and counts) is missed by the first."""


def first_frame(cmd: list[str], wait: str, cwd: Path, timeout: float, tag: str) -> dict:
    """Seconds until `wait` is on the screen, the CPU seconds used by then, and peak RSS
    (KiB) a second later and `SETTLED_S` later."""
    sock = f"ndbench-{os.getpid()}-{tag}"  # a private server: never the user's tmux
    ended: list[int] = []
    try:
        tmux(
            sock,
            "new-session",
            "-d",
            "-s",
            "ff",
            "-x",
            "120",
            "-y",
            "40",
            "-c",
            str(cwd),
            "--",
            "sh",
            "-c",
            'read _; exec "$@"',
            "sh",
            *cmd,
        )
        tmux(sock, "set-option", "-t", "ff", "remain-on-exit", "on")
        pid = int(tmux(sock, "display-message", "-p", "-t", "ff", "#{pane_pid}").strip())
        ended.append(pid)
        found, screen, cpu = poll(sock, pid, wait, timeout)
        res = {"s": found, "cpu": cpu, "hwm_kb": proc_kb(pid, "VmHWM")}
        if found is not None:
            time.sleep(1.0)
            res["hwm_kb"] = proc_kb(pid, "VmHWM") or res["hwm_kb"]
            time.sleep(SETTLED_S - 1.0)
            res["settled_kb"] = proc_kb(pid, "VmHWM") or res["hwm_kb"]
        else:
            res["screen"] = screen
        return res
    finally:
        tmux(sock, "kill-server")  # SIGHUP: newsdesk quits as `q` does, writing its state
        for pid in ended:  # ... which must not land on the next run's state
            gone_within(pid, timeout)
        tmpdir = os.environ.get("TMUX_TMPDIR", "/tmp")
        Path(tmpdir, f"tmux-{os.getuid()}", sock).unlink(missing_ok=True)


def gone_within(pid: int, timeout: float) -> None:
    """Wait until process `pid` has ended (at most `timeout` seconds)."""
    t0 = time.perf_counter()
    while running(pid) and time.perf_counter() - t0 < timeout:
        time.sleep(0.02)


def running(pid: int) -> bool:
    """Whether process `pid` still runs (a zombie no parent reaped has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def poll(sock: str, pid: int, wait: str, timeout: float) -> tuple[float | None, str, float | None]:
    t0 = time.perf_counter()
    tmux(sock, "send-keys", "-t", "ff", "Enter")
    screen = ""
    while time.perf_counter() - t0 < timeout:
        screen = tmux(sock, "capture-pane", "-p", "-t", "ff")
        if wait in screen:
            return time.perf_counter() - t0, screen, proc_cpu(pid)
        if not os.path.exists(f"/proc/{pid}"):
            break
        time.sleep(0.02)
    return None, screen, None


def first_frames(a: argparse.Namespace, dest: Path) -> list[Row]:
    config, cache = tui_config(dest), dest / "newsdesk" / "cache"
    nd_cmd = [*newsdesk_cmd(), "--config", str(config), "--cache", str(cache)]
    top = newest(config, cache)
    nd_wait = top["title"][:WAIT_CHARS]
    nb_dir = dest / "newsboat"
    use_nb = not a.no_newsboat and newsboat() is not None and nb_dir.exists()
    nb_cmd = [
        "env",
        f"HOME={nb_dir}",
        "LANG=C.UTF-8",
        "newsboat",
        "-u",
        str(nb_dir / "urls"),
        "-c",
        str(nb_dir / "cache.db"),
        "-C",
        str(nb_dir / "config"),
    ]
    nb_wait = manifest_title(a)[:WAIT_CHARS]
    db = cache / "newsdesk.db"
    trees = [REPO, *a.tree]
    fresh: dict[Path, list[dict]] = {tree: [] for tree in trees}
    kept: dict[Path, list[dict]] = {tree: [] for tree in trees}  # from a session's state
    nb: list[dict] = []
    for rep in range(a.reps):
        for tree in trees if rep % 2 == 0 else trees[::-1]:  # ABBA: load falls on both
            cmd = ["env", f"PYTHONPATH={tree}", *nd_cmd]
            reset_ui_state(db)
            fresh[tree].append(first_frame(cmd, nd_wait, dest, a.timeout, f"nd{rep}"))
            # What a session leaves (a search on show, an article open): the header names
            # the search once its results are drawn.
            session_state(db, top["id"])
            wait = f"Search: {SESSION_QUERY}"
            kept[tree].append(first_frame(cmd, wait, dest, a.timeout, f"ns{rep}"))
            log(
                f"tui rep {rep} {tree}: newsdesk {shown(fresh[tree][-1])}, with a session's "
                f"state {shown(kept[tree][-1])}"
            )
        if use_nb:
            (nb_dir / "cache.db.lock").unlink(missing_ok=True)
            nb.append(first_frame(nb_cmd, nb_wait, nb_dir, a.timeout, f"nb{rep}"))
            log(f"tui rep {rep}: newsboat {shown(nb[-1])}")
    reset_ui_state(db)
    rows = []
    for tree in trees:
        label = "" if tree == REPO else f" ({tree})"
        rows += first_rows(a, fresh[tree], nb, label=label)
        rows += first_rows(a, kept[tree], nb, label=label, session=True)
    return rows


def shown(run: dict) -> str:
    """A first frame's time for the log."""
    return "timed out" if run["s"] is None else f"{run['s']:.2f} s"


def manifest_title(a: argparse.Namespace) -> str:
    from common import ensure_corpus

    return manifest(ensure_corpus(a.feeds, a.items))["feeds"][0]["title"]


def first_note(failed: list[str], nb: list[dict]) -> str:
    if failed:
        return f"{len(failed)} run(s) timed out"
    return "newsboat cache ANALYZEd" if nb else "newsboat not run"


def first_rows(
    a: argparse.Namespace, nd: list[dict], nb: list[dict], *, label: str, session: bool = False
) -> list[Row]:
    """The rows of newsdesk's runs `nd` (of the tree `label` names, "" for this one; from a
    session's state with `session`) against newsboat's `nb` (a fresh start: it keeps no
    such state)."""
    state = " with a session's state" if session else ""
    item = f"4 TUI {a.feeds * a.items:,} articles{state}{label}"
    failed = [r.get("screen", "")[-400:] for r in nd + nb if r["s"] is None]
    if failed:
        log("tui: a first screen never appeared; last screen:\n" + failed[0])
    secs = ([r["s"] for r in nd if r["s"] is not None], [r["s"] for r in nb if r["s"] is not None])
    cpu = ([r["cpu"] for r in nd if r["cpu"] is not None], [r["cpu"] for r in nb if r["cpu"]])
    mib, settled = (
        (
            [r[key] / 1024 for r in nd if r.get(key)],
            [r[key] / 1024 for r in nb if r.get(key)],
        )
        for key in ("hwm_kb", "settled_kb")
    )
    target = "" if session else "<= 0.4 s"  # the target is a fresh start's
    note = first_note(failed, nb)
    if session and nb:
        note += "; newsboat's figures: its fresh start (it keeps no such state)"
    first = Row(item, "first screen (s)", *secs, target, note=note)
    if secs[0] and target:
        first.met = median(secs[0]) <= 0.4
    used = Row(item, "CPU by the first screen (s)", *cpu, note="user + system, all threads")
    peaks = [
        Row(item, "peak RSS (MiB)", *mib, "<= 0.5x newsboat", digits=1),
        Row(item, f"peak RSS after {SETTLED_S:g} s (MiB)", *settled, "<= 0.5x newsboat", digits=1),
    ]
    for peak in peaks:
        if peak.ours and peak.theirs:
            peak.met = median(peak.ours) <= 0.5 * median(peak.theirs)
    return [first, used, *peaks]


# --------------------------------------------------------------------------- keys (Pilot)


async def drive_keys(a: argparse.Namespace, config_path: Path, db: Path) -> dict:
    from tui.config import load_config
    from tui.store import Store
    from tui.ui import make_app
    from tui.ui.widgets.article_list import ArticleList

    # Not closed here: the app's database thread owns connections of this store, and the
    # process ends right after (closing from this thread raises ProgrammingError).
    reset_ui_state(db)
    store = Store.open(db)
    app = make_app(load_config(config_path), store, refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: bool(app.screen.query(ArticleList)), 60)
        lst = app.screen.query_one(ArticleList)
        await until(pilot, lambda: lst.rows.total > 0 and lst.current is not None, 60)
        lst.focus()
        await timed_key(pilot, lst, "g", 0)
        await pilot.pause()
        total = lst.rows.total
        j = [await timed_key(pilot, lst, "j", i + 1) for i in range(min(a.keys, total - 1))]
        j_cpu = list(CPU)
        after_j = describe(lst)
        g = []
        CPU.clear()
        for _ in range(a.g_reps):
            await timed_key(pilot, lst, "g", 0)
            await pilot.pause()
            g.append(await timed_key(pilot, lst, "G", total - 1))
        after_g = describe(lst)
        g_cpu = CPU[-a.g_reps :]
        floor = [await timed_noop(pilot) for _ in range(50)]
        search = {}
        for typed in a.typed.split(","):
            CPU.clear()
            search[typed] = [await timed_search(pilot, lst, typed) for _ in range(a.g_reps)]
            search[f"{typed} CPU"] = list(CPU)
    return {
        "j": j,
        "j CPU": j_cpu,
        "G": g,
        "G CPU": g_cpu,
        "after_j": after_j,
        "after_G": after_g,
        "floor": floor,
        "search": search,
    }


async def until(pilot, ready, timeout: float) -> None:
    """Let the app run (handling messages and painting) until `ready()`; error on timeout."""
    t0 = time.perf_counter()
    while not ready():
        if time.perf_counter() - t0 > timeout:
            raise RuntimeError(f"the TUI did not get there within {timeout:g} s")
        await pilot.pause(0)
        # A moment in the event loop's select: a loop polled without ever blocking keeps the
        # GIL, and the database thread delivering the rows then waits 5 ms per handover (the
        # first page took over 60 s that way). Adds at most POLL_S to a key's figure.
        await asyncio.sleep(POLL_S)


CPU: list[float] = []
"""The process's CPU (all threads, ms) over each timed key, in order: it moves less than the
wall clock when other work shares the machine."""


async def timed_key(pilot, lst, key: str, expected: int) -> float:
    """Milliseconds from a key press until the cursor is on `expected`, its row loaded and painted.

    `simulate_key` posts the same Key event a terminal would; `pause(0)` handles every pending
    message and paints at once (Pilot's own `press` idles 40 ms or more per key, by design).
    """
    t0, cpu = time.perf_counter(), time.process_time()
    pilot.app.simulate_key(key)
    await pilot.pause(0)
    await until(pilot, lambda: lst.cursor == expected and lst.current is not None, 10)
    await pilot.pause(0)
    CPU.append((time.process_time() - cpu) * 1000)
    return (time.perf_counter() - t0) * 1000


async def timed_noop(pilot) -> float:
    """The same measurement for a key nothing is bound to: the harness's own floor."""
    t0 = time.perf_counter()
    pilot.app.simulate_key("f19")
    await pilot.pause(0)
    await pilot.pause(0)
    return (time.perf_counter() - t0) * 1000


async def timed_search(pilot, lst, typed: str) -> float:
    """Milliseconds from `/` and the letters `typed` (sent together, as typed) until the bar
    holds them, their search is done and the list shows what it found, painted; then Escape
    closes the search and the screen settles (not timed). Each is a first search (`/`
    reopens the last one)."""
    from tui.ui.widgets.search_bar import SearchBar

    screen = pilot.app.screen
    bar = screen.query_one(SearchBar)
    screen.views.state.query = ""

    def searching() -> bool:
        return any(w.node is bar and not w.is_finished for w in pilot.app.workers)

    def done() -> bool:  # the subtitle names the query once its results are handled
        shown = screen.sub_title.startswith(f"Search: {typed} ·")
        return bar.input.value == typed and shown and not searching()

    t0, cpu = time.perf_counter(), time.process_time()
    for key in ("slash", *typed):
        pilot.app.simulate_key(key)
    await pilot.pause(0)
    await until(pilot, done, 30)
    await pilot.pause(0)  # the list showing them is painted
    elapsed = (time.perf_counter() - t0) * 1000
    CPU.append((time.process_time() - cpu) * 1000)
    pilot.app.simulate_key("escape")
    await until(pilot, lambda: not screen.views.state.mode and not lst.rows.searched, 30)
    await until(pilot, lambda: lst.current is not None, 30)
    # The list restored by Escape is laid out and painted on the screen's next update: let
    # that happen here, or it is timed as part of the next search.
    await pilot.pause()
    return elapsed


def describe(lst) -> str:
    """Where the list cursor is (a check that the keys really moved it)."""
    return f"cursor {lst.cursor:,} of {lst.rows.total:,}"


def key_rows(a: argparse.Namespace, res: dict) -> list[Row]:
    item = f"5 keys {a.feeds * a.items:,} articles"
    j, g, floor = res["j"], res["G"], res["floor"]
    p95 = percentile(j, 95)
    j_note = f"p95 {p95:.1f} ms, max {max(j):.1f} ms; then {res['after_j']}"
    g_note = f"max {max(g):.1f} ms; then {res['after_G']}"
    floor_note = "harness floor: a Key event, message drain and paint with nothing to do"
    searches = [
        Row(
            item,
            f"/ + {typed} x{len(ms)} (ms)",
            ms,
            [],
            "< 16 ms (p95)",
            percentile(ms, 95) < 16,
            f"p95 {percentile(ms, 95):.1f} ms, max {max(ms):.1f} ms",
            1,
        )  # fmt: skip
        for typed, ms in res["search"].items()
    ]
    cpu_note = "CPU of the process (all threads) over each key"
    j_cpu = res["j CPU"]
    j_cpu_note = f"p95 {percentile(j_cpu, 95):.1f} ms, max {max(j_cpu):.1f} ms; {cpu_note}"
    return [
        Row(item, f"j x{len(j)}, per key (ms)", j, [], "< 16 ms (p95)", p95 < 16, j_note, 1),
        Row(item, f"j x{len(j)}, CPU per key (ms)", j_cpu, note=j_cpu_note, digits=1),
        Row(item, f"G from the top x{len(g)} (ms)", g, [], "< 16 ms", median(g) < 16, g_note, 1),
        Row(item, f"G x{len(g)}, CPU (ms)", res["G CPU"], note=cpu_note, digits=1),
        Row(item, "unbound key (ms)", floor, note=floor_note, digits=1),
        *searches,
    ]


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    parts = set(a.part.split(","))
    dest = a.dir or caches(a)
    rows: list[Row] = []
    if "first" in parts:
        if shutil.which("tmux"):
            rows += first_frames(a, dest)
        else:
            log("tui: tmux is not installed; first-screen timing skipped")
    if "keys" in parts:
        log(f"tui: {a.keys} j, {a.g_reps} G and {a.g_reps} / + {a.typed} (Pilot)")
        res = asyncio.run(
            drive_keys(a, tui_config(dest), dest / "newsdesk" / "cache" / "newsdesk.db")
        )
        rows += key_rows(a, res)
    emit(rows, a.json, f"TUI: {a.feeds * a.items:,}-article cache, 120x40")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
