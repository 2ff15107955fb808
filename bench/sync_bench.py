"""`newsdesk sync` against a real server: the first sync of 10,000 articles into an empty
cache, then a sync with nothing new (what every refresh with `[sync]` costs).

    python bench/sync_bench.py                      # coldsweat (Fever API), 10,000 articles
    python bench/sync_bench.py --service ttrss      # Tiny Tiny RSS (tests/sync/servers/ttrss-up.sh)
    python bench/sync_bench.py --articles 1000 --feeds 5

The servers are the sync tests' own (tests/sync/): coldsweat from .venv-coldsweat (see
.ci/run), Tiny Tiny RSS already running on loopback. The server's own intake of the feeds is
not measured. Each sync runs as a child process (`newsdesk sync --json`), timed wall to wall.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
INTAKE_TRIES = 3
"""Fetches of the feeds by the server at most, until it holds every article."""
sys.path.insert(0, str(REPO))

from tests.feedserver import FeedServer  # noqa: E402
from tests.sync import fever_server, ttrss_server  # noqa: E402
from tests.sync.conftest import feed_items  # noqa: E402
from tests.sync.proxy import Proxy  # noqa: E402
from tests.sync.sides import FeverSide, ServerSide, TtRssSide  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--service", choices=("fever", "ttrss"), default="fever")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--feeds", type=int, default=10)
    args = parser.parse_args()
    reason = (fever_server if args.service == "fever" else ttrss_server).unavailable()
    if reason:
        print(f"sync_bench: skipped: {reason}", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as tmp, FeedServer() as feeds:
        home = Path(tmp)
        server, stop = _server(args.service, home)
        try:
            per_feed = args.articles // args.feeds
            urls = {
                feeds.feed(f"/F{n}.xml", feed_items(f"F{n}", per_feed, feeds)): "News"
                for n in range(args.feeds)
            }
            started = time.perf_counter()
            server.add_feeds(urls)
            for _ in range(INTAKE_TRIES):  # a loaded server may stop a big feed half-read
                if (held := server.count()) >= per_feed * args.feeds:
                    break
                server.refetch()
            intake = time.perf_counter() - started
            config = home / "feeds.toml"
            config.write_text("[sync]\n" + server.sync_table())
            rows = [_sync(config, home, "first sync (empty cache)")]
            rows.append(_sync(config, home, "incremental sync, nothing new"))
        finally:
            stop()
    print(
        f"server: {args.service}; {args.feeds} feeds x {per_feed} articles, {held:,} on the "
        f"server; server intake {intake:.1f} s (not measured)"
    )
    print("| run | wall s | new articles | articles/s |")
    print("|---|---:|---:|---:|")
    for label, seconds, new in rows:
        rate = f"{new / seconds:,.0f}" if new else "-"
        print(f"| {label} | {seconds:.2f} | {new:,} | {rate} |")
    return 0


def _server(service: str, home: Path) -> tuple[ServerSide, object]:
    if service == "ttrss":
        proxy = Proxy(ttrss_server.URL)
        return TtRssSide(ttrss_server.new_user(), proxy), proxy.down
    coldsweat = fever_server.Coldsweat(home)
    return FeverSide(fever_server.FeverUser(coldsweat, home)), coldsweat.stop


def _sync(config: Path, home: Path, label: str) -> tuple[str, float, int]:
    env = {**os.environ, "NEWSDESK_CONFIG": str(config), "NEWSDESK_CACHE": str(home / "cache")}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tui", "sync", "--json"], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"sync_bench: {label}: {done.stderr.strip()}")
    return label, seconds, int(json.loads(done.stdout)["new"])


if __name__ == "__main__":
    raise SystemExit(main())
