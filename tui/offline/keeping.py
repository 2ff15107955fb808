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

_LINK_NUMBER = re.compile(r"\[\d+\]")
_WORD = re.compile(r"\w+")


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
    short = words < SHORT * feed_words and not _covered(_words(feed_text), _words(page_text))
    if words < MIN_WORDS or short:
        return f"the page has only {words} words, less than the feed (paywall or login wall?)"
    return None


def holds_whole(feed_text: str, page_text: str) -> bool:
    """True when the feed's text is as long as the page's, or holds `COVERED` of its words
    (link numbers aside: the two texts number their links apart)."""
    feed, page = _words(feed_text), _words(page_text)
    return feed.total() >= page.total() or _covered(feed, page)


def _covered(feed: Counter[str], page: Counter[str]) -> bool:
    return (feed & page).total() >= COVERED * page.total()


def _words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(_LINK_NUMBER.sub(" ", text).casefold()))


def image_urls(text: str, links: Sequence[str]) -> list[str]:
    """The web addresses of the images in a text (`[image: alt] [N]`), in order."""
    from tui.content.blocks import IMAGE_LINE  # only once a page was fetched

    numbers = (int(found["number"]) for found in IMAGE_LINE.finditer(text) if found["number"])
    return [links[n - 1] for n in numbers if 0 < n <= len(links) and is_web_url(links[n - 1])]
