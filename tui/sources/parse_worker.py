"""A feed-parsing worker process: `python -m tui.sources.parse_worker`.

Reads length-prefixed pickled `(body, url, content_type, now)` requests on stdin and writes
the pickled `ParsedFeed`s on stdout, in order, with their articles' text-only store work done
(`tui.prepared`: this process has CPU to spare, the refresh process has not). Only newsdesk's
own refresh starts it and talks to it over a private pipe, so pickle is safe here.
"""

from __future__ import annotations

import contextlib
import fcntl
import pickle
import sys
from dataclasses import replace
from typing import BinaryIO

HEADER = 8
PIPE_SIZE = 1024 * 1024


def read_frame(stream: BinaryIO) -> bytes | None:
    """One length-prefixed frame, or None at end of input."""
    header = stream.read(HEADER)
    if len(header) < HEADER:
        return None
    return stream.read(int.from_bytes(header, "big"))


def frame(data: bytes) -> bytes:
    """`data` with its length prefix."""
    return len(data).to_bytes(HEADER, "big") + data


def serve(requests: BinaryIO, replies: BinaryIO) -> None:
    """Parse requests until the parent closes the pipe."""
    # Imported here: the refresh imports this module for `frame` and must not load the parsers.
    from tui.prepared import prepare
    from tui.sources.feeds import parse_feed

    while (request := read_frame(requests)) is not None:
        body, url, content_type, now = pickle.loads(request)
        result = parse_feed(body, url, content_type, now)
        result = replace(result, prepared=tuple(map(prepare, result.articles)))
        replies.write(frame(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)))
        replies.flush()


def widen_pipes(size: int = PIPE_SIZE) -> None:
    """Bigger pipe buffers (Linux): a feed body or a reply crosses in one write, not 2-4."""
    setsize = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setsize is None:
        return
    for stream in (sys.stdin, sys.stdout):
        with contextlib.suppress(OSError, ValueError):
            fcntl.fcntl(stream.fileno(), setsize, size)


if __name__ == "__main__":
    widen_pipes()
    serve(sys.stdin.buffer, sys.stdout.buffer)
