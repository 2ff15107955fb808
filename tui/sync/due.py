"""When the `[sync]` server is due for an automatic sync: every `refresh_minutes`, counted
from the last attempt (a failed one too: the server is not asked every minute while down);
at once after an attempt the clock, set back since, puts after now. And whether the last
attempt failed, which the TUI marks until a sync works (light: no network code)."""

from __future__ import annotations

from tui.config import Config
from tui.store import Store
from tui.text import plural

LAST_ERROR = "last_error"
"""The sync state key holding why the last sync failed (empty: it worked)."""


def sync_due(config: Config, store: Store, now: float) -> bool:
    """True when auto-refresh should sync now (database thread)."""
    minutes = config.settings.refresh_minutes
    if config.sync is None or minutes <= 0:
        return False
    last = store.sync_get("last_attempt")
    # An attempt "later" than now (the clock set back since) waits for no clock.
    return last is None or not 0 <= now - float(last) < minutes * 60


def last_failure(config: Config, store: Store) -> str | None:
    """Why the last sync failed, with the local changes kept queued since (None: it worked,
    or none was tried) (database thread)."""
    why = store.sync_get(LAST_ERROR) if config.sync else None
    if not why:
        return None
    return f"{why} ({plural(len(store.sync_pending()), 'local change')} kept)"
