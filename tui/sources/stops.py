"""How often the process was stopped (ctrl+z) and continued (`fg`) so far, as the TUI hears
it: a download whose time ran out while the process stood still was given none of that
time, and `fetch` tries it once more rather than blame the server."""

from __future__ import annotations

_continued = 0


def continued() -> None:
    """The process runs again after a stop."""
    global _continued  # one count for the process: the stop is the whole process's
    _continued += 1


def times_continued() -> int:
    """Stops the process came back from so far."""
    return _continued
