"""One sync: push the queued local changes, then pull the server's feeds, new items and
unread/starred state (`pull.py`). Offline first: the cache is usable throughout, and a
failure at any step leaves the queue holding whatever was not pushed.

Every database call goes through `db` (the refresh's or the command's database thread), so
the event loop never waits for SQLite; turning items' HTML into text runs in a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.config import Config, ConfigError, SyncConfig
from tui.store import DbThread, Store, StoreError
from tui.store.sync import PendingChange, PullReport
from tui.sync.account import account_key, make_service, password, same_account
from tui.sync.due import LAST_ERROR
from tui.sync.http import Limits
from tui.sync.pull import Pull
from tui.sync.service import Service, SyncError
from tui.text import clean_line, plural
from tui.weburl import shown_address


@dataclass
class SyncReport:
    """What one sync did; `error` is set when the server could not be used."""

    service: str
    url: str
    pushed: int = 0
    pending: int = 0
    """Local changes still waiting for the server."""
    dropped: int = 0
    """Changes queued for a previous server (the [sync] table changed) that were dropped."""
    feeds: int = 0
    new: int = 0
    """New articles, those a hide rule hid aside."""
    hidden: int = 0
    """New articles a hide rule hid."""
    hid: dict[str, int] = field(default_factory=dict)
    """How many of them each hide rule hid, by its position."""
    pulled: PullReport = field(default_factory=PullReport)
    skipped: int = 0
    """Items the server sent malformed (an id or a date that is not one), left out."""
    error: str | None = None

    @property
    def why(self) -> str | None:
        """Why the sync failed, with the local changes it kept queued (None: it worked)."""
        if self.error is None:
            return None
        kept = f" ({plural(self.pending, 'local change')} kept)" if self.pending else ""
        return self.error + kept

    def line(self) -> str:
        """`synced with Tiny Tiny RSS: 3 changes pushed, 12 new articles, 2 marked read`."""
        if self.why:
            return f"sync failed: {self.why}"
        pulled = self.pulled
        parts = [
            plural(self.pushed, "change") + " pushed",
            plural(self.new, "new article"),
            f"{plural(self.feeds, 'feed')}",
        ]
        if self.hidden:
            parts.insert(2, f"{self.hidden:,} hidden by rules")
        for count, what in (
            (pulled.read, "marked read"),
            (pulled.unread, "marked unread"),
            (pulled.saved, "saved"),
            (pulled.unsaved, "unsaved"),
            (pulled.pruned, "pruned"),
            (pulled.kept, "saved kept that the server no longer has"),
        ):
            if count:
                parts.append(f"{count} {what}")
        if self.dropped:
            parts.append(f"{plural(self.dropped, 'change')} for the previous account dropped")
        if pulled.removed_feeds:
            parts.append("feeds removed: " + ", ".join(pulled.removed_feeds))
        if self.skipped:
            parts.append(f"{plural(self.skipped, 'malformed item')} skipped")
        if pulled.notice:
            parts.append(pulled.notice)
        return f"synced with {self.service}: " + ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        """The `sync --json` object."""
        pulled = self.pulled
        return {
            "ok": self.error is None,
            "error": self.error,
            "service": self.service,
            "url": self.url,
            "pushed": self.pushed,
            "pending": self.pending,
            "dropped": self.dropped,
            "feeds": self.feeds,
            "new": self.new,
            "hidden": self.hidden,
            "read": pulled.read,
            "unread": pulled.unread,
            "saved": pulled.saved,
            "unsaved": pulled.unsaved,
            "pruned": pulled.pruned,
            "kept": pulled.kept,
            "removed_feeds": pulled.removed_feeds,
            "skipped": self.skipped,
            "notice": pulled.notice,
        }


def open_service(config: Config) -> Service:
    """The configured service, its password resolved (ConfigError if the command cannot
    run, `PasswordFailed` if it gives no password)."""
    sync = _sync_config(config)
    limits = Limits.from_settings(config.settings)
    return make_service(sync, password(sync, str(config.path)), limits)


async def open_service_async(config: Config) -> Service:
    """`open_service` in a thread: a password command may wait a minute for a passphrase,
    and the event loop (the TUI, the other sources of a refresh) must not wait with it."""
    return await asyncio.to_thread(open_service, config)


def failed(config: Config, error: str) -> SyncReport:
    """The report of a sync that could not start."""
    sync = _sync_config(config)
    return SyncReport(sync.service, shown_address(sync.url), error=error)


def _sync_config(config: Config) -> SyncConfig:
    if config.sync is None:
        raise ValueError(f"{config.path}: no [sync] table")
    return config.sync


async def run_sync(
    config: Config,
    db: DbThread,
    service: Service,
    now: float | None = None,
    told: Callable[[str], None] = lambda step: None,
) -> SyncReport:
    """Push, then pull, telling `told` each step as it starts. A server that cannot be used
    sets `report.error` (one line); what succeeded before stays done, and unpushed changes
    stay queued."""
    sync = _sync_config(config)
    report = SyncReport(service.name, shown_address(sync.url))
    try:
        told("logging in")  # the address may be wider than the terminal: the summary names it
        await service.login()  # first: a refused login changes nothing here
        key = account_key(sync)
        stored = await db.call(lambda store: store.sync_get("account"))
        key = stored if stored is not None and same_account(stored, key) else key  # as stored
        report.dropped, left = await db.call(lambda store: store.sync_begin(key))
        told("sending local changes")
        await push(service, db, report)
        pull = Pull(service, db, config.rules, time.time() if now is None else now, told=told)
        try:
            report.feeds = len(await pull.run(config.settings.retention_days))
        finally:
            report.new, report.hidden, report.pulled = pull.new, pull.hidden, pull.report
            report.hid = dict(pull.ruled.hid)
            report.pulled.removed_feeds[:0] = left
    except SyncError as exc:
        report.error = str(exc)
    finally:
        report.skipped = len(service.skipped)
        await service.aclose()
        stamp = str(time.time() if now is None else now)
        await db.call(lambda store: store.sync_set("last_attempt", stamp))
        report.pending = len(await db.call(lambda store: store.sync_pending()))
        await _record_outcome(db, report)
    return report


async def _record_outcome(db: DbThread, report: SyncReport) -> None:
    """Keep why the sync failed (`LAST_ERROR`, empty once one works): the TUI marks it in
    its sources pane until then. Written only when it changes: a sync that works, as most
    do, writes nothing more than before."""
    why = report.error or ""

    def record(store: Store) -> None:
        if (store.sync_get(LAST_ERROR) or "") != why:
            store.sync_set(LAST_ERROR, why)

    await db.call(record)


async def sync_for_refresh(config: Config, db: DbThread, now: float | None = None) -> SyncReport:
    """`run_sync` inside a refresh: a password command that fails is this sync's error, and
    so is anything else it raises: the sync runs in the refresh's task group, where an
    exception would cancel every source still being fetched."""
    try:
        try:
            service = await open_service_async(config)
        except (ConfigError, SyncError) as exc:
            report = failed(config, str(exc))
        else:
            return await run_sync(config, db, service, now)
    except Exception as exc:  # a bug here must not stop the feeds: it is this sync's failure
        report = failed(
            config, f"unexpected error ({type(exc).__name__}: {clean_line(str(exc))[:200]})"
        )
    with contextlib.suppress(StoreError):  # the cache's own trouble: the refresh tells it
        await _record_outcome(db, report)
    return report


async def sync_cache(
    config: Config,
    database: Path,
    service: Service,
    told: Callable[[str], None] = lambda step: None,
) -> SyncReport:
    """`run_sync` on a database thread of its own (`newsdesk sync`)."""
    writer = DbThread(database, name="newsdesk-sync")
    try:
        return await run_sync(config, writer, service, told=told)
    finally:
        await writer.aclose()


async def push(service: Service, db: DbThread, report: SyncReport | None = None) -> None:
    """Send the queued changes, a group (field and value) at a time; each group leaves the
    queue once the server took it, and counts in `report.pushed` then (a later group that
    fails leaves it counted)."""
    changes = await db.call(lambda store: store.sync_pending())
    groups: dict[tuple[str, bool], list[PendingChange]] = {}
    for change in changes:
        groups.setdefault((change.field, change.value), []).append(change)
    for (name, value), group in groups.items():
        ids = [c.remote_id for c in group]
        if name == "read":
            await service.mark_read(ids, value)
        else:
            await service.mark_starred(ids, value)
        await db.call(_pushed(group))
        if report is not None:
            report.pushed += len(group)


def _pushed(group: list[PendingChange]) -> Callable[[Store], None]:
    return lambda store: store.sync_pushed(group)
