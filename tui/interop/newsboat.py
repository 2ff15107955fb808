"""newsboat: its `urls` file becomes sources; its `cache.db` read state can follow.

A `urls` line is a URL followed by space-separated tags, double-quoted when they hold spaces:
`"~Title"` names the feed and a tag starting with `!` hides it in newsboat (here it is imported
as a normal source, with a notice). `query:` feeds, `exec:` and `filter:` URLs and comment
lines are reported as unsupported, never guessed at.

Read state: `apply_read_state` marks read the newsdesk articles whose newsboat twin (same feed
URL, and the same guid or link) is read in newsboat's `rss_item` table. It applies to articles
already in the newsdesk cache, so it is useful after a `newsdesk refresh`; running it again is
harmless. newsboat's database is opened read-only and never changed.
"""

from __future__ import annotations

import shlex
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tui.interop import InteropError
from tui.interop.config_edit import (
    FeedSpec,
    ImportReport,
    add_sources,
    clean_name,
    name_from_url,
    url_problem,
)
from tui.store import Store
from tui.text import clean_line


def default_urls_path(home: Path | None = None) -> Path:
    """`~/.newsboat/urls` if it exists, else the XDG location `~/.config/newsboat/urls`."""
    home = home or Path.home()
    classic = home / ".newsboat" / "urls"
    return classic if classic.exists() else home / ".config" / "newsboat" / "urls"


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
    titles = feed_titles(cache_db) if cache_db is not None else {}
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
    result = UrlsFile([], [], [])
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            _parse_line(line, f"{origin}:{number}", titles or {}, result)
    return result


def _parse_line(line: str, where: str, titles: dict[str, str], result: UrlsFile) -> None:
    try:
        url, *tokens = shlex.split(line)  # newsboat quotes like a shell: "tag with spaces"
    except ValueError:
        result.skipped.append(f"{where}: unbalanced quotes")
        return
    reason = _unsupported(url)
    if reason:
        result.skipped.append(f"{where}: {reason}")
        return
    title = next((t[1:] for t in tokens if t.startswith("~")), None) or titles.get(url)
    name = clean_name(title) or name_from_url(url)
    tags = tuple(dict.fromkeys(clean_line(t) for t in tokens if t[:1] not in ("~", "!", "")))
    result.feeds.append(FeedSpec(name, url, tuple(t for t in tags if t)))
    if any(t.startswith("!") for t in tokens):
        result.notices.append(f"{where}: {name!r} is hidden in newsboat; imported as visible")


def _unsupported(url: str) -> str | None:
    """Why a `urls` entry cannot become a source, or None if it can."""
    if url.startswith("query:"):
        name = clean_line(url.split(":")[1]) if url.count(":") >= 2 else ""
        return f"query feed {name!r} is not supported (a [[searches]] entry does the same)"
    if url.startswith(("exec:", "filter:")):
        kind = url.split(":")[0]
        return f"{kind}: feeds run a program and are not supported"
    problem = url_problem(url)
    return f"{clean_line(url)[:80]}: {problem}" if problem else None


# -- cache.db ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadStateReport:
    """What `apply_read_state` did."""

    marked: int
    """newsdesk articles that were unread and are now read."""
    matched_feeds: int
    """newsboat feeds whose URL is a source in the newsdesk cache."""
    not_cached: int
    """Read newsboat items of those feeds with no newsdesk article yet (refresh, then rerun)."""


def feed_titles(cache_db: Path) -> dict[str, str]:
    """Feed URL -> title from newsboat's `rss_feed` table."""
    rows = _query(cache_db, "SELECT rssurl, title FROM rss_feed")
    return {str(url): str(title) for url, title in rows if title}


def apply_read_state(store: Store, cache_db: Path) -> ReadStateReport:
    """Mark read the cached articles that newsboat has read (matched by feed URL and guid/link)."""
    sources = store.web_sources()
    to_mark: list[int] = []
    matched = not_cached = 0
    for feed_url, (keys, count) in _read_items(cache_db).items():
        if feed_url not in sources:
            continue
        matched += 1
        hits = [(i, read) for i, own, read in store.article_keys(sources[feed_url]) if own & keys]
        to_mark += [i for i, read in hits if not read]
        not_cached += max(0, count - len(hits))
    marked = store.set_read(to_mark, True) if to_mark else 0
    return ReadStateReport(marked=marked, matched_feeds=matched, not_cached=not_cached)


def _read_items(cache_db: Path) -> dict[str, tuple[set[str], int]]:
    """Feed URL -> (guids and links of its read items, how many read items) in newsboat."""
    keys: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    sql = "SELECT feedurl, guid, url FROM rss_item WHERE unread = 0"
    for feed_url, guid, link in _query(cache_db, sql):
        keys[str(feed_url)].update(str(k) for k in (guid, link) if k)
        counts[str(feed_url)] += 1
    return {url: (keys[url], counts[url]) for url in keys}


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
        reason = "not a newsboat cache" if "no such" in str(exc) else clean_line(str(exc))
        raise InteropError(f"{cache_db}: {reason}") from None
