"""ctrl+c, `kill` (SIGTERM) and a closed terminal (SIGHUP) stop newsdesk alike, with the exit
status a shell gives a program the signal ended (130, 143, 129).

A command: each raises what ctrl+c raises where the command is (`KeyboardInterrupt`; inside
`asyncio.run`, its main task cancelled first), so each cleans up the same (an export's hidden
`.part` file is removed, a refresh says how far it got). The TUI quits on them as `q` does.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

ENDING = (signal.SIGTERM, signal.SIGHUP)
SIGNALLED = 128
"""An exit status for a signal is this plus its number, as a shell reports a killed program."""
_received = [signal.SIGINT]


@contextmanager
def stopping_as_ctrl_c() -> Iterator[None]:
    """Inside, SIGTERM and SIGHUP do what ctrl+c does; after, what they did before (where
    signals can be handled: the main thread; `main` run in another, as a test may, leaves
    them as they are)."""
    before = {number: signal.getsignal(number) for number in ENDING}
    try:
        for number in ENDING:
            signal.signal(number, _as_ctrl_c)
    except ValueError:  # not the main thread
        before = {}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


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
