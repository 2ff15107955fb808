"""What the terminal can draw, asked while the rest of the UI loads.

textual-image asks the terminal when it is first imported: Sixel, then Kitty graphics (a
terminal without them does not answer, and each question waits 0.1 s for that), and the size
of a cell. That has to happen before Textual reads the terminal itself. `ask` starts it in a
thread once the config is read, so the waiting overlaps importing Textual and the widgets
instead of following it; `images.prepare` waits for the answers (`answered`).
"""

from __future__ import annotations

import threading

_asking: threading.Thread | None = None


def ask(mode: str) -> None:
    """Start asking the terminal, unless images are off."""
    global _asking
    if mode == "off" or _asking is not None:
        return
    # Loaded here first: importing one package's modules from two threads at once could
    # deadlock on a circular import, and textual-image uses rich, as Textual does.
    import rich.console  # noqa: F401

    _asking = threading.Thread(target=_ask, name="terminal-images", daemon=True)
    _asking.start()


def _ask() -> None:
    import textual_image.renderable  # noqa: F401 (its import asks)
    from textual_image._terminal import get_cell_size

    try:
        get_cell_size()  # remembered by textual-image
    except Exception:  # no terminal to ask: `images.cell_size` assumes the usual size
        pass


def answered() -> None:
    """Wait until the terminal has answered (or `ask` was never called)."""
    if _asking is not None:
        _asking.join()
