"""Saving articles for offline reading: fetch the web page, extract the article, keep its images.

The saved flag lands first, in its own transaction, so a kill -9 mid-fetch still leaves the
article saved (state "pending", retried on a later refresh). Each article's full text and image
list then land together in one transaction with state "ok"; a failure (offline, 404, not HTML,
a paywall, nothing to extract, a login page in the article's place: `tui.offline.page`) keeps
the feed text and records the reason instead; so does a feed whose text is the whole article
already (`tui.offline.keeping`), as its full text. Pages and images go through
`tui.sources.fetch` with the same limits as feeds; images are capped per file and per article
and stored as `<cache>/images/<article id>/<hash>.<ext>`.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from tui.cells import ellipsized
from tui.config import Config, Settings, SourceConfig
from tui.offline.image_fetch import ImageFetcher
from tui.offline.keeping import image_urls
from tui.offline.media import downloads, remove_unwanted, sweep_due
from tui.offline.page import Page, SaveFailed, fetch_page, one_page_for_many
from tui.sources.fetch import Client, FetchLimits, client_for
from tui.store import Store, StoreError
from tui.store.saved import INCOMPLETE, MAX_ATTEMPTS, OK, SaveTarget, Unsaved
from tui.text import clean_line, plural

RETRY_BATCH = 50
"""How many pending saves one refresh retries."""
UNWRITTEN = "not written to the cache (is the disk full?)"
"""What is said of the images fetched that could not be stored."""
TITLE_CELLS = 40
"""An article's title in a line saying why its page was not saved is cut to this."""

P = ParamSpec("P")
R = TypeVar("R")


class Door(Protocol):
    """Store calls awaited from async code: the database thread's `call` (the UI's data door,
    a refresh's writer), so the event loop never runs SQL."""

    path: Path

    async def call(
        self, func: Callable[Concatenate[Store, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R: ...


class InPlace:
    """A `Store` behind the `Door` interface, used on the caller's thread (the CLI, tests)."""

    def __init__(self, store: Store) -> None:
        self.store, self.path = store, store.path

    async def call(
        self, func: Callable[Concatenate[Store, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        return func(self.store, *args, **kwargs)


def door_of(store: Store | Door) -> Door:
    """The door to `store`: itself, or a `Store` used in place."""
    return InPlace(store) if isinstance(store, Store) else store


@dataclass(frozen=True)
class SaveResult:
    """How saving one article went."""

    id: int
    state: str
    """"ok", or why only the feed text is kept."""
    images: int = 0
    """How many images were stored in the cache."""
    unwritten: int = 0
    """Images fetched but not written to the cache (a full disk): the text keeps their links."""
    from_feed: bool = False
    """The full text kept is the feed's own, which holds the whole article."""
    unanswered: bool = False
    """The page's site did not answer at all (the reason says how)."""
    title: str = ""
    failed_before: bool = False
    """A save of the page failed before this one (`SaveTarget.failed_before`)."""
    gone: bool = False
    """The server said the page is not there (404, 410): it is asked for once more only."""
    final: bool = False
    """Asking again would bring the same answer (a page over `max_body_mb`): it is not."""
    kept: str = ""
    """Why the page asked for again was not stored: the copy saved before stays (state "ok")."""

    @property
    def ok(self) -> bool:
        """The full text is stored."""
        return self.state == OK

    @property
    def why(self) -> str:
        """Why the page was not saved, naming the article: `'Harbour council…': HTTP 404`."""
        # Quoted by hand: `!r` writes a zero-width space or joiner a title keeps as an escape.
        return f"'{ellipsized(clean_line(self.title), TITLE_CELLS)}': {self.state}"

    @property
    def again(self) -> str:
        """When the refreshes ask for a page not saved again (`record_save_failure`)."""
        if self.final:
            return "the refreshes do not ask for it again (raise max_body_mb, then save it again)"
        if self.gone:
            return "the page is asked for once more at the next refresh"
        return f"the page is retried at the next refreshes, {MAX_ATTEMPTS} attempts in all"


@dataclass(frozen=True)
class SaveReport:
    """What one save run did (articles that needed no fetch are not listed)."""

    results: tuple[SaveResult, ...] = ()
    missing: tuple[int, ...] = ()
    """Articles asked for that the cache does not hold (nothing saved)."""
    already: tuple[int, ...] = ()
    """Articles asked for that were saved whole already (nothing fetched)."""

    @property
    def saved(self) -> int:
        """How many articles got their full text."""
        return sum(r.ok and not r.kept for r in self.results)

    @property
    def kept(self) -> tuple[SaveResult, ...]:
        """The articles asked for again that kept the page saved before."""
        return tuple(r for r in self.results if r.kept)

    @property
    def failed(self) -> tuple[SaveResult, ...]:
        """The articles that kept only their feed text."""
        return tuple(r for r in self.results if not r.ok)

    @property
    def unwritten(self) -> int:
        """Images fetched but not written to the cache, all articles together."""
        return sum(r.unwritten for r in self.results)

    def line(self) -> str:
        """A one-line summary for the status bar or the CLI."""
        text = f"full text saved for {self.saved:,} of {len(self.results):,}"
        if self.kept:
            text += f"; the copy saved before kept for {len(self.kept):,} ({self.kept[0].kept})"
        if self.failed:
            text += f"; feed text kept for {len(self.failed):,} ({self.failed[0].why})"
        if self.unwritten:
            text += f"; {plural(self.unwritten, 'image')} {UNWRITTEN}"
        return text


# -- entry points ----------------------------------------------------------------------------


async def save_articles(
    config: Config,
    store: Store | Door,
    ids: Sequence[int],
    *,
    client: Client | None = None,
    cache_dir: Path | None = None,
    again: bool = False,
) -> SaveReport:
    """Mark articles saved at once, then fetch and store the full text of each web article
    (`again`: also of those whose page was saved before, the one stored dropped first)."""
    door = door_of(store)
    marked = await door.call(Store.mark_saved, ids, again)
    report = await _save_all(config, door, marked.targets, client, cache_dir)
    return replace(report, missing=marked.missing, already=marked.already)


async def save_new_full_text(
    config: Config,
    store: Store | Door,
    source_name: str,
    article_ids: Sequence[int] | None = None,
    client: Client | None = None,
    *,
    cache_dir: Path | None = None,
    online: bool = False,
) -> SaveReport:
    """For a `full_text = true` source: fetch the full text of its new articles (not saved).

    Without `article_ids`, every article of the source whose full text was never tried.
    Does nothing for other sources, so refresh may call it for every source.
    """
    source = config.source(source_name)
    if source is None or not source.full_text:
        return SaveReport()
    door = door_of(store)
    if article_ids is None:
        article_ids = await door.call(Store.unattempted, source_name)
    targets = await door.call(Store.mark_pending, article_ids)
    return await _save_all(config, door, targets, client, cache_dir, online)


async def retry_pending(
    config: Config,
    store: Store | Door,
    client: Client | None = None,
    *,
    cache_dir: Path | None = None,
    limit: int = RETRY_BATCH,
    tried: Sequence[int] = (),
    online: bool = False,
) -> SaveReport:
    """Try again the saves that failed or were interrupted (called at the end of a refresh),
    but those `tried` moments ago (a full-text source's new articles: a page that just
    answered 404 is asked again at the next refresh, not in the same breath). `online`: the
    refresh's feeds got an answer (see `_save_all`)."""
    full_text_sources = [s.name for s in config.sources if s.full_text]
    door = door_of(store)
    ids = await door.call(Store.pending_saves, limit, full_text_sources)
    skip = set(tried)
    targets = await door.call(Store.mark_pending, [i for i in ids if i not in skip])
    return await _save_all(config, door, targets, client, cache_dir, online)


async def save_full_texts(
    config: Config, store: Door, sources: Sequence[SourceConfig], client: Client, online: bool
) -> SaveReport:
    """A refresh's saves: full text for the new articles of `full_text = true` sources, then
    the pending saves retried (`online`: a feed's site answered). Returns how each went."""
    names = [s.name for s in sources if s.full_text]
    reports = await asyncio.gather(
        *(save_new_full_text(config, store, n, None, client, online=online) for n in names)
    )
    tried = [result.id for report in reports for result in report.results]
    retried = await retry_pending(config, store, client, tried=tried, online=online)
    await remove_orphan_images(store)
    if (names := downloads(store.path.parent)) and sweep_due(store.path.parent):
        remove_unwanted(store.path.parent, names, await store.call(Store.enclosure_urls))
    return SaveReport(tuple(r for report in (*reports, retried) for r in report.results))


def unsave(store: Store, ids: Sequence[int]) -> Unsaved:
    """Remove the saved flag and the saved page: its text (the feed's is read again) and its
    images in the cache, unless the article still has some (a local note's copy stays)."""
    unsaved = store.unsave(ids)
    cache_dir = store.path.parent
    for article_id in ids:
        if not store.article_images(article_id, cache_dir):
            shutil.rmtree(cache_dir / "images" / str(article_id), ignore_errors=True)
    return unsaved


async def remove_orphan_images(store: Store | Door, cache_dir: Path | None = None) -> int:
    """Delete the image folders of articles that are gone (pruned); returns how many."""
    door = door_of(store)
    root = (cache_dir or door.path.parent) / "images"
    folders = (
        [p for p in root.iterdir() if p.is_dir() and p.name.isdigit()] if root.is_dir() else []
    )
    alive = await door.call(Store.existing_ids, [int(p.name) for p in folders])
    orphans = [p for p in folders if int(p.name) not in alive]
    for folder in orphans:
        shutil.rmtree(folder, ignore_errors=True)
    return len(orphans)


# -- one batch -------------------------------------------------------------------------------


async def _save_all(
    config: Config,
    store: Door,
    targets: Sequence[SaveTarget],
    client: Client | None,
    cache_dir: Path | None,
    online: bool = False,
) -> SaveReport:
    """Fetch and keep each target's page. A page that got no answer spends an attempt only
    where something else did (a feed's site, another page): else the network is down (a
    plane, a tunnel), the page's site not to blame, and the retries would run out before the
    network is back."""
    if not targets:
        return SaveReport()
    settings = config.settings
    limits = FetchLimits.from_settings(settings)
    async with _client(client, settings) as http:
        saver = _Saver(store, cache_dir or store.path.parent, http, limits, settings.concurrency)
        fetched = await asyncio.gather(*(saver.fetch(t) for t in targets))
        pages = one_page_for_many(targets, fetched)
        online = online or any(not _unanswered(page) for page in pages)
        kept = (saver.keep(t, page, online) for t, page in zip(targets, pages, strict=True))
        results = await asyncio.gather(*kept)
    return SaveReport(tuple(results))


@asynccontextmanager
async def _client(client: Client | None, settings: Settings) -> AsyncIterator[Client]:
    """The caller's client, or one of our own that is closed afterwards."""
    if client is not None:
        yield client
        return
    own = client_for(settings)
    try:
        yield own
    finally:
        await own.aclose()


class _Saver:
    """Fetches, extracts and stores articles, a bounded number at once."""

    def __init__(
        self,
        store: Door,
        cache_dir: Path,
        client: Client,
        limits: FetchLimits,
        concurrency: int,
    ) -> None:
        self.store, self.cache_dir, self.client, self.limits = store, cache_dir, client, limits
        self.slots = asyncio.Semaphore(concurrency)

    async def fetch(self, target: SaveTarget) -> Page | SaveFailed:
        """The article's page, or why it cannot be saved."""
        async with self.slots:
            try:
                return await fetch_page(self.client, self.limits, target)
            except SaveFailed as exc:
                return exc

    async def keep(self, target: SaveTarget, page: Page | SaveFailed, online: bool) -> SaveResult:
        """Store the page's article with its images, or record why not (an attempt spent
        unless nothing answered while offline); never raises."""
        async with self.slots:
            if isinstance(page, SaveFailed):
                await self.store.call(
                    Store.record_save_failure,
                    target.id, page.reason, gone=page.gone, final=page.final,
                    counted=online or not page.unanswered, unanswered=page.unanswered,
                )  # fmt: skip
                if target.saved_copy:  # no worse than it was
                    return SaveResult(target.id, OK, kept=page.reason, title=target.title)
                # The feed's text is what is kept to read offline: its pictures with it (the
                # reader finds them where an image fetched for the article is kept).
                await self.images(target.id, feed_images(target, self.cache_dir))
                return self.failed(target, page.reason, page.unanswered, page.gone, page.final)
            extracted = page.extracted
            fetcher = ImageFetcher(self.client, self.limits, self.cache_dir)
            images = await fetcher.images(target.id, extracted.images)
        try:
            await self.store.call(
                Store.store_full_text,
                target.id,
                extracted.text,
                extracted.links,
                images,
                author=extracted.author,
                published=extracted.published,
                state=_state(fetcher.unwritten),
            )
        except StoreError as exc:  # a full disk: the feed text stays, retried later
            return self.failed(target, clean_line(f"could not store the page: {exc}"))
        from_feed = extracted.text == target.feed_text
        return SaveResult(target.id, OK, len(images), fetcher.unwritten, from_feed)

    @staticmethod
    def failed(
        target: SaveTarget,
        why: str,
        unanswered: bool = False,
        gone: bool = False,
        final: bool = False,
    ) -> SaveResult:
        """`target` kept its feed text, for this reason."""
        return SaveResult(
            target.id, why, unanswered=unanswered, title=target.title,
            failed_before=target.failed_before, gone=gone, final=final,
        )  # fmt: skip

    async def images(self, article_id: int, urls: Sequence[str]) -> list[tuple[str, str]]:
        return await ImageFetcher(self.client, self.limits, self.cache_dir).images(article_id, urls)


# -- helpers ---------------------------------------------------------------------------------


def _state(unwritten: int) -> str:
    """A stored page's save state: "ok", or the images it lacks (fetched again later)."""
    return f"{INCOMPLETE}{plural(unwritten, 'image')} {UNWRITTEN}" if unwritten else OK


def _unanswered(page: Page | SaveFailed) -> bool:
    return isinstance(page, SaveFailed) and page.unanswered


def feed_images(target: SaveTarget, cache_dir: Path) -> list[str]:
    """The web addresses of the images in the feed's text (`[image: alt] [N]`) not fetched
    for the article yet (a failed save is tried again later)."""
    from tui.offline.pictures import fetched  # only when a page could not be saved

    urls = image_urls(target.feed_text, target.feed_links)
    have = fetched(cache_dir, target.id, urls)
    return [url for url in urls if url not in have]
