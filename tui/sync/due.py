"""When the `[sync]` server is due for an automatic sync: every `refresh_minutes`, counted
from the last attempt (a failed one too: the server is not asked every minute while down);
at once after an attempt the clock, set back since, puts after now."""

from __future__ import annotations

from tui.config import Config
from tui.store import Store


def sync_due(config: Config, store: Store, now: float) -> bool:
    """True when auto-refresh should sync now (database thread)."""
    minutes = config.settings.refresh_minutes
    if config.sync is None or minutes <= 0:
        return False
    last = store.sync_get("last_attempt")
    # An attempt "later" than now (the clock set back since) waits for no clock.
    return last is None or not 0 <= now - float(last) < minutes * 60
