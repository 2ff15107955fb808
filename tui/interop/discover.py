"""`feeds add URL`: find the feed behind a site address, check it, and subscribe to it.

The address is fetched first: if it is a feed, that is the answer. If it is an HTML page, the
feed it announces with `<link rel="alternate" type="application/rss+xml|atom+xml|feed+json">`
is tried, and then the usual places (`/feed`, `/rss`, `/rss.xml`, ...) beside the page and at
the site root. A candidate counts only if it downloads and parses as a feed, so what gets
written to the config is known to work.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from tui.config import Config, load_config
from tui.interop import InteropError, InteropFailed
from tui.interop.config_edit import (
    FeedSpec,
    add_sources,
    clean_name,
    find_duplicate,
    name_from_url,
)
from tui.sources.feeds import parse_feed
from tui.sources.fetch import (
    Client,
    FetchError,
    FetchLimits,
    NotModified,
    Response,
    client_for,
    fetch,
)
from tui.sources.parsed import ParsedFeed
from tui.text import clean_line, unsafe_at, visible
from tui.weburl import is_web, port_problem, without_password

COMMON_PATHS = ("/feed", "/rss", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml", "/feed.json")
"""Where sites usually keep their feed, in the order they are preferred."""
# The first request may meet a page or a feed: ask for either.
_ANY_ACCEPT = (
    "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
    "application/feed+json;q=0.9, application/xml;q=0.8, */*;q=0.5"
)


@dataclass(frozen=True)
class Discovery:
    """A working feed found from an address."""

    url: str
    """The feed's URL (after any permanent redirect)."""
    title: str | None
    articles: int
    via: str
    """How it was found, for the user: "the address itself", "the page's feed link", ..."""
    instead: str = ""
    """Why the address itself is not the feed, when it answered an error (a mistyped feed
    URL on a site that has another feed): told, so that the other is no surprise."""


@dataclass(frozen=True)
class AddReport:
    """What `add_feed` found and wrote."""

    name: str
    """The source name written to the config."""
    url: str
    title: str | None
    """The feed's own title."""
    articles: int
    """How many articles the feed holds right now."""
    via: str = ""
    instead: str = ""
    """`Discovery.instead`."""
    renamed: str = ""
    """Why `name` is not the name asked for, or the feed's title: "'News' is taken: added
    as 'News (5)'"."""


async def add_feed(
    config_path: Path, url: str, name: str | None = None, tags: Sequence[str] = ()
) -> AddReport:
    """Discover the feed at `url`, validate it, and add it to the config as a new source."""
    config = load_config(config_path)
    if name is not None and config.source(clean_name(name)) is not None:
        raise InteropError(f"a source named {clean_name(name)!r} already exists in {config_path}")
    _refuse_twin(config, start_urls(url)[0])  # before a request: an https twin may not answer
    async with client_for(config.settings) as client:
        found = await discover(client, url, FetchLimits.from_settings(config.settings))
    _refuse_twin(config, found.url)  # the feed a page led to
    chosen = clean_name(name) or clean_name(found.title) or name_from_url(found.url)
    tag_list = tuple(dict.fromkeys(t for t in (clean_line(t) for t in tags) if t))
    report = add_sources(config_path, [FeedSpec(chosen, found.url, tag_list)])
    return AddReport(
        report.added[0],
        found.url,
        found.title,
        found.articles,
        found.via,
        found.instead,
        "; ".join(report.notices),
    )


def _refuse_twin(config: Config, url: str) -> None:
    """`InteropError` when a configured source already fetches `url` (`url_key`)."""
    twin = find_duplicate(config, url)
    if twin is not None:
        raise InteropError(
            f"already subscribed: {without_password(url)} is the source {twin.name!r}"
        )


# -- discovery --------------------------------------------------------------------------


async def discover(client: Client, address: str, limits: FetchLimits | None = None) -> Discovery:
    """The feed at or behind `address` (a feed URL or a site/page URL), or `InteropError`."""
    limits = limits or FetchLimits()
    start, response = await _open(client, address, limits)
    failed = isinstance(response, FetchError)
    if isinstance(response, FetchError):
        shown = without_password(start)
        page_url, parsed, problem = start, None, f"{shown} answered {response.reason}"
    else:
        page_url = response.url
        parsed = parse_feed(response.body, response.url, response.content_type)
        if parsed.is_feed:
            return _found(response.permanent_url or start, parsed, "the address itself")
        problem = f"{without_password(start)} is {_what(parsed)}"
    if parsed is not None and parsed.alternate:
        found = await _try(client, parsed.alternate, limits, "the page's feed link")
        if found is not None:
            return found
        problem += f"; its feed link {parsed.alternate} does not work"
    found = await _try_common_paths(client, page_url, limits, problem)
    return replace(found, instead=problem) if failed else found


def _failed_at(start: str, failed: str) -> str:
    """The address that failed: `start`, or where it redirected (said with `start`)."""
    if failed == start:
        return without_password(start)
    return f"{without_password(failed)} (redirected from {without_password(start)})"


async def _open(
    client: Client, address: str, limits: FetchLimits
) -> tuple[str, Response | FetchError]:
    """The address fetched: the URL that answered, with its response or its error status.

    A bare host ("example.org") is tried over https, then over http. When nothing answers
    there is no point in guessing paths on that host: `InteropError` names what was tried.
    """
    reasons: list[str] = []
    for start in start_urls(address):
        try:
            return start, await fetch(client, start, limits=limits, accept=_ANY_ACCEPT)
        except FetchError as exc:
            if exc.status is not None:
                return start, exc
            reasons.append(f"{_failed_at(start, exc.url)}: {exc.reason}")
    raise InteropFailed(f"cannot fetch {'; nor '.join(reasons)}")


def start_urls(address: str) -> list[str]:
    """The URLs to try for what the user typed: as written, or https then http for a host."""
    url = normalize_address(address)
    if "://" in clean_line(address):
        return [url]
    return [url, "http://" + url.removeprefix("https://")]


def normalize_address(address: str) -> str:
    """An http(s) URL from what the user typed ("example.org" means https://example.org/)."""
    refuse_unsafe(address)
    text = clean_line(address)
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:  # a malformed IPv6 literal (`http://[::1/feed`)
        parts = None
    if parts is None or not is_web(parts):
        why = "not a valid URL" if parts is None else port_problem(parts) or "only http and https"
        raise InteropError(f"not a web address: {without_password(address)!r} ({why})")
    return text if parts.path else text + "/"


def refuse_unsafe(address: str) -> None:
    """`InteropError` for an address holding a control or format character: removed, it
    named another feed (`…/tr<ESC>[31mk.xml` subscribed to `…/trk.xml`), as in the config."""
    where = unsafe_at(address)
    if where is not None:
        shown = visible(without_password(address))
        raise InteropError(f"not a web address: {shown} holds a control character ({where})")


async def _try_common_paths(
    client: Client, page_url: str, limits: FetchLimits, problem: str
) -> Discovery:
    candidates = _candidates(page_url)
    results = await asyncio.gather(
        *(_try(client, url, limits, f"the common path {urlsplit(url).path}") for url in candidates)
    )
    found = next((r for r in results if r is not None), None)
    if found is None:
        tried = ", ".join(COMMON_PATHS)
        raise InteropError(f"no feed found: {problem}, and none of {tried} is a feed")
    return found


def _candidates(page_url: str) -> list[str]:
    """Common feed paths beside the page first (a blog in /blog/), then at the site root."""
    parts = urlsplit(page_url)
    root = f"{parts.scheme}://{parts.netloc}/"
    folder = page_url.split("?")[0].split("#")[0]
    folder = folder if folder.endswith("/") else folder.rsplit("/", 1)[0] + "/"
    bases = [folder, root] if folder != root else [root]
    urls = [urljoin(base, path.lstrip("/")) for base in bases for path in COMMON_PATHS]
    return list(dict.fromkeys(urls))


async def _try(client: Client, url: str, limits: FetchLimits, via: str) -> Discovery | None:
    """The feed at `url` if it downloads and parses as one; None otherwise."""
    try:
        response = await fetch(client, url, limits=limits)
    except (FetchError, NotModified):
        return None
    parsed = parse_feed(response.body, response.url, response.content_type)
    return _found(response.permanent_url or url, parsed, via) if parsed.is_feed else None


def _found(url: str, parsed: ParsedFeed, via: str) -> Discovery:
    return Discovery(url, parsed.title or None, len(parsed.articles), via)


def _what(parsed: ParsedFeed) -> str:
    """What a non-feed answer was, from the parser's warning ("an HTML page without ...")."""
    warning = parsed.warning or "not a feed"
    return warning.removeprefix("not a feed: ") if "HTML" in warning else warning
