"""What the command line says of many articles at once: counts with thousands separators
(`1,200 articles restored`, as `10,000 of 66,150 exported` beside them), and a long list of
unknown ids named by its first few."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.data import build_big_cache
from tui.cli import main
from tui.store import Store, View

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
