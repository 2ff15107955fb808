"""One-line items (a headline and a one-sentence summary, as many feeds give them): copies from
two outlets make a story, two items that only share a topic or a stock line do not."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, rss
from tests.stories.test_detection import WHEN, Cache
from tui.cli import main

STOCKS = ("Stocks fall", "Stocks fell sharply on Monday.")


def test_the_same_one_line_item_from_two_feeds_is_one_story(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    urls = {name: feed_server.feed(f"/{name}.xml", rss(name, [STOCKS])) for name in ("A", "B")}
    config = tmp_path / "feeds.toml"
    config.write_text(
        "".join(f'[[sources]]\nname = "{n}"\nurl = "{u}"\n' for n, u in urls.items()),
        encoding="utf-8",
    )
    assert main(["--config", str(config), "refresh"]) == 0
    capsys.readouterr()
    assert main(["--config", str(config), "list", "--json"]) == 0
    stories = {item["source"]: item["story"] for item in json.loads(capsys.readouterr().out)}
    assert stories["A"] == stories["B"] is not None


@pytest.mark.parametrize(
    "copy",
    [
        ("STOCKS FALL", "Stocks fell sharply on Monday"),
        ("UPDATE: Stocks fall", "Stocks fell sharply on Monday, traders said."),
        ("Stocks slide", "Stocks fell sharply on Monday."),
        ("Stocks fall - Wire", "Stocks fell sharply on Monday."),
    ],
    ids=["case and stop", "a phrase added", "another headline", "the outlet named"],
)
@pytest.mark.parametrize("later", [False, True], ids=["one refresh", "the next refresh"])
def test_a_near_copy_of_a_one_line_item_joins_it(
    tmp_path: Path, copy: tuple[str, str], later: bool
) -> None:
    cache = Cache(tmp_path / "cache.db")
    first = cache.add("Wire", *STOCKS)
    if later:  # found through the search index by another process, as a later refresh does
        cache = Cache(tmp_path / "cache.db")
    second = cache.add("Herald", *copy, WHEN + timedelta(hours=1))
    assert cache.story(first) == cache.story(second) is not None


def test_typographic_and_straight_apostrophes_are_one_copy(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache.db")
    first = cache.add("Wire", "Apple’s chargers recalled", "Apple’s chargers are recalled.")
    second = cache.add("Herald", "Apple's chargers recalled", "Apple's chargers are recalled.")
    assert cache.story(first) == cache.story(second) is not None


def test_one_line_items_sharing_a_name_are_two_stories(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache.db")
    ids = [
        cache.add("Wire", "Elon Musk in China", "Elon Musk arrived in Beijing on Monday."),
        cache.add("Herald", "Elon Musk in India", "Elon Musk arrived in New Delhi on Monday."),
        cache.add("Times", "Musk's Tesla cuts prices", "Elon Musk's Tesla cut its prices again."),
    ]
    assert [cache.story(i) for i in ids] == [None, None, None]


def test_a_stock_line_under_two_headlines_is_no_story(tmp_path: Path) -> None:
    stock = "Click here to read the full story on our website."
    cache = Cache(tmp_path / "cache.db")
    ocean = cache.add("Magazine", "Why the ocean is warming", stock)
    mayor = cache.add("Magazine", "A new mayor for Boston", stock, WHEN + timedelta(hours=2))
    assert cache.story(ocean) is None and cache.story(mayor) is None
