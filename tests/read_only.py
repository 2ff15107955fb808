"""A folder where nothing can be written, as a read-only disk makes it, for the cache or the
config."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


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
