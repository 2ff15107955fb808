#!/usr/bin/env python3
"""Loopback feed server with latency, validators (ETag/Last-Modified -> 304) and gzip.

    python bench/serve.py DIR [--host 127.0.0.1] [--port 0] [--latency-ms 50] [--no-gzip]
    python bench/serve.py DIR --hosts 100 [--latency-ms 10-300]

Prints "PORT <n>" on the first stdout line, then serves DIR. With `--hosts N` one process
serves N loopback hosts (127.0.0.1 .. 127.0.0.N, each on its own port) and prints
"PORTS 127.0.0.1:<n> 127.0.0.2:<n> ..." instead; a `MIN-MAX` latency then gives each host its
own fixed latency, spread log-uniformly (seeded: the same hosts get the same latencies every
run), like feeds scattered over near and far servers. GET /__stats returns JSON counters
({"200": n, "304": n, "gzip": n, ...}); GET /__reset zeroes them. SIGTERM/SIGINT exit cleanly.

Ported from the shared reference harness (/work/shared/bench/serve.py, standard library only)
so that CI can run on a clean clone. Same behaviour: a sleep per request for the latency,
keep-alive, TCP_NODELAY (no 40 ms Nagle/delayed-ACK stalls), responses cached in memory.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import os
import random
import signal
import sys
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATS: dict[str, int] = {}
LOCK = threading.Lock()
CACHE: dict[str, tuple] = {}  # path -> (mtime, size, etag, last_modified, raw, gz); static files


def count(key: str) -> None:
    """Bump one counter of /__stats."""
    with LOCK:
        STATS[key] = STATS.get(key, 0) + 1


def load(path: str) -> tuple:
    """(mtime, size, etag, last_modified, raw, gzipped) of a file, cached while unchanged."""
    st = os.stat(path)
    hit = CACHE.get(path)
    if hit and hit[0] == st.st_mtime_ns and hit[1] == st.st_size:
        return hit
    with open(path, "rb") as f:
        raw = f.read()
    etag = f'"{hashlib.sha1(raw).hexdigest()[:16]}"'
    lastmod = formatdate(int(st.st_mtime), usegmt=True)
    ent = (st.st_mtime_ns, st.st_size, etag, lastmod, raw, gzip.compress(raw, 6, mtime=0))
    CACHE[path] = ent
    return ent


def is_fresh(headers, etag: str, lastmod: str) -> bool:
    """Whether the request's validators match (-> 304)."""
    inm, ims = headers.get("If-None-Match"), headers.get("If-Modified-Since")
    if inm is not None:
        return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
    if ims is None:
        return False
    try:
        return parsedate_to_datetime(ims).timestamp() >= parsedate_to_datetime(lastmod).timestamp()
    except (TypeError, ValueError):
        return False


class Handler(BaseHTTPRequestHandler):
    """Static files with validators, gzip and simulated latency."""

    protocol_version = "HTTP/1.1"  # keep-alive
    disable_nagle_algorithm = True
    wbufsize = 1 << 16  # headers + body leave in one write, flushed per request
    root = "."
    latency = 0.05
    use_gzip = True

    def log_message(self, format, *args):  # noqa: A002 - quiet
        pass

    def _send(self, code: int, body: bytes = b"", headers=(), counted: bool = True) -> None:
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        if counted:
            count(str(code))

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        p = self.path.split("?", 1)[0]
        if p == "/__stats":
            body = json.dumps(STATS).encode()
            return self._send(200, body, [("Content-Type", "application/json")], False)
        if p == "/__reset":
            with LOCK:
                STATS.clear()
            return self._send(200, b"ok", counted=False)
        time.sleep(self.latency)  # simulated network round trip
        path = os.path.realpath(os.path.join(self.root, p.lstrip("/")))
        if not path.startswith(self.root + os.sep) or not os.path.isfile(path):
            return self._send(404, b"not found")
        self._send_file(path)

    def _send_file(self, path: str) -> None:
        _, _, etag, lastmod, raw, gz = load(path)
        hdrs = [("ETag", etag), ("Last-Modified", lastmod)]
        if is_fresh(self.headers, etag, lastmod):
            return self._send(304, b"", hdrs)
        ctype = "application/atom+xml" if b"<feed" in raw[:200] else "application/rss+xml"
        hdrs.append(("Content-Type", ctype + "; charset=utf-8"))
        if self.use_gzip and "gzip" in self.headers.get("Accept-Encoding", ""):
            count("gzip")
            hdrs += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
            return self._send(200, gz, hdrs)
        self._send(200, raw, hdrs)


def latencies(spec: str, hosts: int, seed: int = 7) -> list[float]:
    """Seconds per host: `50` for all, or `MIN-MAX` spread log-uniformly over the hosts."""
    low, _, high = spec.partition("-")
    if not high:
        return [float(low) / 1000.0] * hosts
    rng = random.Random(seed)
    lo, hi = math.log(float(low)), math.log(float(high))
    return [math.exp(rng.uniform(lo, hi)) / 1000.0 for _ in range(hosts)]


def server(host: str, port: int, latency: float) -> ThreadingHTTPServer:
    """A threaded server on `host` whose handler waits `latency` seconds per request."""
    handler = type("HostHandler", (Handler,), {"latency": latency})
    srv = ThreadingHTTPServer((host, port), handler)
    srv.daemon_threads = True
    return srv


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dir")
    ap.add_argument("--port", type=int, default=0, help="0 = ephemeral")
    ap.add_argument("--host", default="127.0.0.1", help="a loopback address (127.0.0.0/8)")
    ap.add_argument("--hosts", type=int, default=0, help="serve 127.0.0.1 .. 127.0.0.N")
    ap.add_argument("--latency-ms", default="50", help="50, or MIN-MAX spread over --hosts")
    ap.add_argument("--no-gzip", action="store_true")
    a = ap.parse_args()
    if not a.host.startswith("127."):
        sys.exit("serve.py binds loopback addresses only")
    Handler.root = os.path.realpath(a.dir)
    Handler.use_gzip = not a.no_gzip
    ThreadingHTTPServer.request_queue_size = 256
    hosts = [f"127.0.0.{i + 1}" for i in range(a.hosts)] if a.hosts else [a.host]
    delays = latencies(a.latency_ms, len(hosts))
    servers = [server(h, a.port, d) for h, d in zip(hosts, delays, strict=True)]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if a.hosts:
        addrs = " ".join(f"{h}:{s.server_address[1]}" for h, s in zip(hosts, servers, strict=True))
        print(f"PORTS {addrs}", flush=True)
    else:
        print(f"PORT {servers[0].server_address[1]}", flush=True)
    for srv in servers[1:]:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        servers[0].serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        for srv in servers:
            srv.server_close()


if __name__ == "__main__":
    main()
