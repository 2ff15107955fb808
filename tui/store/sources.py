"""Source rows: refresh outcomes (validators, errors, retry times) and their read model."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from tui.models import FetchOutcome, SourceKind, SourceState
from tui.store.stamps import to_datetime, to_stamp


def source_state_from(record: Sequence[Any], tags: Sequence[str]) -> SourceState:
    """A SourceState from the row `Store.sources` selects and the source's tags."""
    id_, name, kind, location, status, error, warning, checked, retry, dead = record[:10]
    unread, total, failing = record[10:]
    # Filled in directly (as `rows.row_from` does): a frozen dataclass's __init__ sets each
    # field through object.__setattr__, a quarter of the time for 20,000 sources.
    state = _bare(SourceState)
    state.__dict__.update(
        id=int(id_),
        name=str(name),
        kind=_KINDS[kind],
        location=str(location),
        tags=tuple(tags),
        unread=int(unread),
        total=int(total),
        status=status if isinstance(status, int) else None,
        error=error if isinstance(error, str) else None,
        warning=warning if isinstance(warning, str) else None,
        checked_at=None if checked is None else to_datetime(checked),
        next_retry=None if retry is None else to_datetime(retry),
        dead=bool(dead),
        failing_since=None if failing is None else to_datetime(failing),
    )
    return state


_bare = object.__new__
_KINDS = {kind.value: kind for kind in SourceKind}


def record_outcome(
    conn: sqlite3.Connection, source_id: int, outcome: FetchOutcome, now: float
) -> None:
    """Store how a refresh went: validators and success, or the error and next retry."""
    if outcome.ok:
        conn.execute(
            # `ok_at` is when the source's whole content was last seen: a 304 or a partial
            # import keeps it, so retention never mistakes unchanged articles for departed ones
            # and a 304 writes nothing but the source row.
            "UPDATE sources SET status = ?, error = NULL, warning = ?, checked_at = ?, "
            "ok_at = coalesce(?, ok_at), failing_since = NULL, "
            "failures = 0, next_retry = ?, dead = 0, "
            "etag = CASE WHEN ? THEN etag ELSE ? END, "
            "last_modified = CASE WHEN ? THEN last_modified ELSE ? END, "
            "location = coalesce(?, location) WHERE id = ?",
            (
                outcome.status,
                outcome.warning,
                now,
                now if outcome.complete and not outcome.not_modified else None,
                to_stamp(outcome.next_retry),
                outcome.not_modified,
                outcome.etag,
                outcome.not_modified,
                outcome.last_modified,
                outcome.new_location,
                source_id,
            ),
        )
        return
    conn.execute(
        # The first failure after a success starts the run (one already failing at the
        # upgrade to schema 20 keeps NULL: since when is not known).
        "UPDATE sources SET status = ?, error = ?, checked_at = ?, failures = failures + 1, "
        "failing_since = CASE WHEN error IS NULL THEN ? ELSE failing_since END, "
        "next_retry = ?, dead = ? WHERE id = ?",
        (
            outcome.status,
            outcome.error,
            now,
            now,
            to_stamp(outcome.next_retry),
            int(outcome.dead),
            source_id,
        ),
    )
