"""Where feed bodies are parsed: in a worker process when many arrive at once.

Parsing is CPU work that holds the GIL, and the refresh's writer thread needs the GIL back
after every SQLite step, so parsing in threads starves the writer. A refresh of many feeds
parses in a child process (`tui.sources.parse_worker`, a clean interpreter started with
`python -m`, so nothing of a running TUI or of the caller's main script is copied or re-run);
a refresh of a few feeds parses inline, where a process would cost more to start than it
saves. The process starts with the downloads when most feeds are expected to send a body
(`start`), else with the first body: a refresh whose feeds all answer "not modified" never
starts it. If the worker cannot start or dies, parsing falls back to threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import pickle
import sys
from collections import deque
from datetime import datetime
from typing import TYPE_CHECKING

from tui.sources.parse_worker import HEADER, frame

if TYPE_CHECKING:
    from tui.sources.parsed import ParsedFeed

WORKER_AT_LEAST = 16
"""Web sources in one refresh before a parser process pays for its start-up (~0.2 s)."""
INLINE_BELOW = 64 * 1024
"""Without a worker, bodies smaller than this are parsed on the event loop, larger in a thread."""


IN_FLIGHT = 3
"""Requests sent to the worker before its first answer comes back."""


class WorkerGone(Exception):
    """The parser process exited or could not be started."""


class FeedParsing:
    """Parses feed bodies for one refresh run."""

    def __init__(self, expected_feeds: int) -> None:
        self._worker: _Worker | None = None
        if expected_feeds >= WORKER_AT_LEAST:
            self._worker = _Worker()  # started by `start`, else by the first body

    async def start(self, unknown_feeds: int) -> None:
        """Start the worker process now if `unknown_feeds` (feeds without validators, as at a
        first refresh: their bodies are coming) pay for it, so its imports overlap the
        caller's own and the first downloads; else the first body starts it. Returns once
        the process exists, before it is ready."""
        if self._worker is not None and unknown_feeds >= WORKER_AT_LEAST:
            await asyncio.shield(self._worker.start())

    @property
    def uses_worker(self) -> bool:
        """True while parsing goes to a worker process."""
        return self._worker is not None

    async def parse(
        self, body: bytes, url: str, content_type: str | None, now: datetime | None
    ) -> ParsedFeed:
        """The parsed feed; never raises for what the body holds (see `parse_feed`)."""
        if self._worker is not None:
            try:
                return await self._worker.parse(body, url, content_type, now)
            except WorkerGone:
                self._worker = None
        from tui.sources.feeds import parse_feed  # lxml and feedparser load on first use

        if len(body) < INLINE_BELOW:
            return parse_feed(body, url, content_type, now)
        return await asyncio.to_thread(parse_feed, body, url, content_type, now)

    async def aclose(self) -> None:
        """Stop the worker process; from then on, parsing runs in this process."""
        worker, self._worker = self._worker, None
        if worker is not None:
            await worker.aclose()


class _Worker:
    """One child process; requests are pipelined and answered in order."""

    def __init__(self) -> None:
        self._process: asyncio.subprocess.Process | None = None
        self._pending: deque[asyncio.Future[ParsedFeed]] = deque()
        self._reader: asyncio.Task[None] | None = None
        self._starting: asyncio.Future[None] | None = None
        # A few requests queued ahead keep the worker busy without piling bodies in pipes.
        self._in_flight = asyncio.Semaphore(IN_FLIGHT)

    async def parse(
        self, body: bytes, url: str, content_type: str | None, now: datetime | None
    ) -> ParsedFeed:
        process = await self._start()
        async with self._in_flight:
            request = pickle.dumps((body, url, content_type, now), pickle.HIGHEST_PROTOCOL)
            future: asyncio.Future[ParsedFeed] = asyncio.get_running_loop().create_future()
            self._pending.append(future)
            try:
                assert process.stdin is not None  # created with a pipe
                process.stdin.write(frame(request))
                await process.stdin.drain()
            except (ConnectionError, RuntimeError) as exc:
                raise WorkerGone(str(exc)) from None
            return await future

    def start(self) -> asyncio.Future[None]:
        """Start the process in the background (once); needs a running event loop. The
        future is done when the process exists."""
        if self._starting is None:
            self._starting = asyncio.ensure_future(self._spawn())
        return self._starting

    async def _start(self) -> asyncio.subprocess.Process:
        await asyncio.shield(self.start())  # the first caller starts it; the others await it
        if self._process is None:
            raise WorkerGone("parser process unavailable")
        return self._process

    async def _spawn(self) -> None:
        try:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tui.sources.parse_worker",
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL,  # never onto a TUI's screen
            )
        except OSError:
            return  # no worker here: callers fall back to threads
        self._reader = asyncio.create_task(self._read_replies())

    async def _read_replies(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        stdout = self._process.stdout
        try:
            while True:
                header = await stdout.readexactly(HEADER)
                data = await stdout.readexactly(int.from_bytes(header, "big"))
                future = self._pending.popleft()
                if not future.done():
                    future.set_result(pickle.loads(data))
        except (asyncio.IncompleteReadError, ConnectionError, IndexError):
            self._fail_pending()

    def _fail_pending(self) -> None:
        self._process = None
        while self._pending:
            future = self._pending.popleft()
            if not future.done():
                future.set_exception(WorkerGone("parser process exited"))

    async def aclose(self) -> None:
        if self._starting is not None:  # a process still starting must not be left behind
            with contextlib.suppress(Exception):
                await asyncio.shield(self._starting)
        process, self._process = self._process, None
        if process is not None and process.stdin is not None:
            process.stdin.close()
            with contextlib.suppress(ProcessLookupError):
                await asyncio.wait_for(process.wait(), timeout=5)
        if self._reader is not None:
            self._reader.cancel()
        self._fail_pending()
