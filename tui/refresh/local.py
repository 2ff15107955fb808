"""A local source's refresh: its file or folder read again unless no file changed since the
last read (the files' stamp, kept as the source's validator), its warnings said once."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from tui.models import Article, FetchOutcome
from tui.refresh.summary import State, file_warnings
from tui.text import clean_line


@dataclass
class LocalRead:
    """What one local source's refresh found, ready to record and report."""

    state: State
    outcome: FetchOutcome
    articles: list[Article] | None = None
    message: str | None = None
    """The source's progress line's message (a failure's reason, new warnings)."""
    notices: list[str] = field(default_factory=list)


async def read_local(name: str, path: Path, stamp: str | None, warning: str | None) -> LocalRead:
    """Read `path` in a thread; `stamp` and `warning` are what the last read left."""
    if not path.exists():  # load_local would only warn; a configured path must exist
        reason = clean_line(f"no such file or folder: {path}")
        return LocalRead("failed", FetchOutcome(error=reason), message=reason)
    from tui.sources.files import load_local  # ~110 ms of imports (trafilatura)

    result = await asyncio.to_thread(load_local, path, stamp)
    if result.unchanged:  # a vault of 5,000 notes was parsed again at every refresh
        return LocalRead("not_modified", FetchOutcome(not_modified=True, warning=warning))
    stored, message, each = file_warnings(name, result.warnings, warning)  # said once
    outcome = FetchOutcome(warning=stored, etag=result.stamp or None)
    return LocalRead("ok", outcome, result.articles, message, each)
