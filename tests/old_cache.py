"""A cache as an early build wrote it (schema version 2), for the upgrade tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tui.store import db


def write_version_2_cache(path: Path) -> None:
    """One source, a tagged article ("Quantum news", tag Science) and a Japanese one ("天気"),
    indexed the early way (CJK text not split at all)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    old = sqlite3.connect(path, isolation_level=None)
    old.execute(f"PRAGMA application_id = {db.APPLICATION_ID}")
    old.execute("PRAGMA journal_mode = WAL")
    old.create_function("nd_segment", 1, db.segment)
    for statement in (s for script in db.MIGRATIONS[:2] for s in db._statements(script)):
        old.execute(statement)
    old.execute(  # what early builds indexed new rows with
        "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
        "INSERT INTO articles_fts (rowid, title, author, body, source) "
        "VALUES (new.id, new.title, '', new.body, 'Feed'); END"
    )
    old.execute(
        "INSERT INTO sources (id, name, kind, location, configured) "
        "VALUES (1, 'Feed', 'web', 'u', 'u')"
    )
    old.execute(
        "INSERT INTO articles (id, source_id, dedupe_key, content_hash, title, body, tags, "
        "first_seen, last_seen, sort_ts) VALUES (1, 1, 'g:1', 'h', 'Quantum news', 'Qubits.', "
        "'[\"Science\"]', 1, 1, 1), "
        "(2, 1, 'g:2', 'i', '天気', '今日は東京都で会議。', '[]', 2, 2, 2)"
    )
    old.execute("PRAGMA user_version = 2")
    old.close()
