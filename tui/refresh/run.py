"""Refresh orchestration: which sources, how many at once, what each outcome means, progress.

Every selected source runs as its own task; `fetch` bounds how many download at once (globally
and per host), so a slow host never holds up the others, and `BACKLOG` how many bodies wait
for the parser. Parsing runs where `tui.sources.parsing` decides (a parser process for big
refreshes), and every store write goes through one writer thread with its own connection,
writes that queue up sharing a commit, so SQLite work (which releases the GIL) overlaps the
network and parsing without lock contention. Retention is applied per source as it is stored,
stories (`tui.stories`) once over the run's new articles at its end. What is skipped, and for
how long after a failure, is `tui.refresh.schedule`'s business. A manual refresh (`newsdesk
refresh`, the `R` key) should pass `force=True`; naming a source also overrides the back-off.

No textual imports: the CLI runs this with `asyncio.run`, the TUI in an async worker.
"""

from __future__ import annotations

import asyncio
import time
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tui.config import Config, SourceConfig
from tui.models import Article, FetchOutcome, SourceState
from tui.refresh import summary
from tui.refresh.budget import (
    BIG_RUN,
    BIG_RUN_CACHE_KIB,
    BIG_RUN_CHECKPOINT_PAGES,
    WRITER_CACHE_KIB,
)
from tui.refresh.known import Owners, follow_and_tell, known_states, select_sources, synced_split
from tui.refresh.local import read_local
from tui.refresh.memory import give_back
from tui.refresh.network import Network, not_feed_reason
from tui.refresh.schedule import Failure, failed, skip_reason, waits
from tui.refresh.summary import SYNC, ProgressEvent, RefreshSummary, State
from tui.sources.parsing import FeedParsing
from tui.store import DbThread, Store, StoreError
from tui.stories.grouping import settle_intake
from tui.text import clean_line

if TYPE_CHECKING:
    from tui.offline.saving import Door
    from tui.prepared import Prepared
    from tui.sources.fetch import Client, FetchLimits, Response
    from tui.sources.parsed import ParsedFeed

BACKLOG = 16
"""Web sources in progress at once (downloading, or downloaded and waiting to be stored): as
many as the default `concurrency`, so downloads never wait on the backlog there. A cold
refresh of 200 feeds x 50 peaked at 52 MiB with 32, 48 with 16, 46 with 8."""


async def refresh(
    config: Config,
    store: Store | Door,
    names: Sequence[str] | None = None,
    *,
    progress: Callable[[ProgressEvent], None] | None = None,
    now: float | None = None,
    force: bool = False,
    client: Client | None = None,
    sync: bool | None = None,
) -> RefreshSummary:
    """Refresh the enabled sources (or those named) and record every outcome in the store.

    With a `[sync]` server, a whole refresh (or `sync=True`) also syncs with it, beside the
    sources and counted as one of them (see `tui.sync`).

    Never raises for a source's failure: each one becomes a recorded error and a line in the
    summary. A cache that cannot be written at all (read-only, or its sources not even
    registered) raises its `StoreError` before anything is fetched: one reason, said once.
    `now` (epoch seconds) pins the clock for tests. Every database call runs on the run's
    writer thread (its own connection), so `store` (a `Store`, or the UI's data door) gives
    only its path.
    """
    run = _Run(config, store.path, progress, now)
    run.notices += (*config.notes, *config.skipped)
    parser_exit: asyncio.Task[None] | None = None
    try:
        local, syncing = await synced_split(config, run.writer, names, sync)
        sources = select_sources(config, local)
        await run.writer.call(Store.check_writable)  # else no source could be stored
        asked = names is None and force  # `R`, `newsdesk refresh`: not the TUI's start
        run.notices += await run.writer.call(follow_and_tell, config, asked)
        jobs = await run.plan(sources, explicit=names is not None, force=force)
        run.parsing = FeedParsing(sum(1 for source in sources if source.url is not None))
        unknown = sum(1 for job in jobs if job.source.url and not any(job.validators))
        await run.parsing.start(unknown)
        run.connect(client)  # httpx's imports (~80 ms) run beside the parser process's
        run.total += syncing
        async with asyncio.TaskGroup() as group:
            if syncing:
                group.create_task(run.sync(config))
            for job in jobs:
                group.create_task(run.one(job))
        # Every feed is parsed: the parser process exits while the stories are grouped.
        parser_exit = asyncio.create_task(run.parsing.aclose())
        await run.settle_network()
        await run.finish()
        if not run.network.asks_login:  # each page would be the network's login page
            from tui.offline.saving import save_full_texts

            online = run.network.answered or run.network.fed
            saved = await save_full_texts(config, run.writer, sources, run.http, online)
            run.unsaved_pages = [r.why for r in saved.failed if not r.failed_before]
    finally:
        await (parser_exit or run.parsing.aclose())
        await run.writer.aclose()
        if client is None and run.client is not None:  # its own, not the caller's
            await run.client.aclose()
    return run.summary()


# -- one refresh run -----------------------------------------------------------------------


@dataclass
class _Job:
    """One source to refresh, with what the store knows about it."""

    source: SourceConfig
    state: SourceState
    location: str
    validators: tuple[str | None, str | None]
    manual: bool
    """Asked for (`force`): a failure keeps the back-off as it is."""

    @property
    def name(self) -> str:
        return self.source.name


class _Run:
    """The state of one `refresh` call: limits, counters, the writer thread."""

    def __init__(
        self,
        config: Config,
        database: Path,
        progress: Callable[[ProgressEvent], None] | None,
        now: float | None,
    ) -> None:
        self.settings, self.progress, self.now = config.settings, progress, now
        self.writer = DbThread(database, name="newsdesk-writer", cache_kib=WRITER_CACHE_KIB)
        self.parsing_now = 0
        """Feeds being parsed: their writes are on their way, a commit may wait for them."""
        self.writer.more_coming = lambda: self.parsing_now > 0
        self.parsing = FeedParsing(0)
        self.client: Client | None = None
        self.limits: FetchLimits  # set by `connect`
        self.counts: Counter[str] = Counter()
        self.errors: list[str] = []
        self.notices: list[str] = []
        self.source_notices: list[str] = []
        self.rule_errors: list[str] = []
        self.hid: Counter[str] = Counter()  # the new articles each hide rule hid, by position
        self.unsaved_pages: list[str] = []  # why each page saved by the run kept the feed text
        self.unrecorded: dict[str, str] = {}  # why each source's failure was not recorded
        self.rules, self.owners = config.rules, Owners(config)
        self.network: Network[_Job] = Network()
        self.total = 0
        self.backlog = asyncio.Semaphore(BACKLOG)
        # Stories are looked for among them at the end; an array: 8 bytes an id, not the
        # 36 of a list's int (38 MB of a 1,000,000-article import's peak).
        self.new_ids = array("q")

    def connect(self, client: Client | None) -> None:
        """The downloads' client (`client`, else one made for the run) and limits. Done once
        the run is planned: a first refresh starts its parser process before httpx loads."""
        from tui.sources.fetch import FetchLimits, client_for

        self.limits = FetchLimits.from_settings(self.settings)
        self.client = client or client_for(self.settings)

    @property
    def http(self) -> Client:
        assert self.client is not None, "connect() first"
        return self.client

    @property
    def clock(self) -> float:
        return time.time() if self.now is None else self.now

    @property
    def done(self) -> int:
        return sum(self.counts[s] for s in ("ok", "not_modified", "failed", "skipped"))

    # -- planning ----------------------------------------------------------------------

    async def plan(self, sources: list[SourceConfig], explicit: bool, force: bool) -> list[_Job]:
        """Jobs for the sources to refresh now; the others are reported as skipped."""
        known = await self.writer.call(known_states, sources)
        self.total = len(sources)
        jobs: list[_Job] = []
        for source, state, validators in known:
            # A dead source named explicitly is fetched: its outcome revives it (or not).
            owner = self.owners.other(source.name, state.location)
            why = summary.repeats(owner) or skip_reason(source, state, explicit, force, self.clock)
            if why is None:
                jobs.append(_Job(source, state, state.location, validators, force))
            else:
                self.skip(source.name, why, notice=explicit)
            if source.url is not None and state.location != source.url:  # said at each run
                notice = summary.moved_notice(source.name, state.location, source.url, owner)
                self.notices.append(notice)
        return jobs

    def skip(self, name: str, reason: str, notice: bool) -> None:
        if notice:
            self.source_notices.append(f"{name}: skipped: {reason}")
        self.counts["waiting"] += waits(reason)
        self.count(name, "skipped", 0, reason)

    # -- running -----------------------------------------------------------------------

    async def one(self, job: _Job) -> None:
        """Refresh one source; nothing it does can stop the others."""
        try:
            if job.source.url is not None:
                state, new, message = await self.web(job)
            else:
                state, new, message = await self.local(job)
        except Exception as exc:  # the per-source boundary: recorded, never raised
            state, new, message = "failed", 0, failure_line(exc)
            await self.record_failure(job, FetchOutcome(error=message))
        self.finished(job, state, new, message)

    async def web(self, job: _Job) -> tuple[State, int, str | None]:
        # Downloads wait while BACKLOG bodies are downloaded but not yet stored: on a fast
        # network the parser is the slower side, and every body would wait in memory.
        async with self.backlog:
            return await self.fetch_and_store(job)

    async def fetch_and_store(self, job: _Job) -> tuple[State, int, str | None]:
        from tui.sources.fetch import FetchError, NotModified, fetch  # loaded by `connect`

        etag, last_modified = job.validators
        try:
            response = await fetch(
                self.http,
                job.location,
                etag=etag,
                last_modified=last_modified,
                limits=self.limits,
                on_start=lambda: self.started(job),
            )
        except NotModified:
            self.network.fed = True
            await self.record(job, None, FetchOutcome(status=304, not_modified=True))
            return "not_modified", 0, None
        except FetchError as exc:
            self.network.answered |= exc.status is not None
            login = self.network.login_error(exc.status, str(exc), exc.url)
            error, status = login or str(exc), exc.status
            failure = Failure(error, status, exc.retry_after, exc.dead, network=bool(login))
            outcome = self.failure(job, failure)
            await self.record(job, None, outcome)
            return "failed", 0, outcome.error
        self.network.answered = True
        return await self.store_feed(job, response)

    async def store_feed(self, job: _Job, response: Response) -> tuple[State, int, str | None]:
        parsed = await self.parse(response)
        if not parsed.is_feed:
            return await self.not_a_feed(job, response, parsed)
        self.network.fed = True
        moved = response.permanent_url if response.permanent_url != job.location else None
        # Kept only when the next refresh asks the URL that gave them (not across a
        # temporary redirect): another URL's 304 would keep this feed's articles for its own.
        kept = response.url == (moved or job.location)
        outcome = FetchOutcome(
            status=response.status,
            etag=response.etag if kept else None,
            last_modified=response.last_modified if kept else None,
            warning=parsed.warning,
            new_location=moved,
            complete=parsed.warning is None,  # a damaged feed may list only some entries
        )
        owner = self.owners.other(job.name, moved) if moved else None  # stored once, by it
        new = await self.record(job, None if owner else parsed.articles, outcome, parsed.prepared)
        if moved:
            notice = summary.moved_notice(job.name, moved, job.source.location, owner)
            self.notices.append(notice)
        return "ok", new, parsed.warning

    async def not_a_feed(
        self, job: _Job, response: Response, parsed: ParsedFeed
    ) -> tuple[State, int, str | None]:
        reason = not_feed_reason(parsed.warning, parsed.alternate, job.location, response.url)
        login = self.network.login_redirect(job.location, response.url)
        if login is None:  # the site's failure or the network's: the others' answers tell
            self.network.hold(job, reason, response.status, response.url, response.body)
            return "failed", 0, reason
        failure = Failure(login, response.status, network=True)
        await self.record(job, None, self.failure(job, failure))
        return "failed", 0, login

    async def settle_network(self) -> None:
        """Record the answers held until every source answered; say the network's login."""
        for page, login in self.network.settle():
            failure = Failure(login or page.reason, page.status, network=bool(login))
            await self.record_failure(page.job, self.failure(page.job, failure))
        if notice := self.network.notice():
            self.notices.append(notice)

    async def parse(self, response: Response) -> ParsedFeed:
        when = datetime.fromtimestamp(self.now, UTC) if self.now is not None else None
        self.parsing_now += 1
        try:
            return await self.parsing.parse(
                response.body, response.url, response.content_type, when
            )
        finally:
            self.parsing_now -= 1

    async def local(self, job: _Job) -> tuple[State, int, str | None]:
        self.started(job)
        path = job.source.path or Path(job.location)
        read = await read_local(job.name, path, job.validators[0], job.state.warning)
        new = await self.record(job, read.articles, read.outcome)
        self.notices += read.notices
        return read.state, new, read.message

    # -- outcomes ----------------------------------------------------------------------

    async def sync(self, config: Config) -> None:
        """Sync with the `[sync]` server, reported like one more source."""
        from tui.sync.engine import sync_for_refresh

        self.emit(ProgressEvent(SYNC, self.done, self.total, "started"))
        report = await sync_for_refresh(config, self.writer, self.now)
        if report.why:
            self.errors.append(f"{SYNC}: {report.why}")
        else:
            self.notices.append(report.line())
        self.counts["hidden"] += report.hidden
        self.hid.update(report.hid)
        self.count(SYNC, "failed" if report.why else "ok", report.new, report.why)

    def failure(self, job: _Job, failure: Failure) -> FetchOutcome:
        """A failed outcome with its next retry (`schedule.failed`)."""
        return failed(failure, job.source, job.state, self.settings, self.clock, job.manual)

    async def record(
        self,
        job: _Job,
        articles: list[Article] | None,
        outcome: FetchOutcome,
        prepared: Sequence[Prepared] = (),
    ) -> int:
        source_id, now, rules = job.state.id, self.now, self.rules
        days = self.settings.retention_days
        result = await self.writer.call_together(
            lambda store: store.record_refresh(
                source_id, articles, outcome, now, rules, days, prepared
            )
        )
        self.new_ids.extend(result.new_ids)
        if len(self.new_ids) > BIG_RUN and self.writer.cache_kib < BIG_RUN_CACHE_KIB:
            await self.writer.resize(BIG_RUN_CACHE_KIB, BIG_RUN_CHECKPOINT_PAGES)
        if ruled := result.rules:
            self.hid.update(ruled.hid)
            self.rule_errors += [e for e in ruled.errors if e not in self.rule_errors]
        self.counts["hidden"] += result.hidden
        return result.shown

    async def record_failure(self, job: _Job, outcome: FetchOutcome) -> None:
        """Record a failed outcome; if even that fails, the summary says why (and `!` cannot
        go to its source)."""
        try:
            await self.record(job, None, outcome)
        except Exception as exc:  # already failing: keep the first reason
            self.unrecorded[job.name] = why = clean_line(str(exc))
            self.notices.append(summary.unrecorded_line(job.name, why))

    def started(self, job: _Job) -> None:
        self.emit(ProgressEvent(job.name, self.done, self.total, "started"))

    def finished(self, job: _Job, state: State, new: int, message: str | None) -> None:
        if state == "failed":
            self.errors.append(f"{job.name}: {message}")
        elif message:
            self.source_notices.append(f"{job.name}: {message}")
        self.count(job.name, state, new, message)

    def count(self, name: str, state: State, new: int, message: str | None) -> None:
        self.counts[state] += 1
        self.counts["new"] += new
        self.emit(ProgressEvent(name, self.done, self.total, state, new, message))

    def emit(self, event: ProgressEvent) -> None:
        if self.progress is not None:
            self.progress(event)

    async def finish(self) -> None:
        """The stories of the new articles; fresh planner statistics after a big intake. Every
        source is stored by then: a cache that refuses these writes (a full disk) is a notice
        in the summary, not the end of it."""
        if self.writer.cache_kib > WRITER_CACHE_KIB:  # a big run's: see BIG_RUN
            await self.writer.resize(WRITER_CACHE_KIB)
        give_back()  # the stored sources' pages, before the stories pass peaks on top of them
        notice = await self.writer.call(settle_intake, self.new_ids, self.clock)
        if notice:
            self.notices.append(notice)

    def summary(self) -> RefreshSummary:
        counts = self.counts
        return RefreshSummary(
            ok=counts["ok"],
            not_modified=counts["not_modified"],
            failed=counts["failed"],
            skipped=counts["skipped"],
            waiting=counts["waiting"],
            new=counts["new"],
            hidden=counts["hidden"],
            errors=self.errors,
            notices=[*self.notices, *summary.sweeping(self.hid, counts["new"] + counts["hidden"])],
            source_notices=self.source_notices,
            rule_errors=self.rule_errors,
            unsaved_pages=self.unsaved_pages,
            unrecorded=self.unrecorded,
        )


# -- helpers -------------------------------------------------------------------------------


def failure_line(exc: Exception) -> str:
    """Why a source failed inside newsdesk: the cache refused its write (a full disk, a
    lock held too long), so nothing of it was stored, or an internal error."""
    if isinstance(exc, StoreError):
        return clean_line(f"could not store its articles: {exc}")
    return clean_line(f"internal error: {type(exc).__name__}: {exc}")
