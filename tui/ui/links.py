"""Opening links safely: http(s) URLs or the cache's own files, in the user's browser
command (given the terminal) or the desktop's browser, never a console browser started
behind the TUI's back."""

from __future__ import annotations

import os
import re
import shlex
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


# In a browser command: `%u` (newsboat's) or `%s` (`$BROWSER`'s), the URL; `%%`, a `%`.
_PLACEHOLDER = re.compile("%[us%]")


def browser_command(setting: str, url: str) -> list[str] | None:
    """The command that opens `url` with the terminal handed to it: the `browser` setting,
    else the first of `$BROWSER`; `%u` or `%s` is the URL, else it comes last; `%%` is `%`.
    The command's words are filled in once: a `%s` in the URL stays as it is. None: no
    command is set (the desktop's browser is asked). ValueError for unbalanced quotes."""
    chosen = setting.strip() or os.environ.get("BROWSER", "").split(os.pathsep)[0].strip()
    if not chosen:
        return None
    words = shlex.split(chosen)  # its own words, like a shell would; no shell runs it
    takes_url = any(found[0] != "%%" for word in words for found in _PLACEHOLDER.finditer(word))
    filled = [_fill(word, url) for word in words]
    return filled if takes_url else [*filled, url]


def _fill(word: str, url: str) -> str:
    """`word` with its placeholders replaced in one pass, which never reads the URL put in."""
    return _PLACEHOLDER.sub(lambda found: "%" if found[0] == "%%" else url, word)


def no_browser(setting: str, program: str | None = None) -> str:
    """One line saying that no browser could start (`program`, a command not installed; None,
    no desktop browser) and what to set: the `browser` setting, else `$BROWSER` too (the
    setting wins over it). Not Python's "[Errno 2] No such file or directory: 'firefox'"."""
    where = "`browser` in feeds.toml's [settings]"
    to_set = where if setting.strip() else f"$BROWSER or {where}"
    missing = f"{clean_line(program)!r} is not installed" if program else "link copied instead"
    return f"No web browser found: {missing}; set {to_set}"


def local_file_uri(path: Path, root: Path) -> str | None:
    """A `file:` URI for a file inside `root` (a saved copy in the cache), else None."""
    resolved = path.resolve()
    if not resolved.is_file() or not resolved.is_relative_to(root.resolve()):
        return None
    return resolved.as_uri()
