"""What a regular install (`pip install .`, a wheel, pipx) puts on the user's disk."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "tui" / "bundled"
"""What the first start copies into the config folder: it must ship in the wheel."""


def _source_copy(into: Path) -> Path:
    """The files a build reads, copied: a build in the tree could reuse a stale build/."""
    tree = into / "src"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md", "feeds.toml", "LICENSE"):
        shutil.copy2(ROOT / name, tree / name)
    for name in ("tui", "samples"):
        shutil.copytree(ROOT / name, tree / name, symlinks=True, ignore=_no_caches)
    return tree


def _no_caches(folder: str, names: list[str]) -> list[str]:
    return [name for name in names if name == "__pycache__"]


def test_the_wheel_holds_every_bundled_file(tmp_path: Path) -> None:
    tree = _source_copy(tmp_path)
    out = tmp_path / "dist"
    command = [sys.executable, "-m", "pip", "wheel", str(tree), "--no-deps", "-q", "-w", str(out)]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    (wheel,) = out.glob("newsdesk-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in shipped)
    bundled = {
        (Path(folder) / name).relative_to(ROOT).as_posix()
        for folder, _, names in os.walk(BUNDLED, followlinks=True)  # samples/ is a link
        for name in names
    }
    assert "tui/bundled/samples/images/harbour-levels.png" in bundled
    assert bundled - shipped == set()
