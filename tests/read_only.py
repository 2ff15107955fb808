"""A folder where nothing can be written, as a read-only disk makes it, for the cache or the
config; or as its mode makes it, for a user other than root."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import tui


@contextmanager
def read_only_copy(*files: Path, at: Path) -> Iterator[Path]:
    """The new folder `at` holding copies of `files`, where nothing can be written: a tmpfs
    remounted read-only as root (root may write any file), else the folder and the files
    made read-only."""
    at.mkdir()
    if os.geteuid() != 0:
        for file in files:
            Path(shutil.copy(file, at)).chmod(0o444)
        at.chmod(0o555)
        try:
            yield at
        finally:
            at.chmod(0o755)
        return
    if subprocess.run(["mount", "-t", "tmpfs", "tmpfs", str(at)]).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        for file in files:
            shutil.copy(file, at)
        subprocess.run(["mount", "-o", "remount,ro", str(at)], check=True)
        yield at
    finally:
        subprocess.run(["umount", "-l", str(at)], check=False)


NOBODY = 65534
"""The user `newsdesk_as_another_user` runs as, when the tests run as root."""


@contextmanager
def unwritable_folder(*files: Path) -> Iterator[Path]:
    """A new folder holding copies of `files`, both made read-only as `chmod -R a-w` makes
    them, where any user may read it (see `newsdesk_as_another_user`)."""
    at = Path(tempfile.mkdtemp(prefix="newsdesk-"))
    try:
        for file in files:
            Path(shutil.copy(file, at)).chmod(0o444)
        at.chmod(0o555)  # mkdtemp's folder is its owner's alone
        yield at
    finally:
        at.chmod(0o755)
        shutil.rmtree(at)


def newsdesk_as_another_user(*argv: str) -> subprocess.CompletedProcess[str]:
    """`newsdesk ARGV` run by a user a file's mode applies to: root may write any file, so
    as root it runs as nobody (`setpriv`), in `/` (the tests' folders are root's alone)."""
    drop: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("no setpriv to run newsdesk as another user")
        drop = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    env = {**os.environ, "PYTHONPATH": str(Path(tui.__file__).parents[1])}
    return subprocess.run(
        [*drop, sys.executable, "-m", "tui", *argv],
        capture_output=True, text=True, env=env, cwd="/", timeout=60, check=False,
    )  # fmt: skip
