"""What the sources pane lists: All, Unread, Saved, then saved searches, tags and sources,
each with its unread count (read in the database thread; the pane draws them)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tui.config import Config
from tui.dates import failing_text
from tui.models import SourceKind, SourceState
from tui.names import name_order
from tui.refresh.known import configured, forget_hint
from tui.refresh.schedule import next_try_text, refreshes_itself
from tui.refresh.summary import SYNC
from tui.store import Store, View
from tui.sync.due import last_failure
from tui.text import COUNT_CAP
from tui.ui.scopes import ALL, SAVED, UNREAD, Scope, ScopeKind, rule_tags, tag_scope


@dataclass(frozen=True)
class Entry:
    """One selectable line of the pane."""

    scope: Scope
    count: int | None = None
    problem: str | None = None
    """Why the source failed (or is dead), shown in the status area when highlighted."""
    warning: str | None = None
    unlisted: bool = False
    """A source the config does not name (its table deleted by hand): its articles are kept."""
    disabled: bool = False
    """A source the config has `enabled = false`: never refreshed."""

    @property
    def note(self) -> tuple[str, str] | None:
        """A title and the whole problem (or warning) to read in a dialog: the status line
        cuts it at its width. None when the source has neither."""
        if self.problem:
            return f"{self.scope.name}: the last refresh failed", self.problem
        if self.warning:
            return f"{self.scope.name}: the last refresh said", self.warning
        return None


@dataclass(frozen=True)
class Section:
    """A heading between groups of entries."""

    title: str


Line = Entry | Section


def load_entries(store: Store, config: Config, now: datetime) -> list[Line]:
    """Everything the pane lists, each with its unread count (Saved: all it lists)
    (database thread)."""
    sources = store.sources()
    grouped = config.settings.group_stories  # then a story counts once
    unread = (
        store.count(View(unread=True, stories=True)) if grouped else sum(s.unread for s in sources)
    )
    by_source, by_tag = store.unread_grouped_away() if grouped else ({}, {})
    saved = store.count(View(saved=True, stories=grouped))  # read or not: what it lists
    lines: list[Line] = [Entry(ALL, unread), Entry(UNREAD, unread), Entry(SAVED, saved)]
    if config.searches:
        lines.append(Section("Searches"))
        for search in config.searches:
            count = _search_count(store, config, search.query)
            lines.append(Entry(Scope(ScopeKind.SEARCH, search.name, search.query), count))
    tags = _tag_entries(store, config, _tag_counts(sources, by_tag))
    if tags:
        lines.append(Section("Tags"))
        lines.extend(tags)
    failed_sync = _sync_entry(store, config)
    if sources or failed_sync:
        lines.append(Section("Sources"))
        lines.extend(failed_sync)
        listed = store.unsettled_sources(configured(config)).named
        lines.extend(
            _source_entry(s, s.unread - by_source.get(s.id, 0), listed, config, now)
            for s in sources
        )
    return lines


def _sync_entry(store: Store, config: Config) -> list[Entry]:
    """The `[sync]` server's line, marked `!` while its last sync failed (none once one
    works): found, and read, like a failed source's."""
    why = last_failure(config, store)
    return [Entry(Scope(ScopeKind.SOURCE, SYNC), problem=why)] if why else []


def _tag_counts(sources: Iterable[SourceState], away: dict[str, int]) -> list[tuple[str, int]]:
    """Each tag's unread count: its sources' (less the articles a story shows as one)."""
    counts: dict[str, int] = {}
    for source in sources:
        for tag in source.tags:
            counts[tag] = counts.get(tag, 0) + source.unread
    return sorted(
        ((tag, count - away.get(tag, 0)) for tag, count in counts.items()),
        key=lambda item: name_order(item[0]),
    )


def _tag_entries(store: Store, config: Config, counts: list[tuple[str, int]]) -> list[Entry]:
    """The sources' tags with their counts, and the tags rules add, each counted as a saved
    search is (one of those is the search `tag:"NAME"`, which finds its sources' articles
    too)."""
    added = rule_tags(config.rules)
    entries = [Entry(tag_scope(tag, added), count) for tag, count in counts
               if tag.casefold() not in added]  # fmt: skip
    entries += [Entry(scope, _search_count(store, config, scope.query))
                for scope in (tag_scope(tag, added) for tag in added.values())]  # fmt: skip
    return sorted(entries, key=lambda entry: name_order(entry.scope.name))


def _search_count(store: Store, config: Config, query: str) -> int:
    """A search's unread count, up to just past `COUNT_CAP` (it shows as "1,000+")."""
    limit, grouped = COUNT_CAP + 1, config.settings.group_stories
    return store.search_count(query, unread_only=True, limit=limit, stories=grouped)


def _source_entry(
    source: SourceState, unread: int, listed: dict[int, str], config: Config, now: datetime
) -> Entry:
    problem = source.error
    if source.dead:
        problem = f"gone (HTTP 410): {source.error}" if source.error else "gone (HTTP 410)"
    if problem and source.failing_since:
        problem += f"; {failing_text(source.failing_since, now)}"
    retry = next_try_text(source, now.timestamp()) if refreshes_itself(config, source.name) else ""
    if problem and retry:  # as `newsdesk sources` says it
        problem += f", {retry}"
    unlisted = source.id not in listed and source.kind is not SourceKind.SYNC  # renamed: listed
    kept = f"not in the config: its articles are kept; {forget_hint(source.name)}"
    configured = config.source(listed[source.id]) if source.id in listed else None
    disabled = configured is not None and not configured.enabled
    off = "disabled in the config (enabled = false): not refreshed"
    said = (kept if unlisted else "", off if disabled else "", source.warning)
    warning = "; ".join(filter(None, said)) or None
    scope = Scope(ScopeKind.SOURCE, source.name)
    return Entry(scope, unread, problem, warning, unlisted, disabled)
