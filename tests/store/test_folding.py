"""Greek and Cyrillic accents and the German ß never matter to a search, as Latin accents
don't: through `newsdesk search`, its JSON snippets, and in a cache indexed before."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from tests.old_cache import BEFORE_24
from tests.store.test_index_text import assert_cache_index_matches_articles
from tui.cli import main
from tui.models import Article, FetchOutcome, SourceKind
from tui.prepared import prepare
from tui.store import Store, bodies
from tui.store.cjk import segment_v16, segment_v20

GREEK = "Η Αθήνα και η Κρήτη υποδέχονται επισκέπτες όλο τον χρόνο, είπε ο δήμαρχος. " * 12
ARTICLES = [
    Article(title="Ταξίδι στην Αθήνα", body=GREEK, guid="el"),
    Article(title="Новогодняя Ёлка", body="Ёлка стоит на площади.", author="Пётр", guid="ru"),
    Article(title="Die Straße", body="Gesperrt bis Montag.", author="Anna Weiß", guid="de"),
    Article(title="Йошкар-Ола", body="Город на Волге.", guid="yo"),
    Article(title="東京でＦＮＶの新製品", body="ＦＮＶ社は２０２６年に発表した。", guid="ja"),
    Article(title="FNV quarterly results", body="Revenue rose.", guid="en"),
    Article(title="مُحَمَّد يزور القاهرة", body="زار مُحَمَّد القاهرة مع الوفد. " * 20, guid="ar"),
    Article(title="Kırıkkale", body="İSTANBUL ve Kırıkkale arasında ılık hava. " * 20, guid="tr"),
]
FOUND = {
    "αθηνα": ["Ταξίδι στην Αθήνα"],
    "ΑΘΗΝΑ": ["Ταξίδι στην Αθήνα"],
    "κρητη": ["Ταξίδι στην Αθήνα"],
    "елка": ["Новогодняя Ёлка"],
    "author:петр": ["Новогодняя Ёлка"],
    "strasse": ["Die Straße"],
    "author:weiss": ["Die Straße"],
    '"die strasse"': ["Die Straße"],
    "title:STRASSE": ["Die Straße"],
    "йошкар": ["Йошкар-Ола"],
    "иошкар": [],  # й is a letter of its own, not и with a mark
    "fnv": ["FNV quarterly results", "東京でＦＮＶの新製品"],  # full-width is the ASCII it is
    "ＦＮＶ": ["FNV quarterly results", "東京でＦＮＶの新製品"],
    "２０２６年": ["東京でＦＮＶの新製品"],
    "محمد": ["مُحَمَّد يزور القاهرة"],  # the vowel marks are not searched for
    "مُحَمَّد": ["مُحَمَّد يزور القاهرة"],
    "kirikkale": ["Kırıkkale"],  # the dotless ı is an i, as I is
    "KIRIKKALE": ["Kırıkkale"],
    "kırıkkale": ["Kırıkkale"],
}


def write_cache(path: Path) -> None:
    store = Store.open(path)
    source = store.ensure_source("Notes", SourceKind.LOCAL, "/notes")
    # As a big refresh's parser process sends them: whether the index changes each body.
    store.record_refresh(source, ARTICLES, FetchOutcome(), prepared=list(map(prepare, ARTICLES)))
    store.close()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NEWSDESK_CONFIG", str(tmp_path / "feeds.toml"))
    return tmp_path / "cache"


def titles(capsys: pytest.CaptureFixture[str], cache: Path, query: str) -> list[str]:
    assert main(["--cache", str(cache), "search", "--json", query]) == 0
    return [hit["title"] for hit in json.loads(capsys.readouterr().out)]


def test_greek_russian_and_german_are_found_without_their_accents(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_cache(cache / "newsdesk.db")
    assert {query: titles(capsys, cache, query) for query in FOUND} == FOUND


def test_a_greek_hit_shows_and_locates_the_word_as_written(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_cache(cache / "newsdesk.db")
    main(["--cache", str(cache), "search", "--json", "κρητη δημαρχος"])
    (hit,) = json.loads(capsys.readouterr().out)
    assert hit["snippet"].startswith("Η Αθήνα και η Κρήτη υποδέχονται")
    found = [hit["snippet"][start:end] for start, end in hit["matches"]]
    assert set(found) == {"Κρήτη", "δήμαρχος"}


def test_an_arabic_hit_locates_the_word_with_its_vowel_marks(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_cache(cache / "newsdesk.db")
    main(["--cache", str(cache), "search", "--json", "محمد"])
    (hit,) = json.loads(capsys.readouterr().out)
    assert hit["snippet"].startswith("زار مُحَمَّد القاهرة")
    assert {hit["snippet"][start:end] for start, end in hit["matches"]} == {"مُحَمَّد"}


def test_a_long_german_body_shows_its_sharp_s_around_the_match(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(cache / "newsdesk.db")
    source = store.ensure_source("Notes", SourceKind.LOCAL, "/notes")
    body = "Die Straße war gesperrt, sagte Herr Weiß aus der Großstadt. " * 20
    store.record_refresh(source, [Article(title="Lange", body=body, guid="x")], FetchOutcome())
    store.close()
    main(["--cache", str(cache), "search", "--json", "grossstadt"])
    (hit,) = json.loads(capsys.readouterr().out)
    assert hit["snippet"].startswith("Die Straße war gesperrt, sagte Herr Weiß aus der Großstadt.")
    assert [hit["snippet"][start:end] for start, end in hit["matches"]] == ["Großstadt"]


def indexed_as_then(
    path: Path, segment_then: Callable[[str], str], version: int, *undo: str
) -> None:
    """The cache as schema `version` indexed it, with `segment_then` (bodies it left as they
    are marked so), the statements `undo` taking out what later schemas added."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.create_function("nd_segment", 1, segment_then)
        conn.create_function("nd_indexed_body", 1, lambda b: segment_then(bodies.text(b)))
        conn.create_function("nd_tags", 1, lambda t: segment_then(" ".join(json.loads(t))))
        (trigger,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'articles_fts_update'"
        ).fetchone()
        conn.execute("DROP TRIGGER articles_fts_update")  # the marks change no text

        def marked(body: bytes) -> bytes:  # as then: as it is unless the index changed it
            text = bodies.text(body)
            return b"\x00" + body[1:] if segment_then(text) == text else body

        conn.create_function("nd_marked", 1, marked)
        conn.execute("UPDATE articles SET body = nd_marked(body) WHERE typeof(body) = 'blob'")
        conn.execute(trigger)
        conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
        for statement in undo:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {version}")


def index_as_version_16(path: Path) -> None:
    """Nothing folded; no `unhidden` (18), no `failing_since` (20), no `imported_items` (22)."""
    drops = ("DROP TABLE unhidden", "ALTER TABLE sources DROP COLUMN failing_since")
    indexed_as_then(path, segment_v16, 16, *BEFORE_24, *drops, "DROP TABLE imported_items")


def index_as_version_20(path: Path) -> None:
    """ı and the Arabic vowel marks unfolded; no `imported_items` (22)."""
    indexed_as_then(path, segment_v20, 20, *BEFORE_24, "DROP TABLE imported_items")


@pytest.mark.parametrize("index_as_before", [index_as_version_16, index_as_version_20])
def test_a_cache_indexed_before_finds_them_after_the_upgrade(
    cache: Path, capsys: pytest.CaptureFixture[str], index_as_before: Callable[[Path], None]
) -> None:
    path = cache / "newsdesk.db"
    write_cache(path)
    index_as_before(path)
    assert titles(capsys, cache, "Αθήνα") == ["Ταξίδι στην Αθήνα"]  # the upgrade runs here
    assert {query: titles(capsys, cache, query) for query in FOUND} == FOUND
    assert_cache_index_matches_articles(path)


@pytest.mark.parametrize(
    ("body", "word"),
    [
        (
            "The prime minister resigned today after a long week of talks in the capital.",
            "resigned",
        ),
        (
            "قال الوزير إن الحكومة الجديدة ستعلن الميزانية خلال أيام قليلة جدا في العاصمة.",
            "الميزانية",
        ),
    ],
)
def test_a_query_with_a_chinese_word_cuts_the_other_snippets_at_words(
    cache: Path, capsys: pytest.CaptureFixture[str], body: str, word: str
) -> None:
    # '…me minister resigned today…': the snippet began inside "prime".
    store = Store.open(cache / "newsdesk.db")
    source = store.ensure_source("Wire", SourceKind.WEB, "https://wire.example/")
    articles = [Article("Talks", body, guid="a"), Article("经济", "今天经济很好。", guid="z")]
    store.record_refresh(source, articles, FetchOutcome(status=200))
    store.close()
    main(["--cache", str(cache), "search", "--json", f"{word} OR 经济"])
    snippet = next(
        hit["snippet"] for hit in json.loads(capsys.readouterr().out) if hit["title"] == "Talks"
    )
    words = set(body.split())
    assert all(part.strip("…") in words for part in snippet.split()), snippet  # whole words
