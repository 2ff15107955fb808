"""`list`, `show`, `read`, `unread`, `search`, `reindex` and `compact`: the cached articles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from tui.cli.context import (
    Context,
    Handler,
    UsageError,
    check_ids,
    check_query,
    format_row,
    no_sources,
    out,
    print_json,
    print_rows,
    printed,
    say_cut,
    terminal_line,
    warn,
)
from tui.store import View
from tui.weburl import readable_host

if TYPE_CHECKING:
    import argparse

    from tui.cli.parser import CommandFactory
    from tui.config import Config
    from tui.models import ArticleRow, SearchHit


QUERY_LANGUAGE = (
    'query: words all match (climate energy); "a phrase"; nasa OR esa; -word or NOT word'
    " leaves it out; econ* a word's start; filters source:NAME, tag:TAG, author:WORDS,"
    " title:WORDS, is:unread (read, saved, hidden), since: and before: a day (2026-01-31) or"
    " an age (12h, 7d, 2w, 1m, 1y); a - before a filter excludes (-source:NAME). The README's"
    " Search section tells the rest."
)
"""`search --help`'s summary of the query language: an installed newsdesk has no README."""


def add_parsers(command: CommandFactory) -> None:
    """Add the article commands to the `newsdesk` parser."""
    from tui.cli.parser import Once, Query, add_limit_and_json, article_id  # not a plain search

    listing = command("list", "list cached articles, newest first")
    listing.add_argument("--source", metavar="NAME", action=Once, help="only this source")
    listing.add_argument(
        "--search", metavar="NAME", action=Once, help="only this saved search ([[searches]])"
    )
    listing.add_argument("--unread", action="store_true", help="only unread articles")
    listing.add_argument("--saved", action="store_true", help="only saved articles")
    add_limit_and_json(listing)
    show = command("show", "print an article's readable text with its links listed")
    show.add_argument("id", type=article_id, metavar="ID")
    show.add_argument("--json", action="store_true", help="print a JSON object")
    for name in ("read", "unread"):
        marker = command(name, f"mark articles {name}")
        marker.add_argument("ids", type=article_id, nargs="+", metavar="ID")
        if name == "read":  # as the TUI reads a story: whole
            marker.add_argument("--story", action="store_true", help="each ID's whole story")
    search = command("search", "search cached articles")
    search.epilog = QUERY_LANGUAGE
    search.add_argument("query", action=Query, help="may start with - (a word to leave out)")
    add_limit_and_json(search)
    command("reindex", "rebuild the full-text search index from the cached articles")
    command("compact", "give the disk the space of removed articles back (no other newsdesk open)")


def cmd_list(context: Context, args: argparse.Namespace) -> int:
    rows, matched = _listed(context, args)
    print_rows(rows, args.json)
    say_cut(len(rows), args.limit, matched)
    empty = not rows and not (args.source or args.search or args.unread or args.saved)
    if empty and not context.store().sources():
        if line := no_sources(context):
            warn(line)
    elif empty and context.paths.config.exists():  # sources whose articles are all gone
        warn("the cache holds no articles: `newsdesk refresh` fetches them")
    return 0


def _listed(
    context: Context, args: argparse.Namespace
) -> tuple[list[ArticleRow], Callable[[int], int]]:
    """The rows `list` prints, and how to count all that match (`say_cut`)."""
    store = context.store()
    if args.search:
        config = context.config()
        search = next((s for s in config.searches if s.name == args.search), None)
        if search is None:
            for skipped in config.search_errors:  # the one asked for may be among them
                warn(skipped)
            raise UsageError(
                f"no saved search named {args.search!r} in {context.paths.config}"
                + _searches_there(config)
            )
        view, query = View(unread=args.unread, saved=args.saved), search.query
        result = store.search(query, limit=args.limit, view=view)
        if result.notice:  # as `search` says it: a source it names that is not there
            warn(result.notice)
        rows = [hit.row for hit in result.hits]
        return rows, lambda cap: store.search_count(query, view=view, limit=cap)
    source = _source_named(context, args.source) if args.source else None
    view = View(source=source, unread=args.unread, saved=args.saved)
    return store.page(view, limit=args.limit), lambda _: store.count(view)  # per source: cheap


def _searches_there(config: Config) -> str:
    """` (its saved searches: 'Space', 'Today')`, or how to add one where there is none
    (nothing where the lines above said why each there is was skipped)."""
    names = ", ".join(repr(search.name) for search in config.searches)
    if names:
        return f" (its saved searches: {names})"
    return "" if config.search_errors else " (a [[searches]] table adds one)"


def _source_named(context: Context, name: str) -> str:
    """The cached source called `name`, else the one whose name differs only in case (as a
    search's `source:` reads it), else the one feeds.toml renamed to `name` before a refresh
    followed the rename (as `sources` and the TUI's pane know it)."""
    store = context.store()
    if store.source_state(name) is not None:
        return name
    alike = [s.name for s in store.sources() if s.name.casefold() == name.casefold()]
    if len(alike) == 1:
        return alike[0]
    names = _configured(context)
    renames = store.unsettled_sources(names).renames if names else []
    renamed = [old for old, new in renames if new.casefold() == name.casefold()]
    if len(renamed) != 1:
        raise UsageError(f"no source named {name!r} in the cache{_why_not_cached(context, name)}")
    return renamed[0]


def _configured(context: Context) -> dict[str, tuple[str, str]] | None:
    """The config's sources as the store knows them (`known.configured`), to find a source
    by a name a refresh has not given it yet; None without a config, or with a mistake in
    it (the commands that read the cache alone need none: read only for a source's name,
    from the config's memo, which spares parsing it)."""
    from tui.config import ConfigError
    from tui.refresh.known import configured

    if not context.paths.config.exists():
        return None
    try:
        return configured(context.config())
    except ConfigError:
        return None


def _why_not_cached(context: Context, name: str) -> str:
    """Why `list --source NAME` finds no such source: one just added to the config is not
    fetched yet; one the config does not name (removed with `feeds remove`, mistyped) is not
    in it either (the config is read on this error alone: `list` needs only the cache)."""
    from tui.config import ConfigError

    try:
        config = context.config()
    except ConfigError:
        return ""
    if config.source(name) is not None:
        return " (one just added to the config arrives with `newsdesk refresh`)"
    return f" or in {config.path} (`newsdesk sources` lists the sources there are)"


def cmd_show(context: Context, args: argparse.Namespace) -> int:
    detail = context.store().article(args.id)
    if detail is None:
        raise UsageError(f"no article with id {args.id}")
    if args.json:
        print_json(detail.to_json())
        return 0
    from tui.content.blocks import relaid
    from tui.dates import published_text  # email.utils: only `show` needs it

    row = detail.row
    print(printed(row.title))
    now = datetime.now().astimezone()
    when = published_text(row.published, now, dated=row.dated) if row.published else ""
    byline = [row.source, row.author or "", when]
    print(printed(" · ".join(part for part in byline if part)))
    if row.url:
        print(readable_host(row.url))
    if detail.full_text:
        print("(saved full text)" if row.saved else "(full text)")
    print()
    print(printed(relaid(detail.text)))  # its lists as the reader draws them
    if detail.enclosures:
        from tui.offline.media import cached, describe

        print("\nAttachments:")
        for enclosure in detail.enclosures:
            line = describe(enclosure).line(cached(enclosure.url, context.paths.cache))
            print(f"[▶] {line}\n    {readable_host(enclosure.url)}")
    if detail.links:
        print("\nLinks:")
        for number, link in enumerate(detail.links, start=1):
            print(f"[{number}] {readable_host(link)}")
    return 0


def _mark(read: bool) -> Callable[[Context, argparse.Namespace], int]:
    def handler(context: Context, args: argparse.Namespace) -> int:
        store = context.store()
        check_ids(store, args.ids)
        if read and args.story:
            store.mark_stories_read(args.ids)
        else:
            store.set_read(args.ids, read)
        return 0

    return handler


def cmd_search(context: Context, args: argparse.Namespace) -> int:
    if not args.query:
        raise UsageError("search needs a QUERY")
    check_query(args.query)
    from tui.content.spans import plain_snippet  # not for `list`
    from tui.store.query import parse_query  # loaded by the search already

    store, query = context.store(), args.query
    result, also = store.search(query, limit=args.limit), None
    if not result.hits and parse_query(query).sources and (names := _configured(context)):
        also = store.unsettled_sources(names).named  # renamed there before a refresh followed
        result = store.search(query, limit=args.limit, also_named=also)  # (config read only then)
    if result.notice:
        warn(result.notice)
    hits = [hit._replace(snippet=plain_snippet(hit.snippet)) for hit in result.hits]
    if args.json:
        print_json([hit.to_json() for hit in hits])
    else:
        _print_hits(hits)
    say_cut(
        len(hits),
        args.limit,
        lambda cap: store.search_count(query, limit=cap, also_named=also),
        count=False,
    )
    return 0


def _print_hits(hits: list[SearchHit]) -> None:
    """Each hit's row, its snippet under it with the matched words marked `*word*`."""
    from tui.models import MATCH_CLOSE, MATCH_OPEN

    for hit in hits:
        print(format_row(hit.row))
        snippet = hit.snippet.replace(MATCH_OPEN, "*").replace(MATCH_CLOSE, "*")
        print(terminal_line(" " * 10 + " ".join(snippet.split())))


def cmd_reindex(context: Context, args: argparse.Namespace) -> int:
    context.store().rebuild_index()
    print("search index rebuilt")
    return 0


def cmd_compact(context: Context, args: argparse.Namespace) -> int:
    from tui.store.compact import compact

    context.store()  # a newsdesk cache, up to date (or the store's error)
    context.close()  # its connection would hold the cache open
    before, after = compact(context.paths.database)
    out(f"compacted the cache: {_mib(before)} → {_mib(after)} ({context.paths.database})")
    return 0


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MiB"


HANDLERS: dict[str, Handler] = {
    "list": cmd_list,
    "show": cmd_show,
    "read": _mark(True),
    "unread": _mark(False),
    "search": cmd_search,
    "reindex": cmd_reindex,
    "compact": cmd_compact,
}
