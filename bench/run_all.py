#!/usr/bin/env python3
"""Run every benchmark of issue 8 and write one Markdown table (use the `bench/run_all` wrapper).

    bench/run_all [--smoke] [--out FILE]
                  [--only refresh,import,search,like,tui,frames,files,rules,import-1m,search-1m]

Each script runs as its own process (so one's memory never inflates another's figures) with
`--json`; the rows are joined into one table printed on stdout and written, with the machine
and each script's own report, to bench/out/results.md. `--smoke` runs the tiny versions
(seconds; what CI runs). newsboat parts are skipped, and say so, when newsboat is not installed.
A failing script is reported and the others still run; the exit status is then 1.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from common import HEADER, HERE, OUT, REPO, Row, load_rows, log, markdown_table, newsboat


@dataclass
class Step:
    """One benchmark script and its arguments in full and smoke mode."""

    name: str
    script: str
    full: list[str] = field(default_factory=list)
    smoke: list[str] = field(default_factory=lambda: ["--smoke"])
    json: bool = True  # the script writes Row JSON (else its report is parsed)
    full_only: bool = False  # too slow for --smoke (CI): skipped there


STEPS = [
    Step("refresh", "refresh_bench.py", ["--nb1-reps", "1"]),
    Step("import", "import_bench.py", ["--keep", "--reuse-newsboat"], ["--smoke", "--keep"]),
    Step(
        "search",
        "search_bench.py",
        [],
        ["--articles", "300", "--runs", "3", "--repeat", "2"],
        json=False,
    ),
    Step("like", "like_search.py"),
    Step("tui", "tui_bench.py"),
    Step("frames", "frames_bench.py"),
    Step("files", "files_bench.py"),
    Step("rules", "rules_bench.py"),
    # A million articles (20,000 feeds x 50): the corpus and the cache stay in bench/out/ for
    # the next run; the search runs over that cache (compare with the 100k rows above).
    Step(
        "import-1m",
        "import_bench.py",
        ["--feeds", "20000", "--items", "50", "--reps", "1", "--no-newsboat", "--keep"],
        full_only=True,
    ),
    Step(
        "search-1m",
        "search_bench.py",
        [
            *("--articles", "1000000", "--queries", "import"),
            *("--db", str(OUT / "cache-20000x50/newsdesk/cache/newsdesk.db")),
        ],
        json=False,
        full_only=True,
    ),
]


@dataclass
class Outcome:
    step: Step
    seconds: float
    returncode: int
    stdout: str
    rows: list[Row]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--smoke", action="store_true", help="tiny corpora: seconds, for CI")
    ap.add_argument("--only", help="comma-separated step names: " + ",".join(s.name for s in STEPS))
    ap.add_argument("--out", type=Path, default=OUT / "results.md")
    return ap.parse_args(argv)


def run_step(step: Step, smoke: bool) -> Outcome:
    """Run one script; its progress goes to stderr, its report is captured."""
    json_path = OUT / "json" / f"{step.name}.json"
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.unlink(missing_ok=True)
    args = list(step.smoke if smoke else step.full)
    if step.json:
        args += ["--json", str(json_path)]
    log(f"run_all: {step.script} {' '.join(args)}")
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(HERE / step.script), *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    seconds = time.perf_counter() - t0
    rows: list[Row] = []
    if proc.returncode == 0:
        rows = load_rows(json_path) if step.json else parse_search(proc.stdout)
    else:
        log(f"run_all: {step.script} FAILED with status {proc.returncode}")
    return Outcome(step, seconds, proc.returncode, proc.stdout, rows)


SEARCH_LINE = re.compile(
    r"^(\S+)\s+([\d.]+)/([\d.]+)\s+([\d.]+)/([\d.]+)\s+([\d.]+)/([\d.]+)\s*$", re.M
)


def parse_search(report: str) -> list[Row]:
    """Rows from search_bench.py's per-class tables (p50/p95/max, min/median over runs).

    The wall-clock table gives the figures; the CPU-time table, when printed, adds its p95.
    """
    size = re.search(r"^(\d+) articles, limit (\d+)", report, re.M)
    item = f"3 search {int(size.group(1)):,} articles" if size else "3 search"
    wall, _, cpu = report.partition("\nCPU ms")
    cpu_p95 = {m.group(1): float(m.group(5)) for m in SEARCH_LINE.finditer(cpu)}
    rows = []
    for m in SEARCH_LINE.finditer(wall):
        cls, p50, p95, worst = m.group(1), float(m.group(3)), float(m.group(5)), float(m.group(7))
        note = f"p50 {p50:.1f}, max {worst:.1f} ms (medians)"
        if cls in cpu_p95:
            note += f"; CPU p95 {cpu_p95[cls]:.1f} ms"
        rows.append(
            Row(
                item,
                f"{cls}: p95 (ms)",
                [float(m.group(4)), p95],
                target="< 20 ms",
                met=p95 < 20,
                note=note,
                digits=1,
                summary=True,
            )
        )
    return rows


# --------------------------------------------------------------------------- the report


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = _first_match(Path("/proc/cpuinfo"), r"model name\s*:\s*(.+)") or platform.processor()
    mem = _first_match(Path("/proc/meminfo"), r"MemTotal:\s*(\d+) kB")
    nb = newsboat()
    nb_version = ""
    if nb:
        nb_version = subprocess.run([nb, "--version"], capture_output=True, text=True).stdout
    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "ram": f"{int(mem) / 2**20:.1f} GiB" if mem else "?",
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "textual": _version("textual"),
        "newsdesk": f"{_version('newsdesk')} ({_git_head()})",
        "newsboat": nb_version.splitlines()[0] if nb_version else "not installed (skipped)",
    }


def _first_match(path: Path, pattern: str) -> str | None:
    try:
        m = re.search(pattern, path.read_text(), re.M)
    except OSError:
        return None
    return m.group(1).strip() if m else None


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


def _git_head() -> str:
    proc = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return proc.stdout.strip() or "no git"


def report(outcomes: list[Outcome], smoke: bool, started: str, total: float) -> tuple[str, str]:
    """(the combined table, the whole results.md)."""
    rows = [r for o in outcomes for r in o.rows]
    table = markdown_table(HEADER, (r.cells() for r in rows))
    info = machine()
    lines = [
        f"# newsdesk benchmarks{' (smoke)' if smoke else ''}",
        "",
        f"Started {started}, {total:.0f} s in all. "
        "Ratio = newsdesk median / newsboat median (below 1: newsdesk faster or smaller).",
        "",
        *[f"- {k}: {v}" for k, v in info.items()],
        "",
        table,
        "",
        "| script | seconds | status |",
        "|---|---|---|",
        *[
            f"| {o.step.script} | {o.seconds:.0f} | {'ok' if o.returncode == 0 else 'FAILED'} |"
            for o in outcomes
        ],
        "",
    ]
    for o in outcomes:
        lines += [f"## {o.step.script}", "", "```text", o.stdout.strip(), "```", ""]
    return table, "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    wanted = set(a.only.split(",")) if a.only else {s.name for s in STEPS}
    unknown = wanted - {s.name for s in STEPS}
    if unknown:
        sys.exit(f"run_all: unknown step(s): {', '.join(sorted(unknown))}")
    if not newsboat():
        log("run_all: newsboat is not installed; its columns are skipped")
    started, t0 = time.strftime("%Y-%m-%d %H:%M %Z"), time.perf_counter()
    steps = [s for s in STEPS if s.name in wanted and not (a.smoke and s.full_only)]
    outcomes = [run_step(s, a.smoke) for s in steps]
    total = time.perf_counter() - t0
    table, text = report(outcomes, a.smoke, started, total)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(text, encoding="utf-8")
    (a.out.with_suffix(".json")).write_text(
        json.dumps({"smoke": a.smoke, "seconds": total, "machine": machine()}, indent=1)
    )
    print(table)
    print(f"\n{len(outcomes)} script(s) in {total:.0f} s; full report: {a.out}")
    return 0 if all(o.returncode == 0 for o in outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
