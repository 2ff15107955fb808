"""Checks on a cache file after a fault, read with sqlite3 directly (test code, not the app)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def check_whole(database: Path) -> None:
    """The file passes SQLite's and FTS5's own integrity checks."""
    conn = sqlite3.connect(database)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    finally:
        conn.close()


def counts(database: Path) -> dict[str, int]:
    """Articles per source name."""
    conn = sqlite3.connect(database)
    try:
        rows = conn.execute(
            "SELECT s.name, count(a.id) FROM sources s LEFT JOIN articles a ON a.source_id = s.id"
            " GROUP BY s.name"
        )
        return {str(name): int(count) for name, count in rows}
    finally:
        conn.close()
