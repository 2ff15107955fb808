"""The benchmark scripts must never rot: run `bench/run_all --smoke` and check its table.

No timing assertions: the figures depend on the machine. newsboat and tmux are optional (CI may
lack them); without them the scripts skip their newsboat columns and still pass.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
RUN_ALL = REPO / "bench" / "run_all"
HEADER = "| item | measure | newsdesk min | newsdesk median | newsboat min | newsboat median |"


@pytest.fixture(scope="module")
def smoke() -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHON=sys.executable)
    return subprocess.run(
        [str(RUN_ALL), "--smoke"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_run_all_smoke_exits_zero_and_prints_the_table(
    smoke: subprocess.CompletedProcess[str],
) -> None:
    assert smoke.returncode == 0, smoke.stderr[-4000:]
    assert HEADER in smoke.stdout
    assert HEADER in (REPO / "bench" / "out" / "results.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "item", ["1 refresh", "2 import", "3 search", "5 keys", "5 key to frame", "6 files", "10 rules"]
)
def test_every_item_has_rows(smoke: subprocess.CompletedProcess[str], item: str) -> None:
    assert f"| {item}" in smoke.stdout


def test_stored_article_counts_are_right(smoke: subprocess.CompletedProcess[str]) -> None:
    counts = [line for line in smoke.stdout.splitlines() if "| articles stored |" in line]
    assert counts and all("| yes |" in line for line in counts), counts


def test_the_keys_timed_in_a_terminal_moved_the_cursor(
    smoke: subprocess.CompletedProcess[str],
) -> None:
    j = next(line for line in smoke.stdout.splitlines() if "| 5 key to frame" in line)
    assert "cursor on row 21 (newest first), as expected" in j


def test_newsboat_columns_only_when_installed(smoke: subprocess.CompletedProcess[str]) -> None:
    refresh_cold = next(line for line in smoke.stdout.splitlines() if "| cold wall (s) |" in line)
    newsboat_cells = refresh_cold.split("|")[5:7]
    if shutil.which("newsboat") is None:
        assert all(cell.strip() == "–" for cell in newsboat_cells)
    else:
        assert all(cell.strip() != "–" for cell in newsboat_cells)


def test_first_screen_measured_when_tmux_exists(smoke: subprocess.CompletedProcess[str]) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed: the first-screen timing is skipped")
    assert "| first screen (s) |" in smoke.stdout


@pytest.mark.skipif(shutil.which("tmux") is None, reason="the first screen is timed in tmux")
def test_the_first_screen_is_timed_fresh_and_with_a_sessions_state(
    smoke: subprocess.CompletedProcess[str],
) -> None:
    firsts = [line for line in smoke.stdout.splitlines() if "| first screen (s) |" in line]
    assert [line.split(" | ")[0] for line in firsts] == [
        "| 4 TUI 300 articles",
        "| 4 TUI 300 articles with a session's state",
    ]
    assert not any("timed out" in line for line in firsts), firsts
