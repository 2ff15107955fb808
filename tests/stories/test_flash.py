"""An agency's short versions of its own story: a copy cut to its first sentence, a one-line
flash under the full text's headline. Each joins the full text whether they come in one
refresh, in either order, or one refresh after the other."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.stories.test_detection import WHEN, Cache
from tui.models import Article, FetchOutcome, SourceKind
from tui.stories.grouping import group_stories

RATE = "Bank of Canada cuts key rate to 2.25%"
RATE_TEXT = (
    "The Bank of Canada lowered its key interest rate by a quarter point to 2.25% on "
    "Wednesday, its third cut this year, citing a weakening labour market. Governor Tiff "
    "Macklem said inflation of 1.9% was close to the 2% target. Most economists polled by "
    "Reuters had expected the cut. The Canadian dollar fell 0.4% against the US dollar."
)
STRIKE = "Dockworkers begin 48-hour strike at Rotterdam port"
STRIKE_TEXT = (
    "Dockworkers at the port of Rotterdam walked off the job on Wednesday morning, starting "
    "a 48-hour strike over pay and automation. The FNV Havens union said about 4,200 "
    "workers joined the action. Terminal operator ECT said 12,000 containers would be delayed."
)
Item = tuple[str, str, str, datetime]
"""An outlet's article: its source, headline, text and date."""


def stories_of(path: Path, items: list[Item], arrival: str) -> list[int | None]:
    """The stories of `items` stored in one refresh, or one refresh each (`arrival`: "one
    refresh", "in order", "reversed"), as `list --json` shows them."""
    if arrival == "one refresh":
        refreshes = [items]
    else:
        refreshes = [[item] for item in (items if arrival == "in order" else items[::-1])]
    found = {}
    for refresh in refreshes:
        cache = Cache(path)  # a process per refresh: earlier ones' found in the cache
        ids = [_record(cache, *item) for item in refresh]
        group_stories(cache.store, ids)
        found.update(zip(refresh, ids, strict=True))
    cache = Cache(path)
    return [cache.story(found[item]) for item in items]


def _record(cache: Cache, source: str, title: str, body: str, when: datetime) -> int:
    """Store an article as a refresh does, leaving its story to the refresh's one pass."""
    source_id = cache.store.ensure_source(source, SourceKind.WEB, f"https://{source}.example/feed")
    article = Article(title=title, body=body, guid=f"{source}-{title}", published=when)
    result = cache.store.record_refresh(source_id, [article], FetchOutcome(complete=False))
    return result.new_ids[0]


ARRIVALS = ["one refresh", "in order", "reversed"]


@pytest.mark.parametrize("arrival", ARRIVALS)
@pytest.mark.parametrize("sentences", [1, 2])
def test_a_copy_cut_after_its_first_sentences_joins_its_full_text(
    tmp_path: Path, arrival: str, sentences: int
) -> None:
    cut = ". ".join(RATE_TEXT.split(". ")[:sentences]) + "."
    items = [
        ("Wire", RATE, RATE_TEXT, WHEN),
        ("Herald", RATE, cut, WHEN + timedelta(minutes=25)),
    ]
    first, second = stories_of(tmp_path / "cache.db", items, arrival)
    assert first == second is not None


@pytest.mark.parametrize("arrival", ARRIVALS)
@pytest.mark.parametrize("headline", [STRIKE, "BREAKING: " + STRIKE])
def test_a_one_line_flash_joins_the_full_text_under_its_headline(
    tmp_path: Path, arrival: str, headline: str
) -> None:
    items = [
        ("Wire", STRIKE, STRIKE_TEXT, WHEN),
        ("Metro", headline, "", WHEN + timedelta(minutes=2)),
    ]
    first, second = stories_of(tmp_path / "cache.db", items, arrival)
    assert first == second is not None


@pytest.mark.parametrize("arrival", ARRIVALS)
def test_a_short_headline_or_a_day_later_is_no_flash_of_a_story(
    tmp_path: Path, arrival: str
) -> None:
    items = [
        ("Wire", "Stocks fall", "Stocks fell sharply in Tokyo as the yen rose to 140.2 yen.", WHEN),
        ("Metro", "Stocks fall", "", WHEN + timedelta(hours=1)),
        ("Wire", STRIKE, STRIKE_TEXT, WHEN),
        ("Metro", STRIKE, "", WHEN + timedelta(days=1)),
    ]
    assert stories_of(tmp_path / "cache.db", items, arrival) == [None] * 4


def test_a_generic_headline_crowds_out_no_copy(tmp_path: Path) -> None:
    # A headline key for every article found a day of "news" before the copy's own wording,
    # and the copy, headlined "News", stood alone.
    path = tmp_path / "cache.db"
    original = _record(Cache(path), "Wire", STRIKE, STRIKE_TEXT, WHEN)
    filler = [
        (f"Outlet{n % 7}", f"News {n}", f"Today's news number {n} about item {n}.", WHEN)
        for n in range(500)
    ]
    stories_of(path, filler, "one refresh")
    copy = ("Herald", "News", STRIKE_TEXT, WHEN + timedelta(hours=2))
    [joined] = stories_of(path, [copy], "one refresh")
    assert joined is not None and Cache(path).story(original) == joined
