"""Connection, pragmas, schema and migrations of the cache database.

WAL mode so a second process (a cron `newsdesk refresh` beside the TUI) can read and write;
a busy timeout instead of "database is locked"; `application_id` so a foreign file is never
mistaken for (or replaced by) a cache.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

APPLICATION_ID = 0x4E574453  # "NWDS"
BUSY_TIMEOUT_MS = 30_000


class StoreError(Exception):
    """A problem with the cache that the user must hear about in one line."""


class CorruptDatabase(StoreError):
    """The database file is damaged or belongs to another program; it is left untouched."""


class InvalidQuery(StoreError):
    """A search query SQLite's FTS5 could not run."""


# CJK ideographs, kana and hangul have no spaces between words. Each run of them is indexed
# as its overlapping pairs of characters plus its last character (東京都 → 東京 京都 都): a
# two-character word, the commonest length, is then one token, a longer one a phrase of pairs,
# and any single character the prefix of a token, so a word in the middle of a sentence is
# found without a dictionary.
_CJK_CLASS = (
    "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3131-\u318e\u31a0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f"
)
CJK_CHAR = f"[{_CJK_CLASS}]"
CJK_RUN = re.compile(f"{CJK_CHAR}+")


def segment(text: str | None) -> str:
    """Text as the full-text index sees it: each CJK run as its pairs and its last character."""
    if not text or text.isascii():  # isascii is O(1) for ASCII-only strings
        return text or ""
    return CJK_RUN.sub(_pairs_and_last, text)


def _pairs_and_last(run: re.Match[str]) -> str:
    chars = run.group(0)
    return " " + " ".join([*_pairs(chars), chars[-1]]) + " "


def query_tokens(text: str) -> tuple[str, bool]:
    """A query word or phrase as index tokens (CJK runs as their pairs: 東京都 → 東京 京都),
    and whether its last token is a lone CJK character, to be searched as a prefix."""
    tokens = CJK_RUN.sub(_pairs_or_single, text).split()
    lone = bool(tokens) and len(tokens[-1]) == 1 and CJK_RUN.fullmatch(tokens[-1]) is not None
    return " ".join(tokens), lone


def _pairs_or_single(run: re.Match[str]) -> str:
    chars = run.group(0)
    return " " + " ".join(_pairs(chars) or [chars]) + " "


def _pairs(chars: str) -> list[str]:
    """The overlapping pairs of `chars` (none for a single character)."""
    return [chars[i : i + 2] for i in range(len(chars) - 1)]


def _indexed(expr: str) -> str:
    """SQL giving `expr` as the full-text index sees it (see `segment`)."""
    return f"nd_segment({expr})"


_FTS_ROW = f"""INSERT INTO articles_fts (rowid, title, author, body, source)
    VALUES (new.id, {_indexed("new.title")}, {_indexed("new.author")},
            {_indexed("coalesce(new.full_text, new.body)")},
            (SELECT {_indexed("name")} FROM sources WHERE id = new.source_id));"""

SCHEMA = f"""
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
    {_FTS_ROW}
END;
"""

# Local copies of a saved article's images (paths relative to the cache folder).
SAVED_IMAGES = """
CREATE TABLE article_images (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    path TEXT NOT NULL,
    PRIMARY KEY (article_id, url)
) WITHOUT ROWID;
"""

# Covers the per-source and whole-cache counts (sources pane, list totals) in one small index.
COUNTS_INDEX = """
CREATE INDEX articles_counts ON articles (source_id, read) WHERE hidden = 0;
"""

# The article's own tags (the `tags` JSON array stays the source of truth) as rows a `tag:`
# filter can look up; triggers keep them in step with every write of `articles`.
_TAG_ROWS = "INSERT OR IGNORE INTO article_tags SELECT value, new.id FROM json_each(new.tags);"
_UNTAG_ROWS = (
    "DELETE FROM article_tags "
    "WHERE article_id = old.id AND tag IN (SELECT value FROM json_each(old.tags));"
)
ARTICLE_TAGS = f"""
CREATE TABLE article_tags (
    tag TEXT NOT NULL COLLATE NOCASE,
    article_id INTEGER NOT NULL,
    PRIMARY KEY (tag, article_id)
) WITHOUT ROWID;
CREATE TRIGGER article_tags_insert AFTER INSERT ON articles WHEN new.tags != '[]' BEGIN
    {_TAG_ROWS}
END;
CREATE TRIGGER article_tags_update AFTER UPDATE OF tags ON articles WHEN new.tags != old.tags
BEGIN
    {_UNTAG_ROWS}
    {_TAG_ROWS}
END;
CREATE TRIGGER article_tags_delete AFTER DELETE ON articles WHEN old.tags != '[]' BEGIN
    {_UNTAG_ROWS}
END;
INSERT OR IGNORE INTO article_tags
    SELECT t.value, a.id FROM articles a, json_each(a.tags) t WHERE a.tags != '[]';
"""


def tag_text(tags: Sequence[str]) -> str:
    """An article's tags as the full-text index's `tags` column holds them."""
    return segment(" ".join(tags))


# The full-text index, version 2: a `tags` column (an article's own tags), so a `tag:` filter
# is written into the MATCH expression and FTS5 ranks only tagged rows; and one prefix index,
# '2' (search-as-you-type's two-letter prefixes; longer prefixes read the term list quickly):
# '2 3' cost a third of the indexing work of every article.


def indexed_tags(row: str) -> str:
    """SQL giving `tag_text` of the tags of `row` (an alias of `articles`)."""
    joined = _indexed("group_concat(value, ' ')")
    return f"(SELECT {joined} FROM json_each({row}.tags))"


_FTS_ROW_V2 = f"""INSERT INTO articles_fts (rowid, title, author, body, source, tags)
    VALUES (new.id, {_indexed("new.title")}, {_indexed("new.author")},
            {_indexed("coalesce(new.full_text, new.body)")},
            (SELECT {_indexed("name")} FROM sources WHERE id = new.source_id),
            {indexed_tags("new")});"""
SEARCH_INDEX_V2 = f"""
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
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.id;
END;
CREATE TRIGGER articles_fts_update
AFTER UPDATE OF title, author, body, full_text, tags ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.id;
    {_FTS_ROW_V2}
END;
"""

# Dedupe reads a source's keys, links and hashes in one pass over articles_by_source; nothing
# looks articles up by link or hash, and keeping these two cost every insert (~4 % of a write).
UNUSED_INDEXES = """
DROP INDEX articles_by_url;
DROP INDEX articles_by_hash;
"""


def index_articles(where: str = "") -> str:
    """SQL indexing the articles `where` selects (alias `a`) in the full-text index, version 2."""
    return (
        "INSERT INTO articles_fts (rowid, title, author, body, source, tags) "
        "SELECT a.id, nd_segment(a.title), nd_segment(a.author), "
        f"nd_segment(coalesce(a.full_text, a.body)), nd_segment(s.name), {indexed_tags('a')} "
        f"FROM articles a JOIN sources s ON s.id = a.source_id {where}"
    )


# CJK runs as pairs of characters (see `segment`): the rows whose index text holds CJK are
# indexed again (the index's stored text changes under the new `nd_segment`; nothing else does).
CJK_PAIRS = f"""
CREATE TEMP TABLE nd_cjk_rows AS SELECT rowid AS id FROM articles_fts
    WHERE title != nd_segment(title) OR author != nd_segment(author)
       OR body != nd_segment(body) OR source != nd_segment(source)
       OR tags != nd_segment(tags);
DELETE FROM articles_fts WHERE rowid IN (SELECT id FROM nd_cjk_rows);
{index_articles("WHERE a.id IN (SELECT id FROM nd_cjk_rows)")};
DROP TABLE nd_cjk_rows;
"""

# Migration N upgrades a database at user_version N-1 to N. Never edit a released one.
MIGRATIONS: tuple[str, ...] = (
    SCHEMA,
    SAVED_IMAGES,
    COUNTS_INDEX,
    ARTICLE_TAGS,
    SEARCH_INDEX_V2,
    UNUSED_INDEXES,
    CJK_PAIRS,
)


UpgradeNotice = Callable[[int], None]
"""Told how many articles an older cache holds before its migrations run."""


def connect(path: Path, on_upgrade: UpgradeNotice | None = None) -> sqlite3.Connection:
    """Open (creating if needed) the cache database, migrated to the current schema; an older
    cache is announced to `on_upgrade` first (its migrations may rebuild indexes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    existed = path.exists() and path.stat().st_size > 0
    # Each thread uses its own connection; `Store.close` closes them all from one thread.
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    try:
        _configure(conn, path)
        _check_identity(conn, path, existed)
        _migrate(conn, on_upgrade)
    except sqlite3.DatabaseError as exc:
        conn.close()
        message = f"{path}: not a usable newsdesk cache ({exc}); left untouched"
        raise CorruptDatabase(message) from None
    except StoreError:
        conn.close()
        raise
    return conn


def _configure(conn: sqlite3.Connection, path: Path) -> None:
    conn.create_function("nd_segment", 1, segment, deterministic=True)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA cache_size = -16000")
    conn.execute("PRAGMA temp_store = MEMORY")


def _check_identity(conn: sqlite3.Connection, path: Path, existed: bool) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if existed and app_id != APPLICATION_ID:
        raise CorruptDatabase(
            f"{path}: not a newsdesk cache (another program's file); left untouched"
        )
    if existed:
        return
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode != "wal":
        raise StoreError(f"{path}: cannot use write-ahead logging here (journal mode {mode})")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _migrate(conn: sqlite3.Connection, on_upgrade: UpgradeNotice | None) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise StoreError(f"cache schema {version} is newer than this newsdesk understands")
    if on_upgrade is not None and 0 < version < len(MIGRATIONS):
        on_upgrade(int(conn.execute("SELECT count(*) FROM articles").fetchone()[0]))
    for number in range(version + 1, len(MIGRATIONS) + 1):
        with transaction(conn):
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            if current >= number:  # another process migrated first
                continue
            for statement in _statements(MIGRATIONS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")


def _statements(script: str) -> Iterator[str]:
    """Split a schema script into statements (triggers contain `;` inside BEGIN…END)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """An explicit write transaction; the write lock is taken up front (no upgrade deadlocks).

    Inside another transaction it is part of that one (the writer's group commit): an error
    undoes the whole. Not a savepoint: FTS5 writes its pending index data out at every
    savepoint, which would cost what the shared commit saves.
    """
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def close(conn: sqlite3.Connection) -> None:
    """Refresh planner statistics where they drifted, then close."""
    # A locked or read-only database still closes; statistics wait for next time.
    with suppress(sqlite3.Error):
        conn.execute("PRAGMA optimize")
    conn.close()
