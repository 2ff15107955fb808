"""A raw-socket server on 127.0.0.1 for what no real server does on its own: each path
answers with bytes the test wrote (a redirect, an error), and every request the server got
is kept whole, so a test can tell what a server was never sent."""

from __future__ import annotations

import socket
import threading

from tests.sync.answers import read_request

NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


def redirect(status: int, location: str) -> bytes:
    """An answer sending the client to `location`."""
    return (
        f"HTTP/1.1 {status} Moved\r\nLocation: {location}\r\nContent-Length: 0\r\n"
        "Connection: close\r\n\r\n"
    ).encode()


class Canned:
    """Answers one request per connection, one connection at a time, by path (no query)."""

    def __init__(self) -> None:
        self.answers: dict[str, bytes] = {}
        self.received: list[bytes] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.listener.close()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:  # closed
                return
            with client:
                request = read_request(client)
                if request is None:
                    continue
                self.received.append(request)
                path = request.split(b" ", 2)[1].split(b"?")[0].decode()
                client.sendall(self.answers.get(path, NOT_FOUND))
