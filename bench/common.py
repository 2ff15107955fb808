"""Shared helpers of the benchmark scripts: timing child processes, loopback servers, tables.

Standard library only (the harness must run where only Python and this repository exist).
Every measured program runs as a child process so its wall time and peak RSS are its own:
`measure()` waits with `os.wait4`, which returns the resource usage of exactly that child.
"""

from __future__ import annotations

import functools
import json
import math
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"  # git-ignored: corpora, caches, raw results
SERVE = HERE / "serve.py"
CORPUS_SEED = 42


# --------------------------------------------------------------------------- child processes


@dataclass
class Run:
    """One measured child process."""

    wall_s: float
    peak_rss_kb: int
    returncode: int
    stdout: str
    stderr: str
    cpu_s: float = 0.0
    """User + system CPU of the process and the children it waited for (the parser process):
    on a shared machine this moves far less with the load than the wall time."""

    @property
    def peak_rss_mib(self) -> float:
        return self.peak_rss_kb / 1024


def measure(
    cmd: Sequence[str],
    env: dict[str, str] | None = None,
    cwd: str | Path | None = None,
    timeout: float = 900,
    check: bool = True,
) -> Run:
    """Run `cmd` to completion: wall time, its own peak RSS and CPU (wait4), exit status and
    output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            cmd, env=env, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL
        )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        cpu = usage.ru_utime + usage.ru_stime
        run = Run(wall, usage.ru_maxrss, proc.returncode, _read(out), _read(err), cpu)
    if check and run.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, cmd))} exited {run.returncode}: {run.stderr[-2000:]}"
        )
    return run


def _read(f) -> str:
    f.seek(0)
    return f.read().decode("utf-8", "replace")


def folder(text: str) -> Path:
    """A path argument made absolute: the program under test runs in another folder."""
    return Path(text).resolve()


def newsdesk_cmd() -> list[str]:
    """The installed `newsdesk` console script beside this interpreter, else `python -m tui`."""
    _compile_newsdesk()
    script = Path(sys.executable).with_name("newsdesk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui"]


@functools.cache
def _compile_newsdesk() -> None:
    """Compile the package's bytecode (once per bench process), as `pip install .` does: an
    editable install under PYTHONDONTWRITEBYTECODE would otherwise compile ~40 modules on
    every start (~0.1 s)."""
    import compileall

    import tui

    compileall.compile_dir(Path(tui.__file__).parent, quiet=1)


def newsboat() -> str | None:
    """Path of the newsboat binary, or None when it is not installed."""
    return shutil.which("newsboat")


def newsboat_reload_cmd(work: Path, urls: Sequence[str], threads: int) -> list[str]:
    """`newsboat -x reload` of `urls` with its files (urls, config, cache.db) in `work`."""
    (work / "urls").write_text("".join(u + "\n" for u in urls))
    (work / "config").write_text(f"reload-threads {threads}\n")
    files = ["-u", str(work / "urls"), "-c", str(work / "cache.db"), "-C", str(work / "config")]
    return ["newsboat", *files, "-x", "reload"]


def newsboat_env(home: Path) -> dict[str, str]:
    """An environment that keeps newsboat inside `home`."""
    return dict(
        os.environ,
        HOME=str(home),
        LANG="C.UTF-8",
        XDG_CONFIG_HOME=str(home),
        XDG_DATA_HOME=str(home),
    )


# --------------------------------------------------------------------------- statistics


def minimum(xs: Iterable[float]) -> float:
    return min(xs)


def median(xs: Iterable[float]) -> float:
    return statistics.median(list(xs))


def percentile(xs: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(xs)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


# --------------------------------------------------------------------------- corpus and servers


def ensure_corpus(feeds: int, items: int, seed: int = CORPUS_SEED) -> Path:
    """The generated feed corpus in bench/out (generated once, then reused)."""
    from gen_corpus import generate  # sibling module; imported here to keep start-up light

    path = OUT / f"corpus-{feeds}x{items}-s{seed}"
    if (path / "manifest.json").exists():
        return path
    tmp = Path(tempfile.mkdtemp(prefix=path.name + ".", dir=_out()))
    generate(str(tmp), feeds, items, seed)
    tmp.rename(path)
    return path


def manifest(corpus: Path) -> dict:
    return json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))


def _out() -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    return OUT


def scratch(prefix: str) -> Path:
    """A fresh scratch folder under bench/out/tmp (removed by the caller or the next run)."""
    base = _out() / "tmp"
    base.mkdir(exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=base))


class Servers:
    """serve.py on loopback hosts 127.0.0.1..N, one process per host (same directory).

    Feed i is served by host i % N. If 127.0.0.2+ cannot be bound (not Linux), every
    server falls back to 127.0.0.1 on its own port. More than `PROCESS_PER_HOST_UP_TO` hosts,
    or a latency spread (`"10-300"`: each host its own, see serve.py), are served by one
    process binding them all.
    """

    PROCESS_PER_HOST_UP_TO = 8

    def __init__(self, root: Path, hosts: int = 4, latency_ms: float | str = 50) -> None:
        self.root, self.n, self.latency_ms = root, hosts, str(latency_ms)
        self.procs: list[subprocess.Popen] = []
        self.addrs: list[tuple[str, int]] = []

    def __enter__(self) -> Servers:
        if self.n > self.PROCESS_PER_HOST_UP_TO or "-" in self.latency_ms:
            self.addrs = self._start_all()
            return self
        for i in range(self.n):
            self.addrs.append(self._start(f"127.0.0.{i + 1}"))
        return self

    def _spawn(self, *args: str) -> tuple[subprocess.Popen, str]:
        cmd = [sys.executable, str(SERVE), str(self.root), "--latency-ms", self.latency_ms, *args]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        return proc, (proc.stdout.readline() if proc.stdout else "")

    def _start(self, host: str) -> tuple[str, int]:
        for h in (host, "127.0.0.1"):
            proc, line = self._spawn("--host", h)
            if line.startswith("PORT "):
                self.procs.append(proc)
                return h, int(line.split()[1])
            proc.wait()
        raise RuntimeError("cannot start the loopback feed server")

    def _start_all(self) -> list[tuple[str, int]]:
        proc, line = self._spawn("--hosts", str(self.n))
        if not line.startswith("PORTS "):
            proc.wait()
            raise RuntimeError(f"cannot serve {self.n} loopback hosts (Linux only)")
        self.procs.append(proc)
        pairs = [a.rpartition(":") for a in line.split()[1:]]
        return [(h, int(p)) for h, _, p in pairs]

    def __exit__(self, *exc: object) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            proc.wait()

    def urls(self, files: Sequence[str]) -> list[str]:
        """One URL per feed file, spread round-robin over the hosts."""
        return [
            f"http://{h}:{p}/{f}" for f, (h, p) in zip(files, self._cycle(len(files)), strict=True)
        ]

    def _cycle(self, n: int) -> list[tuple[str, int]]:
        return [self.addrs[i % len(self.addrs)] for i in range(n)]

    def take_stats(self) -> dict[str, int]:
        """Request counters summed over the servers since the last call (then reset)."""
        total: dict[str, int] = {}
        for h, p in self.addrs:
            base = f"http://{h}:{p}"
            with urllib.request.urlopen(base + "/__stats") as resp:
                for key, value in json.load(resp).items():
                    total[key] = total.get(key, 0) + value
            urllib.request.urlopen(base + "/__reset").read()
        return total


# --------------------------------------------------------------------------- newsdesk helpers


def toml_str(text: str) -> str:
    """A TOML basic string (JSON string syntax is a subset for what we write)."""
    return json.dumps(text, ensure_ascii=False)


def write_feeds_config(
    path: Path, names: Sequence[str], urls: Sequence[str], settings: Sequence[str] = ()
) -> Path:
    """A newsdesk feeds.toml with one [[sources]] per feed; [settings] default unless given.

    `settings` are `key=value` strings with TOML values (`per_host=4`, `timeout_seconds=30`).
    """
    lines = ["# generated by bench/", "[settings]", *settings, ""]
    for name, url in zip(names, urls, strict=True):
        lines += ["[[sources]]", f"name = {toml_str(name)}", f"url = {toml_str(url)}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def add_setting_arg(ap) -> None:
    """--setting KEY=VALUE (repeatable): a non-default newsdesk [settings] entry, for what-ifs."""
    ap.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="newsdesk [settings] entry (TOML value), e.g. per_host=4; repeatable",
    )


def setting_value(settings: Sequence[str], key: str) -> str:
    """`key`'s value among `--setting KEY=VALUE` entries, else newsdesk's default."""
    for entry in reversed(settings):
        name, _, value = entry.partition("=")
        if name.strip() == key:
            return value.strip()
    from tui.config import Settings  # the defaults of the newsdesk being measured

    return str(getattr(Settings, key))


def count_articles(db: Path) -> int:
    """Articles in a newsdesk cache (read-only)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    finally:
        con.close()


def dir_bytes(path: Path) -> int:
    """Total size of the files in a folder (database, WAL, saved pages)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- results


@dataclass
class Row:
    """One figure of the results table: our runs, newsboat's runs (if comparable), the target.

    `ours`/`theirs` hold one value per run; with `summary=True` they hold [min, median] already
    (figures taken from another script's report).
    """

    item: str
    measure: str
    ours: list[float]
    theirs: list[float] = field(default_factory=list)
    target: str = ""
    met: bool | None = None
    note: str = ""
    digits: int = 2
    summary: bool = False

    def low(self, xs: list[float]) -> float:
        return xs[0] if self.summary else min(xs)

    def mid(self, xs: list[float]) -> float:
        return xs[-1] if self.summary else median(xs)

    def ratio(self) -> float | None:
        """ours / theirs on medians (below 1 means newsdesk is faster or smaller)."""
        if not self.ours or not self.theirs or self.mid(self.theirs) == 0:
            return None
        return self.mid(self.ours) / self.mid(self.theirs)

    def cells(self) -> list[str]:
        f = self._fmt
        r = self.ratio()
        met = {True: "yes", False: "**no**", None: ""}[self.met]
        return [
            self.item,
            self.measure,
            f(self.ours, self.low),
            f(self.ours, self.mid),
            f(self.theirs, self.low),
            f(self.theirs, self.mid),
            "" if r is None else f"{r:.2f}",
            self.target,
            met,
            self.note,
        ]

    def _fmt(self, xs: list[float], fn: Callable) -> str:
        if not xs:
            return "–"
        return f"{fn(xs):,.{self.digits}f}"


HEADER = [
    "item",
    "measure",
    "newsdesk min",
    "newsdesk median",
    "newsboat min",
    "newsboat median",
    "ratio",
    "target",
    "met",
    "note",
]


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A GitHub Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def rows_table(rows: Iterable[Row]) -> str:
    return markdown_table(HEADER, (r.cells() for r in rows))


def emit(rows: list[Row], json_path: str | None, title: str) -> None:
    """Print the rows as a Markdown table; write them as JSON for run_all when asked."""
    print(f"\n### {title}\n")
    print(rows_table(rows), flush=True)
    if json_path:
        Path(json_path).write_text(
            json.dumps([asdict(r) for r in rows], indent=1), encoding="utf-8"
        )


def load_rows(path: Path) -> list[Row]:
    return [Row(**d) for d in json.loads(path.read_text(encoding="utf-8"))]


def log(msg: str) -> None:
    """Progress on stderr (stdout carries the tables)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)
