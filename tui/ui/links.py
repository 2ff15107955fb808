"""Opening links safely: http(s) URLs or the cache's own files, never a console browser."""

from __future__ import annotations

import webbrowser
from pathlib import Path

from tui.text import clean_line


def open_in_browser(url: str) -> bool:
    """Open `url` in a graphical browser (blocking; call it from a thread).

    Returns False when no graphical browser is available: a text-mode browser such as lynx
    would fight the TUI for the terminal, so it is never started from here.
    """
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    console = isinstance(browser, webbrowser.GenericBrowser) and not isinstance(
        browser, webbrowser.BackgroundBrowser
    )
    return False if console else browser.open(url)


def local_file_uri(path: Path, root: Path) -> str | None:
    """A `file:` URI for a file inside `root` (a saved copy in the cache), else None."""
    resolved = path.resolve()
    if not resolved.is_file() or not resolved.is_relative_to(root.resolve()):
        return None
    return resolved.as_uri()


def one_line(error: BaseException) -> str:
    """An error's message as one line, for a notification: it may quote what a feed, a page
    or a file held, so it passes the sanitizer."""
    return clean_line(str(error)) or type(error).__name__
