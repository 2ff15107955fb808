"""The `newsdesk` argument parser: options every command takes, and one-line usage errors.

Each command group module (articles, sources, rules, saving, feeds) adds its own commands with
`add_parsers(command)` and names its handlers in `HANDLERS`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from tui.cli.context import LIMIT, USAGE_ERROR, columns, say

CommandFactory = Callable[[str, str], "OneLineParser"]
"""Adds a command by name and help text (with the common options) and returns its parser."""


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, sized to the terminal without `shutil` (argparse makes one of
    these for every argument added; importing `shutil` for its width was ~1 ms of a search)."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=columns() - 2)

    # argparse has no public way to show an optional positional without its brackets.
    def _format_args(self, action: argparse.Action, default_metavar: str) -> str:
        if isinstance(action, Query):  # needed, though argparse takes it as optional
            return str(action.metavar)
        return super()._format_args(action, default_metavar)


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports errors in one line (no usage dump), naming the command they are
    in (`newsdesk feeds import: ...`) and what was meant where a typo is close to it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        self.commands: list[str] = []
        """The commands (or a group's actions) `subcommands` added under it: none for a
        command's own parser."""
        self.options = [o for parent in kwargs.get("parents", ()) for o in parent.options]
        """Its option strings, for the one meant by a typo (`unrecognized`)."""
        super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        action = super().add_argument(*args, **kwargs)
        self.options += action.option_strings
        return action

    def error(self, message: str) -> NoReturn:
        say(f"{self.prog}: {message}")  # cleaned: the words in it are the user's
        raise SystemExit(USAGE_ERROR)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: Any = None
    ) -> tuple[argparse.Namespace, list[str]]:
        """A command not among the choices is refused first, in one line with the one meant
        (argparse's listed every command, 241 characters, and no usage). A command's words
        it has no place for are refused here, where its name is known. A query's words
        starting with `-` (`search story -draft`) go back to be joined in."""
        word = command_word(args or ())
        if self.commands and word and word not in self.commands:
            self.error(_no_command(self.prog, word, self.commands))
        parsed, extras = super().parse_known_args(args, namespace)
        if not self.commands and extras and not (hasattr(parsed, "query") and query_words(extras)):
            self.unrecognized(extras)
        return parsed, extras

    def unrecognized(self, extras: list[str]) -> NoReturn:
        """`newsdesk feeds import: unrecognized argument --newsbot — did you mean
        --newsboat?`, the words cut where they are long."""
        from difflib import get_close_matches  # on this error alone

        from tui.store.notices import quoted_back

        words = " ".join(word.strip() for word in extras)
        s = "s" if len(extras) > 1 else ""
        said = f"unrecognized argument{s} {quoted_back(words)}"
        option = next((w.split("=")[0] for w in extras if w.startswith("--")), None)
        meant = option and get_close_matches(option, self.options, n=1)
        self.error(f"{said} — did you mean {meant[0]}?" if meant else said)


_GLOBAL_ONLY = frozenset({"-h", "--help", "--version"})
_VALUED = frozenset({"--config", "--cache"})


def command_word(argv: Sequence[str]) -> str | None:
    """The command named in `argv` (a group's action, in the words after the group); ""
    when there is none (the TUI); None when `--help` or `--version` comes first (those
    show every command)."""
    words = iter(argv)
    for word in words:
        if word in _GLOBAL_ONLY:
            return None
        if word in _VALUED:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return ""


def query_words(extras: list[str]) -> bool:
    """Whether words argparse left over are a query's (`-draft`: a word to leave out), not
    options (`--bogus`)."""
    return not any(word.startswith("--") for word in extras)


COMMAND_CELLS = 20
"""Cells of a mistyped command quoted back: the line fits 80 columns."""


def _no_command(prog: str, word: str, choices: list[str]) -> str:
    """`no command 'lsit' — did you mean 'list'?`, else where the commands are listed."""
    from difflib import get_close_matches  # on this error alone

    from tui.cells import ellipsized

    what = "command" if prog == "newsdesk" else "action"
    said = f"no {what} {ellipsized(word, COMMAND_CELLS)!r}"
    meant = get_close_matches(word, choices, n=1)
    return f"{said} — did you mean {meant[0]!r}?" if meant else f"{said}; see {prog} --help"


def common_options() -> OneLineParser:
    """`--config` and `--cache`, accepted before or after any command."""
    common = OneLineParser(add_help=False)
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
    return common


def subcommands(parent: OneLineParser, dest: str) -> CommandFactory:
    """A factory adding commands (or a group's actions) under `parent`, stored in `dest`;
    their names are `parent.commands`."""
    common = common_options()
    required = dest != "command"  # `newsdesk` alone opens the TUI; a group needs its action
    metavar = "COMMAND" if not required else "ACTION"
    group = parent.add_subparsers(
        dest=dest, metavar=metavar, required=required, parser_class=OneLineParser
    )

    def command(name: str, help_text: str) -> OneLineParser:
        parser: OneLineParser = group.add_parser(
            name, parents=[common], help=help_text, description=help_text
        )
        parent.commands.append(name)
        return parser

    return command


class Once(argparse.Action):
    """An option given at most once: a second `--source` was kept in silence, the first
    dropped, where the user asked for both."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: Any, values: Any,
                 option_string: str | None = None) -> None:  # fmt: skip
        if getattr(namespace, self.dest, None) is not None:
            what = (option_string or self.dest).lstrip("-")
            parser.error(f"{option_string} is given once: a list shows one {what}")
        setattr(namespace, self.dest, values)


class Query(argparse.Action):
    """A command's QUERY: shown as needed in the usage (the command refuses to run without
    one), but parsed as optional, so that a query of words starting with `-` (`-draft`: a
    word to leave out), which argparse leaves over as unknown options, is joined in after."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{"nargs": "?", "metavar": "QUERY", **kwargs})

    def __call__(self, parser: argparse.ArgumentParser, namespace: Any, values: Any,
                 option_string: str | None = None) -> None:  # fmt: skip
        setattr(namespace, self.dest, values)


def add_limit_and_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--limit", type=positive_int, default=LIMIT, metavar="N", help=f"at most N ({LIMIT})"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON array")


LARGEST = 2**63 - 1
"""SQLite's largest integer: a larger id names no article, a larger limit is no limit."""


def positive_int(text: str) -> int:
    value = _whole_number(text, "not a number")
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return min(value, LARGEST)


def article_id(text: str) -> int:
    """An article's id as typed; one beyond what SQLite holds is refused here, in one line."""
    value = _whole_number(text, "not an article id")
    if abs(value) > LARGEST:
        raise argparse.ArgumentTypeError(f"no article has id {value}")
    return value


def _whole_number(text: str, otherwise: str) -> int:
    """`text` as an int, else `otherwise: 'abc'` (argparse said `invalid article_id value`)."""
    try:
        return int(text)
    except ValueError:
        from tui.store.notices import quote

        raise argparse.ArgumentTypeError(f"{otherwise}: {quote(text)}") from None
