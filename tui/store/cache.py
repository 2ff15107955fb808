"""The Store: the one door to the cache. Its methods are the whole API — sources, refresh
writes, listing, flags, search, rules and saving — and each translates `sqlite3` errors into
the store's own (`StoreError` and its kinds; see `errors`).

Methods call functions of a connection in the query modules (`listing`, `writes`, `search`,
`rules`, `saved`; stories' come from `door.StoryDoor`, `M`'s from `door.MarkDoor`).
Connections are per thread, so the database thread and the CLI use the same object safely."""

from __future__ import annotations

import _thread  # `threading`'s lock and thread-local storage, without its import (~1 ms)
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import tui.store.counting as counting
import tui.store.db as db
import tui.store.imported as imported
import tui.store.listing as listing
import tui.store.search as searching
from tui.store.door import MarkDoor, StoryDoor
from tui.store.errors import door as _door
from tui.store.errors import translated
from tui.store.saving_door import SavingDoor
from tui.store.sync_door import SyncDoor
from tui.store.tx import Connection, transaction

if TYPE_CHECKING:
    import tui.store.rules as ruling
    import tui.store.saved as saved
    import tui.store.settle as settle
    import tui.store.writes as writes
    from tui.models import (
        Article,
        ArticleDetail,
        ArticleRow,
        FetchOutcome,
        Rule,
        SourceKind,
        SourceState,
    )
    from tui.prepared import Prepared
    from tui.store.filters import AlsoNamed
    from tui.store.migrate import UpgradeNotice
    from tui.store.rows import SortKey, View
    from tui.store.rules import RulesReport
    from tui.store.search import SearchResult
    from tui.store.settle import Settled
    from tui.store.upsert import UpsertResult
else:
    from tui.lazy import later_modules

    ruling, saved, settle, writes = later_modules("tui.store", "rules", "saved", "settle", "writes")


class Store(StoryDoor, MarkDoor, SyncDoor, SavingDoor):
    """The cache database. Open with `Store.open(path)`; close when done."""

    def __init__(
        self,
        path: Path,
        on_upgrade: UpgradeNotice | None = None,
        busy_timeout: float | None = None,
        on_wait: Callable[[], None] | None = None,
    ) -> None:
        self.path, self._on_wait = path, on_wait
        self._busy_ms = db.BUSY_TIMEOUT_MS if busy_timeout is None else int(busy_timeout * 1000)
        self._local = _thread._local()
        self._connections: list[Connection] = []
        self._lock = _thread.allocate_lock()
        self.reopened = self.replaced = 0
        """Connections opened again (see `_conn`); of them, for a file replaced on disk."""
        # Open now, so a corrupt file is reported at once (and an older one migrated).
        self._local.conn = self._connect(on_upgrade)

    @classmethod
    def open(
        cls,
        path: Path,
        on_upgrade: UpgradeNotice | None = None,
        *,
        busy_timeout: float | None = None,
        on_wait: Callable[[], None] | None = None,
    ) -> Store:
        """Open or create the cache at `path` (CorruptDatabase for a foreign file);
        `on_upgrade` hears of an older cache before it is migrated; a write waits up to
        `busy_timeout` seconds (default 30) for another program's, and `on_wait` hears of
        it after a second of that."""
        return cls(path, on_upgrade, busy_timeout, on_wait)

    @property
    def _conn(self) -> Connection:
        """This thread's connection, opened again first if `db.outdated` says so (never
        inside a transaction: its calls stay on the file they began on)."""
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        elif not conn.in_transaction and db.outdated(conn, self.path):
            self.reopened += 1
            self.replaced += db.replaced(conn, self.path)
            self._forget(conn)
            self._local.conn = None  # a file that cannot be opened now is tried at each call
            conn = self._local.conn = self._connect()
        return conn

    def _connect(self, on_upgrade: UpgradeNotice | None = None) -> Connection:
        conn = db.connect(self.path, on_upgrade, busy_timeout_ms=self._busy_ms)
        conn.on_wait = self._on_wait
        with self._lock:
            self._connections.append(conn)
        return conn

    def _forget(self, conn: Connection) -> None:
        with self._lock:
            self._connections.remove(conn)
        db.close(conn)

    def close(self) -> None:
        """Close every thread's connection."""
        with self._lock:
            for conn in self._connections:
                db.close(conn)
            self._connections.clear()
        self._local = _thread._local()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction around several method calls (they join it); an error undoes all."""
        with translated(self.path), transaction(self._conn):
            yield

    @_door
    def data_version(self) -> int:
        """A number that changes when another connection commits to the cache (cheap to poll)."""
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    @_door
    def changes(self) -> tuple[int, int, int]:
        """What the UI polls: the data version, and how many times a connection was opened
        again (`reopened`), and for a file replaced on disk (`replaced`)."""
        version = self.data_version()
        return version, self.reopened, self.replaced

    # -- sources ---------------------------------------------------------------------

    @_door
    def ensure_source(
        self,
        name: str,
        kind: SourceKind,
        location: str,
        tags: Iterable[str] = (),
        *,
        follows: bool = True,
    ) -> int:
        """The id of source `name`, created or updated to this kind, location and tags;
        `follows`: a local source's articles follow it to a new location (see
        `writes.ensure_source`)."""
        return writes.ensure_source(self._conn, name, kind, location, tags, follows=follows)

    @_door
    def sources(self, name: str | None = None) -> list[SourceState]:
        """Every source in the cache (or just `name`) with its state and counts, in natural
        order of names ("News 8" before "News 72", case and accents aside)."""
        return listing.sources(self._conn, name)

    @_door
    def source_state(self, name: str) -> SourceState | None:
        """One source's state, or None if the cache has never seen it."""
        return next(iter(listing.sources(self._conn, name)), None)

    @_door
    def validators(self, source_id: int) -> tuple[str | None, str | None]:
        """The stored ETag and Last-Modified for a conditional GET."""
        return listing.validators(self._conn, source_id)

    @_door
    def web_sources(self, removed: bool = True) -> dict[str, int]:
        """Feed URL -> source id, by configured URL and by current (redirected) location;
        with `removed=False`, not the sources kept only for their saved articles."""
        return listing.web_sources(self._conn, removed)

    @_door
    def read_keys(self, source_id: int) -> dict[str, tuple[int, bool]]:
        """Each of one source's cached articles by its identity in the source (guid, else
        link, else content: `Article.dedupe_key`) -> (id, read)."""
        return listing.read_keys(self._conn, source_id)

    @_door
    def remember_read(self, source_id: int, keys: Iterable[str]) -> int:
        """Mark read, when the source's feed brings them, the articles with these identities
        (`Article.dedupe_key`); returns how many were not remembered yet."""
        return writes.remember_read(self._conn, source_id, keys)

    @_door
    def imported_items(self, feed: str) -> set[str]:
        """The items of another reader's feed (its `url_key`) an import carried over already
        (see `imported`)."""
        return imported.carried(self._conn, feed)

    @_door
    def note_imported(self, feed: str, items: Iterable[str]) -> None:
        """Remember these items of another reader's feed as carried over (see `imported`)."""
        imported.note_carried(self._conn, feed, items)

    @_door
    def settle_sources(self, configured: Mapping[str, tuple[str, str]]) -> Settled:
        """Follow the config's renames and removals (see `settle.settle`)."""
        return settle.settle(self._conn, configured)

    @_door
    def unsettled_sources(self, configured: Mapping[str, tuple[str, str]]) -> Settled:
        """What `settle_sources` would change, and which source each configured name is,
        without writing (`settle.unsettled`)."""
        return settle.unsettled(self._conn, configured)

    @_door
    def unlisted_sources(self, configured: Mapping[str, tuple[str, str]]) -> list[tuple[str, int]]:
        """Web sources gone from the config that hold articles, with their count (`settle`)."""
        return settle.unlisted(self._conn, configured)

    @_door
    def forget_source(self, name: str) -> tuple[int, int] | None:
        """Drop a source's unsaved articles, and it unless saved ones remain (`settle`)."""
        return settle.forget_source(self._conn, name)

    # -- refresh ---------------------------------------------------------------------

    @_door
    def record_refresh(
        self,
        source_id: int,
        articles: Sequence[Article] | None,
        outcome: FetchOutcome,
        now: float | None = None,
        rules: Sequence[Rule] = (),
        retention_days: float | None = None,
        prepared: Sequence[Prepared] = (),
    ) -> UpsertResult:
        """Store one source's refresh in one transaction: articles, index rows, rule actions
        on the new articles and the source's state; with `retention_days`, also prune what
        left its feed (see `prune`); and keep it within `writes.MAX_DEPARTED`. `prepared`:
        see `tui.prepared`."""
        now = time.time() if now is None else now
        return writes.record_refresh(
            self._conn, source_id, articles, outcome, now, rules, retention_days, prepared
        )

    @_door
    def apply_rules(
        self, rules: Sequence[Rule], *, force: bool = False, step: ruling.Step | None = None
    ) -> RulesReport:
        """Run the rules over the whole cache in one transaction (`newsdesk rules apply`);
        unless `force`d, a hide rule that would hide most of the cache is left out (`held`).
        `step` is told before each rule runs."""
        with transaction(self._conn):
            size = None if force else ruling.cache_size(self._conn)
            return ruling.apply_rules(self._conn, rules, None, cache_size=size, step=step)

    @_door
    def rule_matches(self, query: str, limit: int | None = None) -> int:
        """How many articles a rule's `query` matches, hidden or not (InvalidQuery if FTS5
        cannot run it); with `limit`, counting stops there (that many or more)."""
        return counting.rule_matches(self._conn, query, limit)

    @_door
    def prune(
        self,
        retention_days: float,
        now: float | None = None,
        source_ids: Sequence[int] | None = None,
    ) -> int:
        """Delete the articles older than the retention that have left their feed, read or
        not; saved articles never. `source_ids` limits it to those sources."""
        now = time.time() if now is None else now
        return writes.prune(self._conn, retention_days, now, source_ids)

    @_door
    def rebuild_index(self) -> None:
        """Rebuild the full-text index from the articles (a repair command)."""
        writes.rebuild_index(self._conn)

    @_door
    def analyze(self) -> None:
        """Refresh planner statistics (after a big import)."""
        self._conn.execute("ANALYZE")

    # -- listing ---------------------------------------------------------------------

    @_door
    def page(
        self, view: View, after: SortKey | None = None, limit: int = 100, *, backward: bool = False
    ) -> list[ArticleRow]:
        """Up to `limit` rows, newest first, after (or with `backward`, before) a keyset position.

        `backward` with no position gives the last page (the oldest articles), still newest first.
        """
        return listing.page(self._conn, view, after, limit, backward)

    @_door
    def count(self, view: View) -> int:
        """How many articles the view holds."""
        return listing.count(self._conn, view)

    @_door
    def position(self, view: View, key: SortKey) -> int | None:
        """Index of the row at `key` in the view (rows newer); None if deep (`listing.REACH`)."""
        return listing.position(self._conn, view, key)

    @_door
    def row(self, article_id: int) -> ArticleRow | None:
        """One article's list row."""
        return listing.row(self._conn, article_id)

    @_door
    def article(self, article_id: int) -> ArticleDetail | None:
        """Everything the reader shows; the saved full text replaces the feed text."""
        return listing.article(self._conn, article_id)

    @_door
    def note_file(self, article_id: int) -> Path | None:
        """The file a local source's article was read from, while it is there: the note
        whose folder holds its images."""
        return listing.note_file(self._conn, article_id)

    @_door
    def existing_ids(self, ids: Iterable[int]) -> set[int]:
        """Which of these article ids exist."""
        return listing.existing_ids(self._conn, ids)

    # -- search ----------------------------------------------------------------------

    @_door
    def search(
        self,
        query: str,
        *,
        limit: int = 50,
        offset_key: SortKey | None = None,
        view: View | None = None,
        now: float | None = None,
        stories: bool = False,
        hidden: bool = False,
        also_named: AlsoNamed | None = None,
    ) -> SearchResult:
        """Articles matching `query`, best first (newest first for filters only); see
        `searching.search` for paging, `stories`, `hidden` and `also_named` (names `source:`
        finds sources by too: the config's, `unsettled_sources(...).named`). A query FTS5
        cannot run is retried as plain words."""
        return searching.search(
            self._conn,
            query,
            limit=limit,
            offset_key=offset_key,
            view=view,
            now=now,
            stories=stories,
            hidden=hidden,
            also_named=also_named,
        )

    @_door
    def search_count(
        self,
        query: str,
        *,
        unread_only: bool = False,
        now: float | None = None,
        limit: int | None = None,
        stories: bool = False,
        view: View | None = None,
        also_named: AlsoNamed | None = None,
    ) -> int:
        """How many articles match `query`, or only the unread ones (a saved search's count);
        with `limit`, counting stops there (`limit` means that many or more, of the rows
        counted); with `stories`, a story counts once; with `view`, of those it shows;
        `also_named` as `search` reads it."""
        return counting.count(
            self._conn,
            query,
            unread_only=unread_only,
            now=now,
            limit=limit,
            stories=stories,
            view=view,
            also_named=also_named,
        )

    # -- flags and small persistent state ---------------------------------------------

    @_door
    def set_read(self, ids: Iterable[int], read: bool = True) -> int:
        """Mark articles read or unread; returns how many changed."""
        return writes.set_flag(self._conn, "read", ids, read)

    @_door
    def set_saved(self, ids: Iterable[int], saved: bool = True) -> int:
        """Flag articles saved for offline reading (or not); returns how many changed."""
        return writes.set_flag(self._conn, "saved", ids, saved)

    @_door
    def set_hidden(self, ids: Iterable[int], hidden: bool) -> int:
        """Hide articles or restore hidden ones; returns how many changed (one restored is
        the user's choice, which a hide rule leaves: `user_choices`)."""
        return writes.set_flag(self._conn, "hidden", ids, hidden)

    @_door
    def newest_id(self) -> int:
        """The highest article id: those stored later have higher ones (`mark_view_read`)."""
        return listing.newest_id(self._conn)

    @_door
    def mark_view_read(self, view: View, upto: int | None = None) -> list[int]:
        """Mark every unread article in the view read (with `upto`, those with ids up to it:
        the view as it was when `newest_id` was read); returns their ids (for undo)."""
        return writes.mark_view_read(self._conn, view, upto)

    @_door
    def get_state(self, key: str) -> str | None:
        """A value the UI stored to survive a restart."""
        return listing.get_state(self._conn, key)

    @_door
    def check_writable(self) -> None:
        """Raise `ReadOnlyCache` (or `DiskFull`, opened without room) if nothing can be written."""
        writes.check_writable(self._conn)

    @_door
    def set_state(self, key: str, value: str) -> None:
        """Remember a value across restarts."""
        writes.set_state(self._conn, key, value)

    @_door
    def swap_state(self, key: str, expected: str | None, value: str) -> bool:
        """Remember a value unless another writer changed it from `expected` (None: none
        stored) since; whether it was written."""
        return writes.swap_state(self._conn, key, expected, value)
