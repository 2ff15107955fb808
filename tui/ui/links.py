"""Opening links safely: only http(s) URLs, and never a console browser over the TUI."""

from __future__ import annotations

import webbrowser
from urllib.parse import urlsplit


def is_web_url(url: str | None) -> bool:
    """True for an absolute http or https URL."""
    if not url:
        return False
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


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
