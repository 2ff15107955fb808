"""ctrl+c, `kill` (SIGTERM) and a closed terminal (SIGHUP) stop newsdesk alike, with the exit
status a shell gives a program the signal ended (130, 143, 129).

A command: each raises what ctrl+c raises where the command is (`KeyboardInterrupt`; inside
`asyncio.run`, its main task cancelled first), so each cleans up the same (an export's hidden
`.part` file is removed, a refresh says how far it got). The TUI quits on them as `q` does.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from types import FrameType

ENDING = (signal.SIGTERM, signal.SIGHUP)
ENDING_GRACE = 5.0
"""Seconds the TUI may take to quit on a signal once its state is written."""
SIGNALLED = 128
"""An exit status for a signal is this plus its number, as a shell reports a killed program."""
_received = [signal.SIGINT]


@contextmanager
def stopping_as_ctrl_c(grace: float | None = None) -> Iterator[None]:
    """Inside, SIGTERM and SIGHUP do what ctrl+c does; after, what they did before (where
    signals can be handled: the main thread; `main` run in another, as a test may, leaves
    them as they are). With `grace`, the process ends that many seconds after one of them
    whatever it does then (the TUI: see `end_within`)."""
    handler = _as_ctrl_c if grace is None else partial(_ending, grace)
    before = {number: signal.getsignal(number) for number in ENDING}
    try:
        for number in ENDING:
            signal.signal(number, handler)
    except ValueError:  # not the main thread
        before = {}
    try:
        yield
    finally:
        for number, kept in before.items():
            signal.signal(number, kept)


def end_within(seconds: float, status: int) -> None:
    """End the process with `status` in `seconds`, whatever it does then: a terminal closed
    under the TUI (SIGHUP) can leave Textual's output thread dead with its queue full, and
    its shutdown waiting on that queue forever."""
    import threading  # only once a signal came

    timer = threading.Timer(seconds, os._exit, (status,))
    timer.daemon = True
    timer.start()


def _ending(grace: float, number: int, frame: FrameType | None) -> None:
    end_within(grace, status_for(number))
    _as_ctrl_c(number, frame)


def _as_ctrl_c(number: int, frame: FrameType | None) -> None:
    _received[0] = signal.Signals(number)
    handler = signal.getsignal(signal.SIGINT)
    if callable(handler):  # Python's, or asyncio's while a loop runs
        handler(signal.SIGINT, frame)
    else:  # ignored (a background job): a TERM still stops the command
        raise KeyboardInterrupt


def interrupted_status() -> int:
    """The exit status of a command the last of these signals stopped."""
    return status_for(_received[0])


def status_for(number: int) -> int:
    """The exit status of a program signal `number` ended."""
    return SIGNALLED + number
