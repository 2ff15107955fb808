"""What the command line says of many articles at once: counts with thousands separators
(`1,200 articles restored`, as `10,000 of 66,150 exported` beside them), and a long list of
unknown ids named by its first few."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.data import build_big_cache
from tui.cli import main
from tui.store import Store, View
from tui.store.compact import IN_USE

MANY = 1_200


@pytest.fixture
def many(isolated_env: Path) -> list[int]:
    """A cache of MANY articles, all hidden (as a hide rule leaves them): their ids."""
    (isolated_env / "config").mkdir()
    (isolated_env / "config" / "feeds.toml").write_text("", encoding="utf-8")
    path = isolated_env / "cache" / "newsdesk.db"
    path.parent.mkdir()
    build_big_cache(path, MANY)
    store = Store.open(path)
    ids = [row.id for row in store.page(View(), limit=MANY)]
    store.set_hidden(ids, True)
    store.close()
    return ids


def test_counts_are_said_with_thousands_separators(
    many: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["unhide", *map(str, many)]) == 0
    assert capsys.readouterr().out == f"{MANY:,} articles restored\n"


def test_thousands_of_unknown_ids_are_named_by_the_first_few(
    many: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    unknown = range(100_001, 105_001)
    assert main(["read", *map(str, many), *map(str, unknown)]) == 2
    said = "no article with id 100001, 100002, 100003, 100004, 100005 and 4,995 more"
    assert capsys.readouterr().err == f"newsdesk: {said}\n"


def test_compact_gives_the_space_of_removed_articles_back(
    many: list[int], isolated_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = isolated_env / "cache" / "newsdesk.db"
    store = Store.open(path)
    store.forget_source("Bulk")  # as `feeds remove` does
    store.close()
    removed = path.stat().st_size  # SQLite keeps the freed pages
    assert main(["compact"]) == 0
    said = capsys.readouterr().out
    assert said.startswith("compacted the cache: ") and said.endswith(f" MiB ({path})\n")
    assert path.stat().st_size < removed


def test_compact_is_refused_while_another_newsdesk_has_the_cache(
    many: list[int], isolated_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = isolated_env / "cache" / "newsdesk.db"
    app = Store.open(path)  # the app, open beside the command
    try:
        app.count(View())
        assert main(["compact"]) == 1
    finally:
        app.close()
    assert capsys.readouterr().err == f"newsdesk: {path}: {IN_USE}\n"
