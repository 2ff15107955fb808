"""A cache as an early build wrote it (schema version 2), or as a later one left it (any
version since), for the upgrade tests."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from tui.store import Store, db, migrate, schema
from tui.store.cjk import segment

# The schema as the first release created it (version 1), and migration 2 (saved images).
_FTS_ROW_V1 = """INSERT INTO articles_fts (rowid, title, author, body, source)
    VALUES (new.id, nd_segment(new.title), nd_segment(new.author),
            nd_segment(coalesce(new.full_text, new.body)),
            (SELECT nd_segment(name) FROM sources WHERE id = new.source_id));"""

SCHEMA_V1 = f"""
{schema.BASE_TABLES}
{schema.INDEXES}
CREATE INDEX articles_by_url ON articles (source_id, url);
CREATE INDEX articles_by_hash ON articles (source_id, content_hash);
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


@dataclass(frozen=True)
class OldArticle:
    """An article as an early build stored it (its body plain text, never grouped)."""

    title: str
    body: str
    date: float
    source: str = "Feed"
    tags: str = "[]"
    read: bool = False
    saved: bool = False


EARLY = (
    OldArticle("Quantum news", "Qubits.", 1, tags='["Science"]'),
    OldArticle("天気", "今日は東京都で会議。", 2),
)
"""A tagged article and a Japanese one, indexed the early way (CJK text not split at all)."""


def write_version_2_cache(path: Path, articles: Sequence[OldArticle] = EARLY) -> None:
    """A cache of `articles` as an early build wrote it (schema version 2)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    old = sqlite3.connect(path, isolation_level=None)
    old.execute(f"PRAGMA application_id = {db.APPLICATION_ID}")
    old.execute("PRAGMA journal_mode = WAL")
    old.create_function("nd_segment", 1, segment)
    for statement in (s for text in (SCHEMA_V1, SAVED_IMAGES_V2) for s in migrate.statements(text)):
        old.execute(statement)
    old.execute(  # what early builds indexed new rows with
        "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
        "INSERT INTO articles_fts (rowid, title, author, body, source) "
        "VALUES (new.id, new.title, '', new.body, "
        "(SELECT name FROM sources WHERE id = new.source_id)); END"
    )
    sources = {name: n for n, name in enumerate(dict.fromkeys(a.source for a in articles), 1)}
    old.executemany(
        "INSERT INTO sources (id, name, kind, location, configured) VALUES (?, ?, 'web', 'u', 'u')",
        [(n, name) for name, n in sources.items()],
    )
    old.executemany(
        "INSERT INTO articles (id, source_id, dedupe_key, content_hash, title, body, tags, "
        "first_seen, last_seen, sort_ts, read, saved) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (n, sources[a.source], f"g:{n}", f"h{n}", a.title, a.body, a.tags, *[a.date] * 3,
             a.read, a.saved)
            for n, a in enumerate(articles, 1)
        ],
    )  # fmt: skip
    old.execute("PRAGMA user_version = 2")
    old.close()


def write_cache_at(path: Path, version: int, articles: Sequence[OldArticle] = EARLY) -> None:
    """A cache of `articles` as the newsdesk whose schema was `version` left it: written at
    version 2, then migrated as far as that version went."""
    write_version_2_cache(path, articles)
    with mock.patch.object(migrate, "VERSION", version):
        Store.open(path).close()


BEFORE_24 = (
    *(f"DROP TRIGGER user_choices_{action}" for action in ("hide", "read", "save")),
    "DROP TABLE user_choices",
    schema.MIGRATIONS[18],  # the table of unhidden articles, which 24 carries over
)
"""Statements taking a new cache's choices back to how schema 18 to 23 kept them (24 also
folds the tags, whatever table of them it finds)."""
