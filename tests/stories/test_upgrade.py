"""A cache from before stories: once upgraded, the first refresh groups the articles of its last
days with each other (and new ones with them), never its older ones, never touching a flag."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest

from tests.old_cache import BEFORE_24, OldArticle, write_version_2_cache
from tests.sql import connection, sql
from tests.stories.test_detection import GERMAN, PORT, PORT_OTHER
from tui.cli import main
from tui.config import Config
from tui.refresh.run import refresh
from tui.store import Store, View
from tui.store.stories import CATCH_UP

HOUR = 3600.0
DAY = 24 * HOUR


def old_articles(now: float) -> list[OldArticle]:
    """Copies of one story in the last hours (read, saved), another story, and copies of a
    third ten days ago."""
    return [
        OldArticle("Rotterdam dockers strike", PORT, now - 5 * HOUR, "Wire", read=True),
        OldArticle("UPDATE: Rotterdam halted", PORT, now - 4 * HOUR, "Herald", saved=True),
        OldArticle("Hydrogen terminal", PORT_OTHER, now - 3 * HOUR, "Herald"),
        OldArticle("Eurowings streicht Flüge", GERMAN, now - 10 * DAY, "Wire"),
        OldArticle("Warnstreik bei Eurowings", GERMAN, now - 10 * DAY + HOUR, "Herald", read=True),
    ]


def listed(capsys: pytest.CaptureFixture[str], config: Path) -> dict[str, dict[str, object]]:
    assert main(["--config", str(config), "list", "--json"]) == 0
    return {str(item["title"]): item for item in json.loads(capsys.readouterr().out)}


@pytest.mark.parametrize("new_copy", [True, False], ids=["a new copy", "nothing new"])
def test_the_first_refresh_after_the_upgrade_groups_the_last_days(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], new_copy: bool
) -> None:
    write_version_2_cache(tmp_path / "cache" / "newsdesk.db", old_articles(time.time()))
    clips = tmp_path / "clips"
    clips.mkdir()
    if new_copy:
        (clips / "copy.txt").write_text("Port strike\n\n" + PORT, encoding="utf-8")
    config = tmp_path / "feeds.toml"
    config.write_text('[[sources]]\nname = "Clips"\npath = "clips"\n', encoding="utf-8")
    before = listed(capsys, config)  # the upgrade, by a command that only reads
    assert main(["--config", str(config), "refresh"]) == 0
    capsys.readouterr()
    after = listed(capsys, config)
    port = after["Rotterdam dockers strike"]["story"]
    assert port is not None and after["UPDATE: Rotterdam halted"]["story"] == port
    assert after["Hydrogen terminal"]["story"] is None
    assert after["Eurowings streicht Flüge"]["story"] is None  # older: never looked at
    assert after["Warnstreik bei Eurowings"]["story"] is None
    if new_copy:
        assert after["Port strike"]["story"] == port
    flags = {t: (a["read"], a["saved"]) for t, a in after.items() if t in before}
    assert flags == {t: (a["read"], a["saved"]) for t, a in before.items()}
    # Once: an article of those days standing alone after it (ungrouped here by hand) stays
    # alone at the next refresh, which groups its own new articles only.
    store = Store.open(tmp_path / "cache" / "newsdesk.db")
    sql(store, "UPDATE articles SET story = NULL WHERE title = 'UPDATE: Rotterdam halted'")
    store.close()
    assert main(["--config", str(config), "refresh"]) == 0
    capsys.readouterr()
    assert listed(capsys, config)["UPDATE: Rotterdam halted"]["story"] is None


def test_a_catch_up_an_earlier_build_left_due_is_done_after_this_upgrade(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Schema 9 to 18 kept the due catch-up among the UI's state: a cache the previous build
    # upgraded, never refreshed since, groups its last days all the same.
    cache = tmp_path / "cache" / "newsdesk.db"
    write_version_2_cache(cache, old_articles(time.time()))
    store = Store.open(cache)
    with connection(store) as conn:  # back to how schema 18 held it
        conn.execute("DROP TABLE due_work")
        conn.execute("ALTER TABLE sources DROP COLUMN failing_since")  # schema 20's
        conn.execute("DROP TABLE imported_items")  # schema 22's
        for statement in BEFORE_24:
            conn.execute(statement)
        conn.execute("INSERT INTO ui_state (key, value) VALUES (?, '')", (CATCH_UP,))
        conn.execute("PRAGMA user_version = 18")
    store.close()
    config = tmp_path / "feeds.toml"
    config.write_text("", encoding="utf-8")
    assert main(["--config", str(config), "refresh"]) == 0
    capsys.readouterr()
    after = listed(capsys, config)
    port = after["Rotterdam dockers strike"]["story"]
    assert port is not None and after["UPDATE: Rotterdam halted"]["story"] == port


def test_the_last_days_are_those_before_the_run_s_own_clock(tmp_path: Path) -> None:
    # A run on a pinned clock (a test's, a replay's) caught up the days before the wall
    # clock's now, so a cache whose last days were then had none grouped.
    then = 1_700_000_000.0
    write_version_2_cache(tmp_path / "newsdesk.db", old_articles(then))
    store = Store.open(tmp_path / "newsdesk.db")
    asyncio.run(refresh(Config(path=tmp_path / "feeds.toml"), store, now=then))
    stories = {row.title: row.story for row in store.page(View())}
    store.close()
    assert stories["Rotterdam dockers strike"] is not None
    assert stories["UPDATE: Rotterdam halted"] == stories["Rotterdam dockers strike"]
    assert stories["Eurowings streicht Flüge"] is None  # older: never looked at
