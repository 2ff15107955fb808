"""Snippets of hits in very long articles: cut around the match wherever it is, at a cost
that does not grow with the number of matches (FTS5's own snippet scored every match against
every other: a 5 MB article took a minute for three words)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sql import connection
from tests.store.test_search import add, art, find
from tui.models import MATCH_CLOSE, MATCH_OPEN
from tui.store import Store, bodies
from tui.store import search as search_module
from tui.store.snippets import LONG_TEXT, PIECE

FILLER = "the quick brown fox jumps over the lazy dog while harbour lights glow softly "


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "cache" / "newsdesk.db")
    yield opened
    opened.close()


def filler(chars: int) -> str:
    return FILLER * (chars // len(FILLER))


def marked(text: str) -> str:
    return MATCH_OPEN + text + MATCH_CLOSE


def test_a_match_deep_in_a_five_megabyte_article_is_the_snippet(store: Store) -> None:
    body = filler(4_000_000) + "Then the zephyr quartz nebula appeared. " + filler(1_000_000)
    add(store, "Feed", art("Huge", body), art("Small", "A zephyr over the quartz nebula."))
    hits = {hit.row.title: hit.snippet for hit in find(store, "zephyr quartz nebula").hits}
    assert hits["Huge"].startswith("…") and hits["Huge"].endswith("…")
    assert (
        f"Then the {marked('zephyr')} {marked('quartz')} {marked('nebula')} appeared."
        in (hits["Huge"])
    )
    assert len(hits["Huge"]) < 200
    assert hits["Small"] == f"A {marked('zephyr')} over the {marked('quartz')} {marked('nebula')}."


def test_words_found_everywhere_in_a_long_article_never_make_the_index_read_it(
    store: Store,
) -> None:
    words = itertools.cycle("alpha bravo charlie delta echo".split())
    body = " ".join(next(words) for _ in range(200_000))  # a million characters
    add(store, "Feed", art("Everywhere", body))
    read: list[int] = []

    def indexed_body(stored: bodies.Stored) -> str:
        text = bodies.indexed(stored)
        read.append(len(text))
        return text

    with connection(store) as conn:
        conn.create_function("nd_indexed_body", 1, indexed_body, deterministic=True)
        (hit,) = search_module.search(conn, "alpha bravo charlie").hits
    # FTS5 cuts a snippet from the text the index saw, scoring each match against each other.
    assert sum(read) <= LONG_TEXT
    assert hit.snippet.startswith(f"{marked('alpha')} {marked('bravo')} {marked('charlie')} ")


def ending_at(chars: int) -> str:
    """Filler of `chars` characters ending in a space, for a word that follows to start there."""
    return ("x " * chars)[: chars - 1] + " "


def test_long_text_searched_piece_by_piece_finds_whole_words_and_phrases_across_pieces(
    store: Store,
) -> None:
    # The first piece is cut after "alpha" of "alphabet" and between "gamma" and "delta".
    word_cut = ending_at(PIECE - 5) + "alphabet soup " + filler(PIECE) + "the alpha omega "
    phrase_cut = ending_at(PIECE - 6) + "gamma delta rays "
    add(store, "Feed", art("Word", word_cut + filler(PIECE)), art("Phrase", phrase_cut))
    (hit,) = find(store, "alpha").hits
    assert "alphabet" not in hit.snippet and f"the {marked('alpha')} omega" in hit.snippet
    (hit,) = find(store, '"gamma delta"').hits
    assert hit.snippet.endswith(f"x {marked('gamma delta')} rays")


def test_long_text_finds_folded_words_and_shows_them_as_written(store: Store) -> None:
    body = filler(LONG_TEXT * 3) + "Η Αθήνα και η Hauptstraße. " + filler(LONG_TEXT)
    add(store, "Feed", art("Greek", body + "東京タワー. " + filler(LONG_TEXT)))
    (hit,) = find(store, "αθηνα hauptstrasse").hits
    assert f"Η {marked('Αθήνα')} και η {marked('Hauptstraße')}." in hit.snippet
    (hit,) = find(store, "title:greek 東京").hits  # a CJK word, not the CJK snippets
    assert f"{marked('東京')}タワー." in hit.snippet


def test_long_article_matched_by_its_title_shows_its_start(store: Store) -> None:
    add(store, "Feed", art("Title words", filler(LONG_TEXT * 2)))
    (hit,) = find(store, "title").hits
    assert hit.snippet.startswith("the quick brown fox") and len(hit.snippet) < 200
