"""The starter config: with no config anywhere, newsdesk writes the bundled one (its feeds,
saved searches and local samples) to the platform config folder and goes on with it, so a
first run from any folder is the same app, and the next run finds the same feeds and cache.

Only the platform location is ever filled in: a config named by `--config` or
`NEWSDESK_CONFIG` that does not exist is the user's choice of an empty config.
"""

from __future__ import annotations

import os
from pathlib import Path

from tui.paths import PLATFORM_ORIGIN, Paths

BUNDLED = Path(__file__).parent / "bundled"
"""The bundled `feeds.toml` and the `samples` folder it names (shipped in the package)."""


UNWRITTEN = "no config found and none could be written to"


def ensure_starter(paths: Paths) -> str | None:
    """Write the starter config where `paths` looks for it, if that is the platform folder and
    nothing is there yet. Returns the one line to tell the user, or None when nothing was to
    be done. A failure to write is told too; newsdesk then runs with no sources."""
    if paths.config_origin != PLATFORM_ORIGIN or paths.config.exists():
        return None
    folder = paths.config.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        samples = folder / "samples"
        if not samples.exists():
            import shutil  # only on the first start

            shutil.copytree(BUNDLED / "samples", samples)
        _write_new(paths.config, (BUNDLED / "feeds.toml").read_text(encoding="utf-8"))
    except OSError as exc:
        return f"{UNWRITTEN} {paths.config}: {exc.strerror}"
    return f"no config found: wrote a starter config to {paths.config} (edit it to add feeds)"


def _write_new(path: Path, text: str) -> None:
    """Create `path` with `text`, readable by its owner alone (a `[sync]` password goes in
    it); a file another newsdesk wrote a moment ago is kept."""
    try:
        created = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with open(created, "w", encoding="utf-8") as file:
        file.write(text)
