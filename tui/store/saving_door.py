"""The Store's saving methods (see `tui.store.saved`): articles kept for offline reading,
their full text and its images, the saves still to fetch."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tui.store.door import Connected
from tui.store.errors import door as _door

if TYPE_CHECKING:
    import tui.store.saved as saved
    import tui.store.settle as settle
    from tui.models import Article, ArticleRow
    from tui.store.saved import Kept, Marked, SaveTarget, Unsaved
else:
    from tui.lazy import later_modules

    saved, settle = later_modules("tui.store", "saved", "settle")


class SavingDoor:
    """The saving methods of `Store`."""

    @_door
    def mark_saved(self: Connected, ids: Iterable[int], again: bool = False) -> Marked:
        """Flag articles saved; returns those whose full text still has to be fetched, and
        the ids the cache does not hold (`again`: web pages saved before are fetched anew)."""
        return saved.mark_saved(self._conn, ids, again)

    @_door
    def keep(
        self: Connected,
        source_id: int,
        articles: Sequence[tuple[Article, bool]],
        now: float | None = None,
    ) -> Kept:
        """Store articles another reader kept as saved ones of a source (see `saved.keep`)."""
        return saved.keep(self._conn, source_id, articles, time.time() if now is None else now)

    @_door
    def mark_pending(self: Connected, ids: Iterable[int]) -> list[SaveTarget]:
        """Mark articles as being fetched; returns the ones still without full text."""
        return saved.mark_pending(self._conn, ids)

    @_door
    def store_full_text(
        self: Connected,
        article_id: int,
        text: str,
        links: Sequence[str],
        images: Sequence[tuple[str, str]] = (),
        *,
        author: str | None = None,
        published: datetime | None = None,
        state: str = "ok",
    ) -> None:
        """Store a page's text, links and image copies (url, path under the cache) at once
        (`state`: "ok", or what it lacks: `saved.INCOMPLETE`)."""
        saved.store_full_text(
            self._conn,
            article_id, text, links, images, author=author, published=published, state=state,
        )  # fmt: skip

    @_door
    def record_save_failure(self: Connected, /, article_id: int, reason: str, **how: bool) -> None:
        """Keep the feed text and note why the full text could not be fetched; `how` it
        failed: `gone` (404), `final`, `counted`, `unanswered` (see `saved.record_save_failure`)."""
        saved.record_save_failure(self._conn, article_id, reason, **how)

    @_door
    def unsave(self: Connected, ids: Iterable[int]) -> Unsaved:
        """Remove the saved flag and the web page's text: the feed's is read again (a removed
        source goes with its last saved article)."""
        return saved.unsave(self._conn, ids)

    @_door
    def forgotten_by_unsave(self: Connected, ids: Iterable[int]) -> list[str]:
        """The removed sources an unsave of `ids` would forget, with those articles."""
        return sorted(settle.removed_sources(self._conn, ids).values())

    @_door
    def pending_saves(self: Connected, limit: int = 100, sources: Iterable[str] = ()) -> list[int]:
        """Articles whose full text should be fetched again, oldest attempt first."""
        return saved.pending_saves(self._conn, limit, sources)

    @_door
    def unattempted(self: Connected, source: str, limit: int = 50) -> list[int]:
        """A source's newest articles whose full text was never fetched."""
        return saved.unattempted(self._conn, source, limit)

    @_door
    def saved_rows(self: Connected) -> list[tuple[ArticleRow, str | None]]:
        """Every saved article, newest first, with its save state."""
        return saved.saved_rows(self._conn)

    @_door
    def article_images(self: Connected, article_id: int, cache_dir: Path) -> dict[str, Path]:
        """The local copies of an article's images that still exist: url -> file."""
        return saved.article_images(self._conn, article_id, cache_dir)

    @_door
    def enclosure_urls(self: Connected) -> set[str]:
        """The URL of every enclosure of the cache's articles: the downloads still wanted."""
        return saved.enclosure_urls(self._conn)

    @_door
    def local_image(self: Connected, article_id: int, url: str, cache_dir: Path) -> Path | None:
        """The local copy of one image link, if it was saved."""
        return saved.article_images(self._conn, article_id, cache_dir).get(url)
