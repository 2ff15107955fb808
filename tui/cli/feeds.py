"""`newsdesk feeds ...`: import, export, add and remove subscriptions in the config file.

Each action imports what it needs when it runs, so `newsdesk` starts fast. An `InteropError`
(an unusable input) reaches `tui.cli.main`, which prints it as one line with exit status 2
(1 for an `InteropFailed`: a site that does not answer, a file that cannot be written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.context import Context, Handler, UsageError, check_folder, out, say, warn
from tui.cli.parser import CommandFactory, subcommands
from tui.interop import InteropError
from tui.models import SourceKind
from tui.text import plural
from tui.weburl import without_password

if TYPE_CHECKING:
    from tui.interop.config_edit import ImportReport
    from tui.interop.newsboat import KeptReport


def add_parsers(command: CommandFactory) -> None:
    """Add the `feeds` command group to the `newsdesk` parser."""
    feeds = command("feeds", "import, export, add and remove feeds in the config file")
    action = subcommands(feeds, "feeds_command")
    _import_arguments(action("import", "add the feeds of an OPML file (or newsboat's urls file)"))
    exporter = action("export", "write the web feeds as OPML 2.0 (to stdout without FILE)")
    exporter.add_argument("file", nargs="?", metavar="FILE.opml")
    adder = action("add", "find the feed of a site or feed URL, check it and add it")
    adder.add_argument("url", metavar="URL")
    adder.add_argument("--name", metavar="N", help="source name (default: the feed's title)")
    adder.add_argument("--tag", action="append", default=[], metavar="T", help="repeatable")
    adder.add_argument(
        "--local",
        action="store_true",
        help="with a [sync] server: subscribe in feeds.toml, not on the server",
    )
    remover = action(
        "remove",
        "remove a source from the config (or unsubscribe on the [sync] server) and forget its "
        "cached articles; its saved ones stay, each until unsaved",
    )
    remover.add_argument("name", metavar="NAME")


def _import_arguments(importer: argparse.ArgumentParser) -> None:
    importer.add_argument("file", nargs="?", metavar="FILE", help="FILE.opml, or the urls file")
    importer.add_argument(
        "--newsboat",
        action="store_true",
        help="FILE is newsboat's urls file (default: ~/.newsboat/urls, ~/.config/newsboat/urls)",
    )
    importer.add_argument(
        "--cache-db",
        metavar="PATH",
        help="newsboat's cache.db: feed titles, read state, and flagged items to keep as saved "
        "(default: the one beside the urls file, or in ~/.local/share/newsboat/)",
    )
    importer.add_argument("--dry-run", action="store_true", help="show what would be added")


def run(context: Context, args: argparse.Namespace) -> int:
    """Run one `feeds` action."""
    return ACTIONS[args.feeds_command](context, args)


def _import(context: Context, args: argparse.Namespace) -> int:
    from tui.interop.newsboat import cache_db_beside, default_urls_path, import_newsboat
    from tui.interop.opml import is_opml
    from tui.interop.subscriptions import import_subscriptions

    config_path = context.paths.config
    cache_db = None
    if args.newsboat:
        urls = Path(args.file).expanduser() if args.file else default_urls_path()
        if not args.file and not urls.exists():  # both places looked in, not the last alone
            raise InteropError(
                f"no newsboat urls file in {Path('~/.newsboat/urls').expanduser()} "
                f"or {urls}: name it (feeds import --newsboat FILE)"
            )
        if is_opml(urls):  # each of its lines would be skipped as no feed URL
            raise InteropError(f"{urls} is OPML: drop --newsboat")
        cache_db = Path(args.cache_db).expanduser() if args.cache_db else cache_db_beside(urls)
        if cache_db and not args.cache_db:
            out(f"reading titles and read state from {cache_db}")
        report = import_newsboat(config_path, urls, cache_db=cache_db, dry_run=args.dry_run)
    else:
        if not args.file:
            raise InteropError("feeds import needs FILE.opml (or --newsboat [URLS_FILE])")
        if args.cache_db:
            raise InteropError("--cache-db goes with --newsboat")
        path = Path(args.file).expanduser()  # a urls file too: its feeds alone, as in the app
        report = import_subscriptions(config_path, path, dry_run=args.dry_run)
    _print_report(report, config_path, args.dry_run)
    if cache_db is not None and not args.dry_run:
        _carry_cache_db(context, cache_db)
    return 0


def _print_report(report: ImportReport, config_path: Path, dry_run: bool) -> None:
    for name in report.added:
        out(f"+ {name}")
    for line in report.skipped:
        out(f"skipped: {line}")
    for line in report.notices:
        out(f"note: {line}")
    verb = "would add" if dry_run else "added"
    count = len(report.added)
    out(f"{verb} {plural(count, 'feed')} to {config_path}", end="")
    out(f" ({len(report.skipped):,} skipped)" if report.skipped else "")
    if count and not dry_run:
        out("run `newsdesk refresh` to fetch them")


def _carry_cache_db(context: Context, cache_db: Path) -> None:
    """newsboat's read state and flagged items, into the cache."""
    from tui.interop.newsboat import apply_read_state, keep_flagged
    from tui.refresh.known import sync_sources, told
    from tui.stories.grouping import settle_intake

    store, config = context.store(), context.config()
    # The feeds just added: their read state waits (and a rename made by hand is told).
    for line in told(sync_sources(config, store), config):
        out(line)
    result = apply_read_state(store, cache_db)
    if result.marked or result.remembered:  # nothing new (an import run again): not said
        out(
            f"marked {plural(result.marked, 'article')} read from newsboat "
            f"({plural(result.matched_feeds, 'feed')})"
        )
    if result.remembered:
        out(
            f"{plural(result.remembered, 'more item')} read or deleted in newsboat, not fetched "
            "yet: marked read as `newsdesk refresh` brings them"
        )
    kept = keep_flagged(store, cache_db)
    _print_kept(kept)
    if notice := settle_intake(store, kept.new_ids):
        say(f"note: {notice}")


def _print_kept(kept: KeptReport) -> None:
    if kept.kept:
        out(
            f"saved {plural(kept.kept, 'article')} flagged in newsboat, tagged flag-X for flag X "
            f"({len(kept.new_ids):,} with newsboat's copy of the text)"
        )
    if kept.archived:
        out(
            "feeds no longer in the urls file, kept as removed sources (each goes with its "
            f"last saved article): {', '.join(map(repr, kept.archived))}"
        )
    if kept.deleted:
        out(
            f"note: {plural(kept.deleted, 'flagged item')} deleted in newsboat not saved "
            "(deleted items arrive read)"
        )


def _export(context: Context, args: argparse.Namespace) -> int:
    from tui.interop.opml import export_opml, unexported, write_opml

    config = context.config()
    if not args.file:  # UTF-8, as its declaration says, whatever the locale's encoding
        _say_unexported(unexported(config))
        sys.stdout.flush()
        sys.stdout.buffer.write(export_opml(config).encode("utf-8"))
        return 0
    target = Path(args.file).expanduser()
    check_folder(target, "FILE")
    count, local = write_opml(target, config)
    _say_unexported(local)
    out(f"exported {plural(count, 'feed')} to {target}")
    return 0


def _say_unexported(local: list[str]) -> None:
    if local:
        say(f"note: local sources are not exported: {', '.join(local)}")


def _add(context: Context, args: argparse.Namespace) -> int:
    from tui.interop.discover import add_feed, refuse_unsafe

    _refuse_path(args.url)
    refuse_unsafe(args.url)  # before a [sync] server is sent it
    config = context.config()
    if config.sync is not None and not args.local:
        from tui.cli.sync import subscribe

        if args.name or args.tag:  # refused before the server is asked: nothing half done
            raise UsageError(
                "--name and --tag do not apply with a [sync] server (its feeds take the "
                "server's titles and categories): drop them, or add --local for feeds.toml"
            )
        return subscribe(context, config, args.url)

    config_path = context.paths.config
    import asyncio  # not loaded for the commands that never run it

    report = asyncio.run(add_feed(config_path, args.url, name=args.name, tags=args.tag))
    title = f"{report.title!r}" if report.title else "an untitled feed"
    if report.instead:  # a mistyped feed URL: the site's other feed is no surprise
        warn(f"note: {report.instead}; added the site's feed found instead")
    articles = plural(report.articles, "article")
    out(f"found {title}: {without_password(report.url)} ({articles}; via {report.via})")
    if report.renamed:
        warn(f"note: {report.renamed}")
    out(f"added {report.name!r} to {config_path}; run `newsdesk refresh` to fetch it")
    return 0


def _refuse_path(typed: str) -> None:
    """A file or folder is no feed to discover: say the two ways a local source is read
    (a user who knows `feeds add` and not `import` was told "not a web address")."""
    path = Path(typed).expanduser()
    if not path.exists():
        return
    import json  # a TOML basic string: JSON's escapes are TOML's
    import shlex

    entry = f"path = {json.dumps(str(path.resolve()), ensure_ascii=False)}"
    raise InteropError(
        f"{typed!r} is a local file or folder, not a web address: `newsdesk import "
        f"{shlex.quote(typed)}` reads it once; for every refresh, give it a [[sources]] "
        f"table with a name and `{entry}`"
    )


def _remove(context: Context, args: argparse.Namespace) -> int:
    from tui.interop.config_edit import remove_source
    from tui.refresh.known import follow_config

    config, name = context.config(), args.name
    # The config's renames first: a source renamed there is not forgotten by its old name.
    for line in follow_config(context.store(), config):
        out(line)
    listed = config.source(name) is not None
    if not listed and _cached_kind(context, name) in (None, SourceKind.SYNC):
        if config.sync is not None:
            from tui.cli.sync import unsubscribe

            return unsubscribe(context, config, name)
        remove_source(context.paths.config, name)  # says there is no such source
    if listed:
        removed = remove_source(context.paths.config, name)
        out(f"removed {removed.name!r} ({without_password(removed.location)}) from {config.path}")
    from tui.offline.media import downloads, remove_unwanted

    store = context.store()
    forgotten = store.forget_source(name)
    if forgotten is not None:
        if names := downloads(store.path.parent):  # its downloads go too
            remove_unwanted(store.path.parent, names, store.enclosure_urls())
        deleted, kept = forgotten
        out(f"forgot its {plural(deleted, 'cached article')}", end="")
        out(f"; kept {plural(kept, 'saved article')} (and the source with them)" if kept else "")
    return 0


def _cached_kind(context: Context, name: str) -> SourceKind | None:
    """The kind of the cache's source named `name` (None if the cache has none)."""
    state = context.store().source_state(name)
    return None if state is None else state.kind


ACTIONS: dict[str, Handler] = {"import": _import, "export": _export, "add": _add, "remove": _remove}
HANDLERS: dict[str, Handler] = {"feeds": run}
