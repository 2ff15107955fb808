#!/usr/bin/env python3
"""The network floor of a refresh: a bare httpx client fetching the same feeds, nothing else.

    python bench/floor_client.py URLS --save VALIDATORS [--concurrency 8] [--per-host 2]
    python bench/floor_client.py URLS --validators VALIDATORS [--concurrency 8] [--per-host 2]

URLS holds one feed URL per line. With `--save`, every feed is downloaded unconditionally
(what a cold refresh downloads) and its ETag/Last-Modified are written to VALIDATORS (JSON).
With `--validators`, the same requests are sent conditionally (If-None-Match /
If-Modified-Since), as a warm refresh sends them. Either way the limits are newsdesk's: at
most `--concurrency` requests in flight, `--per-host` per host; bodies are read in full (and
decompressed, gzip being httpx's default) and then dropped: no parsing, no storing.

refresh_bench.py times this script as a whole process, like `newsdesk refresh`, so the ratio
of the two is what newsdesk costs beyond the network and the HTTP client. Prints one line:
`200 requests: HTTP 304 x200`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import httpx


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("urls", type=Path, help="one URL per line")
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--save", type=Path, help="fetch unconditionally, write validators here")
    what.add_argument("--validators", type=Path, help="fetch conditionally with these")
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--per-host", type=int, default=2)
    return ap.parse_args(argv)


async def fetch_all(
    urls: list[str], validators: dict[str, list[str | None]], concurrency: int, per_host: int
) -> list[httpx.Response]:
    """Every URL fetched with the limits: a global and a per-host semaphore."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    total = asyncio.Semaphore(concurrency)
    hosts: dict[str, asyncio.Semaphore] = {}

    async def one(client: httpx.AsyncClient, url: str) -> httpx.Response:
        etag, modified = validators.get(url, (None, None))
        headers = {"If-None-Match": etag} if etag else {}
        if modified:
            headers["If-Modified-Since"] = modified
        host = hosts.setdefault(urlsplit(url).netloc, asyncio.Semaphore(per_host))
        async with host, total:
            return await client.get(url, headers=headers)

    async with httpx.AsyncClient(limits=limits, timeout=20) as client:
        return await asyncio.gather(*(one(client, u) for u in urls))


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    urls = [u for u in a.urls.read_text().split() if u]
    known = json.loads(a.validators.read_text()) if a.validators else {}
    responses = asyncio.run(fetch_all(urls, known, a.concurrency, a.per_host))
    if a.save:
        found = {
            url: [r.headers.get("etag"), r.headers.get("last-modified")]
            for url, r in zip(urls, responses, strict=True)
        }
        a.save.write_text(json.dumps(found))
    statuses = Counter(r.status_code for r in responses)
    counts = ", ".join(f"HTTP {code} x{n}" for code, n in sorted(statuses.items()))
    print(f"{len(responses)} requests: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
