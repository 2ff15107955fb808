"""The forwarder's HTTP mode (`tests/sync/proxy.py`): one request per connection, passed to
the real server, whose answer the test may rewrite (a malformed value, a huge body) or have
trickle back a byte at a time (a server too slow to ever finish). Everything else about the
answer (status, headers) is the real server's; `cut` sends half the answer, then hangs up."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

Rewrite = Callable[[bytes, bytes], bytes]
"""(the whole request, the answer's body) -> the body to send instead."""


def exchange(
    client: socket.socket,
    target: tuple[str, int],
    rewrite: Rewrite | None,
    trickle: float | None,
    cut: bool = False,
) -> None:
    """Answer one request on `client` with the server's answer, rewritten."""
    with client:
        request = _request(client)
        if request is None:
            return
        with socket.create_connection(target) as server:
            server.sendall(request)
            answer = _read_all(server)
        head, _, body = answer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        if any(line.lower() == b"transfer-encoding: chunked" for line in lines):
            body = _dechunk(body)
        if rewrite is not None:
            body = rewrite(request, body)
        kept = [line for line in lines[1:] if not line.lower().startswith(_DROPPED)]
        out = b"\r\n".join([lines[0], *kept, b"Content-Length: %d" % len(body)])
        out += b"\r\nConnection: close\r\n\r\n" + body
        if cut:
            out = out[: len(out) - len(body) // 2 - 1]
        try:
            _send(client, out, trickle)
        except OSError:
            pass  # the client gave up


_DROPPED = (b"content-length:", b"transfer-encoding:", b"connection:", b"content-encoding:")


def _request(client: socket.socket) -> bytes | None:
    """The request, sent on with `Connection: close` and no compression."""
    request = read_request(client)
    if request is None:
        return None
    head, _, body = request.partition(b"\r\n\r\n")
    kept = [
        line
        for line in head.split(b"\r\n")
        if not line.lower().startswith((b"connection:", b"accept-encoding:"))
    ]
    return b"\r\n".join([*kept, b"Connection: close", b"Accept-Encoding: identity"]) + (
        b"\r\n\r\n" + body
    )


def read_request(client: socket.socket) -> bytes | None:
    """One whole request as it came (head and `Content-Length` body), or None if the client
    hung up before sending it."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = client.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        (
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    while len(body) < length:
        chunk = client.recv(65536)
        if not chunk:
            return None
        body += chunk
    return head + b"\r\n\r\n" + body


def _read_all(server: socket.socket) -> bytes:
    parts = []
    while chunk := server.recv(65536):
        parts.append(chunk)
    return b"".join(parts)


def _dechunk(body: bytes) -> bytes:
    out, rest = b"", body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2 :]
    return out


def _send(client: socket.socket, data: bytes, trickle: float | None) -> None:
    if trickle is None:
        client.sendall(data)
        return
    for i in range(len(data)):  # the slow server's pace, not the test's
        client.sendall(data[i : i + 1])
        time.sleep(trickle)
