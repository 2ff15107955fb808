"""Headless core: the layers below the UI never import textual."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = [
    "tui.config",
    "tui.models",
    "tui.text",
    "tui.store",
    "tui.store.search",
    "tui.sources.feeds",
    "tui.sources.files",
    "tui.sources.fetch",
    "tui.sources.body",
    "tui.content.readable",
    "tui.content.parse",
    "tui.content.urls",
    "tui.refresh.schedule",
    "tui.store.writer",
    "tui.refresh.run",
    "tui.refresh.importing",
    "tui.offline.export",
    "tui.cli",
]


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
