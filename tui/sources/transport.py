"""httpx's transport on plain asyncio sockets: the same HTTP, less work per request.

httpx's default network layer goes through anyio, which on every request rebuilds a table of
socket attributes for each pooled connection (to ask whether an idle one was closed) and
wraps every read and write in cancel scopes: in a 200-feed refresh that was a fifth of the
event loop's time. Here a connection is an asyncio protocol with its own buffer, so "was it
closed while idle" is a flag and a read is a buffer slice. HTTP itself (h11 through
httpcore's pool), redirects, TLS and error mapping stay httpx's; requests through a proxy go
through httpx's own transport (`tui.sources.network`).
"""

from __future__ import annotations

import asyncio
import importlib.util
import ssl
import sys
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from tui.sources.network import tls_context

_HIGH_WATER = 256 * 1024
"""Bytes buffered from a socket before it stops being read (until the reader catches up)."""


_EXTRA = frozenset({"ssl_object", "sockname", "peername"})


class Transport(httpx.AsyncHTTPTransport):
    """`httpx.AsyncHTTPTransport` whose connection pool uses `AsyncioBackend`."""

    def __init__(self, limits: httpx.Limits) -> None:
        # Not super().__init__: httpx takes no network backend, so its pool is built here
        # (everything else of the transport, the request and error mapping, is httpx's own).
        _fail_sniffio_at_once()
        self._pool = _Pool(
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=AsyncioBackend(),
        )


def _fail_sniffio_at_once() -> None:
    """httpcore tries `import sniffio` at each lock, event and shield it sets up (~4 a
    request); without sniffio installed every try searched sys.path again (24 us each, 5 %
    of the event loop's time in a cold refresh). A name mapped to None fails at once."""
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


class _Pool(httpcore.AsyncConnectionPool):
    """httpcore's pool, with the TLS context made at the first https origin: a refresh of
    plain-http feeds never loads the CA bundle (~1.6 MiB and ~18 ms)."""

    def create_connection(self, origin: httpcore.Origin) -> httpcore.AsyncConnectionInterface:
        if origin.scheme == b"https" and self._ssl_context is None:
            self._ssl_context = tls_context()
        return super().create_connection(origin)


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """Opens TCP connections as `_Connection`s."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        local = None if local_address is None else (local_address, 0)
        try:
            async with asyncio.timeout(timeout):
                transport, protocol = await loop.create_connection(
                    _Connection, host, port, local_addr=local, happy_eyeballs_delay=0.25
                )
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        sock = transport.get_extra_info("socket")
        for option in socket_options or ():
            sock.setsockopt(*option)
        return protocol

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class _Connection(asyncio.Protocol, httpcore.AsyncNetworkStream):
    """One socket: bytes buffered as they arrive, handed to httpcore as it reads."""

    def __init__(self) -> None:
        self._transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self._eof = False
        self._error: Exception | None = None
        self._readable: asyncio.Future[None] | None = None
        self._writable: asyncio.Future[None] | None = None

    # -- asyncio.Protocol: called by the event loop --------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        if len(self._buffer) > _HIGH_WATER and self._transport is not None:
            self._transport.pause_reading()
        self._wake_reader()

    def eof_received(self) -> bool:
        self._eof = True
        self._wake_reader()
        return False  # close the transport: HTTP/1.1 never writes after the server's EOF

    def connection_lost(self, exc: Exception | None) -> None:
        self._eof, self._error = True, exc
        self._wake_reader()
        self.resume_writing()

    def pause_writing(self) -> None:
        if self._writable is None:
            self._writable = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        waiter, self._writable = self._writable, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _wake_reader(self) -> None:
        waiter, self._readable = self._readable, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    # -- httpcore.AsyncNetworkStream: called by the connection pool ------------------------

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        if not self._buffer and not self._eof:
            self._readable = asyncio.get_running_loop().create_future()
            try:
                async with asyncio.timeout(timeout):
                    await self._readable
            except TimeoutError as exc:
                raise httpcore.ReadTimeout(str(exc)) from exc
        if not self._buffer and self._error is not None:
            raise httpcore.ReadError(str(self._error)) from self._error
        data = bytes(self._buffer[:max_bytes])
        del self._buffer[:max_bytes]
        if self._transport is not None and len(self._buffer) <= _HIGH_WATER:
            self._transport.resume_reading()
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if self._transport is None or self._transport.is_closing():
            raise httpcore.WriteError("connection closed")
        self._transport.write(buffer)
        if self._writable is not None:
            try:
                async with asyncio.timeout(timeout):
                    await self._writable
            except TimeoutError as exc:
                raise httpcore.WriteTimeout(str(exc)) from exc

    async def aclose(self) -> None:
        if self._transport is not None:
            self._transport.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        assert self._transport is not None
        loop = asyncio.get_running_loop()
        tls = _Connection()
        try:
            async with asyncio.timeout(timeout):
                transport = await loop.start_tls(
                    self._transport, tls, ssl_context, server_hostname=server_hostname
                )
        except TimeoutError as exc:
            self._transport.close()
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except (OSError, ssl.SSLError) as exc:
            self._transport.close()
            raise httpcore.ConnectError(str(exc)) from exc
        assert transport is not None
        tls.connection_made(transport)
        return tls

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":  # asked of idle connections: did the server close it?
            return self._eof or bool(self._buffer)
        if self._transport is None:
            return None
        name = {"client_addr": "sockname", "server_addr": "peername"}.get(info, info)
        return self._transport.get_extra_info(name) if name in _EXTRA else None
