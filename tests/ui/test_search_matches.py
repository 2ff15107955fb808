"""The reader's highlights and `]`/`[` reach every match the search found, spelled as the
article spells it (ß, full-width digits, curly apostrophes), and only those."""

from __future__ import annotations

import pytest

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
    notes = record_notifications(app)
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
        assert notes[-1][1] == f"Match 1 of {len(shown)}"
