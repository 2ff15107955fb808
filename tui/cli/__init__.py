"""The command line: parses arguments and calls the same functions as the TUI.

Every error is one line on stderr, with one rule for the exit status: 1 when the work could
not be done (a read-only or full cache, a server that does not answer, nothing stored or to
export), 2 when the command line or the config is wrong. `--help` works on every command.
Each command group lives in its own module (articles, sources, rules, saving, feeds) with
its arguments and handlers; `main` dispatches through one table.
"""

from __future__ import annotations

import gc
import importlib
import io
import os
import sys
from collections.abc import Sequence
from types import ModuleType, SimpleNamespace
from typing import TYPE_CHECKING

from tui import __version__
from tui.cli.context import (
    BROKEN_PIPE,
    FAILED,
    LIMIT,
    USAGE_ERROR,
    Context,
    Failed,
    Handler,
    UsageError,
    silence,
    tolerate_encoding,
    warn,
)
from tui.paths import BESIDE_CONFIG, Paths, resolve_paths
from tui.signals import ENDING_GRACE, interrupted_status, stopping_as_ctrl_c
from tui.starter import UNWRITTEN, ensure_starter
from tui.store import InvalidQuery, StoreError

if TYPE_CHECKING:
    import argparse

    from tui.cli.parser import OneLineParser

GROUPS = ("articles", "sources", "rules", "saving", "feeds", "sync")
"""The command group modules of `tui.cli`, each with `add_parsers` and `HANDLERS`."""


def groups(command: str | None = None) -> list[ModuleType]:
    """The group modules, imported; with `command`, only the one that has it (when one does):
    a command imports and parses only what it uses (`search` loads no sync or feed code).
    "" (no command: the TUI) needs none."""
    if command == "":
        return []
    loaded = []
    for name in GROUPS:
        group = importlib.import_module(f"tui.cli.{name}")
        if command in group.HANDLERS:
            return [group]
        loaded.append(group)
    return loaded


def build_parser(command: str | None = None) -> OneLineParser:
    """The `newsdesk` parser with every command, or with `command`'s group only."""
    from tui.cli.parser import OneLineParser, common_options, subcommands

    parser = OneLineParser(
        prog="newsdesk",
        parents=[common_options()],
        description="A terminal news browser. With no command, opens the TUI.",
    )
    parser.add_argument("--version", action="version", version=f"newsdesk {__version__}")
    add = subcommands(parser, "command")
    for group in groups(command):
        group.add_parsers(add)
    return parser


def handler_of(command: str | None) -> Handler:
    """What runs `command` (the TUI when there is none)."""
    if not command:
        return run_tui
    handler: Handler = next(g.HANDLERS[command] for g in groups(command) if command in g.HANDLERS)
    return handler


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsdesk` command; returns the exit status."""
    tolerate_encoding()
    try:
        args = _as_typed(_parse(list(sys.argv[1:] if argv is None else argv)))
    except SystemExit as exc:  # --help, --version and usage errors (already printed)
        return exc.code if isinstance(exc.code, int) else USAGE_ERROR
    paths = resolve_paths(getattr(args, "config", None), getattr(args, "cache", None))
    starter = ensure_starter(paths)
    held = _held(starter, paths)
    if starter and not held:
        warn(starter)
    if paths.cache_origin == BESIDE_CONFIG and args.command not in _SAY_SO:
        if missing := paths.missing_config():  # a mistyped path's new empty cache is not
            warn(missing)  # taken for the feeds' own
    context = Context(paths, starter)
    handler = handler_of(args.command)
    try:
        with stopping_as_ctrl_c():
            status = handler(context, args)
        sys.stdout.flush()  # a closed pipe fails here, not in the interpreter's last flush
        return status
    except _failures() as exc:
        warn(_after(held, str(exc)))
        held = None
        return _status_of(exc)
    except KeyboardInterrupt:
        return interrupted_status()
    except BrokenPipeError:
        return _reader_went_away()
    except OSError as exc:  # a file or folder refused what the command needed of it
        warn(_after(held, f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc)))
        held = None
        return FAILED
    finally:
        if held:
            warn(held)
        context.close()


def _held(starter: str | None, paths: Paths) -> str | None:
    """The starter config's failure, when the cache goes in the same folder: told once the
    command is done, so that the cache's failure there (the same cause) joins it in one line."""
    if starter and starter.startswith(UNWRITTEN) and paths.cache_origin == BESIDE_CONFIG:
        return starter
    return None


def _after(held: str | None, error: str) -> str:
    """`error`, preceded by the starter config's failure when one was held."""
    return f"{held}; {error}" if held else error


_SAY_SO = ("", "paths", "feeds", "refresh")
"""Commands that tell of a missing config themselves: the TUI (its status line) and `paths`;
`feeds` writes the file; `refresh` refuses to run."""


def _failures() -> tuple[type[Exception], ...]:
    """The errors a command reports in one line; the config's and interop's classes are looked
    up only when something failed: `search` and `list` do not load their modules."""
    from tui.config import ConfigError
    from tui.interop import InteropError

    return UsageError, Failed, StoreError, ConfigError, InteropError


def _status_of(exc: Exception) -> int:
    """1 when the work could not be done (the cache, the network, the disk), 2 when what was
    asked is wrong (the command line, the config, an input file that is not one)."""
    from tui.interop import InteropFailed

    if isinstance(exc, StoreError):
        return USAGE_ERROR if isinstance(exc, InvalidQuery) else FAILED
    return FAILED if isinstance(exc, Failed | InteropFailed) else USAGE_ERROR


def _reader_went_away() -> int:
    """`newsdesk list | head`: stop quietly, as other Unix tools do, with the status of a
    process ended by SIGPIPE; stdout goes to /dev/null so the final flush cannot fail again."""
    silence(sys.stdout)
    return BROKEN_PIPE


def _parse(argv: list[str]) -> argparse.Namespace | SimpleNamespace:
    """The parsed command line; a query may start with `-` (`newsdesk search -draft`), which
    argparse alone would take for an unknown option."""
    plain = _plain_search(argv)
    if plain is not None:
        return plain
    from tui.cli.parser import command_word, query_words

    parser = build_parser(command_word(argv))
    # argparse reads `-health` as `-h` given "ealth", and refuses it: such a word goes in
    # as a word (its leading space is read as nothing by the query; `-h` alone is help).
    argv = [f" {word}" if _h_word(word) else word for word in argv]
    args, extra = parser.parse_known_args(argv)
    if extra and hasattr(args, "query") and query_words(extra):
        after = argv[argv.index(args.command) + 1 :]
        args.query = " ".join(word for word in after if word in extra or word == args.query)
    elif extra:  # before any command (the TUI's): a command's own are refused by its parser
        parser.unrecognized(extra)
    return args


_TYPED = ("query", "source", "search", "name", "url", "tag")
"""Arguments that are text to look for or to store, not paths."""


def _as_typed(args: argparse.Namespace | SimpleNamespace) -> argparse.Namespace | SimpleNamespace:
    """Text arguments as typed: where the locale could not decode one (`LC_ALL=C
    PYTHONUTF8=0`: `café` arrives as escaped bytes, which SQLite refuses), its bytes are
    read as UTF-8. Paths keep their bytes: they name files as they are."""
    for key in _TYPED:
        value = getattr(args, key, None)
        if isinstance(value, str):
            setattr(args, key, _utf8(value))
        elif isinstance(value, list):
            setattr(args, key, [_utf8(word) for word in value])
    return args


def _utf8(word: str) -> str:
    try:
        return word.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a lone surrogate no decoding made: the sanitizer's business
        return word


def _h_word(word: str) -> bool:
    """A word starting with `-h` that is not the help option: `-health`, `-horoscope`."""
    return word.startswith("-h") and len(word) > 2 and not word.startswith("-h=")


def _plain_search(argv: list[str]) -> SimpleNamespace | None:
    """`newsdesk search WORD...` (maybe with `--json`) as argparse reads it, without building a
    parser: importing argparse and gettext, six commands' parsers and gettext's look-up of
    every help string were 4.4-5.0 ms CPU of such a search (load 9). Anything else (another
    option, a word starting with `-`, no word) goes to argparse."""
    if argv[:1] != ["search"]:
        return None
    words = [word for word in argv[1:] if word != "--json"]
    if not words or any(word.startswith("-") for word in words):
        return None
    as_json = len(words) < len(argv) - 1
    return SimpleNamespace(command="search", query=" ".join(words), limit=LIMIT, json=as_json)


def run_tui(context: Context, args: argparse.Namespace) -> int:
    """Open the TUI on the cache; a config error is shown inside it instead of refusing to start."""
    if not_terminals := _not_terminals() or _dumb_terminal():
        warn(
            f"the reader needs a terminal ({not_terminals}); "
            "run a command, e.g. `newsdesk refresh`, or see --help"
        )
        return USAGE_ERROR
    _draw_in_utf8()
    # No cyclic collections while the UI loads (`Starting` resumes them once the first screen
    # is filled in): what loading makes is nearly all kept, and scanning it again and again
    # took 38-74 ms of a 0.45-0.7 s start at 100k (137 young, 12 middle, one full pass).
    gc.disable()
    try:
        return _open_tui(context)
    finally:
        gc.enable()


def _not_terminals() -> str:
    """Which of the TUI's streams are no terminal ("" when all are): keys come from stdin,
    Textual draws on stderr, and stdout is where the user looks. Without one, a cron line
    missing its command drew escape codes into a file and read keys from nowhere, forever."""
    streams = (("stdin", sys.stdin), ("stdout", sys.stdout), ("stderr", sys.stderr))
    names = [name for name, stream in streams if stream is None or not stream.isatty()]
    if not names:
        return ""
    if len(names) == 1:
        return f"{names[0]} is not one"
    return f"{', '.join(names[:-1])} and {names[-1]} are not"


def _dumb_terminal() -> str:
    """Why the terminal cannot draw a full-screen app ("" when it can): `TERM=dumb` (an
    editor's shell, a serial line) has no cursor movement, and Textual drew there anyway."""
    return "TERM=dumb cannot draw a full-screen app" if os.environ.get("TERM") == "dumb" else ""


def _draw_in_utf8() -> None:
    """Write UTF-8 to the terminal whatever `PYTHONIOENCODING` says: it is for the text a
    script reads (the commands' output), not for what a terminal shows, whose encoding the
    locale gives, UTF-8 in the C locale too. With `ascii` every border was drawn as
    `\\u256d\\u2500`."""
    for stream in (sys.stdout, sys.stderr):  # Textual draws on stderr
        if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower() != "utf-8":
            stream.reconfigure(encoding="utf-8", errors="replace")


def _open_tui(context: Context) -> int:
    """Run the app; its exit status (a signal's, when one ended it)."""
    from tui.config import Config, ConfigError
    from tui.ui import terminal

    config_error = context.paths.missing_config()
    try:
        config = context.config()
    except ConfigError as exc:
        config, config_error = Config(path=context.paths.config), str(exc)
    terminal.ask(config.settings.images)  # answered while the UI loads
    from tui.ui import make_app  # the UI is only imported when it is used

    app = make_app(config, context.store(), config_error=config_error, notice=context.starter)
    with stopping_as_ctrl_c(grace=ENDING_GRACE):  # till the app takes them over, mounted
        app.run()
    return app.return_code or 0
