"""Rules: each action on arrival, limits by source, order, broken rules skipped, never deletes."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.old_cache import OldArticle, write_cache_at
from tests.sql import sql
from tui.config import load_config
from tui.models import Article, FetchOutcome, Rule, SourceKind
from tui.store import Store, View

OK = FetchOutcome(status=200)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "newsdesk.db")
    yield opened
    opened.close()


def arrive(store: Store, source: str, titles: list[str], rules: list[Rule]) -> None:
    sid = store.ensure_source(source, SourceKind.WEB, f"https://{source}.example/feed")
    items = [Article(title=t, body=f"about {t}", guid=t) for t in titles]
    store.record_refresh(sid, items, OK, rules=rules)


def titles(store: Store) -> list[str]:
    return sorted(r.title for r in store.page(View()))


def test_hide_keeps_the_article_findable_with_is_hidden(store: Store) -> None:
    arrive(store, "news", ["Football final", "Election night"], [Rule("football", "hide")])
    assert titles(store) == ["Election night"]
    assert [h.row.title for h in store.search("football").hits] == []
    hidden = store.search("is:hidden").hits
    assert [h.row.title for h in hidden] == ["Football final"]
    store.set_hidden([hidden[0].row.id], False)
    assert titles(store) == ["Election night", "Football final"]


def test_read_save_and_tag_actions(store: Store) -> None:
    rules = [
        Rule("title:digest", "read"),
        Rule("space", "save"),
        Rule("space OR rocket", "tag", tag="science"),
    ]
    arrive(store, "news", ["Morning digest", "Space station", "Rocket test", "Other"], rules)
    rows = {r.title: r for r in store.page(View())}
    assert rows["Morning digest"].read and not rows["Other"].read
    assert rows["Space station"].saved and not rows["Rocket test"].saved
    tagged = {h.row.title for h in store.search("tag:science").hits}
    assert tagged == {"Space station", "Rocket test"}


def test_rules_only_touch_new_articles(store: Store) -> None:
    arrive(store, "news", ["Old football"], [])
    arrive(store, "news", ["Old football", "New football"], [Rule("football", "read")])
    rows = {r.title: r.read for r in store.page(View())}
    assert rows == {"Old football": False, "New football": True}


def test_sources_limit_a_rule(store: Store) -> None:
    rule = Rule("weather", "hide", sources=("local",))
    arrive(store, "local", ["Local weather"], [rule])
    arrive(store, "world", ["World weather"], [rule])
    assert titles(store) == ["World weather"]


def test_a_rules_sources_are_found_as_source_finds_them(store: Store) -> None:
    # `sources = ["EL PAÍS"]` matched nothing: the names were compared exactly.
    rule = Rule("weather", "hide", sources=("EL PAÍS", "le monde"))
    arrive(store, "El País", ["Spain weather"], [rule])
    arrive(store, "Le Monde (FR)", ["France weather"], [rule])
    arrive(store, "world", ["World weather"], [rule])
    assert titles(store) == ["World weather"]


def test_every_matching_rule_applies_in_order(store: Store) -> None:
    rules = [Rule("match", "hide"), Rule("match", "tag", tag="first"), Rule("match", "read")]
    arrive(store, "news", ["A match report"], rules)
    (hit,) = store.search("is:hidden tag:first").hits
    assert hit.row.read


def test_apply_over_the_whole_cache_never_deletes(store: Store) -> None:
    arrive(store, "news", ["Sport one", "Sport two", "Politics"], [])
    report = store.apply_rules([Rule("sport", "hide"), Rule("politics", "save")])
    assert report.applied == {"hide": 2, "save": 1}
    assert titles(store) == ["Politics"]
    assert sql(store, "SELECT count(*) FROM articles")[0][0] == 3


def test_broken_rule_is_reported_with_its_position_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(
        '[[rules]]\nquery = "sport"\naction = "explode"\n\n'
        '[[rules]]\nquery = "politics"\naction = "read"\n\n'
        '[[rules]]\nquery = "x"\naction = "tag"\n',
        encoding="utf-8",
    )
    config = load_config(path)
    assert [r.query for r in config.rules] == ["politics"]
    assert config.rules[0].position == f"{path}:6: rules[2]"
    first, second = config.rule_errors
    assert first.startswith(f"{path}:3: rules[1].action: must be one of hide, read, save, tag")
    assert first.endswith("(rule skipped)")
    assert second.startswith(f"{path}:9: rules[3].tag:")


def test_a_tag_given_alone_is_a_tag_rule(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text('[[rules]]\nquery = "nasa"\ntag = "space"\n', encoding="utf-8")
    (rule,) = load_config(path).rules
    assert (rule.action, rule.tag) == ("tag", "space")


def test_a_rule_tag_survives_an_update_of_the_article(store: Store) -> None:
    rules = [Rule("space", "tag", tag="science")]
    arrive(store, "news", ["Space station"], rules)
    sid = store.ensure_source("news", SourceKind.WEB, "https://news.example/feed")
    edited = Article(title="Space station", body="about it, edited", guid="Space station")
    assert store.record_refresh(sid, [edited], OK, rules=rules).updated == 1
    assert [h.row.title for h in store.search("tag:science").hits] == ["Space station"]


def test_a_changed_note_takes_its_own_tags_as_they_are_now(store: Store) -> None:
    # `tags: [obsidian, garden]` edited to `[onlytag]`: the old ones go, a rule's stays.
    rules = [Rule("garden", "tag", tag="green")]
    sid = store.ensure_source("Vault", SourceKind.LOCAL, "/vault")
    note = Article(title="Garden", body="the garden", guid="g", tags=("obsidian", "garden"))
    store.record_refresh(sid, [note], OK, rules=rules)
    edited = Article(title="Garden", body="the garden, edited", guid="g", tags=("onlytag",))
    assert store.record_refresh(sid, [edited], OK, rules=rules).updated == 1
    detail = store.article(1)
    assert detail is not None and sorted(detail.tags) == ["green", "onlytag"]


@pytest.mark.parametrize("query", ["source:", '"', "-", "*", "OR -"])
def test_a_rule_whose_query_narrows_nothing_is_skipped_not_run_on_everything(
    tmp_path: Path, query: str
) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(
        f'[[rules]]\nquery = {json.dumps(query)}\naction = "hide"\n\n'
        '[[rules]]\nquery = "source:News is:unread"\naction = "read"\n',
        encoding="utf-8",
    )
    config = load_config(path)
    assert [r.query for r in config.rules] == ["source:News is:unread"]
    (error,) = config.rule_errors
    assert error.startswith(f"{path}:2: rules[1].query: ") and error.endswith("(rule skipped)")
    assert "nothing to search for or filter by" in error


def test_saved_lists_the_saved_articles_a_hide_rule_hid(store: Store) -> None:
    # A hide rule took them out of Saved (`list --saved`, the pane) while `saved` listed them.
    rules = [Rule("football OR election", "save"), Rule("football", "hide")]
    arrive(store, "news", ["Football final", "Election night"], rules)
    saved = View(saved=True)
    assert sorted(r.title for r in store.page(saved)) == ["Election night", "Football final"]
    assert store.count(saved) == store.count(View(saved=True, stories=True)) == 2
    assert [h.row.title for h in store.search("football", view=saved).hits] == ["Football final"]
    assert titles(store) == ["Election night"]  # the other lists still leave it out


def test_an_upgraded_cache_keeps_the_unhidden_shown_and_finds_its_tags_folded(
    tmp_path: Path,
) -> None:
    path = tmp_path / "newsdesk.db"
    old = [OldArticle("Budget", "Taxes.", 1, tags='["Économie"]'), OldArticle("Cup", "Goals.", 2)]
    write_cache_at(path, 23, old)
    with sqlite3.connect(path) as conn:  # unhid by hand before the upgrade
        conn.execute("INSERT INTO unhidden SELECT id FROM articles WHERE title = 'Budget'")
    conn.close()
    upgraded = Store.open(path)
    try:
        assert upgraded.apply_rules([Rule("taxes OR goals", "hide")]).applied == {"hide": 1}
        assert titles(upgraded) == ["Budget"]
        assert [h.row.title for h in upgraded.search("tag:ECONOMIE").hits] == ["Budget"]
    finally:
        upgraded.close()
