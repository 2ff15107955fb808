"""The SQL of saving articles for offline reading: flags, full text, states and image copies.

`save_state` tells how an article's full text is doing: "pending" (being fetched, or the
process died mid-fetch), "ok" (the full text is stored) or the one-line reason it could not be
fetched. The feed text in `body` is never touched, so a failed save still reads fine.
Every function is one short transaction, so a kill -9 loses at most the article in flight.
Functions of a connection, called by the `Store` (the one door, which translates errors).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tui.models import SAVED_INCOMPLETE, Article, ArticleRow, Enclosure, SourceKind
from tui.store import bodies
from tui.store.listing import read_keys
from tui.store.rows import ROW_COLUMNS, row_from
from tui.store.settle import let_removed_go
from tui.store.tx import flush, transaction
from tui.store.upsert import upsert_all

PENDING = "pending"
OK = "ok"
INCOMPLETE = SAVED_INCOMPLETE
_INCOMPLETE_LIKE = INCOMPLETE + "%"
MAX_ATTEMPTS = 8
"""Automatic retries stop after this many failures; an explicit `save` always tries again."""
GONE_ATTEMPTS = MAX_ATTEMPTS - 1
"""The failures a page the server says is not there (404, 410) counts as at least: it is
asked once more (a page may go up after its feed item), then no more."""


@dataclass(frozen=True)
class SaveTarget:
    """An article whose web page must be fetched to save its full text."""

    id: int
    url: str | None
    feed_text: str
    """The text the feed gave; the page must hold at least about as much."""
    feed_links: tuple[str, ...] = ()
    """The feed text's numbered links (its images among them: kept if the page is not)."""
    title: str = ""
    """The article's title: its page shows it (a login page in its place does not)."""
    failed_before: bool = False
    """A save of its page failed before: why was said then (a retry's failure is not news)."""
    saved_copy: bool = False
    """Its page was saved before (`save --again`): it stays unless a new one is stored."""


@dataclass(frozen=True)
class Marked:
    """What `mark_saved` flagged."""

    targets: list[SaveTarget]
    """The articles whose full text still has to be fetched."""
    missing: tuple[int, ...] = ()
    """The ids the cache does not hold (a cache replaced on disk since they were listed)."""
    already: tuple[int, ...] = ()
    """The ids that were saved whole already (and are not fetched anew)."""


def mark_saved(conn: sqlite3.Connection, ids: Iterable[int], again: bool = False) -> Marked:
    """Flag articles saved at once; returns those whose full text still has to be fetched,
    and the ids not flagged: the write itself says which articles it found.

    Local-file articles are complete: their text is copied into `full_text` so the saved copy
    outlives the file. Articles that already have their full text just become "ok", unless
    asked `again`: a web page's is then fetched anew, the one saved kept until a new one is.
    """
    asked = list(dict.fromkeys(ids))
    with transaction(conn):
        whole = {row[0] for row in conn.execute(_SAVED_WHOLE, (json.dumps(asked), OK))}
        found = {row[0] for row in conn.execute(_FLAG_SAVED, (json.dumps(asked),)).fetchall()}
        wanted = [(i,) for i in asked if i in found]
        _copy_local_text(conn, wanted)
        conn.executemany(
            "UPDATE articles SET save_attempts = 0, save_state = CASE WHEN full_text IS NULL "
            "THEN ? WHEN save_state LIKE ? THEN save_state ELSE ? END WHERE id = ?",
            [(PENDING, _INCOMPLETE_LIKE, OK, i) for (i,) in wanted],
        )
    missing = tuple(i for i in asked if i not in found)
    targets = _targets(conn, [i for (i,) in wanted], again)
    fetched = {target.id for target in targets}
    return Marked(targets, missing, tuple(i for i in asked if i in whole and i not in fetched))


_FLAG_SAVED = (
    "UPDATE articles SET saved = 1 WHERE id IN (SELECT value FROM json_each(?)) RETURNING id"
)
_SAVED_WHOLE = (
    "SELECT id FROM articles WHERE id IN (SELECT value FROM json_each(?)) AND saved = 1 "
    "AND full_text IS NOT NULL AND save_state = ?"
)


@dataclass(frozen=True)
class Kept:
    """What `keep` stored: each article's id, in order, and those it added."""

    ids: list[int]
    new_ids: tuple[int, ...]


def keep(
    conn: sqlite3.Connection, source_id: int, articles: Sequence[tuple[Article, bool]], now: float
) -> Kept:
    """Store articles another reader kept (newsboat's flagged items, each with whether it was
    read there) as saved articles of a source, in one transaction: one the source holds
    already is that article, its text as stored; the others are added, the source's refresh
    state untouched. Their tags join the stored ones; read ones are marked read."""
    with transaction(conn):
        cached = read_keys(conn, source_id)
        found = [_stored_id(cached, article) for article, _ in articles]
        fresh = [
            article for (article, _), stored in zip(articles, found, strict=True) if not stored
        ]
        added = upsert_all(conn, source_id, fresh, now)
        landed = iter(added.landed)
        ids = [stored or next(landed) for stored in found]
        flush(conn)  # the new articles' index rows go in before their tags change them
        for article_id, (article, _) in zip(ids, articles, strict=True):
            _add_tags(conn, article_id, article.tags)
        mark_saved(conn, ids)
        read = [(i,) for i, (_, was_read) in zip(ids, articles, strict=True) if was_read]
        conn.executemany("UPDATE articles SET read = 1 WHERE id = ?", read)
    return Kept(ids, added.new_ids)


def _stored_id(cached: dict[str, tuple[int, bool]], article: Article) -> int | None:
    """The stored article `article` is: by its identity, or, when its guid is its link (a
    feed item without a guid, which the other reader knew by its link), by that link."""
    found = cached.get(article.dedupe_key)
    if found is None and article.url and article.guid == article.url:
        found = cached.get("u:" + article.url)
    return None if found is None else found[0]


def _add_tags(conn: sqlite3.Connection, article_id: int, tags: Sequence[str]) -> None:
    """Join `tags` to the article's own (a rule's or the feed's stay)."""
    (raw,) = conn.execute("SELECT tags FROM articles WHERE id = ?", (article_id,)).fetchone()
    stored = json.loads(raw)
    joined = list(dict.fromkeys([*stored, *tags]))
    if joined != stored:
        conn.execute("UPDATE articles SET tags = ? WHERE id = ?", (json.dumps(joined), article_id))


def mark_pending(conn: sqlite3.Connection, ids: Iterable[int]) -> list[SaveTarget]:
    """Mark articles (saved or not) as being fetched, but those with a reason from a failed
    attempt (kept until a retry brings news); returns the ones still to fetch."""
    wanted = list(ids)
    with transaction(conn):
        conn.executemany(
            "UPDATE articles SET save_state = ? "
            "WHERE id = ? AND full_text IS NULL AND save_state IS NULL",
            [(PENDING, i) for i in wanted],
        )
        _copy_local_text(conn, [(i,) for i in wanted])
    return _targets(conn, wanted)


def _copy_local_text(conn: sqlite3.Connection, wanted: Sequence[tuple[int]]) -> None:
    # A local file is already the whole article: keep a copy in case the file is deleted.
    conn.executemany(
        "UPDATE articles SET full_text = nd_body(body), full_links = links, save_state = ? "
        "WHERE id = ? AND full_text IS NULL AND source_id IN "
        "(SELECT id FROM sources WHERE kind = ?)",
        [(OK, i, SourceKind.LOCAL.value) for (i,) in wanted],
    )


def _targets(conn: sqlite3.Connection, ids: Sequence[int], again: bool = False) -> list[SaveTarget]:
    """The articles of `ids` without full text or some of its images (`again`: also web ones
    with a page saved)."""
    targets = []
    for article_id in ids:
        record = conn.execute(
            "SELECT url, body, links, title, save_attempts > 0, full_text IS NOT NULL "
            "FROM articles WHERE id = ? AND (full_text IS NULL OR save_state LIKE ? OR "
            "(? AND source_id NOT IN (SELECT id FROM sources WHERE kind = ?)))",
            (article_id, _INCOMPLETE_LIKE, again, SourceKind.LOCAL.value),
        ).fetchone()
        if record is not None:
            url, body, links, title, failed_before, saved_copy = record
            text, links = bodies.text(body), tuple(json.loads(links or "[]"))
            targets.append(
                SaveTarget(
                    article_id, url, text, links, title or "", failed_before, bool(saved_copy)
                )
            )
    return targets


def store_full_text(
    conn: sqlite3.Connection,
    article_id: int,
    text: str,
    links: Sequence[str],
    images: Sequence[tuple[str, str]] = (),
    *,
    author: str | None = None,
    published: datetime | None = None,
    state: str = OK,
) -> None:
    """Store the page's text, links and image copies (url, path under the cache) atomically.

    The page's author and date fill in what the feed did not state (they never replace it).
    A `state` other than "ok" (`INCOMPLETE`: images missing) is an attempt, retried later.
    """
    stamp = published.timestamp() if published else None
    with transaction(conn):
        cursor = conn.execute(
            "UPDATE articles SET full_text = ?, full_links = ?, save_state = ?, "
            "save_attempts = save_attempts + (? != ?), "
            "author = coalesce(author, ?), published = coalesce(published, ?) WHERE id = ?",
            (text, json.dumps(list(links)), state, state, OK, author, stamp, article_id),
        )
        if cursor.rowcount == 0:  # pruned while its page was being fetched
            return
        conn.execute("DELETE FROM article_images WHERE article_id = ?", (article_id,))
        conn.executemany(
            "INSERT OR REPLACE INTO article_images (article_id, url, path) VALUES (?, ?, ?)",
            [(article_id, url, path) for url, path in images],
        )


def record_save_failure(
    conn: sqlite3.Connection,
    article_id: int,
    reason: str,
    *,
    gone: bool = False,
    final: bool = False,
    counted: bool = True,
    unanswered: bool = False,
) -> None:
    """Keep the feed text and note why the full text could not be fetched (retried later;
    a page `gone` only once more, a `final` answer never). An attempt not `counted` (no answer
    while the network was down) spends none but the first: the page is asked for again once
    the network is back. One `unanswered` keeps the reason an answer gave before (a PDF, a
    paywall: what the site says of the page). The attempt that spends the last says so."""
    least = MAX_ATTEMPTS if final else GONE_ATTEMPTS if gone else 0
    with transaction(conn):
        found = conn.execute(
            "SELECT save_attempts, full_text IS NOT NULL, save_state FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        if found is None:  # pruned meanwhile
            return
        spent = max(found[0] + 1, least) if counted else max(found[0], 1)
        if found[1]:  # a page saved before stays, and says what it lacks
            conn.execute("UPDATE articles SET save_attempts = ? WHERE id = ?", (spent, article_id))
            return
        if unanswered and found[2] not in (None, PENDING):
            reason = found[2]
        if spent >= MAX_ATTEMPTS and not (gone or final):
            reason = gave_up(article_id, reason)
        conn.execute(
            "UPDATE articles SET save_state = ?, save_attempts = ? WHERE id = ?",
            (reason, spent, article_id),
        )


def gave_up(article_id: int, reason: str) -> str:
    """The state of a save whose automatic retries ran out, saying how to try again."""
    again = f"`newsdesk save {article_id}` tries again"
    return f"gave up after {MAX_ATTEMPTS} attempts: {reason}; {again}"


@dataclass(frozen=True)
class Unsaved:
    """What an unsave did: how many articles lost the flag; and for each removed source
    (`feeds remove`) among theirs, (articles forgotten, saved articles still holding it)."""

    articles: int
    forgotten: dict[str, tuple[int, int]]


def unsave(conn: sqlite3.Connection, ids: Iterable[int]) -> Unsaved:
    """Remove the saved flag and the saved web page's text, so the feed's is read again (a
    page saved wrong, a portal's login page, is not what the article says from then on); an
    article whose source was removed (`feeds remove`), kept only as a saved one, goes."""
    wanted = [(i,) for i in ids]
    with transaction(conn):
        _drop_page_text(conn, [(i,) for (i,) in wanted if _is_saved(conn, i)])
        cursor = conn.executemany(
            "UPDATE articles SET saved = 0, save_attempts = 0, "
            "save_state = CASE WHEN full_text IS NULL THEN NULL ELSE save_state END "
            "WHERE id = ? AND saved = 1",
            wanted,
        )
        return Unsaved(cursor.rowcount, let_removed_go(conn, (i for (i,) in wanted)))


def _is_saved(conn: sqlite3.Connection, article_id: int) -> bool:
    found = conn.execute("SELECT saved FROM articles WHERE id = ?", (article_id,)).fetchone()
    return bool(found and found[0])


def _drop_page_text(conn: sqlite3.Connection, wanted: Sequence[tuple[int]]) -> None:
    """Forget the web page saved for articles (and its images' places): the feed's text is
    theirs again. A local file's copy is the file's text: it stays."""
    conn.executemany(
        "UPDATE articles SET full_text = NULL, full_links = NULL, save_state = NULL "
        "WHERE id = ? AND full_text IS NOT NULL AND source_id NOT IN "
        "(SELECT id FROM sources WHERE kind = ?)",
        [(i, SourceKind.LOCAL.value) for (i,) in wanted],
    )
    conn.executemany(
        "DELETE FROM article_images WHERE article_id = ? AND article_id IN "
        "(SELECT id FROM articles WHERE full_text IS NULL)",
        wanted,
    )


def pending_saves(
    conn: sqlite3.Connection, limit: int = 100, sources: Iterable[str] = ()
) -> list[int]:
    """Articles whose full text should be fetched again, oldest attempt first.

    Saved articles without full text, plus failed or interrupted ones of the named
    `full_text = true` sources; each gives up after MAX_ATTEMPTS failures.
    """
    names = list(sources)
    # Without full-text sources only saved articles qualify: their partial index answers
    # at once, where the general condition reads every article of every source.
    wanted = (
        f"(a.saved = 1 OR (a.save_state IS NOT NULL AND s.name IN ({','.join('?' * len(names))})))"
        if names
        else "a.saved = 1"
    )
    records = conn.execute(
        "SELECT a.id FROM articles a JOIN sources s ON s.id = a.source_id "
        "WHERE (a.full_text IS NULL OR a.save_state LIKE ?) "
        f"AND a.save_attempts < ? AND {wanted} "
        "AND (s.kind = ? OR a.url LIKE 'http://%' OR a.url LIKE 'https://%') "
        "ORDER BY a.save_attempts, a.id LIMIT ?",
        [_INCOMPLETE_LIKE, MAX_ATTEMPTS, *names, SourceKind.LOCAL.value, limit],
    ).fetchall()
    return [int(r[0]) for r in records]


def unattempted(conn: sqlite3.Connection, source: str, limit: int = 50) -> list[int]:
    """A source's newest articles whose full text was never fetched."""
    records = conn.execute(
        "SELECT a.id FROM articles a JOIN sources s ON s.id = a.source_id "
        "WHERE s.name = ? AND a.full_text IS NULL AND a.save_state IS NULL "
        "ORDER BY a.sort_ts DESC, a.id DESC LIMIT ?",
        (source, limit),
    ).fetchall()
    return [int(r[0]) for r in records]


def saved_rows(conn: sqlite3.Connection) -> list[tuple[ArticleRow, str | None]]:
    """Every saved article, newest first, with its save state."""
    records = conn.execute(
        f"SELECT {ROW_COLUMNS}, a.save_state FROM articles a "
        "JOIN sources s ON s.id = a.source_id WHERE a.saved = 1 "
        "ORDER BY a.sort_ts DESC, a.id DESC"
    ).fetchall()
    return [(row_from(r[:-1]), r[-1]) for r in records]


def article_images(conn: sqlite3.Connection, article_id: int, cache_dir: Path) -> dict[str, Path]:
    """The local copies of an article's images that still exist: url -> file."""
    records = conn.execute(
        "SELECT url, path FROM article_images WHERE article_id = ?", (article_id,)
    ).fetchall()
    found = {str(url): cache_dir / str(path) for url, path in records}
    return {url: path for url, path in found.items() if path.is_file()}


def enclosure_urls(conn: sqlite3.Connection) -> set[str]:
    """The URL of every enclosure of the cache's articles: the downloads still wanted."""
    records = conn.execute("SELECT enclosures FROM articles WHERE enclosures != '[]'")
    return {Enclosure.from_json(item).url for (text,) in records for item in json.loads(text)}
