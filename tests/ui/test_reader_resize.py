"""A resize keeps the reader on the text it showed on top, as a restart does: the rows are
wrapped again at the new width, and the same words are on the top line."""

from __future__ import annotations

import pytest

from tests.ui.conftest import AppFactory, settle
from tests.ui.data import NOW
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store
from tui.ui.widgets.reader import Reader

PARAGRAPHS = "\n\n".join(
    f"Paragraph {n} opens here. " + "Its words run on across several rows of the reader. " * 6
    for n in range(1, 31)
)


def add_long_article(store: Store) -> None:
    """An article of thirty paragraphs, newest (the first row)."""
    source = store.ensure_source("Essays", SourceKind.WEB, "https://essays.example/rss")
    article = Article(title="A long essay", body=PARAGRAPHS, guid="essay", published=NOW)
    store.record_refresh(source, [article], FetchOutcome(status=200), now=NOW.timestamp())


def top_line(reader: Reader) -> str:
    """The text on the reader's top row (a row of its body)."""
    return reader.body.render_line(round(reader.scroll_y) - reader.body.top).text.strip()


@pytest.mark.parametrize("zoomed", [True, False])
async def test_a_narrower_terminal_keeps_the_paragraph_on_top(
    new_app: AppFactory, store: Store, zoomed: bool
) -> None:
    # 120 to 70 columns: the reader kept how far into the article it was (a share of its
    # length), and the rows above grew longer: the top line became the second line of the
    # next paragraph, the paragraph between above the screen.
    add_long_article(store)
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        reader = app.screen.query_one(Reader)
        await settle(pilot)
        await pilot.press("g", "enter", *(["z"] if zoomed else []))
        await settle(pilot)
        [(_, text)] = reader.body.runs  # the paragraphs, one run
        tenth = reader.body.match_line(0, text.plain.index("Paragraph 10 "))
        reader.scroll_to(y=reader.body.top + tenth, animate=False, immediate=True)
        await settle(pilot)
        assert top_line(reader).startswith("Paragraph 10 opens here.")
        await pilot.resize_terminal(70, 40)
        await settle(pilot)
        assert reader.built_width < 70  # wrapped again
        assert top_line(reader).startswith("Paragraph 10 opens here.")
        await pilot.press("j")  # keys scroll on from there
        await settle(pilot)
        assert not top_line(reader).startswith("Paragraph 10 ")
