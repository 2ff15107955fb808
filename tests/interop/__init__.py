"""Tests for tui.interop, and `feeds_cli`: `newsdesk feeds ...` through the real `tui.cli.main`."""

from __future__ import annotations

import pytest

from tui import cli


def feeds_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str, str]:
    """Run `newsdesk ARGV` and return (exit status, stdout, stderr)."""
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
