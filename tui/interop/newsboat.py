"""newsboat: its `urls` file becomes sources; its `cache.db` read state and flagged items follow.

A `urls` line is a URL followed by space-separated tags, double-quoted when they hold spaces:
`"~Title"` names the feed and a tag starting with `!` hides it in newsboat (here it is imported
as a normal source, with a notice). `query:` feeds, `exec:` and `filter:` URLs and comment
lines are reported as unsupported, never guessed at.

Read state: `apply_read_state` carries over what newsboat's `rss_item` table has read, by feed
URL (compared as `feeds import` compares them: `url_key`) and then guid (by link only for an
article without a guid, and only when every newsboat item with that link is read: items
often share a site's home page as their link). An item the user deleted there (`deleted = 1`:
newsboat shows it no more) counts as read, unread or not: done with. Articles already cached
are marked read; the others are remembered, and marked read when a refresh brings them.
newsboat's database is checked whole first (`check_cache_db`), opened read-only and never
changed.

Each item's read state and flags come over once: the store remembers the items carried
(`Store.note_imported`), so running the import again brings what is new there and undoes
nothing done here since (an article marked unread, one unsaved).

Flagged items: `keep_flagged` makes each item a flag marks (newsboat's `flags`, letters the
user gives an item to keep it: its `max-items` cleanup spares them) a saved article, tagged
`flag-X` for each letter X, read as it was there. One newsdesk holds already keeps its text;
the others come with newsboat's copy, also those of feeds the urls file no longer lists, in a
source made for the feed and marked removed, as `feeds remove` leaves one: it goes with its
last saved article. Flagged items newsboat deleted stay there (and arrive read, as any
deleted item).
"""

from __future__ import annotations

import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import NamedTuple

from tui.interop import InteropError
from tui.interop.config_edit import (
    FeedSpec,
    ImportReport,
    add_sources,
    clean_name,
    merge_repeat,
    name_from_url,
    url_problem,
)
from tui.models import Article, SourceKind
from tui.sources.enclosures import enclosure
from tui.sources.entries import RawEntry, to_articles
from tui.store import Store
from tui.text import clean_line, one_line
from tui.weburl import url_key, without_password


def default_urls_path(home: Path | None = None) -> Path:
    """`~/.newsboat/urls` if it exists, else the XDG location `~/.config/newsboat/urls`."""
    home = home or Path.home()
    classic = home / ".newsboat" / "urls"
    return classic if classic.exists() else home / ".config" / "newsboat" / "urls"


def cache_db_beside(urls: Path) -> Path | None:
    """newsboat's `cache.db` that goes with a `urls` file: in the same folder (`~/.newsboat`),
    or for the XDG config folder's urls in the XDG data folder; None if there is none."""
    beside = urls.parent / "cache.db"
    if beside.is_file():
        return beside
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    xdg = Path(data_home) / "newsboat" / "cache.db"
    return xdg if urls.parent.name == "newsboat" and xdg.is_file() else None


@dataclass(frozen=True)
class UrlsFile:
    """What a newsboat `urls` file lists."""

    feeds: list[FeedSpec]
    skipped: list[str]
    notices: list[str]


def import_newsboat(
    config_path: Path, urls_path: Path, *, cache_db: Path | None = None, dry_run: bool = False
) -> ImportReport:
    """Add the feeds of a newsboat `urls` file to the config.

    Feeds without a `"~Title"` are named after their title in `cache_db` when one is given,
    else after their URL."""
    titles = check_cache_db(cache_db) if cache_db is not None else {}
    listed = parse_urls(_read(urls_path), urls_path.name, titles)
    report = add_sources(config_path, listed.feeds, dry_run=dry_run)
    report.skipped[:0] = listed.skipped
    report.notices[:0] = listed.notices
    return report


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        raise InteropError(f"{path}: cannot read: {exc.strerror}") from None


def parse_urls(text: str, origin: str = "urls", titles: dict[str, str] | None = None) -> UrlsFile:
    """The feeds of a `urls` file; what cannot be imported is listed in `skipped`."""
    result, seen = UrlsFile([], [], []), dict[str, FeedSpec]()
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            _parse_line(line, f"{origin}:{number}", titles or {}, result, seen)
    result.feeds.extend(seen.values())
    return result


def _parse_line(
    line: str, where: str, titles: dict[str, str], result: UrlsFile, seen: dict[str, FeedSpec]
) -> None:
    tokens = _tokens(line)
    if tokens is None:
        result.skipped.append(f"{where}: unbalanced quotes")
        return
    if not tokens:
        return
    url, *tokens = tokens
    reason = _unsupported(url)
    if reason:
        result.skipped.append(f"{where}: {reason}")
        return
    title = next((t[1:] for t in tokens if t.startswith("~")), None) or titles.get(url)
    name = clean_name(title) or name_from_url(url)
    tags = tuple(dict.fromkeys(clean_line(t) for t in tokens if t[:1] not in ("~", "!", "")))
    if again := merge_repeat(seen, FeedSpec(name, url, tuple(t for t in tags if t), where)):
        result.skipped.append(f"{where}: {again}")
    if any(t.startswith("!") for t in tokens):
        result.notices.append(f"{where}: {name!r} is hidden in newsboat; imported as visible")


def _tokens(line: str) -> list[str] | None:
    """A line's words as newsboat splits them: blanks between words, double quotes around a
    word with blanks (`\\"` inside), a `#` starting a word starts a comment, and `'` is a
    letter ("Bob's"). None when a quote is left open."""
    tokens: list[str] = []
    position, end = 0, len(line)
    while position < end:
        if line[position].isspace():
            position += 1
        elif line[position] == "#":
            break
        elif line[position] == '"':
            word, position = _quoted(line, position + 1)
            if word is None:
                return None
            tokens.append(word)
        else:
            start = position
            while position < end and not line[position].isspace():
                position += 1
            tokens.append(line[start:position])
    return tokens


def _quoted(line: str, position: int) -> tuple[str | None, int]:
    """The quoted word starting at `position` (after its quote) and where it ends."""
    word: list[str] = []
    while position < len(line):
        char = line[position]
        if char == '"':
            return "".join(word), position + 1
        if char == "\\" and position + 1 < len(line):
            position += 1
            char = line[position]
        word.append(char)
        position += 1
    return None, position


def _unsupported(url: str) -> str | None:
    """Why a `urls` entry cannot become a source, or None if it can."""
    if url.startswith("query:"):
        name = clean_line(url.split(":")[1]) if url.count(":") >= 2 else ""
        return f"query feed {name!r} is not supported (a [[searches]] entry does the same)"
    if url.startswith(("exec:", "filter:")):
        kind = url.split(":")[0]
        return f"{kind}: feeds run a program and are not supported"
    problem = url_problem(url)
    return f"{clean_line(without_password(url))[:80]}: {problem}" if problem else None


# -- cache.db ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadStateReport:
    """What `apply_read_state` did."""

    marked: int
    """newsdesk articles that were unread and are now read."""
    matched_feeds: int
    """newsboat feeds whose URL is a source newsdesk knows."""
    remembered: int
    """Read (or deleted) newsboat items not cached yet: marked read when a refresh brings them."""


READ, FLAGS = "read:", "flags:"  # what an import carried of an item, before its `_identity`


def _identity(item: _Item | _Flagged) -> str:
    """An item as newsdesk knows its article (`Article.dedupe_key`): `g:GUID`, else `u:LINK`.
    The store remembers each item carried (`Store.note_imported`), and an import again skips
    it; one with neither is never noted (all would share one note): carried each time."""
    return f"g:{item.guid}" if item.guid else f"u:{item.link}" if item.link else ""


def feed_titles(cache_db: Path) -> dict[str, str]:
    """Feed URL -> title from newsboat's `rss_feed` table."""
    rows = _query(cache_db, _TITLES)
    return {str(url): str(title) for url, title in rows if title}


def check_cache_db(cache_db: Path) -> dict[str, str]:
    """`feed_titles`, once every table and column the import reads is known to be there (an
    old newsboat's cache.db lacks some): the InteropError comes before anything changed."""
    for sql in (_ITEMS, _FLAGGED_ITEMS):
        _query(cache_db, f"SELECT * FROM ({sql}) LIMIT 0")
    return feed_titles(cache_db)


def _followed(store: Store, removed: bool = True) -> dict[str, int]:
    """`url_key` of each web source's feed URL (as configured, and where it redirects) ->
    the source's id: a newsboat feed is the source `feeds import` would call the same. The
    sources kept only for their saved articles too, unless `removed` is False."""
    found: dict[str, int] = {}
    for url, source_id in store.web_sources(removed).items():
        found.setdefault(url_key(url), source_id)
    return found


def apply_read_state(store: Store, cache_db: Path) -> ReadStateReport:
    """Carry newsboat's read state over to the sources the store knows (see the module); not
    to one kept for its saved articles alone (a feed gone from the urls file): never
    refreshed, it has no article to wait for."""
    followed = _followed(store, removed=False)
    to_mark: list[int] = []
    carried: dict[str, list[str]] = {}
    waiting_items = 0
    for feed_url, read_items in _read_items(_items(cache_db)).items():
        feed = url_key(feed_url)
        if feed not in followed:
            continue
        before = store.imported_items(feed)
        fresh = [(item, keys) for item, keys in read_items if READ + item not in before]
        cached = store.read_keys(followed[feed])
        waiting: set[str] = set()
        for _, keys in fresh:
            hits = keys & cached.keys()
            to_mark += [cached[key][0] for key in hits if not cached[key][1]]
            waiting |= set() if hits else keys
            waiting_items += not hits
        store.remember_read(followed[feed], waiting)
        carried.setdefault(feed, []).extend(READ + item for item, _ in fresh)
    marked = store.set_read(to_mark, True) if to_mark else 0
    for feed, items in carried.items():  # once they are read: a failed write carries none
        store.note_imported(feed, items)
    return ReadStateReport(marked, len(carried), waiting_items)


@dataclass(frozen=True)
class _Item:
    feed_url: str
    guid: str
    link: str
    done: bool
    """Read there, or deleted (unread or not): read here."""
    kept: bool
    """Flagged and not deleted: `keep_flagged` carries it over, read state and all."""


def _items(cache_db: Path) -> list[_Item]:
    return [
        _Item(str(feed), str(guid or ""), str(link or ""), bool(done), bool(kept))
        for feed, guid, link, done, kept in _query(cache_db, _ITEMS)
    ]


def _read_items(items: Iterable[_Item]) -> dict[str, list[tuple[str, set[str]]]]:
    """Feed URL -> each read (or deleted) item's `_identity` and its articles' dedupe keys."""
    all_done: dict[tuple[str, str], bool] = {}  # every item with this link is read or deleted
    for item in items:
        if item.link:
            key = (item.feed_url, item.link)
            all_done[key] = all_done.get(key, True) and item.done
    found: dict[str, list[tuple[str, set[str]]]] = defaultdict(list)
    for item in (item for item in items if not item.kept):
        keys = {"g:" + item.guid} if item.done and item.guid else set()
        if item.done and item.link and all_done[(item.feed_url, item.link)]:
            keys.add("u:" + item.link)
        if keys:
            found[item.feed_url].append((_identity(item), keys))
    return found


# -- flagged items --------------------------------------------------------------------------

_FLAGGED = "coalesce(flags, '') != ''"
_KEPT = f"({_FLAGGED} AND deleted = 0)"
_TITLES = "SELECT rssurl, title FROM rss_feed"
_ITEMS = f"SELECT feedurl, guid, url, unread = 0 OR deleted != 0, {_KEPT} FROM rss_item"
_FLAGGED_ITEMS = (
    "SELECT i.feedurl, coalesce(f.title, ''), i.guid, i.url, i.title, i.author, i.pubDate, "
    "i.content, i.unread, i.enclosure_url, i.enclosure_type, i.flags, i.base, i.deleted "
    f"FROM rss_item i LEFT JOIN rss_feed f ON f.rssurl = i.feedurl WHERE {_FLAGGED} ORDER BY i.id"
)
FLAG_TAG = "flag-{}"
"""The tag a flag letter becomes."""


@dataclass
class KeptReport:
    """What `keep_flagged` did."""

    kept: int = 0
    """Flagged newsboat items that are saved articles now."""
    archived: list[str] = field(default_factory=list)
    """Sources made for feeds no source follows (gone from the urls file), marked removed."""
    deleted: int = 0
    """Flagged items newsboat deleted: left there."""
    new_ids: list[int] = field(default_factory=list)
    """The articles the cache did not hold (newsboat's copy of their text)."""


class _Flagged(NamedTuple):
    """A flagged item's row (`_FLAGGED_ITEMS`); values as a foreign database holds them."""

    feed_url: object
    feed_title: object
    guid: object
    link: object
    title: object
    author: object
    published: object
    content: object
    unread: object
    media: object
    media_type: object
    flags: object
    base: object
    deleted: object


def keep_flagged(store: Store, cache_db: Path, now: datetime | None = None) -> KeptReport:
    """Save newsboat's flagged items here, feed by feed, each once (see the module)."""
    feeds: dict[str, list[_Flagged]] = defaultdict(list)
    for item in (_Flagged(*row) for row in _query(cache_db, _FLAGGED_ITEMS)):
        feeds[url_key(str(item.feed_url))].append(item)
    followed, report = _followed(store), KeptReport()
    for feed, items in feeds.items():
        before = store.imported_items(feed)
        fresh = [item for item in items if FLAGS + _identity(item) not in before]
        if fresh:
            _keep(store, followed.get(feed), fresh, before, report, now or datetime.now(UTC))
            store.note_imported(feed, [FLAGS + _identity(i) for i in fresh if _identity(i)])
    return report


def _keep(
    store: Store,
    source_id: int | None,
    items: list[_Flagged],
    before: set[str],
    report: KeptReport,
    now: datetime,
) -> None:
    """One feed's flagged items not carried over `before`, saved in its source; with none (a
    feed no source follows), in one made for them, named after the feed's title. Those
    newsboat deleted stay there."""
    report.deleted += sum(1 for item in items if item.deleted)
    articles = [  # read as there, unless its read state came over before (unread here since)
        (article, not item.unread and READ + _identity(item) not in before)
        for item in items
        if not item.deleted
        for article in _articles(item, now)
    ]
    if not articles:
        return
    name = None
    if source_id is None:
        source_id, name = _archive_source(store, str(items[0].feed_url), str(items[0].feed_title))
    kept = store.keep(source_id, articles)
    report.kept += len(set(kept.ids))
    report.new_ids += kept.new_ids
    if name is not None:
        store.forget_source(name)  # marked removed: it goes with its last saved article
        report.archived.append(name)


def _articles(item: _Flagged, now: datetime) -> list[Article]:
    """A flagged item as newsdesk reads a feed's item (a list of one, or none if empty)."""
    entry = RawEntry(
        title=str(item.title or ""),
        guid=str(item.guid or "") or None,
        link=str(item.link or "") or None,
        authors=(str(item.author),) if item.author else (),
        published=_date(item.published),
        body=str(item.content or ""),
        body_html=True,
        body_base=str(item.base or "") or None,
        enclosures=(enclosure(str(item.media), item.media_type),) if item.media else (),
        tags=tuple(FLAG_TAG.format(f) for f in str(item.flags) if f.isascii() and f.isalpha()),
    )
    return to_articles([entry], str(item.feed_url), now)


def _date(stamp: object) -> datetime | None:
    """newsboat's `pubDate`, UNIX seconds (0 when the feed gave none)."""
    if not isinstance(stamp, int) or not 0 < stamp < 2**35:
        return None
    return datetime.fromtimestamp(stamp, UTC)


def _archive_source(store: Store, feed_url: str, title: str) -> tuple[int, str]:
    """A source for a feed no source follows, named after its title (another name's source
    is never taken over)."""
    location = clean_line(feed_url)
    wanted = clean_name(title) or name_from_url(location)
    tried = (f"{wanted} (newsboat {n})" if n > 1 else wanted for n in count(1))
    name = next(name for name in tried if store.source_state(name) is None)
    return store.ensure_source(name, SourceKind.WEB, location), name


def _query(cache_db: Path, sql: str) -> Iterable[tuple[object, ...]]:
    """Rows from newsboat's database, opened read-only; errors become one-line InteropErrors."""
    if not cache_db.is_file():
        raise InteropError(f"{cache_db}: no such file")
    uri = cache_db.resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        reason = one_line(exc)
        if "no such" in reason:  # the table or column missing named (an older newsboat's)
            reason = f"not a newsboat cache ({reason})"
        raise InteropError(f"{cache_db}: {reason}") from None
