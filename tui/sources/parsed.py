"""What parsing one feed document yields, in a module of its own.

A refresh receives these from its parser process; unpickling one imports only this module
(and `tui.models`, `tui.prepared`), so the refresh's own process never loads the parsers
(lxml, feedparser).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.models import Article

if TYPE_CHECKING:
    from tui.prepared import Prepared


@dataclass(frozen=True)
class ParsedFeed:
    """What one feed document yielded."""

    title: str | None
    articles: list[Article]
    warning: str | None
    """One line about a problem that did not stop parsing, or why this is not a feed."""
    is_feed: bool
    """False when the bytes are not a feed at all (an HTML page, junk)."""
    alternate: str | None
    """For an HTML page: the feed it links with `<link rel="alternate">`, absolute."""
    prepared: tuple[Prepared, ...] = ()
    """One per article when the parser process did their text-only work (`tui.prepared`)."""
