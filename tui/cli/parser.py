"""The `newsdesk` argument parser: options every command takes, and one-line usage errors.

Each command group module (articles, sources, rules, saving, feeds) adds its own commands with
`add_parsers(command)` and names its handlers in `HANDLERS`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, NoReturn

from tui.cli.context import LIMIT, USAGE_ERROR, columns

CommandFactory = Callable[[str, str], argparse.ArgumentParser]
"""Adds a command by name and help text (with the common options) and returns its parser."""


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, sized to the terminal without `shutil` (argparse makes one of
    these for every argument added; importing `shutil` for its width was ~1 ms of a search)."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=columns() - 2)


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports errors in one line (no usage dump)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message}\n")


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


def subcommands(parent: argparse.ArgumentParser, dest: str) -> CommandFactory:
    """A factory adding commands (or a group's actions) under `parent`, stored in `dest`."""
    common = common_options()
    required = dest != "command"  # `newsdesk` alone opens the TUI; a group needs its action
    metavar = "COMMAND" if not required else "ACTION"
    group = parent.add_subparsers(
        dest=dest, metavar=metavar, required=required, parser_class=OneLineParser
    )

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = group.add_parser(
            name, parents=[common], help=help_text, description=help_text
        )
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


def add_limit_and_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--limit", type=positive_int, default=LIMIT, metavar="N", help=f"at most N ({LIMIT})"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON array")


LARGEST = 2**63 - 1
"""SQLite's largest integer: a larger id names no article, a larger limit is no limit."""


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return min(value, LARGEST)


def article_id(text: str) -> int:
    """An article's id as typed; one beyond what SQLite holds is refused here, in one line."""
    value = int(text)
    if abs(value) > LARGEST:
        raise argparse.ArgumentTypeError(f"no article has id {value}")
    return value
