"""What a refresh reports: an event as each source starts and finishes, and the summary.

Shared by the refresh itself (`run.py`), importing (`importing.py`), the command line and the
status line; no textual, no store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from tui.models import sweeps
from tui.text import clean_line, plural
from tui.weburl import without_password

State = Literal["started", "ok", "not_modified", "failed", "skipped"]
SYNC = "[sync]"
"""How progress events and summary lines name the sync with the `[sync]` server."""


@dataclass(frozen=True)
class ProgressEvent:
    """Sent as each source starts and finishes."""

    source: str
    done: int
    total: int
    state: State
    new: int = 0
    message: str | None = None
    """The error, warning or skip reason."""


@dataclass(frozen=True)
class RefreshSummary:
    """What a whole refresh did."""

    ok: int = 0
    not_modified: int = 0
    failed: int = 0
    skipped: int = 0
    waiting: int = 0
    """Of the skipped, the failing sources waiting for their next try (`schedule.waits`)."""
    new: int = 0
    """New articles, those a hide rule hid aside."""
    hidden: int = 0
    """New articles a hide rule hid."""
    errors: list[str] = field(default_factory=list)
    """One line per failed source: `NAME: message`."""
    notices: list[str] = field(default_factory=list)
    """Permanent moves, renames, files skipped past a source's line, one line each."""
    source_notices: list[str] = field(default_factory=list)
    """A source's warning or the skip its name asked for (`NAME: why`), one line each: its
    progress event carries the same reason, so plain progress lines have said it already."""
    rule_errors: list[str] = field(default_factory=list)
    """Rules that could not run on the new articles: `WHERE: query '…' cannot run: why`."""
    unsaved_pages: list[str] = field(default_factory=list)
    """Why each web page asked for its full text (`full_text = true`, a saved article's
    retry) could not be saved, naming its article: the feed text is kept. A retry that
    failed again is not listed (said when it first failed)."""
    unrecorded: dict[str, str] = field(default_factory=dict)
    """Sources whose failure the cache could not record (a full disk), each with why: they
    are not marked failed (in the sources pane, for `!`). A notice each, `unrecorded_line`."""

    @property
    def all_notices(self) -> list[str]:
        """Every notice, for a display that showed no source's reason as it came."""
        return self.source_notices + self.notices

    def line(self) -> str:
        """`15 sources up to date, 1 failed, 57 new articles, 3 hidden by rules`: unchanged
        ones (HTTP 304) are up to date too, so nothing reads like a failure but a failure; a
        new article a hide rule hid is counted apart, never as new. Pages whose full text
        could not be saved are counted, with the first one's article and reason; a rule that
        failed is named, with why (and how many more did)."""
        parts = [plural(self.ok + self.not_modified, "source") + " up to date"]
        if self.failed:
            parts.append(f"{self.failed:,} failed")
        if others := self.skipped - self.waiting:
            parts.append(f"{others:,} skipped")
        if self.waiting:
            parts.append(f"{self.waiting:,} waiting to retry")
        parts.append(plural(self.new, "new article"))
        if self.hidden:
            parts.append(f"{self.hidden:,} hidden by rules")
        if self.unsaved_pages:
            parts.append(
                f"{plural(len(self.unsaved_pages), 'page')} not saved ({self.why_unsaved})"
            )
        line = ", ".join(parts)
        if self.rule_errors:
            more = len(self.rule_errors) - 1
            line += f"; rule failed: {self.rule_errors[0]}" + (f" (+{more:,} more)" if more else "")
        return line

    @property
    def why_unsaved(self) -> str:
        """The first page not saved (its article and why), and how many more there were."""
        more = len(self.unsaved_pages) - 1
        return self.unsaved_pages[0] + (f"; and {more:,} more" if more else "")


def unrecorded_line(name: str, why: str) -> str:
    """The notice of a source whose failure could not be recorded in the cache."""
    return f"{name}: could not record the failure: {why}"


def sweeping(hid: Mapping[str, int], new: int) -> list[str]:
    """A note for a hide rule that swept a refresh's `new` articles (`models.sweeps`), naming
    it (`hid`: how many each rule hid, by its position). Told, not refused: the rule may mean
    it (`r` on the one source it mutes), and `newsdesk unhide` restores."""
    return [
        f"note: {position}: this hide rule hid {_share(count, new)} new articles (check its "
        "query with `newsdesk rules test`; `newsdesk unhide` restores an article)"
        for position, count in hid.items()
        if sweeps(count, new)
    ]


def _share(count: int, new: int) -> str:
    """`all 57`, or `55 of the 57`."""
    return f"all {new:,}" if count == new else f"{count:,} of the {new:,}"


def repeats(owner: str | None) -> str | None:
    """Why a source whose feed moved onto `owner`'s is not fetched: it would be twice."""
    return None if owner is None else f"its feed moved to the address of {owner!r} (fetched once)"


def moved_notice(name: str, location: str, configured: str, owner: str | None) -> str:
    """The line said at each refresh while the config names a feed's old address; when that
    feed is another configured source's (`owner`), the two are one: remove one."""
    moved = f"{name}: feed moved permanently to {without_password(location)}"
    if owner is not None:
        return f"{moved} — that is the feed of {owner!r}: remove one (this one is left out)"
    return f"{moved} — update feeds.toml (it still says {without_password(configured)})"


WARNINGS_SHOWN = 3
"""A source's warnings its one line names; the others are counted."""


def join_warnings(warnings: Sequence[str]) -> str | None:
    """Warnings as one line: the first few and how many more."""
    if not warnings:
        return None
    shown = "; ".join(clean_line(w) for w in warnings[:WARNINGS_SHOWN])
    extra = len(warnings) - WARNINGS_SHOWN
    return shown + (f"; and {extra:,} more" if extra > 0 else "")


def file_warnings(
    name: str, warnings: Sequence[str], before: str | None = None
) -> tuple[str | None, str | None, list[str]]:
    """A local source's warnings: the line stored with it, its progress line's message and the
    notices. Past a few the stored line ends "and 2 more", naming no reason for those files:
    then the progress line has none and each file is a notice line of its own. What the line
    stored by the last refresh (`before`) said is not said again: a file's warning is said
    once while it stays (not at each `R`, automatic refresh or start)."""
    stored = join_warnings(warnings)
    if stored == before:
        return stored, None, []
    named = set(before.split("; ")) if before else set()
    said = [w for w in warnings if not set(clean_line(w).split("; ")) <= named]
    if len(said) <= WARNINGS_SHOWN:
        return stored, join_warnings(said), []
    return stored, None, [f"{name}: {clean_line(warning)}" for warning in said]
