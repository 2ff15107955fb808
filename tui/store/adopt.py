"""Saved articles kept out of the sync (another account's, or an item the server lost) that a
server item now turns out to be, in another source than the one they were kept in: they move
to the item's source, so the upsert finds them there, and the user sees the article once.

An account switch keeps the old account's saved articles under their feeds' sources, and
Tiny Tiny RSS keeps a starred item whose feed it unsubscribed under "Archived": the same
article can be a kept copy under `Beta` and the new account's archived item, or the other way
round. Left where they were, it showed twice (and an unread kept copy left its new feed's
unread count one short of the server's, which reads that feed again at every sync).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection

from tui.models import SourceKind
from tui.store.settle import drop_articles
from tui.store.stories import recount_outlets
from tui.store.upsert import key_by_id

_IDS = "SELECT value FROM json_each(?)"
_KEPT = "a.saved = 1 AND NOT EXISTS (SELECT 1 FROM sync_items i WHERE i.article_id = a.id)"
"""A saved article (alias `a`) no server item maps to."""


def any_kept(conn: sqlite3.Connection) -> bool:
    """Whether a synced source holds a kept saved article at all (right after an account
    switch, or once the server lost a starred item): only then can a server item be one.
    Else `adopt_kept`, a probe per saved article for each feed a pull stores items of, is
    skipped (every starred item is saved: 5,000 starred x 30 feeds, 150,000 probes a pull)."""
    found = conn.execute(
        f"SELECT 1 FROM articles a JOIN sources s ON s.id = a.source_id WHERE {_KEPT} "
        "AND s.kind = ? LIMIT 1",
        (SourceKind.SYNC.value,),
    )
    return found.fetchone() is not None


def adopt_kept(conn: sqlite3.Connection, source_id: int, hashes: Collection[str]) -> None:
    """Move into `source_id` the kept saved articles of other synced sources whose content
    is one of `hashes`; a removed source they leave empty goes."""
    found = conn.execute(
        "SELECT a.id, a.source_id FROM articles a JOIN sources s ON s.id = a.source_id "
        f"WHERE {_KEPT} AND a.content_hash IN ({_IDS}) AND a.source_id != ? AND s.kind = ?",
        (json.dumps(sorted(hashes)), source_id, SourceKind.SYNC.value),
    ).fetchall()
    if not found:
        return
    move_articles(conn, [int(article_id) for article_id, _ in found], source_id)
    left = json.dumps(sorted({int(source) for _, source in found}))
    removed = conn.execute(f"SELECT id FROM sources WHERE removed = 1 AND id IN ({_IDS})", (left,))
    for (source,) in removed.fetchall():
        drop_articles(conn, int(source))


def saved_unsynced(conn: sqlite3.Connection, ids: Collection[int]) -> set[int]:
    """The saved articles among `ids` that no server item maps to yet: kept from another
    account, or from a feed subscribed again. A server item found to be one of them adopts
    it, and it stays saved whatever that server says."""
    found = conn.execute(
        f"SELECT a.id FROM articles a WHERE a.id IN ({_IDS}) AND {_KEPT}",
        (json.dumps(sorted(ids)),),
    )
    return {int(row[0]) for row in found}


def move_articles(conn: sqlite3.Connection, ids: Collection[int], source_id: int) -> None:
    """Articles moved to another source, with what is kept per source: the search index's
    source name, the sources' counts, the stories' outlets. Each is keyed by its id there
    (`key_by_id`, as upsert keys an article a file left): its server guid could be another
    item's key in the new source (two servers' ids overlap); the upsert finds it by its
    content."""
    wanted = json.dumps(sorted(ids))
    sources = [
        int(row[0])
        for row in conn.execute(
            f"SELECT DISTINCT source_id FROM articles WHERE id IN ({_IDS})", (wanted,)
        )
    ] + [source_id]
    stories = [
        int(row[0])
        for row in conn.execute(
            f"SELECT DISTINCT story FROM articles WHERE id IN ({_IDS}) AND story IS NOT NULL",
            (wanted,),
        )
    ]
    _index(conn, wanted, "'delete', ")  # taken out under the old source's name
    conn.execute(f"UPDATE articles SET source_id = ? WHERE id IN ({_IDS})", (source_id, wanted))
    key_by_id(conn, _IDS, (wanted,))
    _index(conn, wanted, "")
    _recount_sources(conn, sources)
    recount_outlets(conn, stories)


def _index(conn: sqlite3.Connection, wanted: str, delete: str) -> None:
    """Index the articles (or take them out of the index: `delete`) as the index sees them
    now (`articles_fts_text`)."""
    command = "articles_fts, " if delete else ""
    conn.execute(
        f"INSERT INTO articles_fts ({command}rowid, title, author, body, source, tags) "
        f"SELECT {delete}id, title, author, body, source, tags FROM articles_fts_text "
        f"WHERE id IN ({_IDS})",
        (wanted,),
    )


def _recount_sources(conn: sqlite3.Connection, sources: Collection[int]) -> None:
    wanted = json.dumps(sorted(sources))
    conn.execute(f"DELETE FROM source_counts WHERE source_id IN ({_IDS})", (wanted,))
    conn.execute(
        "INSERT INTO source_counts (source_id, visible, unread) "
        "SELECT source_id, count(*), sum(read = 0) FROM articles "
        f"WHERE hidden = 0 AND source_id IN ({_IDS}) GROUP BY source_id",
        (wanted,),
    )
