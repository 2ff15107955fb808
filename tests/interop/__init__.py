"""Tests for tui.interop, and `feeds_cli`: `newsdesk feeds ...` through the real `tui.cli.main`.

Until the lead wires `feeds` into tui/cli.py, `feeds_cli` adds it to the real parser the same
way the two-line patch does; once it is wired, the real wiring is used as is.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import pytest

from tui import cli
from tui.interop import cli as interop_cli


def feeds_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str, str]:
    """Run `newsdesk ARGV` and return (exit status, stdout, stderr)."""
    if "feeds" not in cli.HANDLERS:
        monkeypatch.setitem(cli.HANDLERS, "feeds", interop_cli.run)
        monkeypatch.setattr(cli, "build_parser", _with_feeds(cli.build_parser))
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _with_feeds(
    build: Callable[[], argparse.ArgumentParser],
) -> Callable[[], argparse.ArgumentParser]:
    def build_parser() -> argparse.ArgumentParser:
        parser = build()
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        common = argparse.ArgumentParser(add_help=False)
        common.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS)
        common.add_argument("--cache", metavar="DIR", default=argparse.SUPPRESS)
        interop_cli.add_parser(commands, common)
        return parser

    return build_parser
