"""A subscriptions file of either kind (`feeds import FILE`, the palette's Import
subscriptions…): OPML, or newsboat's urls file read for its feeds alone."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.interop.config_edit import ImportReport

NEWSBOAT_CACHE = (
    "titles, read state and flags from newsboat's cache.db come with "
    "`newsdesk feeds import --newsboat FILE`"
)
"""What an import of a urls file without `--newsboat` leaves out, and how to get it."""


def import_subscriptions(config_path: Path, path: Path, *, dry_run: bool = False) -> ImportReport:
    """Add the feeds of an OPML file, or of a newsboat urls file: its feeds alone, with a note
    that `--newsboat` reads its cache.db too."""
    from tui.interop.newsboat import import_newsboat
    from tui.interop.opml import import_opml, is_urls_file

    if not is_urls_file(path):
        return import_opml(config_path, path, dry_run=dry_run)
    report = import_newsboat(config_path, path, dry_run=dry_run)
    report.notices.append(f"{path.name} read as newsboat's urls file: {NEWSBOAT_CACHE}")
    return report
