"""The cache's schema: the whole current schema in one piece for a new cache, and numbered
migrations that bring an older cache up to it (run by `migrate`).

Never edit a released migration: add one, and change `SCHEMA` to match its result (a test
checks that a migrated cache and a new one have the same tables, indexes and triggers).
"""

from __future__ import annotations

from tui.store import days, imported, source_columns, stories, user_choices
from tui.store.index_schema import (
    FTS_INDEX,
    FTS_TEXT_TRIGGERS,
    FTS_UNINDEX,
    FTS_VIEW,
    WORDS,
    WORDS_V21,
    fts_columns,
    fts_table,
    index_articles,
    indexed,
    indexed_tags,
)
from tui.store.stories import ALONE, ALONE_ALREADY, COUNT_OUTLETS, OUTLETS_SCHEMA, STORY_COLUMN

VERSION = 24


_FTS_ROW = f"""INSERT INTO articles_fts (rowid, title, author, body, source, tags)
    VALUES (new.id, {indexed("new.title")}, {indexed("new.author")},
            {indexed("coalesce(new.full_text, new.body)")},
            (SELECT {indexed("name")} FROM sources WHERE id = new.source_id),
            {indexed_tags("new")});"""


# The article's own tags (the `tags` JSON array stays the source of truth) as rows a `tag:`
# filter can look up; triggers keep them in step with every write of `articles`.
def _tag_rows(tag_column: str, stored: str) -> str:
    """The `article_tags` table and its triggers, each tag of an article stored as `stored`
    (an expression of `value`)."""
    add = f"INSERT OR IGNORE INTO article_tags SELECT {stored}, new.id FROM json_each(new.tags);"
    remove = (
        "DELETE FROM article_tags WHERE article_id = old.id "
        f"AND tag IN (SELECT {stored} FROM json_each(old.tags));"
    )
    return f"""
CREATE TABLE article_tags (
    {tag_column},
    article_id INTEGER NOT NULL,
    PRIMARY KEY (tag, article_id)
) WITHOUT ROWID;
CREATE TRIGGER article_tags_insert AFTER INSERT ON articles WHEN new.tags != '[]' BEGIN
    {add}
END;
CREATE TRIGGER article_tags_update AFTER UPDATE OF tags ON articles WHEN new.tags != old.tags
BEGIN
    {remove}
    {add}
END;
CREATE TRIGGER article_tags_delete AFTER DELETE ON articles WHEN old.tags != '[]' BEGIN
    {remove}
END;
"""


FOLDED_TAGS = _tag_rows("tag TEXT NOT NULL", "nd_fold(value)")
"""Since 24: tags folded as `source:` and `tag:` compare names (`nd_fold`: case and accents
aside)."""
_ASCII_CASE_TAGS = _tag_rows("tag TEXT NOT NULL COLLATE NOCASE", "value")
"""From 4 to 23: as written, compared ignoring ASCII case only."""

# The full-text index: new rows indexed by `upsert` (in bulk, segmented in Python), changed and
# deleted ones by these triggers. `tags` puts a `tag:` filter into the MATCH expression; source
# name and tags add nothing to the score (search.RANKING). One prefix index, '2' (typed ahead).
_FTS_TRIGGERS = f"""
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.id;
END;
CREATE TRIGGER articles_fts_update
AFTER UPDATE OF title, author, body, full_text, tags ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.id;
    {_FTS_ROW}
END;
"""

# The whole current schema, in pieces that the migrations below share (a piece a released
# migration uses is never edited: a change is a new piece and a new migration).

# The tables as version 1 created them, unchanged since (old caches in the tests start here).
BASE_TABLES = """
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
-- Read state of pruned articles, restored if the feed lists them again.
CREATE TABLE remembered_read (
    source_id INTEGER NOT NULL,
    dedupe_key TEXT NOT NULL,
    PRIMARY KEY (source_id, dedupe_key)
) WITHOUT ROWID;
CREATE TABLE ui_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# The indexes of version 1 that are still used.
INDEXES = """
-- Dedupe reads a source's keys, links and hashes in one pass over articles_by_source.
CREATE INDEX articles_by_time ON articles (sort_ts DESC, id DESC) WHERE hidden = 0;
CREATE INDEX articles_by_source ON articles (source_id, sort_ts DESC, id DESC);
CREATE INDEX articles_unread ON articles (sort_ts DESC, id DESC) WHERE read = 0 AND hidden = 0;
CREATE INDEX articles_unread_by_source ON articles (source_id) WHERE read = 0 AND hidden = 0;
CREATE INDEX articles_saved ON articles (sort_ts DESC, id DESC) WHERE saved = 1;
"""

# Covers the per-source and whole-cache counts (sources pane, list totals).
_COUNTS_INDEX = "CREATE INDEX articles_counts ON articles (source_id, read) WHERE hidden = 0;"

# Local copies of a saved article's images (paths relative to the cache folder).
_SAVED_IMAGES = """
CREATE TABLE article_images (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    path TEXT NOT NULL,
    PRIMARY KEY (article_id, url)
) WITHOUT ROWID;
"""


def _queue_trigger(column: str) -> str:
    return f"""
CREATE TRIGGER sync_queue_{column} AFTER UPDATE OF {column} ON articles
WHEN new.{column} != old.{column} AND NOT EXISTS (SELECT 1 FROM sync_mute)
BEGIN
    INSERT OR REPLACE INTO sync_queue (remote_id, field, value)
        SELECT remote_id, '{column}', new.{column} FROM sync_items WHERE article_id = new.id;
END;
"""


# Sync with a server (tui/store/sync.py): server ids of feeds and items, the queue of local
# flag changes (filled by triggers, so every writer of a flag queues it in its transaction).
_SYNC_TABLES = f"""
CREATE TABLE sync_feeds (
    remote_id TEXT PRIMARY KEY,
    source_id INTEGER NOT NULL UNIQUE REFERENCES sources(id) ON DELETE CASCADE
);
CREATE TABLE sync_items (
    remote_id TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE
);
CREATE INDEX sync_items_by_article ON sync_items (article_id);
-- One row per server item and flag; a newer change replaces the row (and takes a new rowid,
-- so a push removes only the rows it sent, never a change made while it was sending).
CREATE TABLE sync_queue (
    remote_id TEXT NOT NULL,
    field TEXT NOT NULL,
    value INTEGER NOT NULL,
    UNIQUE (remote_id, field)
);
-- Holds a row only inside a transaction that writes the server's state.
CREATE TABLE sync_mute (muted INTEGER);
CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
{_queue_trigger("read")}
{_queue_trigger("saved")}
"""

# Visible and unread articles per source, kept by triggers: the sources pane and the list's
# totals read a row per source instead of an index entry per article (linear in the cache).
_SOURCE_COUNTS = """
CREATE TABLE source_counts (
    source_id INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
    visible INTEGER NOT NULL DEFAULT 0,
    unread INTEGER NOT NULL DEFAULT 0
);
CREATE TRIGGER source_counts_insert AFTER INSERT ON articles WHEN new.hidden = 0 BEGIN
    INSERT INTO source_counts (source_id, visible, unread)
        VALUES (new.source_id, 1, new.read = 0)
        ON CONFLICT (source_id) DO UPDATE
        SET visible = visible + 1, unread = unread + excluded.unread;
END;
CREATE TRIGGER source_counts_delete AFTER DELETE ON articles WHEN old.hidden = 0 BEGIN
    UPDATE source_counts SET visible = visible - 1, unread = unread - (old.read = 0)
        WHERE source_id = old.source_id;
END;
CREATE TRIGGER source_counts_update AFTER UPDATE OF read, hidden ON articles
WHEN new.read != old.read OR new.hidden != old.hidden BEGIN
    INSERT INTO source_counts (source_id, visible, unread)
        VALUES (new.source_id, (new.hidden = 0) - (old.hidden = 0),
                (new.hidden = 0 AND new.read = 0) - (old.hidden = 0 AND old.read = 0))
        ON CONFLICT (source_id) DO UPDATE
        SET visible = visible + excluded.visible, unread = unread + excluded.unread;
END;
"""

# Articles the user unhid (`newsdesk unhide`): a hide rule leaves them shown (until 24).
_UNHIDDEN = """
CREATE TABLE unhidden (article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE);
"""

SCHEMA = f"""
{BASE_TABLES}
{INDEXES}
{_COUNTS_INDEX}
{_SAVED_IMAGES}
{FOLDED_TAGS}
{FTS_VIEW}
{fts_table(WORDS)}
{FTS_TEXT_TRIGGERS}
{_SYNC_TABLES}
{STORY_COLUMN}
{_SOURCE_COUNTS}
{OUTLETS_SCHEMA}
{days.SCHEMA}
{ALONE}
{source_columns.REMOVED_SOURCES}
{stories.DUE_WORK}
{source_columns.FAILING_SINCE}
{imported.SCHEMA}
{user_choices.USER_CHOICES}
"""

# -- migrations of older caches (version 1 was the first released schema) -----------------

_ARTICLE_TAGS = f"""
{_ASCII_CASE_TAGS}
INSERT OR IGNORE INTO article_tags
    SELECT t.value, a.id FROM articles a, json_each(a.tags) t WHERE a.tags != '[]';
"""

# The search index gains the `tags` column, loses the '3' prefix index (a third of indexing).
_SEARCH_INDEX_V2 = f"""
DROP TRIGGER articles_fts_delete;
DROP TRIGGER articles_fts_update;
DROP TRIGGER IF EXISTS articles_fts_insert; -- caches from early builds: upsert indexes new rows
CREATE VIRTUAL TABLE articles_fts_v2 USING fts5 (
    title, author, body, source, tags,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2'
);
INSERT INTO articles_fts_v2 (rowid, title, author, body, source, tags)
    SELECT f.rowid, f.title, f.author, f.body, f.source,
           {indexed_tags("a")}
    FROM articles_fts f JOIN articles a ON a.id = f.rowid;
DROP TABLE articles_fts;
ALTER TABLE articles_fts_v2 RENAME TO articles_fts;
{_FTS_TRIGGERS}
"""

# Nothing looks articles up by link or hash; keeping these two cost every insert (~4 %).
_UNUSED_INDEXES = """
DROP INDEX articles_by_url;
DROP INDEX articles_by_hash;
"""

# CJK runs as pairs of characters (see `cjk.segment`): the rows whose index text holds CJK
# are indexed again (the index's stored text changes under the new `nd_segment`).
_CJK_PAIRS = f"""
CREATE TEMP TABLE nd_cjk_rows AS SELECT rowid AS id FROM articles_fts
    WHERE title != nd_segment(title) OR author != nd_segment(author)
       OR body != nd_segment(body) OR source != nd_segment(source)
       OR tags != nd_segment(tags);
DELETE FROM articles_fts WHERE rowid IN (SELECT id FROM nd_cjk_rows);
{index_articles("WHERE a.id IN (SELECT id FROM nd_cjk_rows)")};
DROP TABLE nd_cjk_rows;
"""

# Bodies compressed (see `bodies`) and the index's copy of the text dropped: the index is
# built again from the articles (~10 s per 100,000 articles; by 23 alone where the cache goes
# on to 23: `REBUILDS_INDEX`).
_PACKED_BODIES = f"""
DROP TRIGGER articles_fts_delete;
DROP TRIGGER articles_fts_update;
DROP TABLE articles_fts;
UPDATE articles SET body = nd_pack(body) WHERE typeof(body) = 'text';
{FTS_VIEW}
{fts_table(WORDS_V21)}
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
{FTS_TEXT_TRIGGERS}
"""

_COUNTED_SOURCES = f"""{_SOURCE_COUNTS}
INSERT INTO source_counts (source_id, visible, unread)
    SELECT source_id, count(*), sum(read = 0) FROM articles WHERE hidden = 0 GROUP BY source_id;
"""


# Text folded anew (`folding`; 17: Greek, Cyrillic, ß; 21: ı, Arabic marks): rows holding any
# leave the index with their old text (`old`), bodies marked changed (update trigger off), return.
def _refolded(folds: str, old: str) -> str:
    return f"""
CREATE TEMP TABLE nd_folded_rows AS SELECT a.id FROM articles a JOIN sources s ON s.id = a.source_id
    WHERE {folds}(a.title) OR {folds}(a.author) OR {folds}(s.name)
       OR (a.tags != '[]' AND EXISTS (SELECT 1 FROM json_each(a.tags) WHERE {folds}(value)))
       OR {folds}(coalesce(a.full_text, nd_body(a.body)));
{FTS_UNINDEX} SELECT 'delete', a.id, {old}(a.title), {old}(a.author),
        {old}(coalesce(a.full_text, nd_body(a.body))), {old}(s.name),
        CASE a.tags WHEN '[]' THEN ''
        ELSE (SELECT {old}(group_concat(value, ' ')) FROM json_each(a.tags)) END
    FROM articles a JOIN sources s ON s.id = a.source_id
    WHERE a.id IN (SELECT id FROM nd_folded_rows);
DROP TRIGGER articles_fts_delete;
DROP TRIGGER articles_fts_update;
DROP TRIGGER articles_fts_rename;
UPDATE articles SET body = nd_pack(nd_body(body))
    WHERE id IN (SELECT id FROM nd_folded_rows) AND typeof(body) = 'blob'
      AND substr(body, 1, 1) = X'00';
{FTS_TEXT_TRIGGERS}
{FTS_INDEX} SELECT a.id, {fts_columns("a")} FROM articles a
    WHERE a.id IN (SELECT id FROM nd_folded_rows);
DROP TABLE nd_folded_rows;
"""


# Marks are part of their word (`index_schema.WORDS`): FTS5 takes its tokenizer when the table
# is made, so the index is made again and built from the articles (as 10 did, without
# touching them: `nd_segment` is unchanged, the triggers name the table, not this one).
_MARKS_IN_WORDS = f"""
DROP TABLE articles_fts;
{fts_table(WORDS)}
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
"""

# A read or save rule leaves what the user set by hand too (unhidden articles carried over;
# the articles unhid while shown, no choice, cannot be told apart); article tags folded.
_CHOICES_AND_FOLDED_TAGS = f"""
{user_choices.USER_CHOICES}
INSERT INTO user_choices (article_id, action) SELECT article_id, 'hide' FROM unhidden;
DROP TABLE unhidden;
DROP TRIGGER article_tags_insert;
DROP TRIGGER article_tags_update;
DROP TRIGGER article_tags_delete;
DROP TABLE article_tags;
{FOLDED_TAGS}
INSERT OR IGNORE INTO article_tags
    SELECT nd_fold(t.value), a.id FROM articles a, json_each(a.tags) t WHERE a.tags != '[]';
"""

REBUILDS_INDEX = 23
"""The migration that makes the search index again and builds it from the articles (~100 s
at a million): for a cache older than it, the index work of the migrations before it
(`INDEX_WORK`) is skipped, work it would throw away."""
INDEX_WORK = (
    "INSERT INTO articles_fts",  # 5's copy, 7's, 10's build, 17's and 21's refolded rows
    "DELETE FROM articles_fts",  # 7's CJK rows
    "CREATE TEMP TABLE nd_cjk_rows",
    "DROP TABLE nd_cjk_rows",
)
"""How the statements that only write the search index begin, in migrations before 23."""
PACKS_BODIES = 10
"""The migration that packs every body, marked as today's `nd_segment` sees it (`bodies`)."""
REMARKS_BODIES = frozenset({17, 21})  # bodies of refolded rows marked anew (`migrate`)

MIGRATIONS: dict[int, str] = {
    2: _SAVED_IMAGES,
    3: _COUNTS_INDEX,
    4: _ARTICLE_TAGS,
    5: _SEARCH_INDEX_V2,
    6: _UNUSED_INDEXES,
    7: _CJK_PAIRS,
    8: _SYNC_TABLES,
    9: STORY_COLUMN,
    10: _PACKED_BODIES,
    11: _COUNTED_SOURCES,
    12: OUTLETS_SCHEMA + COUNT_OUTLETS,
    13: days.MIGRATION,
    14: ALONE + ALONE_ALREADY,
    15: ALONE_ALREADY,  # a lead repeating a sentence made an article a story of its own
    16: source_columns.REMOVED_SOURCES,
    17: _refolded("nd_folds", "nd_segment_v16"),
    18: _UNHIDDEN,
    19: stories.CATCH_UP_MOVED,
    20: source_columns.FAILING_SINCE,
    21: _refolded("nd_folds_v21", "nd_segment_v20"),
    22: imported.SCHEMA,
    23: _MARKS_IN_WORDS,
    24: _CHOICES_AND_FOLDED_TAGS,
}
"""Migration N upgrades a cache at version N - 1 to N."""
