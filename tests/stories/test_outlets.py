"""The `+N` other outlets a listed story shows: one stored number per story, kept as articles
join, are hidden or shown, and leave the cache (retention), and filled in for a cache whose
stories were grouped before the number was stored."""

from __future__ import annotations

import sqlite3
import time
from datetime import timedelta
from pathlib import Path

import pytest

from tests.old_cache import BEFORE_24
from tests.stories.test_detection import PORT, PORT_REWRITE, WHEN, Cache
from tui.models import FetchOutcome
from tui.store import Store, migrate, schema
from tui.store.rows import View
from tui.store.stories import COUNT_OUTLETS

HOUR = timedelta(hours=1)


@pytest.fixture
def grouped(tmp_path: Path) -> Cache:
    return Cache(tmp_path / "cache.db")


def others(store: Store) -> dict[str, int]:
    """Title -> the `+N` of each row of the ungrouped list."""
    return {row.title: row.others for row in store.page(View(), None, 100)}


def three_outlets(cache: Cache) -> dict[str, int]:
    """A story carried by the Agency (twice), the Herald and the Chronicle."""
    return {
        "agency": cache.add("Agency", "Rotterdam dockers strike", PORT),
        "again": cache.add("Agency", "UPDATE: Rotterdam strike", PORT, WHEN + HOUR),
        "herald": cache.add("Herald", "Port at a standstill", PORT, WHEN + 2 * HOUR),
        "chronicle": cache.add("Chronicle", "Ships queue", PORT_REWRITE, WHEN + 3 * HOUR),
    }


def test_each_row_counts_the_other_outlets_not_the_other_articles(grouped: Cache) -> None:
    three_outlets(grouped)
    assert others(grouped.store) == {
        "Rotterdam dockers strike": 2,
        "UPDATE: Rotterdam strike": 2,
        "Port at a standstill": 2,
        "Ships queue": 2,
    }


def test_hiding_an_outlets_article_and_showing_it_again_moves_the_count(grouped: Cache) -> None:
    ids = three_outlets(grouped)
    grouped.store.set_hidden([ids["chronicle"]], True)
    assert others(grouped.store)["Rotterdam dockers strike"] == 1
    grouped.store.set_hidden([ids["agency"]], True)  # the Agency's other copy is still shown
    assert others(grouped.store)["Port at a standstill"] == 1
    grouped.store.set_hidden([ids["chronicle"], ids["agency"]], False)
    assert others(grouped.store)["Rotterdam dockers strike"] == 2


def test_retention_taking_an_outlets_article_leaves_the_others_counting_one_less(
    grouped: Cache,
) -> None:
    three_outlets(grouped)
    later = time.time() + 86400  # the Herald's feed no longer lists its article
    herald = grouped.sources["Herald"]
    grouped.store.record_refresh(herald, [], FetchOutcome(complete=True), now=later)
    grouped.store.record_refresh(
        herald, [], FetchOutcome(complete=True), now=later + 1, retention_days=1
    )
    assert "Port at a standstill" not in others(grouped.store)
    assert others(grouped.store)["Ships queue"] == 1


def test_a_cache_grouped_before_counts_were_stored_gets_them_from_its_migration(
    tmp_path: Path,
) -> None:
    cache = Cache(tmp_path / "cache.db")
    three_outlets(cache)
    cache.store.close()
    number = next(n for n, script in schema.MIGRATIONS.items() if COUNT_OUTLETS in script)
    conn = sqlite3.connect(tmp_path / "cache.db")
    with conn:  # as the cache was before that migration, then the migration
        for trigger in ("stories_join", "stories_hide", "stories_delete"):
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute("DROP TABLE stories")
        for statement in migrate.statements(schema.MIGRATIONS[number]):
            conn.execute(statement)
    conn.close()
    reopened = Store.open(tmp_path / "cache.db")
    assert set(others(reopened).values()) == {2}
    reopened.close()


def test_an_article_grouped_with_itself_stands_alone_after_the_upgrade(tmp_path: Path) -> None:
    # Before version 15 a lead repeating a sentence made an article its own candidate: a
    # story of one, its id in `list --json` where the contract says null.
    cache = Cache(tmp_path / "cache.db")
    alone = cache.add("Notes", "Hearing", "It began at nine. The hearing went on. " * 3)
    cache.store.close()
    conn = sqlite3.connect(tmp_path / "cache.db")
    with conn:  # as such a cache was
        conn.execute("UPDATE articles SET story = id WHERE id = ?", (alone,))
        conn.execute("ALTER TABLE sources DROP COLUMN removed")  # version 16's
        for statement in BEFORE_24:
            conn.execute(statement)
        conn.execute("DROP TABLE unhidden")  # version 18's
        conn.execute("ALTER TABLE sources DROP COLUMN failing_since")  # version 20's
        conn.execute("DROP TABLE imported_items")  # version 22's
        conn.execute("PRAGMA user_version = 14")
    conn.close()
    reopened = Store.open(tmp_path / "cache.db")
    row = reopened.row(alone)
    assert row is not None and row.story is None
    reopened.close()
