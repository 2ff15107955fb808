"""What the terminal can draw, asked while the rest of the UI loads.

The questions go out in one write: does the terminal draw Kitty graphics (a query action
with a one-pixel image), how big is a cell in pixels (`CSI 16 t`, only when the kernel does
not know), how wide it draws three emoji sequences (`tui.cells.Drawing`: each drawn at the
line's start and the cursor's position asked, the line cleared after), and last its primary
device attributes, which every terminal answers, "4" among
them meaning Sixel (then pictures are half blocks here: textual-image would pick Sixel,
which cannot be cut into lines). A terminal answers in order, so once the attributes are in,
every answer is: a terminal silent on the others costs no timeout, and no late answer lands
in Textual's input as keys. `ask` starts this in a thread once the config is read,
overlapping the imports; `make_app` waits for it (`answered`). textual-image's
renderables (and Pillow with them, ~2.5 MiB, ~25 ms) load only on a terminal that draws
Kitty graphics, in the thread, while the terminal can still answer their own question.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from types import ModuleType
from typing import Any

from tui.cells import DRAWING

KITTY_QUERY = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\"
CELL_QUERY = "\x1b[16t"
DEVICE_ATTRIBUTES = "\x1b[c"
WAIT_S = 1.0
"""How long the answers may take in all: over SSH they come a round trip later (0.1 s was
waited per byte, and at 60 ms each way the answer came after it, read by Textual as keys
typed: `?1;2c` opened the help). Only a terminal silent on the device attributes, which
every terminal answers, waits it out."""
JOINED, TONED, WIDENED = "\U0001f469\u200d\U0001f4bb", "\U0001f44d\U0001f3fd", "\u2764\ufe0f"
"""👩‍💻, 👍🏽 and ❤️: two cells each where the terminal draws them as one emoji."""
WIDTH_QUESTIONS = "".join(f"\r{probe}\x1b[6n" for probe in (JOINED, TONED, WIDENED)) + "\r\x1b[K"

_KITTY_ANSWER = re.compile(r"\x1b_Gi=31;([^\x1b]*)\x1b\\")
_CELL_ANSWER = re.compile(r"\x1b\[6;(\d+);(\d+)t")
_DEVICE_ANSWER = re.compile(r"\x1b\[\?([\d;]*)c")
_POSITION_ANSWER = re.compile(r"\x1b\[\d+;(\d+)R")

_asking: threading.Thread | None = None
kitty_graphics = False
"""The terminal answered that it draws Kitty graphics (and not Sixel)."""
cell: tuple[int, int] | None = None
"""Pixels of one cell (across, down), as the kernel or the terminal gave them."""
DEFAULT_CELL = (10, 20)
"""Pixels of one terminal cell (across, down) when the terminal does not say (VT340's)."""


def ask(mode: str) -> None:
    """Start asking the terminal (about images too, unless they are off)."""
    global _asking
    if _asking is not None:
        return
    # Loaded here first: importing one package's modules from two threads at once could
    # deadlock on a circular import, and textual-image uses rich, as Textual does.
    import rich.console  # noqa: F401

    _asking = threading.Thread(target=_ask, args=(mode,), name="terminal-questions", daemon=True)
    _asking.start()


def _ask(mode: str) -> None:
    global kitty_graphics, cell
    if not _is_terminal():
        return
    images = mode != "off"
    cell = _kernel_cell() if images else None
    # Half blocks always ("blocks") need the cell's size alone.
    asks_kitty = mode == "auto" and not _multiplexed()
    asks_cell = images and cell is None
    questions = (KITTY_QUERY if asks_kitty else "") + (CELL_QUERY if asks_cell else "")
    answers = _answers(questions + WIDTH_QUESTIONS)
    _read_widths(answers)
    if cell is None and (size := _CELL_ANSWER.search(answers)):
        cell = int(size[2]), int(size[1])  # the answer says height, then width
    device = _DEVICE_ANSWER.search(answers)
    sixel = device is not None and "4" in device[1].split(";")
    kitty = _KITTY_ANSWER.search(answers)
    kitty_graphics = not sixel and kitty is not None and kitty[1] == "OK"
    if kitty_graphics:
        _tell_textual_image(cell or DEFAULT_CELL)
        import textual_image.renderable  # noqa: F401 (its import picks Kitty)


def _tell_textual_image(size: tuple[int, int]) -> None:
    """Fill textual-image's own cache with what the terminal said, so that it asks no more:
    once Textual reads the keys an answer would come in as keys, and its own probe divides
    by zero on a terminal whose window size says 0 columns (a traceback over the screen)."""
    from textual_image import _terminal

    pixels = _terminal.CellSize(*size)
    if hasattr(_terminal, "probe_terminal"):  # 0.13 and later: one probe caches everything
        known = _terminal.TerminalCapabilities  # type: ignore[attr-defined, unused-ignore]
        probe: Any = _terminal.probe_terminal  # its attribute `_result` is the cache
        probe._result = known(pixels, sixel=False, tgp=True)
    else:  # up to 0.12: the cell's size alone (its import asks about Kitty again)
        _terminal.get_cell_size._result = pixels  # type: ignore[attr-defined]


def _read_widths(answers: str) -> None:
    """How the terminal draws emoji sequences, from where the cursor stood after each (the
    column after two cells is 3); a terminal that gave no position keeps the defaults."""
    columns = [int(column) for column in _POSITION_ANSWER.findall(answers)]
    if len(columns) == 3:
        DRAWING.joins, DRAWING.tones_join, DRAWING.widens = (column == 3 for column in columns)


def _multiplexed() -> bool:
    """Inside tmux or GNU screen, which take a string in the Kitty query's form (APC) for
    the pane's title (tmux's status line showed `Gi=31,s=1,...`), and pass no Kitty graphics
    on to the terminal around them anyway."""
    term = os.environ.get("TERM", "")
    return bool(os.environ.get("TMUX") or os.environ.get("STY")) or term.startswith(
        ("screen", "tmux")
    )


def _is_terminal() -> bool:
    out, into = sys.__stdout__, sys.__stdin__
    return out is not None and into is not None and out.isatty() and into.isatty()


def _kernel_cell() -> tuple[int, int] | None:
    """The cell's pixels from the window size the terminal told the kernel, if it did."""
    try:
        rows, columns, width, height = _raw().get_tiocgwinsz()
    except Exception:  # no window size to read
        return None
    if not (rows and columns and width // columns and height // rows):
        return None
    return width // columns, height // rows


def _answers(questions: str) -> str:
    """What the terminal writes back to `questions` followed by the device attributes, up to
    the end of the attributes' answer, or as much as came before it went silent."""
    raw = _raw()
    answers = ""
    assert sys.__stdout__ is not None and sys.__stdin__ is not None  # `_is_terminal`
    deadline = time.monotonic() + WAIT_S
    try:
        with raw.capture_mode():  # the keys' echo off, the answers read as they come
            sys.__stdout__.write(questions + DEVICE_ATTRIBUTES)
            sys.__stdout__.flush()
            while not (answers.endswith("c") and _DEVICE_ANSWER.search(answers)):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                answers += raw.read(sys.__stdin__.fileno(), 1, left)
    except Exception:  # silent, gone or not a terminal after all: what came is all there is
        pass
    return answers


def _raw() -> ModuleType:
    """textual-image's raw terminal access (window size, keys unechoed, a byte with a
    timeout) for this platform."""
    if sys.platform == "win32":
        from textual_image import _win32 as raw
    else:
        from textual_image import _posix as raw
    return raw


def answered() -> None:
    """Wait until the terminal has answered (or `ask` was never called)."""
    if _asking is not None:
        _asking.join()
