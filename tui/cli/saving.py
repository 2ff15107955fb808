"""`save`, `unsave`, `saved` and `export`: articles kept whole for offline reading."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

from tui.cli.context import (
    Context,
    Failed,
    Handler,
    UsageError,
    check_folder,
    check_ids,
    check_query,
    format_row,
    out,
    print_json,
    say,
    say_cut,
    warn,
)
from tui.cli.parser import CommandFactory, article_id, positive_int
from tui.models import SAVED_INCOMPLETE, ArticleRow
from tui.store import Store
from tui.text import plural

if TYPE_CHECKING:
    from tui.cli.progress import ExportSteps
    from tui.offline.export import Format

EXPORT_LIMIT = 1000
"""How many search results `export QUERY` takes at most (unless --limit says otherwise)."""
EXPORT_COUNT_CAP = 100_000
"""Matches counted at most to say how many an export's limit left out: beside the export,
the count costs nothing (20,000 matches: ~7 ms)."""


def add_parsers(command: CommandFactory) -> None:
    """Add the saving and export commands to the `newsdesk` parser."""
    save = command("save", "save articles for offline reading (fetches their full web pages)")
    save.add_argument("ids", type=article_id, nargs="+", metavar="ID")
    save.add_argument(
        "--again", action="store_true", help="fetch the pages again, also those saved before"
    )
    remove = command("unsave", "remove the saved flag and the saved page (the feed's text stays)")
    remove.add_argument("ids", type=article_id, nargs="+", metavar="ID")
    listing = command("saved", "list saved articles and whether their full text is stored")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    exporter = command("export", "export saved articles (or a search) as md, html or epub")
    exporter.add_argument(
        "query", nargs="?", metavar="QUERY", help="a search query (default: all saved articles)"
    )
    exporter.add_argument("--format", choices=("md", "html", "epub"), required=True, dest="fmt")
    exporter.add_argument(
        "--output", required=True, metavar="PATH", help="folder (md) or file; - for stdout"
    )
    exporter.add_argument(
        "--limit",
        type=positive_int,
        metavar="N",
        help=f"at most N articles (a search's first {EXPORT_LIMIT:,} without it)",
    )


SAVE_INTERRUPTED = (
    "the articles stay saved; the pages not fetched yet stay pending, fetched at the next refreshes"
)


def cmd_save(context: Context, args: argparse.Namespace) -> int:
    from tui.offline.saving import UNWRITTEN, save_articles

    store = context.store()
    check_ids(store, args.ids)
    config, cache = context.config(), context.paths.cache
    coro = save_articles(config, store, args.ids, cache_dir=cache, again=args.again)
    import asyncio  # not loaded for the commands that never run it

    try:
        report = asyncio.run(coro)
    except KeyboardInterrupt:  # ctrl+c, `kill`: the flags are written first
        warn(f"interrupted: {SAVE_INTERRUPTED}")
        raise
    for result in report.results:
        outcome = "full text saved" if result.ok else f"saved with feed text only: {result.state}"
        if result.kept:
            outcome = f"kept the copy saved before: {result.kept}"
        if result.from_feed:
            outcome += " (the feed's own: the whole article)"
        if result.unwritten:
            outcome += f"; {plural(result.unwritten, 'image')} {UNWRITTEN}"
        out(f"{result.id:>7} {outcome}")
    for whole in report.already:
        out(f"{whole:>7} already saved (full text)")
    if report.results or not report.already:
        fetched = report.line() if report.results else "nothing to fetch"
        out(f"saved {plural(len(set(args.ids)), 'article')}; {fetched}")
    # Offline, the articles are not whole: a script saving them for a flight must know.
    if unanswered := [result for result in report.results if result.unanswered]:
        pages = f"{plural(len(unanswered), 'page')} not fetched: no answer ({unanswered[0].state})"
        later = "their articles are saved with the feed's text, the pages tried again at later"
        raise Failed(f"{pages}; {later} refreshes")
    return 0


def cmd_unsave(context: Context, args: argparse.Namespace) -> int:
    from tui.offline.saving import unsave

    store = context.store()
    check_ids(store, args.ids)
    for name, (deleted, kept) in unsave(store, args.ids).forgotten.items():
        gone = "; the source went with its last saved article" if not kept else ""
        out(f"forgot {plural(deleted, 'article')} of the removed source '{name}'{gone}")
    return 0


def cmd_saved(context: Context, args: argparse.Namespace) -> int:
    rows = context.store().saved_rows()
    if args.json:
        objects = [{**row.to_json(), "save_state": state} for row, state in rows]
        print_json(objects)
        return 0
    for row, state in rows:
        out(format_row(row, after=f"  [{_state_label(state)}]"))
    return 0


def _state_label(state: str | None) -> str:
    if state == "ok":
        return "full text"
    if state is None or state == "pending":
        return "pending"
    if state.startswith(SAVED_INCOMPLETE):  # its text, not all of its pictures
        return state
    return f"feed text only: {state}"


def cmd_export(context: Context, args: argparse.Namespace) -> int:
    from tui.cli.progress import ExportSteps
    from tui.offline.export import ExportError, ExportFailed, Format, export

    to_stdout = args.output == "-"
    if to_stdout and args.fmt == "md":
        raise UsageError("--output -: a Markdown export is a folder of files; give a folder")
    output = Path(args.output).expanduser()
    if not to_stdout:
        check_folder(output, "--output")
    store = context.store()
    rows = _export_rows(store, args.query, args.limit)
    if not rows:
        what = f"no articles match {args.query!r}" if args.query else "no saved articles"
        raise Failed(f"nothing to export: {what}")
    fmt, steps = cast(Format, args.fmt), ExportSteps()
    try:
        with steps.drawn():
            if to_stdout:
                return _export_to_stdout(store, rows, fmt, context.paths.cache, steps)
            result = export(store, rows, fmt, output, context.paths.cache, steps)
    except KeyboardInterrupt:  # ctrl+c, `kill`: the files written stay (told once drawn over)
        where = "stdout" if to_stdout else output
        warn(f"interrupted: {steps.written:,} of {len(rows):,} articles exported to {where}")
        raise
    except ExportFailed as exc:
        raise Failed(str(exc)) from None
    except ExportError as exc:  # an output of the wrong kind
        raise UsageError(str(exc)) from None
    where = output if args.fmt != "md" else f"{output}/ ({plural(len(result.paths), 'file')})"
    out(f"exported {plural(result.articles, 'article')} to {where}")
    if args.query:
        _say_left_out(store, args.query, len(rows), args.limit or EXPORT_LIMIT)
    return 0


def _say_left_out(store: Store, query: str, exported: int, limit: int) -> None:
    """`1,000 of 20,000 exported: --limit N for more`, once they are."""
    say_cut(
        exported,
        limit,
        lambda cap: store.search_count(query, limit=cap),
        cap=EXPORT_COUNT_CAP,
        done="exported",
    )


def _export_to_stdout(
    store: Store, rows: list[ArticleRow], fmt: Format, cache: Path, steps: ExportSteps
) -> int:
    """The HTML page or EPUB book on stdout (made whole first, in a folder of its own), what
    it holds said on stderr."""
    import tempfile

    from tui.offline.export import export

    with tempfile.TemporaryDirectory(prefix="newsdesk-export-") as folder:
        result = export(store, rows, fmt, Path(folder) / f"export.{fmt}", cache, steps)
        sys.stdout.flush()
        sys.stdout.buffer.write(result.paths[0].read_bytes())
    say(f"exported {plural(result.articles, 'article')} to stdout")
    return 0


def _export_rows(store: Store, query: str | None, limit: int | None) -> list[ArticleRow]:
    """The saved articles (the first `limit` of them as `saved` lists them, when given), or
    a search's first `limit` (1,000 by default); an empty query is refused, as in `search`."""
    if query is None:
        saved = [row for row, _ in store.saved_rows()]
        if limit is not None:
            say_cut(min(limit, len(saved)), limit, lambda cap: len(saved), done="exported")
        return saved[:limit]
    limit = limit or EXPORT_LIMIT
    check_query(query)
    result = store.search(query, limit=limit)
    if result.notice:
        warn(result.notice)
    return [hit.row for hit in result.hits]


HANDLERS: dict[str, Handler] = {
    "save": cmd_save,
    "unsave": cmd_unsave,
    "saved": cmd_saved,
    "export": cmd_export,
}
