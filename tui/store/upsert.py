"""Writing a source's articles: dedupe by guid, then link, then content; flags never reset."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.models import Article
from tui.store.stamps import to_stamp

if TYPE_CHECKING:
    from tui.store.rules import RulesReport


@dataclass(frozen=True)
class UpsertResult:
    """What one refresh changed."""

    new: int = 0
    updated: int = 0
    new_ids: tuple[int, ...] = ()
    """Ids of the inserted articles (rules run on these)."""
    rules: RulesReport | None = None
    """What the rules did to the new articles."""


def upsert_all(
    conn: sqlite3.Connection, source_id: int, articles: Sequence[Article], now: float
) -> UpsertResult:
    """Insert new articles and update changed ones; read state of pruned ones is restored."""
    new_ids: list[int] = []
    updated = 0
    for article in articles:
        outcome, article_id = _upsert(conn, source_id, article, now)
        if outcome == "new":
            new_ids.append(article_id)
        updated += outcome == "updated"
    return UpsertResult(new=len(new_ids), updated=updated, new_ids=tuple(new_ids))


def _find_existing(
    conn: sqlite3.Connection, source_id: int, article: Article
) -> tuple[int, str] | None:
    """The stored twin of `article`: same guid, else same link, else same content."""
    key = article.dedupe_key
    lookups: list[tuple[str, str]] = [("dedupe_key", key)]
    if not article.guid and article.url:
        lookups.append(("url", article.url))
    lookups.append(("content_hash", article.content_hash))
    for column, value in lookups:
        row = conn.execute(
            f"SELECT id, content_hash FROM articles WHERE source_id = ? AND {column} = ? LIMIT 1",
            (source_id, value),
        ).fetchone()
        if row:
            return int(row[0]), str(row[1])
    return None


def _upsert(
    conn: sqlite3.Connection, source_id: int, article: Article, now: float
) -> tuple[str, int]:
    existing = _find_existing(conn, source_id, article)
    content = (
        article.title,
        article.author,
        to_stamp(article.published),
        to_stamp(article.updated),
        article.body,
        json.dumps(article.links),
        json.dumps(article.tags),
        json.dumps(article.enclosures),
        article.guid,
        article.url,
        article.content_hash,
    )
    if existing is not None:
        article_id, old_hash = existing
        if old_hash == article.content_hash:
            conn.execute("UPDATE articles SET last_seen = ? WHERE id = ?", (now, article_id))
            return "unchanged", article_id
        conn.execute(
            "UPDATE articles SET title = ?, author = ?, published = ?, updated = ?, body = ?, "
            "links = ?, tags = ?, enclosures = ?, guid = ?, url = ?, content_hash = ?, "
            "last_seen = ?, sort_ts = coalesce(?, first_seen) WHERE id = ?",
            (*content, now, to_stamp(article.published), article_id),
        )
        return "updated", article_id
    remembered = conn.execute(
        "SELECT 1 FROM remembered_read WHERE source_id = ? AND dedupe_key = ?",
        (source_id, article.dedupe_key),
    ).fetchone()
    cursor = conn.execute(
        "INSERT INTO articles (title, author, published, updated, body, links, tags, enclosures, "
        "guid, url, content_hash, source_id, dedupe_key, first_seen, last_seen, sort_ts, read) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            *content,
            source_id,
            article.dedupe_key,
            now,
            now,
            to_stamp(article.published) or now,
            int(remembered is not None),
        ),
    )
    return "new", int(cursor.lastrowid or 0)
