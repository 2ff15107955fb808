"""The Store's sync methods (see `tui.store.sync`): the cache's side of a `[sync]` server."""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING

from tui.store.door import Connected
from tui.store.errors import door as _door
from tui.store.tx import transaction

if TYPE_CHECKING:
    import tui.store.sync as sync
    from tui.models import Rule
    from tui.store.rules import RulesReport
else:
    from tui.lazy import later_modules

    (sync,) = later_modules("tui.store", "sync")


class SyncDoor:
    """The sync methods of `Store`."""

    @_door
    def sync_begin(self: Connected, account: str) -> tuple[int, list[str]]:
        """Start a sync with `account` (another one starts afresh; returns the changes dropped
        and the names of the sources that left)."""
        return sync.begin(self._conn, account)

    @_door
    def sync_pending(self: Connected) -> list[sync.PendingChange]:
        """Local flag changes of synced articles not yet pushed."""
        return sync.pending(self._conn)

    @_door
    def sync_pushed(self: Connected, changes: Iterable[sync.PendingChange]) -> None:
        """The server took these changes."""
        sync.pushed(self._conn, changes)

    @_door
    def sync_feeds(self: Connected, feeds: Sequence[sync.SyncedFeed]) -> list[str]:
        """The server's feeds as sources; returns the names of those that left."""
        return sync.store_feeds(self._conn, feeds)

    @_door
    def sync_forget_feed(self: Connected, remote_id: str) -> str | None:
        """Remove a feed the user unsubscribed from; returns its source's name."""
        with transaction(self._conn) as conn:
            return sync.forget_feed(conn, remote_id)

    @_door
    def sync_items(
        self: Connected,
        items: Sequence[sync.SyncedItem],
        marker: str | None,
        rules: Sequence[Rule] = (),
        now: float | None = None,
    ) -> tuple[list[int], RulesReport]:
        """Store server items and the marker after them; returns the new articles' ids and
        what the rules did to them."""
        return sync.store_items(self._conn, items, marker, rules, now or time.time())

    @_door
    def sync_known_items(self: Connected) -> set[str]:
        """Server ids of the items the cache holds."""
        return sync.known_items(self._conn)

    @_door
    def sync_saved_ids(self: Connected) -> set[str]:
        """Server ids of the synced articles saved here."""
        return sync.saved_remote_ids(self._conn)

    @_door
    def sync_release(self: Connected, remote_ids: Collection[str]) -> int:
        """Items the server no longer has leave the sync, their articles' flags kept."""
        return sync.release(self._conn, remote_ids)

    @_door
    def sync_apply_state(
        self: Connected,
        unread: set[str],
        starred: set[str] | None,
        feeds: Collection[str] | None = None,
    ) -> sync.PullReport:
        """Take the server's unread (of `feeds`) and starred state (queued changes win)."""
        return sync.apply_server_state(self._conn, unread, starred, feeds)

    @_door
    def sync_counts(self: Connected) -> tuple[dict[str, int], int]:
        """Unread here per server feed, and saved here (see `sync.local_counts`)."""
        return sync.local_counts(self._conn)

    @_door
    def sync_prune(self: Connected, retention_days: float, now: float) -> int:
        """Prune synced articles the server has read (see `sync.prune`)."""
        return sync.prune(self._conn, retention_days, now)

    @_door
    def sync_get(self: Connected, key: str) -> str | None:
        """A value sync keeps between runs (the marker, the last attempt)."""
        return sync.get_state(self._conn, key)

    @_door
    def sync_set(self: Connected, key: str, value: str) -> None:
        with transaction(self._conn) as conn:
            sync.set_state(conn, key, value)

    @_door
    def sync_sources(self: Connected) -> dict[str, str]:
        """Server feed id -> source name, for the synced sources."""
        return sync.source_names(self._conn)
