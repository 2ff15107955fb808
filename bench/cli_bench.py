"""`newsdesk search WORD` from the shell: whole-process CPU beyond the interpreter's start-up.

    python bench/cli_bench.py [--cache DIR] [--runs 30] [--query government]
                              [--tree PATH ...]

Each run starts a fresh interpreter (this one) for the command, as the `newsdesk` script does
(`from tui.launch import main`), and one running only `import tui` (start-up: the interpreter,
`site`, the package). The command is run as a user would type it: no flags, the config found
in the platform config folder (`$XDG_CONFIG_HOME/newsdesk/feeds.toml`, linked to the kept
one) and the cache beside it. CPU is the child's user + sys time from `wait4` (wall-clock time on a
shared machine moves with the load; CPU much less). "Beyond start-up" is each command run
minus the median start-up. With `--tree`, the same runs are made with each tree's `tui`
first on the path (e.g. a `git worktree` of main for "before"), interleaved with this one's
run by run (in turn first and last: ABBA), so load changes fall on both alike.

Both runs skip `site` (`-S`, the installed packages' folder put on the path instead): an
editable install's finder, which `site` runs, imports pathlib, re, urllib and typing's
neighbours at start-up, as an installed wheel does not, and counted them as start-up where a
user's `newsdesk` pays them in the command.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import sysconfig
from pathlib import Path

from common import OUT, markdown_table, measure, median, percentile, scratch

HERE = Path(__file__).resolve().parent
TREE = HERE.parent
COMMAND = "import sys; from tui.launch import main; sys.exit(main())"
"""What the `newsdesk` console script runs."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--cache",
        type=Path,
        default=OUT / "cache-2000x50" / "newsdesk",
        help="a kept import folder (feeds.toml + cache/), default the 100k one",
    )
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--query", default="election")
    ap.add_argument("--tree", action="append", default=[], type=Path, help="compare this tree")
    return ap.parse_args(argv)


def run(tree: Path, code: str, args: list[str], home: Path) -> float:
    """CPU seconds of one interpreter running `code` with `tree`'s `tui` first on the path."""
    path = os.pathsep.join([str(tree), sysconfig.get_paths()["purelib"]])
    env = {**os.environ, "PYTHONPATH": path, "XDG_CONFIG_HOME": str(home)}
    for name in ("NEWSDESK_CONFIG", "NEWSDESK_CACHE"):
        env.pop(name, None)
    return measure([sys.executable, "-S", "-c", code, *args], env=env, cwd=home).cpu_s


def platform_folder(kept: Path) -> Path:
    """A config home whose `newsdesk` folder links to the kept config and cache."""
    home = scratch("cli-")
    folder = home / "newsdesk"
    folder.mkdir()
    (folder / "feeds.toml").symlink_to((kept / "feeds.toml").resolve())
    (folder / "cache").symlink_to((kept / "cache").resolve())
    return home


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    home = platform_folder(a.cache)
    args = ["search", a.query]
    trees = [TREE, *a.tree]
    for tree in trees:  # compiled bytecode, and a warm page cache
        measure([sys.executable, "-m", "compileall", "-q", str(tree / "tui")])
        run(tree, COMMAND, args, home)
    start: dict[Path, list[float]] = {t: [] for t in trees}
    whole: dict[Path, list[float]] = {t: [] for t in trees}
    for number in range(a.runs):
        for tree in trees if number % 2 == 0 else trees[::-1]:  # ABBA: load falls on both
            start[tree].append(run(tree, "import tui", [], home))
            whole[tree].append(run(tree, COMMAND, args, home))
    shutil.rmtree(home)
    rows = []
    for tree in trees:
        base = median(start[tree])
        ms = [w * 1000 for w in whole[tree]]
        beyond = [m - base * 1000 for m in ms]
        cells = [median(ms), percentile(ms, 95), median(beyond), percentile(beyond, 95)]
        name = "this tree" if tree == TREE else str(tree)
        rows.append([name, f"{base * 1000:.1f}", *(f"{c:.1f}" for c in cells)])
    load = os.getloadavg()[0]
    print(f"\n### `newsdesk search {a.query}`: CPU ms, {a.runs} runs, load {load:.1f}\n")
    header = ["tree", "start-up p50", "whole p50", "whole p95", "beyond p50", "beyond p95"]
    print(markdown_table(header, rows), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
