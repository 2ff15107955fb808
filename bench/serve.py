#!/usr/bin/env python3
"""Loopback feed server with latency, validators (ETag/Last-Modified -> 304) and gzip.

    python bench/serve.py DIR [--host 127.0.0.1] [--port 0] [--latency-ms 50] [--no-gzip]

Prints "PORT <n>" on the first stdout line, then serves DIR. GET /__stats returns JSON counters
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
import os
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dir")
    ap.add_argument("--port", type=int, default=0, help="0 = ephemeral")
    ap.add_argument("--host", default="127.0.0.1", help="a loopback address (127.0.0.0/8)")
    ap.add_argument("--latency-ms", type=float, default=50.0)
    ap.add_argument("--no-gzip", action="store_true")
    a = ap.parse_args()
    if not a.host.startswith("127."):
        sys.exit("serve.py binds loopback addresses only")
    Handler.root = os.path.realpath(a.dir)
    Handler.latency = a.latency_ms / 1000.0
    Handler.use_gzip = not a.no_gzip
    ThreadingHTTPServer.request_queue_size = 256
    srv = ThreadingHTTPServer((a.host, a.port), Handler)
    srv.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"PORT {srv.server_address[1]}", flush=True)
    try:
        srv.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        srv.server_close()


if __name__ == "__main__":
    main()
