"""`paths`, `sources`, `import` and `refresh`: where things are and what feeds the cache."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cells import ellipsized, pad_to_cells
from tui.cli.context import (
    USAGE_ERROR,
    Context,
    Handler,
    UsageError,
    no_sources,
    out,
    print_json,
    printed,
    say,
    warn,
)
from tui.cli.parser import CommandFactory
from tui.models import SourceKind
from tui.names import name_order
from tui.paths import platform_config

if TYPE_CHECKING:
    from collections.abc import Mapping

    from tui.config import Config
    from tui.models import SourceState

NAME_CELLS = 24
"""The width of `sources`' name column: a longer name is cut with `…`."""


def add_parsers(command: CommandFactory) -> None:
    """Add the source commands to the `newsdesk` parser."""
    command("paths", "print which config file and cache are in use")
    sources = command("sources", "list sources with unread counts and their last refresh")
    sources.add_argument("--json", action="store_true", help="print a JSON array")
    importer = command("import", "import local files or folders without editing the config")
    importer.add_argument("paths", nargs="+", metavar="PATH")
    importer.add_argument("--name", help="source name (default: the folder's name or Imported)")
    refresh = command("refresh", "fetch web feeds and re-read local sources")
    refresh.add_argument(
        "--source", action="append", metavar="NAME", help="only this source (repeatable)"
    )


def cmd_paths(context: Context, args: argparse.Namespace) -> int:
    paths = context.paths
    exists = "" if paths.config.exists() else " (missing: no sources)"
    out(f"config: {paths.config}{exists}  [{paths.config_origin}]")
    out(f"cache:  {paths.cache}  [{paths.cache_origin}]")
    out(f"database: {paths.database}")
    out(
        "lookup: --config PATH, else $NEWSDESK_CONFIG, else ./feeds.toml, else "
        f"{platform_config()} (written with the bundled feeds when missing); "
        "the cache: --cache DIR, else $NEWSDESK_CACHE, else cache/ beside the config"
    )
    return _config_checked(context) if paths.config.exists() else 0


def _config_checked(context: Context) -> int:
    """`paths` is where one checks a config: each mistake in it is told in a line, as
    `refresh` and the TUI tell it, and is exit status 2, also one the others go on without
    (a broken rule, a `[keys]` entry, an unknown theme); notes alone are exit status 0.
    (The reading commands, which need only the cache, never read the config.)"""
    from tui.config import ConfigError

    try:
        config = context.config()
    except ConfigError as exc:
        warn(str(exc))
        return USAGE_ERROR
    ui_mistakes, ui_notes = _ui_lines(config)
    mistakes = [*config.skipped, *ui_mistakes]
    for line in (*mistakes, *config.notes, *ui_notes, *_unlisted(context, config)):
        warn(line)
    return USAGE_ERROR if mistakes else 0


def _unlisted(context: Context, config: Config) -> list[str]:
    """The sources renamed in the config that the next refresh follows, and those deleted
    from it by hand whose articles the cache keeps, as a refresh tells them (nothing when
    there is no cache yet, or it cannot be read)."""
    from tui.refresh.known import foreseen
    from tui.store import StoreError

    if not context.paths.database.exists():
        return []
    try:
        return foreseen(context.store(), config)
    except StoreError:
        return []  # `paths` checks the config; the cache's troubles are the commands' to tell


def _ui_lines(config: Config) -> tuple[list[str], list[str]]:
    """The `[keys]` entries and the theme the TUI could not use, and its notes on `[keys]`
    (an earlier binding id), told by the TUI's own check: the app's bindings, Textual's key
    names, its keymap and its themes. Its imports (~0.25 s) are the one load of Textual by a
    command, for a config naming keys or a theme (a copy of the bindings and of Textual's
    rules as data would drift from both)."""
    from tui.settings import Settings

    if not config.keys and config.settings.theme == Settings().theme:
        return [], []
    from tui.ui.app import config_checked

    _, mistakes, notes = config_checked(config)
    return mistakes, notes


def cmd_sources(context: Context, args: argparse.Namespace) -> int:
    from tui.refresh.known import configured

    config = _config_or_say_why(context)
    store = context.store()
    states = store.sources()
    listed = None if config is None else store.unsettled_sources(configured(config)).named
    if config is not None and listed is not None:
        states = sorted([*states, *_awaited(config, listed)], key=lambda s: name_order(s.name))
    if not states and (line := no_sources(context)):
        warn(line)
    if args.json:
        print_json(
            [
                {
                    **s.to_json(),
                    "in_config": in_config(listed, s),
                    "enabled": _enabled(config, listed, s),
                }
                for s in states
            ]
        )
        return 0
    from tui.dates import failing_text  # email.utils: the plain lines alone need it

    now = datetime.now().astimezone()
    for state in states:
        status = (
            "dead (410 Gone)" if state.dead else (f"error: {state.error}" if state.error else "ok")
        )
        if state.error and state.failing_since:
            status += f"; {failing_text(state.failing_since, now)}"
        if state.checked_at is None:
            status = "never refreshed"
        enabled = _enabled(config, listed, state)
        if state.id == AWAITED and enabled:
            status += " (newsdesk refresh brings it)"
        if enabled is False:
            status += ", disabled"
        if in_config(listed, state) is False:
            status += ", not in the config"
        elif listed and listed.get(state.id, state.name) != state.name:
            status += f", {listed[state.id]!r} in the config (the next refresh follows it)"
        retry = _next_try(state, now) if state.error and _retried(config, state.name) else ""
        name = pad_to_cells(ellipsized(printed(state.name), NAME_CELLS), NAME_CELLS)
        out(f"{name} {state.unread:>5,} unread / {state.total:<6,} {status}{retry}")
    return 0


AWAITED = 0
"""The id of a source the config names and the cache does not hold yet (no article has one)."""


def _awaited(config: Config, listed: Mapping[int, str]) -> list[SourceState]:
    """The config's sources no refresh has brought into the cache yet (just added to
    feeds.toml): `sources` is where one looks after an edit, so they are listed at once."""
    from tui.models import SourceState
    from tui.refresh.known import configured

    cached, kinds = set(listed.values()), configured(config)
    return [
        SourceState(AWAITED, s.name, SourceKind(kinds[s.name][0]), s.location, s.tags, 0, 0)
        for s in config.sources
        if s.name not in cached
    ]


def _enabled(
    config: Config | None, listed: Mapping[int, str] | None, state: SourceState
) -> bool | None:
    """Whether the config's source is refreshed (not `enabled = false`; a server's feed
    is); None when the config does not name it (or cannot be read)."""
    if config is None or listed is None or not in_config(listed, state):
        return None
    source = config.source(listed.get(state.id, state.name))
    return True if source is None else source.enabled


def in_config(listed: Mapping[int, str] | None, state: SourceState) -> bool | None:
    """Whether the config names the source (`listed`: the stored sources it names, by id:
    one renamed there too; a server's feed is the `[sync]` table's); None when the config
    cannot be read."""
    if listed is None:
        return None
    return state.kind is SourceKind.SYNC or state.id in listed or state.id == AWAITED


def _config_or_say_why(context: Context) -> Config | None:
    """The config; `sources` is where one looks after editing it, so a mistake in it is told
    (and the cache's sources are listed all the same)."""
    from tui.config import ConfigError

    try:
        return context.config()
    except ConfigError as exc:
        warn(f"{exc} (listed: the sources in the cache)")
        return None


def _next_try(state: SourceState, now: datetime) -> str:
    """`, next try 2026-12-04 22:00` (or `at the next refresh`), as the sources pane says it."""
    from tui.refresh.schedule import next_try_text

    said = next_try_text(state, now.timestamp())
    return f", {said}" if said else ""


def _retried(config: Config | None, name: str) -> bool:
    """Whether a failed source's next try is to come: not when automatic refresh is off for
    it (a refresh asked for tries at once)."""
    from tui.refresh.schedule import refreshes_itself

    return config is None or refreshes_itself(config, name)


def cmd_import(context: Context, args: argparse.Namespace) -> int:
    from tui.refresh.importing import NameTaken, import_paths

    paths = [Path(p).expanduser().resolve() for p in args.paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {missing[0]}")
    rules, stored = context.config().rules, list[int]()
    try:
        summary = import_paths(
            context.store(), paths, source_name=args.name, rules=rules, stored=stored.append
        )
    except NameTaken as exc:
        raise UsageError(str(exc)) from None
    except KeyboardInterrupt:  # ctrl+c, `kill`: the articles are stored in one transaction
        warn(f"interrupted: {_import_cut(stored)}")
        raise
    for line in summary.notices:
        say(line)
    out(summary.line())
    return 0


def _import_cut(stored: list[int]) -> str:
    """What an interrupted import did: all of it, or nothing (one transaction)."""
    from tui.text import plural

    if not stored:
        return "nothing was imported; run import again"
    new = plural(stored[0], "new article")
    return f"{new} imported; only grouping them into stories was cut short"


def cmd_refresh(context: Context, args: argparse.Namespace) -> int:
    from tui.cli.progress import run_refresh

    # Named by --config or $NEWSDESK_CONFIG, and mistyped: said as every command says it,
    # and refused (a cron line would fetch nothing, every time, into a new empty cache).
    if missing := context.paths.missing_config("nothing to refresh"):
        raise UsageError(missing)
    config, store = context.config(), context.store()
    for name in args.source or ():
        _refuse_imported(config, store.source_state(name))
    return run_refresh(config, store, args.source)


def _refuse_imported(config: Config, state: SourceState | None) -> None:
    """A source `sources` lists that `newsdesk import` made: no refresh reads it (the config
    does not name it), the import run again does. It was "no source named 'X'"."""
    if state is None or state.kind is not SourceKind.LOCAL or config.source(state.name):
        return
    import shlex

    from tui.refresh.importing import located_paths

    again = " ".join(shlex.quote(path) for path in located_paths(state.location))
    raise UsageError(
        f"{state.name!r} is an imported source, not one of {config.path}'s: "
        f"`newsdesk import {again} --name {shlex.quote(state.name)}` reads it again"
    )


HANDLERS: dict[str, Handler] = {
    "paths": cmd_paths,
    "sources": cmd_sources,
    "import": cmd_import,
    "refresh": cmd_refresh,
}
