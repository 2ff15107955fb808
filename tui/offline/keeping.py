"""Which text a save keeps: the page's extract, or the feed's own text when the feed already
held the whole article; and the images of the text kept.

A full-content feed (RSS `content:encoded`, an Atom `content`) carries the article as written.
trafilatura is set for precision, which keeps a page's chrome out (its default and
`favor_recall` settings let a paywall's and a navigation page's words through, measured over
tests/fixtures), and drops on the way a figure's caption, footnotes, a paragraph that is mostly
a link, a heading, a nested quote's level. So a save never leaves less to read than the feed
gave: when the feed's text has as many words as the extract, or holds nearly all of them, the
feed's text is the one kept, with its own links and images.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui.weburl import is_web_url

if TYPE_CHECKING:
    from tui.content.extract import Extracted
    from tui.store.saved import SaveTarget

COVERED = 0.9
"""The share of the extract's words the feed's text must hold to be the whole article."""
MIN_WORDS = 15
"""A page with fewer words than this (or much less than the feed) is a paywall or a login wall."""
SHORT = 0.8
"""The share of the feed's words a page's extract holds at least, unless the feed holds it."""

ENDING = 8
"""The feed's last words (of 4 letters or more): a page that lacks most of them stops before
the feed's text does."""
AFTER_CUT = 40
"""The page's words after it stops following the feed where a paywall asks to subscribe."""
PAYWALL = "the page stops before the feed's text does, and asks to subscribe or log in (paywall?)"

_LINK_NUMBER = re.compile(r"\[\d+\]")
_WORD = re.compile(r"\w+")
_WALL = re.compile(r"\b(?:subscri\w+|log ?in|sign ?in|sign up|register|members only)\b", re.I)


def kept_text(extracted: Extracted, target: SaveTarget) -> Extracted:
    """The page's extract, or the feed's text (with its links and images) where that holds
    the whole article; the page's title, author and date either way."""
    if not holds_whole(target.feed_text, extracted.text):
        return extracted
    images = tuple(image_urls(target.feed_text, target.feed_links))
    return dataclasses.replace(
        extracted, text=target.feed_text, links=target.feed_links, images=images
    )


def shortfall(page_text: str, feed_text: str) -> str | None:
    """Why the page's extract is no article, when it holds less than the feed: a paywall or
    a login wall. None when it is one, and when each word of it is the feed's: a part of a
    full-content feed's article (a "read more" hides the rest, the extract lost its lists),
    whose text, kept, is the whole article."""
    words, feed_words = len(page_text.split()), len(feed_text.split())
    if feed_words >= MIN_WORDS and _covered(_words(feed_text), _words(page_text)):
        return None  # however few words the page shows: a teaser's feed holds too few
    if words < MIN_WORDS or words < SHORT * feed_words:
        return f"the page has only {words} words, less than the feed (paywall or login wall?)"
    return None


def cut_off(page_text: str, feed_text: str) -> str | None:
    """Why the page's extract is a paywall's, when it stops where the feed's text goes on
    (it lacks most of the feed's last words) and, right after the feed's words it has, asks
    to subscribe or log in; a "read more" teaser's page goes on with the article instead."""
    page, feed = _sequence(page_text), _sequence(feed_text)
    ending = [word for word in feed if len(word) > 3][-ENDING:]  # "the", "a" are everywhere
    if len(ending) < ENDING // 2 or 2 * sum(word in set(page) for word in ending) > len(ending):
        return None
    cut = _followed(page, feed)
    return PAYWALL if _WALL.search(" ".join(page[cut : cut + AFTER_CUT])) else None


def _followed(page: list[str], feed: list[str]) -> int:
    """Where the page stops following the feed's first words (0 when it never does)."""
    start = next((i for i in range(len(page)) if page[i : i + 3] == feed[:3]), None)
    if start is None:
        return 0
    run = 0
    while start + run < len(page) and run < len(feed) and page[start + run] == feed[run]:
        run += 1
    return start + run


def holds_whole(feed_text: str, page_text: str) -> bool:
    """True when the feed's text is as long as the page's, or holds `COVERED` of its words
    (link numbers aside: the two texts number their links apart)."""
    feed, page = _words(feed_text), _words(page_text)
    return feed.total() >= page.total() or _covered(feed, page)


def _covered(feed: Counter[str], page: Counter[str]) -> bool:
    return (feed & page).total() >= COVERED * page.total()


def _words(text: str) -> Counter[str]:
    return Counter(_sequence(text))


def _sequence(text: str) -> list[str]:
    return _WORD.findall(_LINK_NUMBER.sub(" ", text).casefold())


def image_urls(text: str, links: Sequence[str]) -> list[str]:
    """The web addresses of the images in a text (`[image: alt] [N]`), in order."""
    from tui.content.blocks import IMAGE_LINE  # only once a page was fetched

    numbers = (int(found["number"]) for found in IMAGE_LINE.finditer(text) if found["number"])
    return [links[n - 1] for n in numbers if 0 < n <= len(links) and is_web_url(links[n - 1])]
