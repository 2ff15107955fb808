"""What the terminal can draw, asked while the rest of the UI loads.

textual-image's questions, asked before Textual reads the terminal: does it draw Sixel (then
pictures are half blocks here: textual-image would pick Sixel, which cannot be cut into
lines), else Kitty graphics (textual-image's best renderable), and how big is a cell. A
terminal without an answer makes a question wait 0.1 s, so `ask` starts them in a thread once
the config is read, overlapping the imports; `images.prepare` waits for the answers
(`answered`). They are asked here, not by importing textual-image's renderables (whose import
asks them), because those load Pillow (~2.5 MiB, ~25 ms), needed only once a picture is
shown; on a terminal that draws Kitty graphics they are imported in the thread, while the
terminal can still answer the second asking.
"""

from __future__ import annotations

import sys
import threading
from random import randint

_asking: threading.Thread | None = None
kitty_graphics = False
"""The terminal answered that it draws Kitty graphics (and not Sixel)."""


def ask(mode: str) -> None:
    """Start asking the terminal, unless images are off."""
    global _asking
    if mode == "off" or _asking is not None:
        return
    # Loaded here first: importing one package's modules from two threads at once could
    # deadlock on a circular import, and textual-image uses rich, as Textual does.
    import rich.console  # noqa: F401

    _asking = threading.Thread(target=_ask, args=(mode,), name="terminal-images", daemon=True)
    _asking.start()


def _ask(mode: str) -> None:
    global kitty_graphics
    from textual_image._terminal import get_cell_size

    # Half blocks always ("blocks") need the cell's size alone.
    kitty_graphics = mode == "auto" and not _draws_sixel() and _draws_kitty_graphics()
    if kitty_graphics:
        import textual_image.renderable  # noqa: F401 (its import asks again and picks Kitty)
    try:
        get_cell_size()  # remembered by textual-image
    except Exception:  # no terminal to ask: `images.cell_size` assumes the usual size
        pass


def _draws_sixel() -> bool:
    # The primary device attributes, which every terminal answers: "4" among them is Sixel.
    answer = _answer("\x1b[c", "\x1b[?", "c")
    return answer is not None and "4" in answer.split(";")


def _draws_kitty_graphics() -> bool:
    # A query action with a one-pixel image: a terminal that draws Kitty graphics says OK.
    question = f"\x1b_Gi={randint(1, 2**32)},s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\"
    answer = _answer(question, "\x1b_G", "\x1b\\")
    return answer is not None and answer.rsplit(";", 1)[-1] == "OK"


def _answer(question: str, start: str, end: str) -> str | None:
    """What the terminal answers to `question`, between `start` and `end`; None when it does
    not answer in 0.1 s (or there is no terminal)."""
    from textual_image._terminal import TerminalError, capture_terminal_response

    out, into = sys.__stdout__, sys.__stdin__
    if out is None or into is None or not (out.isatty() and into.isatty()):
        return None
    try:
        with capture_terminal_response(start, end, timeout=0.1) as response:
            out.write(question)
            out.flush()
    except (TerminalError, TimeoutError, OSError):
        return None
    return str(response.sequence)[len(start) : -len(end)]


def answered() -> None:
    """Wait until the terminal has answered (or `ask` was never called)."""
    if _asking is not None:
        _asking.join()
