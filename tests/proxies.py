"""Proxies on 127.0.0.1 for tests: a SOCKS5 server that relays (as `ssh -D` does) and an HTTP
proxy that asks for a password (407). Both relay to loopback addresses only."""

from __future__ import annotations

import ipaddress
import select
import socket
import struct
import threading
from typing import Self

_RELAY_SECONDS = 10.0
"""A relay idle this long ends: no test waits on one."""


class _Server:
    """A threaded TCP server on 127.0.0.1; each connection handled by `handle` on a thread."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.sock.getsockname()[1])
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:  # stopped
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client: socket.socket) -> None:
        with client:
            try:
                client.settimeout(_RELAY_SECONDS)
                self.handle(client)
            except OSError:
                pass

    def handle(self, client: socket.socket) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        self.sock.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class SocksServer(_Server):
    """SOCKS5 without authentication, CONNECT only; `targets` lists the addresses asked for."""

    def __init__(self) -> None:
        self.targets: list[tuple[str, int]] = []
        super().__init__()

    def url(self, scheme: str = "socks5") -> str:
        return f"{scheme}://127.0.0.1:{self.port}"

    def handle(self, client: socket.socket) -> None:
        _, methods = _take(client, 2)
        _take(client, methods)
        client.sendall(b"\x05\x00")  # no authentication
        _, command, _, kind = _take(client, 4)
        if kind == 1:
            host = socket.inet_ntoa(_take(client, 4))
        elif kind == 3:
            host = _take(client, _take(client, 1)[0]).decode()
        else:
            host = socket.inet_ntop(socket.AF_INET6, _take(client, 16))
        (port,) = struct.unpack("!H", _take(client, 2))
        self.targets.append((host, port))
        if command != 1 or not ipaddress.ip_address(host).is_loopback:
            client.sendall(b"\x05\x02\x00\x01" + bytes(6))  # not allowed
            return
        try:
            upstream = socket.create_connection((host, port), timeout=_RELAY_SECONDS)
        except OSError:
            client.sendall(b"\x05\x05\x00\x01" + bytes(6))  # connection refused
            return
        with upstream:
            client.sendall(b"\x05\x00\x00\x01" + bytes(6))
            _relay(client, upstream)


class PasswordProxy(_Server):
    """An HTTP proxy that answers every request and tunnel with 407; `heads` are the requests'
    first lines and headers as it got them."""

    def __init__(self) -> None:
        self.heads: list[bytes] = []
        super().__init__()

    def url(self, credentials: str = "") -> str:
        return f"http://{credentials}127.0.0.1:{self.port}"

    def handle(self, client: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head and (data := client.recv(65536)):
            head += data
        self.heads.append(head)
        client.sendall(
            b"HTTP/1.1 407 Proxy Authentication Required\r\n"
            b'Proxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n'
            b"Connection: close\r\n\r\n"
        )


def _take(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("closed early")
        data += chunk
    return data


def _relay(a: socket.socket, b: socket.socket) -> None:
    """Bytes both ways until one side closes or both are idle for `_RELAY_SECONDS`."""
    while True:
        ready, _, _ = select.select([a, b], [], [], _RELAY_SECONDS)
        if not ready:
            return
        for sock in ready:
            data = sock.recv(65536)
            if not data:
                return
            (b if sock is a else a).sendall(data)
