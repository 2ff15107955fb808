"""What an import from another reader carried over, item by item (newsboat's read state and
flags: `tui.interop.newsboat`), so that running the import again carries each item once: an
article made unread here, or unsaved, stays so.

An item is known by its feed (`url_key` of the other reader's feed URL: the row outlives the
source it went to, which goes with its last saved article) and by what was carried and the
item's own id there, its guid or else its link, as newsdesk knows articles (`read:g:GUID`,
`flags:u:LINK`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from tui.store.tx import transaction

SCHEMA = """
CREATE TABLE imported_items (
    feed TEXT NOT NULL,
    item TEXT NOT NULL,
    PRIMARY KEY (feed, item)
) WITHOUT ROWID;
"""


def carried(conn: sqlite3.Connection, feed: str) -> set[str]:
    """The items of `feed` an import carried over already."""
    records = conn.execute("SELECT item FROM imported_items WHERE feed = ?", (feed,))
    return {str(item) for (item,) in records}


def note_carried(conn: sqlite3.Connection, feed: str, items: Iterable[str]) -> None:
    """Remember that these items of `feed` were carried over."""
    with transaction(conn):
        conn.executemany(
            "INSERT OR IGNORE INTO imported_items (feed, item) VALUES (?, ?)",
            [(feed, item) for item in items],
        )
