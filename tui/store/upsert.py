"""Writing a source's articles: dedupe by guid, then link, then content; flags never reset.

Refresh writes run on a writer thread while parser threads hold the GIL most of the time, so
every return from SQLite into Python waits its turn. The write is therefore shaped as a few
bulk statements per source: the source's existing keys are read once into dicts, new rows
go in with `executemany`, and their full-text rows, segmented here (not by a Python function
called back from a trigger, four times per row), at the commit with every other source's
(`tx.defer`: one index segment per commit, not one per source).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tui.models import Article, SourceKind
from tui.prepared import Prepared, deflate
from tui.store import bodies, days, stories
from tui.store.cjk import segment
from tui.store.index_schema import tag_text
from tui.store.stamps import to_stamp
from tui.store.tx import Connection, defer, flush

if TYPE_CHECKING:
    from tui.store.rules import RulesReport


@dataclass(frozen=True)
class UpsertResult:
    """What one refresh changed."""

    new: int = 0
    updated: int = 0
    new_ids: tuple[int, ...] = ()
    """Ids of the inserted articles (rules run on these)."""
    landed: tuple[int, ...] = ()
    """The id each given article was stored as, in order (two may share one: a twin)."""
    rules: RulesReport | None = None
    """What the rules did to the new articles."""

    @property
    def hidden(self) -> int:
        """New articles a hide rule hid: stored, never shown."""
        return self.rules.applied["hide"] if self.rules else 0

    @property
    def shown(self) -> int:
        """New articles to tell of: those no hide rule hid."""
        return self.new - self.hidden


class _Existing:
    """The source's stored articles, keyed three ways for dedupe (read in one query)."""

    def __init__(self, conn: sqlite3.Connection, source_id: int) -> None:
        self.by_key: dict[str, tuple[int, str]] = {}
        self.by_url: dict[str, tuple[int, str]] = {}
        self.by_hash: dict[str, tuple[int, str]] = {}
        (kind,) = conn.execute("SELECT kind FROM sources WHERE id = ?", (source_id,)).fetchone()
        # A feed's item republished under a new guid is the same article; a local file is
        # its own article, whatever another file holds (two files, one text: two articles).
        self.local = kind == SourceKind.LOCAL
        self.by_content = not self.local
        rows = conn.execute(
            "SELECT id, dedupe_key, url, content_hash FROM articles WHERE source_id = ?",
            (source_id,),
        )
        for article_id, key, url, content_hash in rows:
            self.remember(article_id, key, url, content_hash)

    def remember(self, article_id: int, key: str, url: str | None, content_hash: str) -> None:
        found = (article_id, content_hash)
        self.by_key.setdefault(key, found)
        if url:
            self.by_url.setdefault(url, found)
        self.by_hash.setdefault(content_hash, found)

    def twin(self, article: Article) -> tuple[int, str] | None:
        """The stored twin of `article`: same guid, else same link, else same content."""
        found = self.by_key.get(article.dedupe_key)
        if found is None and not article.guid and article.url:
            found = self.by_url.get(article.url)
        if found is None and self.by_content:
            found = self.by_hash.get(article.content_hash)
        return found

    def moves(self, articles: Sequence[Article]) -> tuple[dict[int, tuple[int, str]], set[str]]:
        """A local source's files renamed or moved within its folder, from the whole scan in
        `articles`: a file whose path is new (or holds another text now) and whose text is
        that of a stored article whose path the scan no longer has, or holds another text
        now, is that article, flags and all. Returns the stored article each such file (by
        position in `articles`) is, and the paths those articles leave: a file found there
        is a new article, not an edit of the one that moved ("journal.txt" renamed to
        "journal-2025.txt" and a new "journal.txt" written)."""
        if not self.local:
            return {}, set()
        now = {article.dedupe_key: article.content_hash for article in articles}
        left: dict[str, tuple[str, tuple[int, str]]] = {}  # by text: path gone or rewritten
        for key, found in self.by_key.items():
            if now.get(key) != found[1]:
                left.setdefault(found[1], (key, found))
        claimed: dict[int, tuple[int, str]] = {}
        released: set[str] = set()
        for index, article in enumerate(articles):
            stored = self.by_key.get(article.dedupe_key)
            if stored is not None and stored[1] == article.content_hash:
                continue  # where it was, as it was
            if (moving := left.pop(article.content_hash, None)) is not None:
                old_key, claimed[index] = moving
                released.add(old_key)
        return claimed, released


_New = tuple[int, Article, Prepared | None]


def upsert_all(
    conn: sqlite3.Connection,
    source_id: int,
    articles: Sequence[Article],
    now: float,
    prepared: Sequence[Prepared] = (),
    *,
    whole: bool = False,
    rule_tags: Collection[str] | None = None,
) -> UpsertResult:
    """Insert new articles and update changed ones; read state of pruned ones is restored.
    `prepared` is one per article when its text-only work was done ahead (`tui.prepared`);
    `whole`: `articles` is everything the source has now (a local folder's renamed files are
    then followed); `rule_tags`: the tags rules add, the only stored ones a changed file's
    article keeps beside the file's (a feed's item keeps every tag: newsboat's flags too)."""
    existing = _Existing(conn, source_id)
    claimed, released = existing.moves(articles) if whole else ({}, set())
    new: list[_New] = []
    changed: list[tuple[int, Article]] = []
    unchanged: list[int] = []
    moved: list[_Move] = []
    taken: list[int] = []  # stored articles whose guid another took (a domain changed hands)
    next_id = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()[0])
    ahead: Sequence[Prepared | None] = prepared or [None] * len(articles)
    landed: list[int] = []
    for index, (article, done) in enumerate(zip(articles, ahead, strict=True)):
        content_hash = article.content_hash
        twin = claimed.get(index)
        if twin is not None:
            moved.append((article.dedupe_key, article.guid, article.url, twin[0]))
        elif article.dedupe_key not in released:
            twin = existing.twin(article)
        if twin is not None and twin[1] != content_hash and _another(conn, twin[0], article):
            taken.append(twin[0])
            twin = None
        landed.append(next_id if twin is None else twin[0])
        if twin is None:
            new.append((next_id, article, done))
            existing.remember(next_id, article.dedupe_key, article.url, content_hash)
            next_id += 1
        elif twin[1] == content_hash:
            unchanged.append(twin[0])
        else:
            changed.append((twin[0], article))
    if moved:
        _follow_moves(conn, existing, moved)
    if taken:  # each stays as it was, read, saved or not, no longer known by that guid
        key_by_id(conn, "SELECT value FROM json_each(?)", (json.dumps(taken),))
    _insert(conn, source_id, new, now)
    _update(conn, changed, now, rule_tags if existing.local else None)
    if existing.local and changed:  # a saved file's copy is the file: it follows its edits
        conn.executemany(
            "UPDATE articles SET full_text = nd_body(body), full_links = links "
            "WHERE id = ? AND full_text IS NOT NULL",
            [(i,) for i, _ in changed],
        )
    conn.executemany(
        "UPDATE articles SET last_seen = ? WHERE id = ?", [(now, i) for i in unchanged]
    )
    new_ids = tuple(i for i, *_ in new)
    return UpsertResult(len(new), len(changed), new_ids, landed=tuple(landed))


_Move = tuple[str, str | None, str | None, int]
"""A moved file's article: its new dedupe key, guid and link, and its id."""


def _follow_moves(conn: sqlite3.Connection, existing: _Existing, moved: list[_Move]) -> None:
    """Give moved articles their files' paths. An article whose path a moved file now takes,
    its own text found nowhere (overwritten), leaves it: kept under `left:<id>`, like the
    article of a deleted file. In two steps, so files that swapped names swap paths."""
    ids = {article_id for *_, article_id in moved}
    taken = [existing.by_key.get(key) for key, *_ in moved]
    leaving = ids | {found[0] for found in taken if found is not None}
    key_by_id(conn, "SELECT value FROM json_each(?)", (json.dumps(sorted(leaving)),))
    conn.executemany("UPDATE articles SET dedupe_key = ?, guid = ?, url = ? WHERE id = ?", moved)


def _another(conn: sqlite3.Connection, article_id: int, article: Article) -> bool:
    """Whether `article`, known by a stored article's guid or (without one) its link, is
    another article: a feed whose domain changed hands, its new owner reusing guids (and
    its link's host differs), or one giving every item the same link (its home page). Its
    title and its text differ from the stored one's, where an edit keeps some of them."""
    title, url, body = conn.execute(
        "SELECT title, url, body FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    if article.guid:
        old_host, new_host = _host(url), _host(article.url)
        if old_host is None or new_host is None or old_host == new_host:
            return False
    return _unlike(title, article.title) and _unlike(bodies.text(body), article.body)


def _host(url: str | None) -> str | None:
    try:
        host = urlsplit(url or "").hostname
    except ValueError:  # a malformed IPv6 literal
        return None
    return host.removeprefix("www.") if host else None


_WORD = re.compile(r"\w+")


def _unlike(old: str, new: str) -> bool:
    """Two texts sharing less than half the words of the shorter one."""
    before, after = set(_WORD.findall(old.casefold())), set(_WORD.findall(new.casefold()))
    if not before or not after:
        return before != after
    return len(before & after) < min(len(before), len(after)) / 2


def key_by_id(conn: sqlite3.Connection, ids: str, params: Sequence[object] = ()) -> None:
    """Articles known by their own id from now on (`left:ID`), no longer by the guid, link or
    path another article may take now (a file's path, another server's item id); the
    upsert finds them by their content. `ids`: SQL selecting their ids. No article of a
    source's own is keyed so (`g:`, `u:`, `h:`, see `Article.dedupe_key`)."""
    conn.execute(f"UPDATE articles SET dedupe_key = 'left:' || id WHERE id IN ({ids})", params)


def _content(
    article: Article, indexed_body: str | None = None, prepared: Prepared | None = None
) -> tuple[object, ...]:
    deflated = deflate(article.body) if prepared is None else prepared.deflated
    return (
        article.title,
        article.author,
        to_stamp(article.published),
        to_stamp(article.updated),
        bodies.packed(article.body, deflated, indexed_body),
        _json(article.links),
        _json(article.tags),
        _json([enclosure.to_json() for enclosure in article.enclosures]),
        article.guid,
        article.url,
        article.content_hash,
    )


def _json(items: Sequence[object]) -> str:
    return json.dumps(items) if items else "[]"  # most tags and enclosures: 3 us less each


def _insert(conn: sqlite3.Connection, source_id: int, new: Sequence[_New], now: float) -> None:
    if not new:
        return
    remembered = {
        str(r[0])
        for r in conn.execute(
            "SELECT dedupe_key FROM remembered_read WHERE source_id = ?", (source_id,)
        )
    }
    indexed = [bodies.index_text(article.body, done) for _, article, done in new]
    stamps = [to_stamp(article.published) for _, article, _ in new]
    # A date ahead of the clock sorts as when it was first seen, never above newer articles.
    dates = [now if stamp is None else min(stamp, now) for stamp in stamps]  # 0.0 is a date
    conn.executemany(
        "INSERT INTO articles (title, author, published, updated, body, links, tags, enclosures, "
        "guid, url, content_hash, id, source_id, dedupe_key, first_seen, last_seen, sort_ts, "
        "read) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                *_content(article, body, done),
                article_id,
                source_id,
                article.dedupe_key,
                now,
                now,
                date,
                int(article.dedupe_key in remembered),
            )
            for (article_id, article, done), body, date in zip(new, indexed, dates, strict=True)
        ],
    )
    days.note(conn, [i for i, _, _ in new], dates)
    if isinstance(conn, Connection):  # the stories pass will not need to read them back
        conn.written.add(
            (i, date, a.title, a.body, done) for (i, a, done), date in zip(new, dates, strict=True)
        )
    (name,) = conn.execute("SELECT name FROM sources WHERE id = ?", (source_id,)).fetchone()
    source = segment(name)
    defer(
        conn,
        "INSERT INTO articles_fts (rowid, title, author, body, source, tags) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (i, segment(a.title), segment(a.author), body, source, tag_text(a.tags))
            for (i, a, _), body in zip(new, indexed, strict=True)
        ],
    )


def _from_page(column: str) -> str:
    """SQL: the stored `column` while the article keeps a saved page's text, which filled it
    in where the feed stated nothing (`saved.store_full_text`); else NULL."""
    return f"CASE WHEN full_text IS NOT NULL THEN {column} END"


def _update(
    conn: sqlite3.Connection,
    changed: Sequence[tuple[int, Article]],
    now: float,
    rule_tags: Collection[str] | None,
) -> None:
    # The update trigger re-indexes these rows (updates are rare next to inserts), so the
    # index rows still deferred go in first: one of them may be of a row changed here.
    if changed:
        flush(conn)
        if isinstance(conn, Connection):  # the stories pass compares them again
            conn.written.changed += _new_leads(conn, changed)
    # A changed item that states no author or date keeps those its saved page gave. It sorts
    # by its date (a file's new time once edited), one ahead of the clock by when it was
    # first seen: never above the articles that came after it.
    page_date = _from_page("published")
    dated = f"coalesce(?, {page_date}, first_seen)"
    conn.executemany(
        f"UPDATE articles SET title = ?, author = coalesce(?, {_from_page('author')}), "
        f"published = coalesce(?, {page_date}), updated = ?, body = ?, links = ?, tags = ?, "
        "enclosures = ?, guid = ?, url = ?, content_hash = ?, last_seen = ?, "
        f"sort_ts = CASE WHEN {dated} > ? THEN first_seen ELSE {dated} END WHERE id = ?",
        [
            (*_content(_keeping_tags(conn, i, article, rule_tags)), now, stamp, now, stamp, i)
            for i, article in changed
            for stamp in [to_stamp(article.published)]
        ],
    )


def _new_leads(conn: sqlite3.Connection, changed: Sequence[tuple[int, Article]]) -> list[int]:
    """The changed articles whose story keys changed with them (a flash given its full
    text), not those where a count or a late paragraph moved: a feed rewriting every item
    at each refresh must not have each compared again."""
    from tui.stories.features import KEY_CHARS, key_hashes  # a reading command never needs it

    before = {
        text.id: key_hashes(text.title, text.lead)
        for text in stories.texts(conn, [i for i, _ in changed], KEY_CHARS)
    }
    return [i for i, new in changed if before.get(i) != key_hashes(new.title, new.body)]


def _keeping_tags(
    conn: sqlite3.Connection, article_id: int, article: Article, rule_tags: Collection[str] | None
) -> Article:
    """`article` with the stored tags a rule gave it added: the rest are its old own tags,
    which the new ones replace (a note's front matter edited)."""
    (stored,) = conn.execute("SELECT tags FROM articles WHERE id = ?", (article_id,)).fetchone()
    kept = [t for t in json.loads(stored) if rule_tags is None or t in rule_tags]
    return replace(article, tags=tuple(dict.fromkeys([*article.tags, *kept])))
