"""The `[settings]` table's values and their defaults (read by `tui.config`)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Settings:
    """The `[settings]` table."""

    refresh_minutes: int = 30
    """Auto-refresh interval in the TUI; 0 turns auto-refresh off."""
    concurrency: int = 16
    """How many sources are fetched at once (`per_host` still bounds each host): only feeds
    spread over many hosts reach it; beyond 16 a first refresh gains nothing on two cores."""
    per_host: int = 2
    """How many requests go to one host at once."""
    timeout_seconds: float = 20.0
    """Total deadline for one feed or page download."""
    max_body_mb: float = 10.0
    """Response bodies larger than this (after decompression) are cut off and fail."""
    retention_days: int = 90
    """Unsaved articles (read or not) older than this, out of their feed for a day, are pruned."""
    theme: str = ""
    """A Textual theme name, e.g. textual-dark, textual-light, nord, gruvbox; unset (""), the
    UI picks one for the terminal (`tui.ui.state.configured_theme`)."""
    mark_read_on_open: bool = True
    """Opening an article in the reader marks it read."""
    group_stories: bool = True
    """The list shows a story (the same news from several outlets) once, unread counts count
    stories, and marking an article read marks its whole story read."""
    images: str = "auto"
    """Images in the reader: "auto" (Kitty graphics where the terminal has them, else half
    blocks), "blocks" (always half blocks) or "off" (an `[image: alt]` line)."""
    player: str = "mpv"
    """The program that opens a podcast or video (the URL or file is its one argument)."""
    browser: str = ""
    """The program `o` opens links with, given the terminal while it runs (`w3m`, `lynx`, as
    newsboat's `browser`; the URL is its last argument, or takes the place of `%u` or `%s`;
    `%%` is a `%`). Empty: `$BROWSER` if set, else the desktop's browser."""
    fetch_images: bool = False
    """The reader fetches the images of articles that are not saved (with saving's caps)."""
    media_max_mb: float = 2048.0
    """Downloads of podcasts, videos and attachments larger than this are stopped."""
    theme_line: int | None = field(default=None, compare=False)
    """The config's line that sets `theme` (no key of the table), read with the file: the UI
    tells an unknown theme there without reading the file again."""


KEYS = frozenset(Settings.__dataclass_fields__) - {"theme_line"}
"""The keys the `[settings]` table may hold."""


IMAGE_MODES = ("auto", "blocks", "off")
