"""A cache as an early build wrote it (schema version 2), for the upgrade tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tui.store import db, schema
from tui.store.cjk import segment

# The schema as the first release created it (version 1), and migration 2 (saved images).
_FTS_ROW_V1 = """INSERT INTO articles_fts (rowid, title, author, body, source)
    VALUES (new.id, nd_segment(new.title), nd_segment(new.author),
            nd_segment(coalesce(new.full_text, new.body)),
            (SELECT nd_segment(name) FROM sources WHERE id = new.source_id));"""

SCHEMA_V1 = f"""
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    location TEXT NOT NULL,
    configured TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    status INTEGER,
    error TEXT,
    warning TEXT,
    checked_at REAL,
    ok_at REAL,
    next_retry REAL,
    failures INTEGER NOT NULL DEFAULT 0,
    dead INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE source_tags (
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (tag, source_id)
) WITHOUT ROWID;
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    dedupe_key TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    guid TEXT,
    url TEXT,
    title TEXT NOT NULL,
    author TEXT,
    published REAL,
    updated REAL,
    first_seen REAL NOT NULL,
    last_seen REAL NOT NULL,
    sort_ts REAL NOT NULL,
    -- Flags and small columns come before the bodies so filters don't read overflow pages.
    read INTEGER NOT NULL DEFAULT 0,
    saved INTEGER NOT NULL DEFAULT 0,
    hidden INTEGER NOT NULL DEFAULT 0,
    save_state TEXT,
    save_attempts INTEGER NOT NULL DEFAULT 0,
    tags TEXT NOT NULL DEFAULT '[]',
    links TEXT NOT NULL DEFAULT '[]',
    enclosures TEXT NOT NULL DEFAULT '[]',
    body TEXT NOT NULL,
    full_text TEXT,
    full_links TEXT,
    UNIQUE (source_id, dedupe_key)
);
CREATE INDEX articles_by_time ON articles (sort_ts DESC, id DESC) WHERE hidden = 0;
CREATE INDEX articles_by_source ON articles (source_id, sort_ts DESC, id DESC);
CREATE INDEX articles_unread ON articles (sort_ts DESC, id DESC) WHERE read = 0 AND hidden = 0;
CREATE INDEX articles_unread_by_source ON articles (source_id) WHERE read = 0 AND hidden = 0;
CREATE INDEX articles_saved ON articles (sort_ts DESC, id DESC) WHERE saved = 1;
CREATE INDEX articles_by_url ON articles (source_id, url);
CREATE INDEX articles_by_hash ON articles (source_id, content_hash);
CREATE TABLE remembered_read (
    source_id INTEGER NOT NULL,
    dedupe_key TEXT NOT NULL,
    PRIMARY KEY (source_id, dedupe_key)
) WITHOUT ROWID;
CREATE TABLE ui_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, author, body, source,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
-- New rows are indexed by store.upsert in the same transaction (in bulk); changed and
-- deleted rows by these triggers.
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.id;
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, author, body, full_text ON articles
BEGIN
    DELETE FROM articles_fts WHERE rowid = old.id;
    {_FTS_ROW_V1}
END;
"""

SAVED_IMAGES_V2 = schema.MIGRATIONS[2]


def write_version_2_cache(path: Path) -> None:
    """One source, a tagged article ("Quantum news", tag Science) and a Japanese one ("天気"),
    indexed the early way (CJK text not split at all)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    old = sqlite3.connect(path, isolation_level=None)
    old.execute(f"PRAGMA application_id = {db.APPLICATION_ID}")
    old.execute("PRAGMA journal_mode = WAL")
    old.create_function("nd_segment", 1, segment)
    for statement in (s for text in (SCHEMA_V1, SAVED_IMAGES_V2) for s in schema.statements(text)):
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
