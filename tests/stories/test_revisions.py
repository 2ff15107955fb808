"""An agency's update revising its figures an hour later, and reports written apart that share
several numbers and names: one story each, while a template's other day stays apart."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.stories.test_detection import WHEN, Cache
from tests.stories.test_flash import ARRIVALS, RATE, RATE_TEXT, stories_of

OPEC = (
    "OPEC+ agreed on Thursday to extend voluntary oil production cuts of 2.2 million barrels "
    "per day until the end of June, the group said after an online meeting. Saudi Arabia's "
    "energy minister Prince Abdulaziz bin Salman said the market needed stability. Brent crude "
    "rose {0}% to {1} dollars a barrel after the announcement."
)
OPEC_TITLE = "OPEC+ extends oil output cuts of 2.2 million barrels a day to June"
MACKLEM = (
    "Canada's central bank made its third rate cut of the year on Wednesday, taking the "
    "overnight rate to 2.25%. Tiff Macklem pointed to rising unemployment and inflation of "
    "1.9%. The loonie slipped 0.4% after the announcement."
)


VOTE = (
    "Portuguese President Marcelo Rebelo de Sousa dissolved parliament on Tuesday and called a "
    "snap general election for March 7, after the minority government lost a confidence vote. "
    "Prime Minister Luis Montenegro's government was defeated by 121 votes to 104 last week. "
    "It will be Portugal's fourth general election in five years."
)
VOTE_REWRITE = (
    "Marcelo Rebelo de Sousa has set March 7 as the date for early elections after Luis "
    "Montenegro lost a confidence vote 121-104. Voters are weary: it will be the fourth "
    "general election in five years."
)


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    return Cache(tmp_path / "cache.db")


def test_an_update_revising_two_figures_an_hour_later_joins_its_report(cache: Cache) -> None:
    first = cache.add("Biz", OPEC_TITLE, OPEC.format("1.6", "64.20"))
    update = OPEC.format("1.7", "64.31") + " The group will meet again on March 1."
    later = cache.add("Wire", "UPDATE 1-" + OPEC_TITLE, update, WHEN + timedelta(hours=1))
    assert cache.story(first) == cache.story(later) is not None


def test_the_same_text_with_other_figures_the_next_day_is_another_story(cache: Cache) -> None:
    first = cache.add("Biz", OPEC_TITLE, OPEC.format("1.6", "64.20"))
    later = cache.add("Biz", OPEC_TITLE, OPEC.format("0.8", "61.05"), WHEN + timedelta(hours=20))
    assert cache.story(first) is None and cache.story(later) is None


def test_a_rewrite_sharing_three_figures_and_the_governor_joins(cache: Cache) -> None:
    first = cache.add("Biz", RATE, RATE_TEXT)
    rewrite = cache.add(
        "Herald",
        "Macklem trims rates again as jobs market cools",
        MACKLEM,
        WHEN + timedelta(hours=3),
    )
    assert cache.story(first) == cache.story(rewrite) is not None


@pytest.mark.parametrize("arrival", ARRIVALS)
def test_a_rewrite_naming_the_vote_and_the_country_otherwise_joins(
    tmp_path: Path, arrival: str
) -> None:
    # "Portugal's" and "Portugal", "121 votes to 104" and "121-104": the same names and numbers.
    items = [
        ("Wire", "Portugal's president calls snap election for March 7", VOTE, WHEN),
        (
            "Herald",
            "Fourth election in five years: Portugal votes on March 7",
            VOTE_REWRITE,
            WHEN + timedelta(hours=13),
        ),
    ]
    first, rewrite = stories_of(tmp_path / "cache.db", items, arrival)
    assert first == rewrite is not None
