"""Feed entries -> sanitized Articles: the cleaning shared by the RSS/Atom and JSON Feed paths.

A parser fills a `RawEntry` with what the feed states; `to_articles` resolves links, turns HTML
into terminal text, passes every string through `tui.text`, drops empty entries and repeats.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from tui.content.parse import looks_like_html
from tui.content.readable import html_to_text
from tui.content.spans import escaped_lines
from tui.content.urls import absolute_url
from tui.models import Article, Enclosure
from tui.sources.enclosures import web_enclosures
from tui.sources.plaintext import stand_in_title
from tui.text import clean_body, clean_line, clean_optional

_FUTURE_SLACK = timedelta(days=1)
_MAX_HTML_LINE = 4000
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)


@dataclass
class RawEntry:
    """One entry as the feed states it, before cleaning."""

    title: str = ""
    title_html: bool = False
    guid: str | None = None
    link: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None
    body: str = ""
    body_html: bool = False
    body_base: str | None = None
    """The body's own base URL (`xml:base`), when it states one."""
    enclosures: tuple[Enclosure, ...] = ()
    tags: tuple[str, ...] = ()


def to_articles(entries: Iterable[RawEntry], base_url: str | None, now: datetime) -> list[Article]:
    """Clean entries into Articles, skipping empty ones and repeats (the first one wins).

    `now` bounds dates: an entry dated more than a day ahead is treated as undated, so a wrong
    clock on the server cannot pin it to the top of every list.
    """
    built = [a for entry in entries if (a := _article(entry, base_url, now)) is not None]
    guids = [article.guid for article in built if article.guid]
    if len(set(guids)) < len(guids):
        built = _kept_apart(built)
    articles: list[Article] = []
    seen: set[str] = set()
    for article in built:
        if article.dedupe_key not in seen:
            seen.add(article.dedupe_key)
            articles.append(article)
    return articles


def _kept_apart(articles: list[Article]) -> list[Article]:
    """A guid the feed gives to items with different links (a publisher's slip): each such
    item is its own article, known by guid and link. Only a true repeat (the same guid and
    link) is dropped then, instead of every item after the first."""
    links: dict[str, set[str | None]] = {}
    for article in articles:
        if article.guid:
            links.setdefault(article.guid, set()).add(article.url)
    return [
        replace(article, guid=f"{article.guid}#{article.url}")
        if article.guid and article.url and len(links[article.guid]) > 1
        else article
        for article in articles
    ]


def with_feed_authors(entries: list[RawEntry], authors: tuple[str, ...]) -> list[RawEntry]:
    """Entries without an author of their own credited to the feed's authors (Atom's rule,
    RFC 4287 4.2.1, as JSON Feed's items take the feed's)."""
    if not authors:
        return entries
    return [entry if entry.authors else replace(entry, authors=authors) for entry in entries]


def html_line(text: str | None, is_html: bool) -> str:
    """A one-line field; HTML (titles may hold `<b>` or entities) becomes plain text."""
    if not text:
        return ""
    if is_html:  # bounded input: the script/style alternative backtracks on unclosed tags
        text = html.unescape(_TAG.sub("", text[:_MAX_HTML_LINE]))
    return clean_line(text)


def strings(values: Iterable[Any]) -> Iterator[str]:
    """The non-blank strings among `values` (feeds put anything anywhere)."""
    return (v for v in values if isinstance(v, str) and v.strip())


def _article(entry: RawEntry, base_url: str | None, now: datetime) -> Article | None:
    """One sanitized Article, or None when the entry has no title, body or link."""
    link = clean_line(absolute_url(entry.link, base_url)) or None
    explicit_base = entry.body_base if entry.body_base != base_url else None
    body, links = _body(entry, explicit_base or link or base_url)
    title = html_line(entry.title, entry.title_html)
    if not (title or body or link):
        return None
    updated = _date(entry.updated, now)
    return Article(
        title=title or stand_in_title(body) or link or "",
        body=body,
        guid=clean_optional(entry.guid),
        url=link,
        author=", ".join(dict.fromkeys(strings(map(clean_line, entry.authors)))) or None,
        published=_date(entry.published, now) or updated,  # Atom often states only `updated`
        updated=updated,
        links=links,
        tags=tuple(dict.fromkeys(strings(map(clean_line, entry.tags)))),
        enclosures=tuple(web_enclosures(entry.enclosures, base_url)),
    )


def _body(entry: RawEntry, base_url: str | None) -> tuple[str, tuple[str, ...]]:
    """The readable body and its numbered links; HTML only when it really holds markup."""
    if not entry.body.strip():
        return "", ()
    if entry.body_html and looks_like_html(entry.body):
        readable = html_to_text(entry.body, base_url=base_url)
        return readable.text, readable.links
    return escaped_lines(clean_body(entry.body)), ()  # plain text: its `*` and `_` are text


def _date(value: datetime | None, now: datetime) -> datetime | None:
    """A date unless it lies implausibly far in the future or is the Unix epoch's first
    second or day (a feed's way of saying it has none: kept, it would read "56y" ago)."""
    if value is None or value > now + _FUTURE_SLACK or int(value.timestamp()) == 0:
        return None
    return value
