"""Files written whole or not at all: a full disk or a crash leaves the old file, never half
of the new one (saved images, OPML and HTML exports)."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a `.part` file beside it, renamed over it once whole;
    a write that fails leaves no `.part` behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)
        raise
