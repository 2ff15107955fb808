#!/usr/bin/env python3
"""Stories: what detection costs a cold refresh, and how well it groups the judged sets.

    python bench/stories_bench.py cost --before CHECKOUT [--feeds 200 --items 50]
                                       [--latency-ms 50] [--reps 3] [--profile]
    python bench/stories_bench.py pass [--articles 100000] [--new 500] [--cache COPY.db]
    python bench/stories_bench.py quality
    python bench/stories_bench.py page --cache COPY.db [--reps 200]
    python bench/stories_bench.py upgrade [--articles 12000] [--days 365] [--reps 3]

`cost` runs `newsdesk refresh` on a fresh cache, interleaved: the code of CHECKOUT (a
checkout without story detection, put first on PYTHONPATH) and this one. Besides wall time
and peak RSS it records the CPU time of the process and its parser (user + system, from
`wait4`), the figure that still means something on a shared, loaded machine. With
`--profile` each run is sampled by py-spy (100 Hz, the parser process too) and the share of
samples inside `group_stories` or `key_hashes` (the keys, computed as the articles are
written) is printed: detection's part of the run's CPU.

`pass` times the detection pass alone in this process on the generated corpus: once cold
(every article new, as a first refresh or an import) and once incremental (`--new` articles
after the others are stored, so candidates come from the search index); with `--cache`, once
over the first `--articles` ids of a copy of a cache (the 100k import's: what its refresh
ran).

`quality` prints pair precision and recall on the tuning set (articles.json + pairs.tsv) and
on the held-out set (heldout.json), stored and grouped as a refresh does.

`upgrade` writes a cache as an early build did (schema 2, before stories) with `--articles` of
the generated corpus dated over the last `--days` (every fifth a copy of the one before, from
another source), then times opening it (every migration) and the first stories pass after
(`settle_intake` of a run with nothing new: the catch-up of its last days), on a fresh copy
each rep. Put an older checkout first on PYTHONPATH to time its upgrade.

`page` times one page of the list (100 rows, as the TUI asks) on a copy of a cache: the first
page and one deep in the list, grouped and not, in CPU time per page (median of `--reps`).
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import (
    REPO,
    Servers,
    ensure_corpus,
    log,
    manifest,
    median,
    newsdesk_cmd,
    scratch,
    write_feeds_config,
)


def measured(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MiB) of one child process."""
    t0 = time.perf_counter()
    quiet = subprocess.DEVNULL  # progress lines would fill a pipe nobody reads
    proc = subprocess.Popen(cmd, env=env, stdout=quiet, stderr=quiet)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{cmd} failed")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def cost(a: argparse.Namespace) -> None:
    before = Path(a.before).resolve()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(before / "tui")], check=True)
    corpus = ensure_corpus(a.feeds, a.items)
    feeds = manifest(corpus)["feeds"]
    names = [f["title"] for f in feeds]
    results: dict[str, list[tuple[float, float, float]]] = {s: [] for s in a.sides.split(",")}
    with Servers(Path(corpus), a.hosts, a.latency_ms) as servers:
        urls = servers.urls([f["file"] for f in feeds])
        for rep in range(a.reps):
            for side in a.sides.split(","):
                env = dict(os.environ)
                if side == "before":
                    env["PYTHONPATH"] = str(before)
                work = scratch("stories-")
                config = write_feeds_config(work / "feeds.toml", names, urls, [])
                cmd = [*newsdesk_cmd(), "--config", str(config), "--cache", str(work / "c")]
                if a.profile:
                    share = profiled([*cmd, "refresh"], env, work / "samples.txt")
                    log(f"rep {rep} {side}: detection {share:.1%} of the samples")
                    shutil.rmtree(work)
                    continue
                run = measured([*cmd, "refresh"], env)
                results[side].append(run)
                shutil.rmtree(work)
                load = os.getloadavg()[0]
                log(
                    f"rep {rep} {side}: wall {run[0]:.2f} s, CPU {run[1]:.2f} s, "
                    f"{run[2]:.1f} MiB, load {load:.1f}"
                )
    print(f"\n{a.feeds} feeds x {a.items}, {a.latency_ms} ms; medians of {a.reps}:")
    for side, runs in results.items() if not a.profile else ():
        walls, cpus, rss = zip(*runs, strict=True)
        print(
            f"  {side}: wall {median(walls):.2f} s, CPU {median(cpus):.2f} s, "
            f"peak RSS {max(rss):.1f} MiB"
        )


def profiled(cmd: list[str], env: dict[str, str], samples: Path) -> float:
    """Run `cmd` under py-spy; the share of its CPU samples inside detection: the pass
    (`group_stories`) and the keys computed as each article is written (`key_hashes`)."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    record = [spy, "record", "--subprocesses", "-r", "100", "-f", "raw", "-o", str(samples)]
    subprocess.run([*record, "--", *cmd], env=env, check=True, capture_output=True)
    total = inside = 0
    for line in samples.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        total += int(count)
        inside += int(count) if "group_stories" in stack or "key_hashes" in stack else 0
    return inside / max(1, total)


def detection_pass(a: argparse.Namespace) -> None:
    from corpus import build_cache  # the search bench's realistic cache

    from tui.store import Store
    from tui.stories.grouping import group_stories

    if a.cache:  # every article of a copy of a cache, as one run
        store = Store.open(Path(a.cache))
        ids = [t.id for t in store.story_texts(list(range(1, a.articles + 1)), 0)]
        timed(f"cold, every article of {a.cache}", lambda: group_stories(store, ids), len(ids))
        store.close()
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.db"
        build_cache(path, a.articles)
        store = Store.open(path)
        ids = sorted(t.id for t in store.story_texts(list(range(1, a.articles + 1)), 0))
        old, new = ids[: -a.new], ids[-a.new :]
        timed("cold, every article new", lambda: group_stories(store, old), len(old))
        timed(f"incremental, {a.new} new", lambda: group_stories(store, new), len(new))
        store.close()


def timed(label: str, run, count: int) -> None:
    cpu, wall = time.process_time(), time.perf_counter()
    joined = run()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{label}: {count} articles, wall {wall:.2f} s, CPU {cpu:.2f} s "
        f"({cpu / count * 1e6:.0f} us each), {joined} joined, process peak {peak:.0f} MiB, "
        f"load {os.getloadavg()[0]:.1f}"
    )


def quality(_: argparse.Namespace) -> None:
    sys.path.insert(0, str(REPO))
    from tests.stories.judged import judge

    for name, one_by_one in itertools.product(("tuning", "heldout"), (True, False)):
        with tempfile.TemporaryDirectory() as folder:
            result = judge(name, Path(folder) / "c.db", one_by_one=one_by_one)
        mode = "one refresh per article" if one_by_one else "one import of all"
        print(f"{name}, {mode}: {result.line()}")


def upgrade(a: argparse.Namespace) -> None:
    sys.path.append(str(REPO))  # the tests' early cache; the tui first on PYTHONPATH
    from corpus import CORPUS_END, YEAR, drafts

    from tests.old_cache import OldArticle, write_version_2_cache
    from tui.store import Store
    from tui.stories.grouping import settle_intake

    now, items = time.time(), drafts(a.articles)
    articles = [
        OldArticle(
            d.article.title,
            items[n - 1].article.body if n % 5 == 1 else d.article.body,
            now - (CORPUS_END - d.stamp) / YEAR * a.days * 86400,
            d.source,
            read=n % 2 == 0,
        )
        for n, d in enumerate(items)
    ]
    with tempfile.TemporaryDirectory() as folder:
        early = Path(folder) / "early.db"
        write_version_2_cache(early, articles)
        opened, passed = [], []
        for _ in range(a.reps):
            path = Path(folder) / "copy" / "newsdesk.db"
            shutil.rmtree(path.parent, ignore_errors=True)
            path.parent.mkdir()
            shutil.copy(early, path)
            took, store = clocked(Store.open, path)
            opened.append(took)
            passed.append(clocked(settle_intake, store, [])[0])
            store.close()
        grouped = sqlite3.connect(path).execute("SELECT count(story) FROM articles").fetchone()[0]
    for label, runs in (("open (the migrations)", opened), ("first stories pass", passed)):
        walls, cpus = zip(*runs, strict=True)
        print(f"{label}: wall {median(walls):.3f} s, CPU {median(cpus):.3f} s (median of {a.reps})")
    print(f"{a.articles} articles over {a.days} days; {grouped} in a story after the pass")


def clocked(func, *args):
    """((wall s, CPU s), result) of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = func(*args)
    return (time.perf_counter() - wall, time.process_time() - cpu), result


def page(a: argparse.Namespace) -> None:
    from tui.store import Store  # this checkout's, or the one first on PYTHONPATH
    from tui.store.rows import View

    store = Store.open(Path(a.cache))
    for view in (View(stories=True), View(), View(unread=True, stories=True)):
        deep = store.page(view, None, 1)[0].sort_key  # then half the view down
        for _ in range(5):
            deep = store.page(view, deep, 10_000)[-1].sort_key
        for label, after in (("first page", None), ("deep page", deep)):
            times = []
            for _ in range(a.reps):
                cpu = time.process_time()
                store.page(view, after, 100)
                times.append(time.process_time() - cpu)
            name = ("unread" if view.unread else "all") + (" grouped" if view.stories else "")
            print(
                f"{name}, {label}: {median(times) * 1e3:.2f} ms CPU per 100 rows "
                f"(median of {a.reps}), load {os.getloadavg()[0]:.1f}"
            )
    store.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="part", required=True)
    c = sub.add_parser("cost")
    c.add_argument("--before", required=True)
    c.add_argument("--feeds", type=int, default=200)
    c.add_argument("--items", type=int, default=50)
    c.add_argument("--hosts", type=int, default=4)
    c.add_argument("--latency-ms", type=float, default=50)
    c.add_argument("--reps", type=int, default=3)
    c.add_argument("--sides", default="before,after", help="which code to run, in this order")
    c.add_argument("--profile", action="store_true", help="detection's share, from py-spy")
    p = sub.add_parser("pass")
    p.add_argument("--articles", type=int, default=100_000)
    p.add_argument("--new", type=int, default=500)
    p.add_argument("--cache", help="instead: a copy of a cache, its --articles first ids")
    sub.add_parser("quality")
    g = sub.add_parser("page")
    g.add_argument("--cache", required=True, help="a copy: it is migrated to this schema")
    g.add_argument("--reps", type=int, default=200)
    u = sub.add_parser("upgrade")
    u.add_argument("--articles", type=int, default=12_000)
    u.add_argument("--days", type=float, default=365)
    u.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    parts = {"cost": cost, "pass": detection_pass, "quality": quality, "page": page}
    parts["upgrade"] = upgrade
    parts[a.part](a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
