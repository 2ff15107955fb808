"""The reader's highlights and `]`/`[` reach every match the search found, spelled as the
article spells it (ß, full-width digits, curly apostrophes), and only those."""

from __future__ import annotations

import re

import pytest
from rich.style import Style

from tests.ui.conftest import AppFactory, record_notifications, settle
from tests.ui.test_reader_media import open_found
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store
from tui.ui.widgets.article_body import ArticleBody
from tui.ui.widgets.reader import Reader

BODY = (
    "Die Straße ist zu, sagt ein Fußgänger.\n\n"
    "Die Bahnhofstrasse bleibt offen, bis ２０２６.\n\n"
    "It doesn’t matter, says L’école."
)


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("strasse", ["Straße"]),
        ("fussganger", ["Fußgänger"]),
        ("2026", ["２０２６"]),
        ("dont OR doesn't", ["doesn’t"]),
        ("l'école", ["L’école"]),
    ],
)
async def test_every_match_the_search_found_is_highlighted_and_reachable(
    new_app: AppFactory, store: Store, query: str, shown: list[str]
) -> None:
    source = store.ensure_source("Wire", SourceKind.WEB, "https://wire.example/")
    store.record_refresh(source, [Article("Closed", BODY, guid="a")], FetchOutcome(status=200))
    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_found(pilot, query)
        reader = app.screen.query_one(Reader)
        assert reader.article is not None and reader.article.row.title == "Closed"
        body = reader.query_one(ArticleBody)
        match = reader._style("match")
        found = [
            t.plain[s.start : s.end] for _, t in body.runs for s in t.spans if s.style == match
        ]
        assert found == shown  # not "strasse" in "Bahnhofstrasse"
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert reader.border_subtitle == f"match 1 of {len(shown)}"


def looks_of_matches(body: ArticleBody, word: str) -> list[Style]:
    """The look of the first cell of each `word` in the body, in reading order (its
    colours, and whether it is underlined)."""
    looks = []
    for y in range(len(body.rows)):
        cells = [(char, segment.style) for segment in body.render_line(y) for char in segment.text]
        text = "".join(char for char, _ in cells)
        looks += [cells[at.start()][1] or Style() for at in re.finditer(word, text)]
    return [Style(color=s.color, bgcolor=s.bgcolor, underline=s.underline) for s in looks]


async def test_the_match_gone_to_looks_apart_from_the_others_and_nothing_covers_it(
    new_app: AppFactory, store: Store
) -> None:
    # Every match looked the same (bold, reversed), and the toast "Match 2 of 2" covered the
    # second, on the last rows: the article ended there, the reader could not scroll it up.
    source = store.ensure_source("Wire", SourceKind.WEB, "https://wire.example/")
    text = "The tide came in.\n\nNothing else.\n\nThe tide went out."
    store.record_refresh(source, [Article("Tides", text, guid="t")], FetchOutcome(status=200))
    app = new_app()
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_found(pilot, "tide")
        reader = app.screen.query_one(Reader)
        body = reader.query_one(ArticleBody)
        plain = looks_of_matches(body, "tide")
        assert len(plain) == 2 and plain[0] == plain[1]
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        first, second = looks_of_matches(body, "tide")
        assert first == plain[0] and second.underline and not first.underline
        assert second.color != first.color
        assert reader.border_subtitle == "match 2 of 2" and notes == []
        await pilot.press("left_square_bracket")
        await settle(pilot)
        first, second = looks_of_matches(body, "tide")
        assert first.underline and second == plain[1]
        assert reader.border_subtitle == "match 1 of 2"
