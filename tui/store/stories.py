"""SQL of stories: the `story` column, what detection reads, candidates from the search index,
and the articles of a story.

A story's id is the id of the article it started from; every article of it carries the id in
`articles.story` (NULL while an article stands alone), and keeps it while the story lasts.
Detection keeps no table of its own: articles stored by an earlier refresh are found through
the full-text index, limited to ids in the days around the new articles' dates.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from tui.models import ArticleRow, SearchHit
from tui.store import bodies
from tui.store.cjk import segment
from tui.store.rows import ROW_COLUMNS, View, row_from
from tui.store.tx import Connection, sorting_on_disk, transaction
from tui.store.written import Written

STORY_COLUMN = """
ALTER TABLE articles ADD COLUMN story INTEGER;
CREATE INDEX articles_by_story ON articles (story, read) WHERE story IS NOT NULL AND hidden = 0;
"""
"""The id of an article's story, NULL while it stands alone (a part of the schema)."""

# Each story's outlets (sources with a visible article in it), kept by triggers when an
# article joins, is hidden or shown, or leaves the cache (a prune, retention, a removed
# source): a listed row reads one number instead of counting its story's articles. A story
# with no visible article has no row.
_COUNT = """
    INSERT INTO stories (id, outlets) SELECT story, count(DISTINCT source_id) FROM articles
        WHERE {which} AND hidden = 0 GROUP BY story;"""


def _recount(stories: str) -> str:
    """Trigger statements counting these stories' outlets again."""
    return f"""
    DELETE FROM stories WHERE id IN ({stories});{_COUNT.format(which=f"story IN ({stories})")}"""


OUTLETS_SCHEMA = f"""
CREATE TABLE stories (id INTEGER PRIMARY KEY, outlets INTEGER NOT NULL);
CREATE TRIGGER stories_join AFTER UPDATE OF story ON articles
WHEN new.story IS NOT old.story BEGIN{_recount("old.story, new.story")}
END;
CREATE TRIGGER stories_hide AFTER UPDATE OF hidden ON articles
WHEN new.story IS NOT NULL AND new.hidden != old.hidden BEGIN{_recount("new.story")}
END;
CREATE TRIGGER stories_delete AFTER DELETE ON articles
WHEN old.story IS NOT NULL BEGIN{_recount("old.story")}
END;
"""
"""The `stories` table (a part of the schema, see `schema.py`)."""
ALONE = """
CREATE TRIGGER stories_alone AFTER DELETE ON articles
WHEN old.story IS NOT NULL BEGIN
    UPDATE articles SET story = NULL WHERE story = old.story AND hidden = 0
        AND (SELECT count(*) FROM articles WHERE story = old.story AND hidden = 0) = 1;
END;
"""
"""The article a story's deletions (a prune, a removed source) leave alone stands alone
again: `story` null, as `list --json` promises (a part of the schema, see `schema.py`)."""
ALONE_ALREADY = """
UPDATE articles SET story = NULL WHERE hidden = 0 AND story IN (
    SELECT story FROM articles WHERE story IS NOT NULL AND hidden = 0
    GROUP BY story HAVING count(*) = 1);
"""
"""Those left alone before `ALONE` (a migration's step)."""
COUNT_OUTLETS = _COUNT.format(which="story IS NOT NULL")
"""Fills the `stories` table of a cache whose articles were grouped before it existed."""
DUE_WORK = "CREATE TABLE IF NOT EXISTS due_work (name TEXT PRIMARY KEY) WITHOUT ROWID;"
"""Work the cache owes itself, by name, held until done (a part of the schema): the catch-up
below. Not the UI's `ui_state`, whose rows are the view's to keep or drop."""
CATCH_UP = "stories.catch_up"
"""The `due_work` held while a cache from before stories waits for the articles of its last
days to be grouped (see `backlog`)."""
CATCH_UP_DUE = f"{DUE_WORK}\nINSERT OR IGNORE INTO due_work (name) VALUES ('{CATCH_UP}');"
"""Written with the migration that adds stories, the cache's articles never grouped (the
table with it: an older cache meets it there, before the migration adding it to all)."""
CATCH_UP_MOVED = f"""{DUE_WORK}
INSERT OR IGNORE INTO due_work (name) SELECT key FROM ui_state WHERE key = '{CATCH_UP}';
DELETE FROM ui_state WHERE key = '{CATCH_UP}';
"""
"""A catch-up a cache of schema 9 to 18 holds in `ui_state`, moved (a migration)."""


def recount_outlets(conn: sqlite3.Connection, stories: Sequence[int]) -> None:
    """Count these stories' outlets again (their articles moved to another source)."""
    for chunk in _chunks(stories):
        marks = ",".join("?" * len(chunk))
        conn.execute(f"DELETE FROM stories WHERE id IN ({marks})", chunk)
        conn.execute(_COUNT.format(which=f"story IN ({marks})"), chunk)


CHUNK = 500
"""Ids per `IN (...)` list."""
PER_PROBE = 8
"""Stored candidates looked at per new article, the most recent first."""
MATCHES_READ = 400
"""Index matches read per new article, newest first, before the date window is checked: a
probe of common words in a big cache would otherwise walk every match back to the window's
first id (after a refresh of 500,000 articles into a cache of 500,000, the pass was still
running 26 minutes later)."""


class StoryText(NamedTuple):
    """What story detection reads of a stored article (a tuple: one is made for every new
    article of a run)."""

    id: int
    ts: float
    """The article's date (its sort time)."""
    story: int | None
    folder: int | None
    """The article's local source (None for a feed's): a folder's notes are one person's, and
    two of them never one news told by several outlets (daily notes from one template)."""
    title: str
    lead: str


class Probe(NamedTuple):
    """A new article looking for stored articles of its story in the search index."""

    id: int
    ts: float
    sentences: Sequence[str]
    """Sentences of its lead: an article sharing the longest words of one is a candidate."""
    names: Sequence[str]
    """Names and numbers: an article sharing two of them is a candidate."""


def in_date_order(conn: sqlite3.Connection, ids: Sequence[int]) -> array[int]:
    """These articles' ids, oldest first (sorted by SQLite over their id range, kept compact:
    a refresh may have stored 100,000)."""
    if not ids:
        return array("q")
    low, high = min(ids), max(ids)
    with sorting_on_disk(conn):
        found = conn.execute(
            "SELECT id FROM articles WHERE id BETWEEN ? AND ? ORDER BY sort_ts, id", (low, high)
        )
        if len(ids) == high - low + 1:  # a run's ids are one range, unless others wrote between
            return array("q", (i for (i,) in found))
        wanted = set(ids)
        return array("q", (i for (i,) in found if i in wanted))


_FOLDER = "(SELECT id FROM sources WHERE id = source_id AND kind = 'local')"
"""An article's source if it is a local one."""


def texts(conn: sqlite3.Connection, ids: Sequence[int], chars: int) -> list[StoryText]:
    """The date, story, local source, title and first `chars` of the body of these articles (with no
    `chars`, date and story only)."""
    found: list[StoryText] = []
    columns = "title, body" if chars else "'', ''"
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        found += [
            StoryText(i, float(ts), s, folder, str(t), _lead(body, chars))
            for i, ts, s, folder, t, body in conn.execute(
                f"SELECT id, sort_ts, story, {_FOLDER}, {columns} FROM articles"
                f" WHERE id IN ({marks})",
                chunk,
            )
        ]
    return found


def _lead(body: bodies.Stored, chars: int) -> str:
    """The first `chars` characters of a stored body (none when `chars` is 0)."""
    return bodies.start(body, chars) if chars else ""


def written_keys(conn: sqlite3.Connection) -> Written:
    """The story keys of the articles this connection stored (read back, an article's text
    would cost more than its keys did)."""
    return conn.written if isinstance(conn, Connection) else Written()


def first_in_window(conn: sqlite3.Connection, start: float, end: float, before: int) -> int | None:
    """The smallest id below `before` of an article dated from `start` to `end`, or None when
    there is none (nothing stored earlier to compare with)."""
    (found,) = conn.execute(
        "SELECT min(id) FROM articles WHERE sort_ts BETWEEN ? AND ? AND id < ? AND hidden = 0",
        (start, end, before),
    ).fetchone()
    return None if found is None else int(found)


def candidates(
    conn: sqlite3.Connection, probes: Sequence[Probe], ids: tuple[int, int], window: float
) -> dict[int, list[int]]:
    """For each probe, the articles with ids in `ids` (from, below) dated within `window` of
    it that the search index finds by its sentences or names (the index is read only from
    the first id of the window, and at most `MATCHES_READ` matches of it: never the whole
    cache)."""
    sql = (
        "SELECT a.id FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
        "AND rowid >= ? AND rowid < ? ORDER BY rowid DESC LIMIT ?) f "
        "JOIN articles a ON a.id = f.rowid "
        "WHERE a.sort_ts BETWEEN ? AND ? AND a.hidden = 0 ORDER BY a.id DESC LIMIT ?"
    )
    found: dict[int, list[int]] = {}
    for probe in probes:
        if expression := _expression(probe):
            dates = (probe.ts - window, probe.ts + window)
            params = (expression, *ids, MATCHES_READ, *dates, PER_PROBE)
            found[probe.id] = [int(r[0]) for r in conn.execute(sql, params)]
    return found


def _expression(probe: Probe) -> str:
    """An FTS5 query: the three longest words of a sentence, or two of the names."""
    groups = [sorted(s.split(), key=len)[-3:] for s in probe.sentences]
    names = list(probe.names[:4])
    groups += [[a, b] for i, a in enumerate(names) for b in names[i + 1 :]]
    ored = " OR ".join(
        "(" + " AND ".join(_phrase(word) for word in group) + ")" for group in groups if group
    )
    return f"{{title body}} : ({ored})" if ored else ""


def _phrase(word: str) -> str:
    return '"' + segment(word).replace('"', '""') + '"'


def backlog(conn: sqlite3.Connection, since: float, below: int) -> list[int] | None:
    """While a catch-up is due (an upgraded cache's articles were never grouped): its visible
    articles dated from `since`, stored before id `below`, that stand alone, oldest first
    (through the date index: the last days, never the whole cache); None when none is due."""
    if conn.execute("SELECT 1 FROM due_work WHERE name = ?", (CATCH_UP,)).fetchone() is None:
        return None
    found = conn.execute(
        "SELECT id FROM articles WHERE sort_ts >= ? AND hidden = 0 AND id < ? "
        "AND story IS NULL ORDER BY sort_ts, id",
        (since, below),
    )
    return [int(i) for (i,) in found]


def set_stories(
    conn: sqlite3.Connection, joins: Iterable[tuple[int, int]], *, caught_up: bool = False
) -> None:
    """Set (story, article id) pairs in one transaction: only the story column changes,
    never a flag. `caught_up`: they end the catch-up `backlog` was due for."""
    with transaction(conn):
        conn.executemany("UPDATE articles SET story = ? WHERE id = ?", list(joins))
        if caught_up:
            conn.execute("DELETE FROM due_work WHERE name = ?", (CATCH_UP,))


def with_stories(
    conn: sqlite3.Connection,
    ids: Sequence[int],
    *,
    unread_only: bool = False,
    upto: int | None = None,
) -> list[int]:
    """These articles and every visible article of their stories (the unread ones only;
    with `upto`, none stored after that article)."""
    found = set(ids)
    unread = " AND o.read = 0" if unread_only else ""
    upto_sql, upto_params = ("", []) if upto is None else (" AND o.id <= ?", [upto])
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        found.update(
            int(r[0])
            for r in conn.execute(
                "SELECT o.id FROM articles a JOIN articles o ON o.story = a.story "
                f"WHERE a.id IN ({marks}) AND a.story IS NOT NULL AND o.hidden = 0{unread}"
                + upto_sql,
                [*chunk, *upto_params],
            )
        )
    return sorted(found)


def set_read(conn: sqlite3.Connection, ids: Sequence[int], read: bool = True) -> int:
    """Mark articles and every article of their stories read or unread (a grouped list shows
    a story as one); returns how many changed."""
    with transaction(conn):
        cursor = conn.executemany(
            "UPDATE articles SET read = ? WHERE id = ? AND read != ?",
            [(int(read), i, int(read)) for i in with_stories(conn, ids)],
        )
    return cursor.rowcount


def mark_read(conn: sqlite3.Connection, ids: Sequence[int], upto: int | None = None) -> list[int]:
    """Mark the stories of these articles read (a grouped list's rows: a search's, marked
    all at once; with `upto`, none of their articles stored after that one); returns the ids
    of the articles that were unread (for undo)."""
    with transaction(conn):
        wanted = with_stories(conn, ids, unread_only=True, upto=upto)
        unread = [
            int(r[0])
            for chunk in _chunks(wanted)
            for r in conn.execute(
                f"SELECT id FROM articles WHERE id IN ({','.join('?' * len(chunk))}) AND read = 0",
                chunk,
            )
        ]
        conn.executemany("UPDATE articles SET read = 1 WHERE id = ?", [(i,) for i in unread])
    return unread


def also(conn: sqlite3.Connection, article_id: int) -> list[ArticleRow]:
    """The other visible articles of `article_id`'s story, oldest first."""
    records = conn.execute(
        f"SELECT {ROW_COLUMNS} FROM articles a JOIN sources s ON s.id = a.source_id "
        "WHERE a.story = (SELECT story FROM articles WHERE id = ?) AND a.id != ? "
        "AND a.hidden = 0 ORDER BY a.sort_ts, a.id",
        (article_id, article_id),
    ).fetchall()
    return [row_from(r) for r in records]


def grouped_away(conn: sqlite3.Connection, view: View) -> int:
    """How many of a view's articles a grouped list leaves out: each story it holds shows one
    of its articles (one pass over the story index, not over the view)."""
    where, params = view._replace(stories=False).where()
    # The story index holds visible articles only; Saved lists hidden ones too (`View.where`).
    index = "articles_saved" if view.saved else "articles_by_story"
    (count,) = conn.execute(
        f"SELECT count(*) - count(DISTINCT a.story) FROM articles a INDEXED BY {index} "
        f"WHERE a.story IS NOT NULL AND {where}",
        params,
    ).fetchone()
    return int(count)


def as_story_rows(conn: sqlite3.Connection, hits: list[SearchHit]) -> list[SearchHit]:
    """Search hits read as a grouped list's rows: unread while a visible article of their
    story is (a story's read copy stands for its unread ones too), marked saved while one is
    saved, as `STORY_ROW_COLUMNS` reads a listed row."""
    unread = unread_among(conn, {hit.row.story for hit in hits if hit.row.read})
    saved = _among(conn, {hit.row.story for hit in hits}, "saved = 1")
    rows = []
    for hit in hits:
        story = hit.row.story
        if story in unread or story in saved:
            read = hit.row.read and story not in unread
            hit = hit._replace(row=hit.row._replace(read=read, story_saved=story in saved))
        rows.append(hit)
    return rows


def unread_among(conn: sqlite3.Connection, stories: Iterable[int | None]) -> set[int]:
    """Those of `stories` with a visible article unread (the story index holds the answer)."""
    return _among(conn, stories, "read = 0")


def _among(conn: sqlite3.Connection, stories: Iterable[int | None], which: str) -> set[int]:
    """Those of `stories` with a visible article meeting the SQL condition `which`."""
    wanted = [s for s in stories if s is not None]
    if not wanted:
        return set()
    rows = conn.execute(
        "SELECT DISTINCT story FROM articles INDEXED BY articles_by_story "
        f"WHERE story IN ({','.join('?' * len(wanted))}) AND {which} AND hidden = 0",
        wanted,
    )
    return {int(story) for (story,) in rows}


UNREAD_STORIES = (
    "SELECT story FROM articles INDEXED BY articles_by_story "
    "WHERE story IS NOT NULL AND hidden = 0 AND read = 0"
)
"""The stories with a visible article unread (SQL, for `IN (...)`)."""


def unread_grouped_away(conn: sqlite3.Connection) -> tuple[dict[int, int], dict[str, int]]:
    """How many fewer unread rows than unread articles each source's and each tag's grouped
    list shows (by source id, by tag; negative where it shows more): a story shows once,
    and unread while any of its visible articles is, whichever outlet's. One pass over the
    story index's entries of unread stories for each."""
    rows = (
        "SELECT {key}, sum(a.read = 0) - count(DISTINCT a.story) "
        "FROM articles a INDEXED BY articles_by_story {join} WHERE a.story IS NOT NULL "
        f"AND a.hidden = 0 AND a.story IN ({UNREAD_STORIES}) GROUP BY {{key}}"
    )
    by_source = conn.execute(rows.format(key="a.source_id", join=""))
    tagged = "JOIN source_tags t ON t.source_id = a.source_id"
    by_tag = conn.execute(rows.format(key="t.tag", join=tagged))
    return {int(s): int(n) for s, n in by_source if n}, {str(t): int(n) for t, n in by_tag if n}


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])
