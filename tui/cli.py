"""The command line: parses arguments and calls the same functions as the TUI.

Every error is one line on stderr and exit status 2; `--help` works on every command.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from tui import __version__, rules_cli, saving_cli
from tui.config import Config, ConfigError, Paths, load_config, resolve_paths
from tui.interop import cli as interop_cli
from tui.models import ArticleRow
from tui.store import Store, StoreError, View

USAGE_ERROR = 2


class UsageError(Exception):
    """A mistake in what the user asked for: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors in one line (no usage dump)."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The `newsdesk` parser with every subcommand."""
    common = _Parser(add_help=False)
    common.add_argument(
        "--config",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="config file (default: $NEWSDESK_CONFIG, ./feeds.toml, platform dir)",
    )
    common.add_argument(
        "--cache",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="cache folder (default: $NEWSDESK_CACHE, cache/ beside the config)",
    )
    parser = _Parser(
        prog="newsdesk",
        parents=[common],
        description="A terminal news browser. With no command, opens the TUI.",
    )
    parser.add_argument("--version", action="version", version=f"newsdesk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[common], help=help_text, description=help_text)

    command("paths", "print which config file and cache are in use")
    listing = command("list", "list cached articles, newest first")
    listing.add_argument("--source", metavar="NAME", help="only this source")
    listing.add_argument("--search", metavar="NAME", help="only this saved search ([[searches]])")
    listing.add_argument("--unread", action="store_true", help="only unread articles")
    listing.add_argument("--saved", action="store_true", help="only saved articles")
    _add_limit_and_json(listing)
    show = command("show", "print an article's readable text with its links listed")
    show.add_argument("id", type=int)
    show.add_argument("--json", action="store_true", help="print a JSON object")
    for name, verb in (("read", "read"), ("unread", "unread")):
        marker = command(name, f"mark articles {verb}")
        marker.add_argument("ids", type=int, nargs="+", metavar="ID")
    sources = command("sources", "list sources with unread counts and their last refresh")
    sources.add_argument("--json", action="store_true", help="print a JSON array")
    importer = command("import", "import local files or folders without editing the config")
    importer.add_argument("paths", nargs="+", metavar="PATH")
    importer.add_argument("--name", help="source name (default: the folder's name or Imported)")
    refresh = command("refresh", "fetch web feeds and re-read local sources")
    refresh.add_argument(
        "--source", action="append", metavar="NAME", help="only this source (repeatable)"
    )
    search = command("search", "search cached articles (see the README for the query language)")
    search.add_argument("query")
    _add_limit_and_json(search)
    command("reindex", "rebuild the full-text search index from the cached articles")
    interop_cli.add_parser(commands, common)
    rules_cli.add_parser(commands, common)
    saving_cli.add_parser(commands, common)
    return parser


def _add_limit_and_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--limit", type=_positive_int, default=50, metavar="N", help="at most N (50)"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON array")


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


class Context:
    """What a command needs: the paths, the config (loaded on demand) and the store."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self._store: Store | None = None

    def config(self) -> Config:
        return load_config(self.paths.config)

    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.paths.database, on_upgrade=_announce_upgrade)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def _announce_upgrade(articles: int) -> None:
    """An older cache is about to be migrated: it can take seconds, so say so first."""
    noun = "article" if articles == 1 else "articles"
    print(
        f"newsdesk: upgrading the cache ({articles:,} {noun}) for this version, "
        "once; this can take a few seconds",
        file=sys.stderr,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsdesk` command; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors (already printed)
        return exc.code if isinstance(exc.code, int) else USAGE_ERROR
    paths = resolve_paths(getattr(args, "config", None), getattr(args, "cache", None))
    context = Context(paths)
    handler = HANDLERS.get(args.command or "", run_tui)
    try:
        return handler(context, args)
    except (UsageError, ConfigError, StoreError) as exc:
        print(f"newsdesk: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        return 130
    finally:
        context.close()


def run_tui(context: Context, args: argparse.Namespace) -> int:
    """Open the TUI on the cache; a config error is shown inside it instead of refusing to start."""
    from tui.ui import make_app  # the UI is only imported when it is used

    config_error = None
    try:
        config = context.config()
    except ConfigError as exc:
        config, config_error = Config(path=context.paths.config), str(exc)
    make_app(config, context.store(), config_error=config_error).run()
    return 0


def cmd_paths(context: Context, args: argparse.Namespace) -> int:
    paths = context.paths
    exists = "" if paths.config.exists() else " (missing: no sources)"
    print(f"config: {paths.config}{exists}  [{paths.config_origin}]")
    print(f"cache:  {paths.cache}  [{paths.cache_origin}]")
    print(f"database: {paths.database}")
    return 0


def cmd_list(context: Context, args: argparse.Namespace) -> int:
    store = context.store()
    if args.search:
        search = next((s for s in context.config().searches if s.name == args.search), None)
        if search is None:
            raise UsageError(f"no saved search named {args.search!r} in {context.paths.config}")
        from tui.store.search import search as run_search

        view = View(unread=args.unread, saved=args.saved)
        rows = [
            hit.row for hit in run_search(store, search.query, limit=args.limit, view=view).hits
        ]
    else:
        if args.source and store.source_state(args.source) is None:
            raise UsageError(f"no source named {args.source!r} in the cache")
        view = View(source=args.source, unread=args.unread, saved=args.saved)
        rows = store.page(view, limit=args.limit)
    _print_rows(rows, args.json)
    return 0


def _print_rows(rows: Sequence[ArticleRow], as_json: bool) -> None:
    if as_json:
        print(json.dumps([row.to_json() for row in rows], ensure_ascii=False, indent=2))
        return
    for row in rows:
        print(format_row(row))


def format_row(row: ArticleRow) -> str:
    """One line of `list`: id, flags, date, source and title."""
    flags = ("S" if row.saved else " ") + (" " if row.read else "N")
    date = row.published.strftime("%Y-%m-%d") if row.published else "          "
    return f"{row.id:>7} {flags} {date}  {row.source[:20]:<20}  {row.title}"


def cmd_show(context: Context, args: argparse.Namespace) -> int:
    detail = context.store().article(args.id)
    if detail is None:
        raise UsageError(f"no article with id {args.id}")
    if args.json:
        print(json.dumps(detail.to_json(), ensure_ascii=False, indent=2))
        return 0
    row = detail.row
    print(row.title)
    byline = [row.source, row.author or "", row.published.isoformat() if row.published else ""]
    print(" · ".join(part for part in byline if part))
    if row.url:
        print(row.url)
    if detail.full_text:
        print("(saved full text)")
    print()
    print(detail.text)
    if detail.links:
        print("\nLinks:")
        for number, link in enumerate(detail.links, start=1):
            print(f"[{number}] {link}")
    return 0


def _mark(read: bool) -> Callable[[Context, argparse.Namespace], int]:
    def handler(context: Context, args: argparse.Namespace) -> int:
        store = context.store()
        missing = sorted(set(args.ids) - store.existing_ids(args.ids))
        if missing:
            raise UsageError(f"no article with id {', '.join(map(str, missing))}")
        store.set_read(args.ids, read)
        return 0

    return handler


def cmd_sources(context: Context, args: argparse.Namespace) -> int:
    states = context.store().sources()
    if args.json:
        print(json.dumps([s.to_json() for s in states], ensure_ascii=False, indent=2))
        return 0
    for state in states:
        status = (
            "dead (410 Gone)" if state.dead else (f"error: {state.error}" if state.error else "ok")
        )
        if state.checked_at is None:
            status = "never refreshed"
        retry = (
            f", next try {state.next_retry:%Y-%m-%d %H:%M}"
            if state.error and state.next_retry
            else ""
        )
        print(f"{state.name:<24} {state.unread:>5} unread / {state.total:<6} {status}{retry}")
    return 0


def cmd_import(context: Context, args: argparse.Namespace) -> int:
    from pathlib import Path

    from tui.importing import import_paths

    paths = [Path(p).expanduser().resolve() for p in args.paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {missing[0]}")
    rules = context.config().rules
    summary = import_paths(context.store(), paths, source_name=args.name, rules=rules)
    for line in summary.notices:
        print(line, file=sys.stderr)
    print(summary.line())
    return 0


def cmd_refresh(context: Context, args: argparse.Namespace) -> int:
    from tui.progress import run_refresh

    return run_refresh(context.config(), context.store(), args.source)


def cmd_search(context: Context, args: argparse.Namespace) -> int:
    from tui.store.search import search

    result = search(context.store(), args.query, limit=args.limit)
    if result.notice:
        print(f"newsdesk: {result.notice}", file=sys.stderr)
    if args.json:
        print(json.dumps([hit.to_json() for hit in result.hits], ensure_ascii=False, indent=2))
        return 0
    from tui.models import MATCH_CLOSE, MATCH_OPEN

    for hit in result.hits:
        print(format_row(hit.row))
        snippet = hit.snippet.replace(MATCH_OPEN, "*").replace(MATCH_CLOSE, "*")
        print(" " * 10 + " ".join(snippet.split()))
    return 0


def cmd_reindex(context: Context, args: argparse.Namespace) -> int:
    context.store().rebuild_index()
    print("search index rebuilt")
    return 0


HANDLERS: dict[str, Callable[[Context, argparse.Namespace], int]] = {
    "paths": cmd_paths,
    "list": cmd_list,
    "show": cmd_show,
    "read": _mark(True),
    "unread": _mark(False),
    "sources": cmd_sources,
    "import": cmd_import,
    "refresh": cmd_refresh,
    "search": cmd_search,
    "reindex": cmd_reindex,
    "feeds": interop_cli.run,
    **rules_cli.HANDLERS,
    **saving_cli.HANDLERS,
}
