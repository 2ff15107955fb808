#!/usr/bin/env python3
"""Issues 8 and 19, refresh: `newsdesk refresh` vs `newsboat -x reload` vs a bare httpx client.

    python bench/refresh_bench.py [--reps 3] [--feeds 200 --items 50] [--latency-ms 50]
                                  [--nb-threads 1,8] [--nb1-reps N] [--smoke] [--json OUT]
    python bench/refresh_bench.py --hosts 100 --latency-ms 10-300 --concurrency 4,8,16,32

The corpus (bench/gen_corpus.py) is served by bench/serve.py on four loopback hosts
(127.0.0.1-4, feed i on host i % 4) with the latency added to every request and
ETag/Last-Modified/304 support (`--hosts 100 --latency-ms 10-300`: 100 hosts, each with its
own latency between 10 and 300 ms). Per rep, in the same run and interleaved:

- newsdesk: a fresh --config/--cache; `newsdesk refresh` twice: cold (empty cache) and warm
  (every feed answers 304). The real CLI runs as a child process with default [settings].
- the floor: bench/floor_client.py, a bare httpx client with newsdesk's limits (concurrency,
  per host), as a whole process: the same downloads (cold), then the same 200 conditional
  requests (warm), nothing parsed or stored. The warm target is a ratio to it, per rep.
- newsboat: a fresh HOME/cache per `reload-threads` value; `newsboat -x reload` three times:
  cold, second (newsboat 2.21 stores validators only once the feed row exists, so this run
  downloads everything again) and warm (third run, all 304). Its best thread count is compared.

`--concurrency 4,8,16` runs newsdesk and the floor once per value (`concurrency = N`), without
newsboat: how many sources at once pay off on a topology (with `--hosts` and a latency spread).

Wall time around each process, peak RSS from wait4. Targets (issue 19): cold <= 0.6x newsboat's
time and at most its peak RSS; warm <= 1.15x the floor's time.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from common import (
    Row,
    Servers,
    add_setting_arg,
    count_articles,
    emit,
    ensure_corpus,
    log,
    manifest,
    measure,
    median,
    newsboat,
    newsboat_env,
    newsboat_reload_cmd,
    newsdesk_cmd,
    scratch,
    setting_value,
    write_feeds_config,
)

PHASES = ("cold", "second", "warm")
FLOOR = Path(__file__).resolve().with_name("floor_client.py")
COLD_VS_NEWSBOAT = 0.6
WARM_VS_FLOOR = 1.15


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--hosts", type=int, default=4)
    ap.add_argument("--latency-ms", default="50", help="per request; MIN-MAX: one per host")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--nb-threads", default="1,8", help="newsboat reload-threads values")
    ap.add_argument("--nb1-reps", type=int, help="reps for reload-threads 1 (default --reps)")
    ap.add_argument("--no-newsboat", action="store_true")
    ap.add_argument("--no-floor", action="store_true", help="skip the bare httpx client")
    ap.add_argument(
        "--concurrency", help="newsdesk `concurrency` values to compare (no newsboat), e.g. 4,8,16"
    )
    ap.add_argument("--smoke", action="store_true", help="10 feeds x 5 items, 3 reps")
    ap.add_argument("--json", help="write the result rows here (for run_all)")
    add_setting_arg(ap)
    a = ap.parse_args(argv)
    if a.smoke:
        a.feeds, a.items = 10, 5
    if a.concurrency:
        a.no_newsboat = True
    return a


# --------------------------------------------------------------------------- one side each


def newsdesk_rep(servers: Servers, names: list[str], urls: list[str], settings: list[str]) -> dict:
    """Cold then warm `newsdesk refresh` on a fresh config and cache."""
    work = scratch("refresh-nd-")
    config = write_feeds_config(work / "feeds.toml", names, urls, settings)
    base = [*newsdesk_cmd(), "--config", str(config), "--cache", str(work / "cache")]
    servers.take_stats()
    out = {}
    for phase in ("cold", "warm"):
        run = measure([*base, "refresh"])
        out[phase] = {"run": run, "http": servers.take_stats(), "line": run.stdout.strip()}
    out["articles"] = count_articles(work / "cache" / "newsdesk.db")
    shutil.rmtree(work)
    return out


def floor_rep(urls: list[str], concurrency: int, per_host: int) -> dict:
    """The bare httpx client: every feed downloaded (cold), then asked conditionally (warm)."""
    work = scratch("refresh-floor-")
    (work / "urls").write_text("".join(u + "\n" for u in urls))
    base = [sys.executable, str(FLOOR), str(work / "urls"), "--concurrency", str(concurrency)]
    base += ["--per-host", str(per_host)]
    validators = str(work / "validators.json")
    out = {}
    for phase, arg in (("cold", "--save"), ("warm", "--validators")):
        run = measure([*base, arg, validators])
        out[phase] = {"run": run, "line": run.stdout.strip()}
    shutil.rmtree(work)
    return out


def newsboat_rep(servers: Servers, urls: list[str], threads: int) -> dict:
    """Cold, second and warm `newsboat -x reload` on a fresh HOME."""
    work = scratch(f"refresh-nb{threads}-")
    cmd = newsboat_reload_cmd(work, urls, threads)
    servers.take_stats()
    out = {}
    for phase in PHASES:
        run = measure(cmd, env=newsboat_env(work), cwd=work)
        out[phase] = {"run": run, "http": servers.take_stats()}
    shutil.rmtree(work)
    return out


# --------------------------------------------------------------------------- the run


def run_all_reps(
    a: argparse.Namespace, servers: Servers, feeds: list[dict], settings: list[str]
) -> tuple[list, list, dict]:
    names = [f["title"] for f in feeds]
    urls = servers.urls([f["file"] for f in feeds])
    threads = [] if a.no_newsboat or not newsboat() else [int(t) for t in a.nb_threads.split(",")]
    nd: list[dict] = []
    floor: list[dict] = []
    nb: dict[int, list[dict]] = {t: [] for t in threads}
    limits = (int(setting_value(settings, "concurrency")), int(setting_value(settings, "per_host")))
    for rep in range(a.reps):
        nd.append(newsdesk_rep(servers, names, urls, settings))
        log(
            f"refresh rep {rep}: newsdesk cold {nd[-1]['cold']['run'].wall_s:.2f} s, "
            f"warm {nd[-1]['warm']['run'].wall_s:.2f} s ({nd[-1]['warm']['line']})"
        )
        if not a.no_floor:
            floor.append(floor_rep(urls, *limits))
            cold, warm = (floor[-1][p]["run"].wall_s for p in ("cold", "warm"))
            log(
                f"refresh rep {rep}: bare httpx client {limits[0]}/{limits[1]}: cold {cold:.2f} s, "
                f"warm {warm:.2f} s ({floor[-1]['warm']['line']})"
            )
        for t in threads:
            if t == 1 and a.nb1_reps is not None and rep >= a.nb1_reps:
                continue
            nb[t].append(newsboat_rep(servers, urls, t))
            walls = ", ".join(f"{p} {nb[t][-1][p]['run'].wall_s:.2f} s" for p in PHASES)
            log(f"refresh rep {rep}: newsboat threads {t}: {walls}")
    return nd, floor, nb


def walls(reps: list[dict], phase: str) -> list[float]:
    return [r[phase]["run"].wall_s for r in reps]


def cpu(reps: list[dict], phase: str) -> list[float]:
    return [r[phase]["run"].cpu_s for r in reps]


def rss(reps: list[dict], phase: str) -> list[float]:
    return [r[phase]["run"].peak_rss_mib for r in reps]


def best_threads(nb: dict[int, list[dict]], phase: str) -> int | None:
    """The reload-threads value with the lowest median wall time for `phase`."""
    timed = {t: median(walls(reps, phase)) for t, reps in nb.items() if reps}
    return min(timed, key=timed.__getitem__) if timed else None


def http_note(rep: dict, phase: str) -> str:
    h = rep[phase]["http"]
    return f"HTTP 200/304: {h.get('200', 0)}/{h.get('304', 0)}"


def build_rows(
    a: argparse.Namespace, nd: list[dict], floor: list[dict], nb: dict[int, list[dict]], item: str
) -> list[Row]:
    rows = []
    specs = (("cold", COLD_VS_NEWSBOAT, f"<= {COLD_VS_NEWSBOAT}x newsboat"), ("warm", None, ""))
    for phase, factor, target in specs:
        t = best_threads(nb, phase)
        theirs = walls(nb[t], phase) if t is not None else []
        row = Row(item, f"{phase} wall (s)", walls(nd, phase), theirs, target)
        if theirs:
            if factor is not None:
                row.met = median(row.ours) <= factor * median(theirs)
            others = [
                f"threads {k}: {median(walls(v, phase)):.2f} s"
                for k, v in nb.items()
                if k != t and v
            ]
            row.note = "; ".join([f"newsboat best = reload-threads {t}", *others])
        row.note = "; ".join(x for x in (row.note, "newsdesk " + http_note(nd[-1], phase)) if x)
        rows.append(row)
        theirs_cpu = cpu(nb[t], phase) if t is not None else []
        note = "user + system; newsdesk with its parser process"
        rows.append(Row(item, f"{phase} CPU (s)", cpu(nd, phase), theirs_cpu, note=note))
        theirs_rss = rss(nb[t], phase) if t is not None else []
        rss_row = Row(item, f"{phase} peak RSS (MiB)", rss(nd, phase), theirs_rss, digits=1)
        if phase == "cold" and theirs_rss:
            rss_row.target = "<= newsboat"
            rss_row.met = median(rss_row.ours) <= median(theirs_rss)
        rows.append(rss_row)
    rows += floor_rows(item, nd, floor)
    if nb:
        t = best_threads(nb, "second")
        rows.append(
            Row(
                item,
                "newsboat 2nd run (s)",
                [],
                walls(nb[t], "second"),
                note=f"re-downloads everything: {http_note(nb[t][-1], 'second')}",
            )
        )
    rows.append(consistency_row(item, a, nd))
    return rows


def floor_rows(item: str, nd: list[dict], floor: list[dict]) -> list[Row]:
    """The bare httpx client's times (in the newsdesk columns: it is not newsboat) and
    newsdesk's time over it, rep by rep (both ran back to back)."""
    if not floor:
        return []
    rows = []
    for phase in ("cold", "warm"):
        note = f"not newsdesk: httpx alone, same limits ({floor[-1][phase]['line']})"
        rows.append(Row(item, f"bare httpx client {phase} (s)", walls(floor, phase), note=note))
        ratios = [n / f for n, f in zip(walls(nd, phase), walls(floor, phase), strict=False)]
        row = Row(item, f"{phase} / bare httpx client", ratios, note="newsdesk / floor, per rep")
        if phase == "warm":
            row.target, row.met = f"<= {WARM_VS_FLOOR}", median(ratios) <= WARM_VS_FLOOR
        rows.append(row)
    return rows


def consistency_row(item: str, a: argparse.Namespace, nd: list[dict]) -> Row:
    """Articles stored after the cold run (must be feeds x items)."""
    got = [float(r["articles"]) for r in nd]
    expected = a.feeds * a.items
    return Row(
        item,
        "articles stored",
        got,
        target=f"= {expected}",
        met=all(g == expected for g in got),
        note=nd[-1]["cold"]["line"],
        digits=0,
    )


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    corpus = ensure_corpus(a.feeds, a.items)
    feeds = manifest(corpus)["feeds"]
    where = f"{a.hosts} loopback hosts, {a.latency_ms} ms latency"
    log(f"refresh: {a.feeds} feeds x {a.items} items, {where}")
    item = f"1 refresh {a.feeds}x{a.items}"
    runs = [(item, a.setting)]
    if a.concurrency:
        values = [int(v) for v in a.concurrency.split(",")]
        runs = [(f"{item} c={v}", [*a.setting, f"concurrency={v}"]) for v in values]
    rows: list[Row] = []
    with Servers(Path(corpus), a.hosts, a.latency_ms) as servers:
        for name, settings in runs:
            nd, floor, nb = run_all_reps(a, servers, feeds, settings)
            rows += build_rows(a, nd, floor, nb, name)
    emit(rows, a.json, f"Refresh: {a.feeds} feeds x {a.items} items, {where}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
