"""A rule that fails at refresh time is named, with why, in the refresh summary (`newsdesk
refresh`); the other rules and the articles are stored as usual."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from tui.cli import main
from tui.store import InvalidQuery, Store, View
from tui.store import rules as rules_module

BROKEN = "broken"
WHY = 'fts5: syntax error near "broken"'


@pytest.fixture
def failing_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """The search index refuses the query `broken` (as FTS5 does with a damaged index)."""
    real = rules_module.matching_ids

    def matching_ids(conn: object, query: str, **options: Sequence[object]) -> list[int]:
        if query == BROKEN:
            raise InvalidQuery(WHY)
        return real(conn, query, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(rules_module, "matching_ids", matching_ids)


def write_config(home: Path) -> Path:
    """One local source with a note, a rule that cannot run and one that can."""
    (home / "notes").mkdir()
    (home / "notes" / "hello.md").write_text("# Hello\n\nA first note.\n", encoding="utf-8")
    config = home / "feeds.toml"
    config.write_text(
        '[[sources]]\nname = "Notes"\npath = "notes"\n\n'
        f'[[rules]]\nquery = "{BROKEN}"\naction = "hide"\n\n'
        '[[rules]]\nquery = "hello"\naction = "read"\n',
        encoding="utf-8",
    )
    return config


@pytest.mark.usefixtures("failing_rule")
def test_refresh_names_the_rule_that_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path)
    monkeypatch.setenv("NEWSDESK_CONFIG", str(config))
    monkeypatch.setenv("NEWSDESK_CACHE", str(tmp_path / "cache"))
    assert main(["refresh"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == (
        f"1 source up to date, 1 new article; rule failed: {config}:6: rules[1]: "
        f"query '{BROKEN}' cannot run: {WHY}"
    )
    store = Store.open(tmp_path / "cache" / "newsdesk.db")
    try:  # the article is stored, and the next rule ran on it
        assert [row.read for row in store.page(View())] == [True]
    finally:
        store.close()


def test_a_rule_takes_its_sources_as_source_does_and_refresh_notes_an_unknown_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # `sources = ["NOTES", "Old name"]` matched nothing (exact names), and nothing said why.
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "hello.md").write_text("# Hello\n\nA first note.\n", encoding="utf-8")
    config = tmp_path / "feeds.toml"
    config.write_text(
        '[[sources]]\nname = "Notes"\npath = "notes"\n\n'
        '[[rules]]\nquery = "hello"\naction = "read"\nsources = ["NOTES", "Old name"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("NEWSDESK_CONFIG", str(config))
    monkeypatch.setenv("NEWSDESK_CACHE", str(tmp_path / "cache"))
    assert main(["refresh"]) == 0
    captured = capsys.readouterr()
    note = (
        f"note: {config}:8: rules[1].sources: no source is named 'Old name' (renamed or removed?)"
    )
    assert note in captured.out + captured.err
    store = Store.open(tmp_path / "cache" / "newsdesk.db")
    try:
        assert [row.read for row in store.page(View())] == [True]
    finally:
        store.close()
