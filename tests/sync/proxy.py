"""A real TCP forwarder on 127.0.0.1 in front of a shared server: `down()` closes its port
(connections are refused, as from a server that is down) and `up()` opens the same port
again, so a test can take "the server" away without stopping it for the other tests. It
counts the HTTP requests it forwards (a request is never pipelined: each starts a packet).
With `rewrite` or `trickle` set it speaks HTTP instead (`tests/sync/answers.py`): the real
server's answers, rewritten or sent a byte at a time."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

from tests.sync.answers import Rewrite, exchange


class Proxy:
    """Forwards 127.0.0.1:PORT to the target URL's host and port."""

    def __init__(self, target_url: str) -> None:
        parts = urlsplit(target_url)
        self.target = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.parts = parts
        self.listener: socket.socket | None = None
        self.port = 0
        self.requests = 0
        self.rewrite: Rewrite | None = None
        self.trickle: float | None = None
        """Seconds between two bytes of every answer (None: as fast as it comes)."""
        self.cut = False
        """Hang up halfway through every answer."""
        self.up()

    @property
    def url(self) -> str:
        """The target URL with this proxy's port."""
        return urlunsplit(self.parts._replace(netloc=f"127.0.0.1:{self.port}"))

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        if self.listener is not None:
            # shutdown first: a close alone leaves the accept() already waiting to take
            # one more connection
            self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # closed by down()
                return
            if self.rewrite is not None or self.trickle is not None or self.cut:
                self.requests += 1
                args = (client, self.target, self.rewrite, self.trickle, self.cut)
                threading.Thread(target=exchange, args=args, daemon=True).start()
                continue
            server = socket.create_connection(self.target)
            for a, b, count in ((client, server, self._count), (server, client, None)):
                threading.Thread(target=_pipe, args=(a, b, count), daemon=True).start()

    def _count(self, data: bytes) -> None:
        self.requests += data.startswith((b"GET ", b"POST "))


def _pipe(
    source: socket.socket, sink: socket.socket, count: Callable[[bytes], None] | None
) -> None:
    try:
        while data := source.recv(65536):
            if count is not None:
                count(data)
            sink.sendall(data)
    except OSError:
        pass  # the other side hung up
    finally:
        for sock in (source, sink):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed
