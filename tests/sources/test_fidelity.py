"""The lxml fast path reads what feedparser reads, or hands the feed to feedparser.

The corpus is tests/fixtures/fidelity: feeds written for each form below (own/) and a
selection of feedparser's own well-formed test files (feedparser/, see the README there).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tui.models import Article
from tui.sources.fastxml import read_fast
from tui.sources.feeds import ParsedFeed, parse_feed

CORPUS = Path(__file__).parent.parent / "fixtures" / "fidelity"
FILES = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".xml", ".rdf"))
OWN = CORPUS / "own"
BASE = "https://feeds.test/dir/feed.xml"
NOW = datetime(2030, 1, 1, tzinfo=UTC)
FAST_FILES = [
    p for p in FILES if read_fast(p.read_bytes()) and parse_feed(p.read_bytes(), now=NOW).articles
]
"""The files the fast path reads with articles in them: the good copies of feeds."""


def fields(feed: ParsedFeed) -> list[tuple[object, ...]]:
    """What a reader sees of each entry (title, link, author, date, body text and its links)
    and its guid, which keeps an article one article from a refresh to the next."""
    return [(a.guid, a.title, a.url, a.author, a.published, a.body, a.links) for a in feed.articles]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_fast_path_agrees_with_feedparser_or_declines(path: Path) -> None:
    data = path.read_bytes()
    fast = parse_feed(data, BASE, now=NOW)
    slow = parse_feed(data, BASE, now=NOW, fast=False)
    assert fast.title == slow.title
    assert fields(fast) == fields(slow)


def identity(feed: ParsedFeed) -> list[tuple[object, ...]]:
    """What keeps an item one article from a refresh to the next, and how it is listed."""
    return [(a.guid, a.url, a.title, a.published) for a in feed.articles]


@pytest.mark.parametrize("path", FAST_FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_a_broken_copy_reads_every_item_as_the_whole_one(path: Path) -> None:
    """A feed served once with a stray `&` (read by feedparser's lenient parser) and then
    whole (the fast path): each item keeps its guid, link, title and date, so the good copy
    adds no second article."""
    data = path.read_bytes()
    first_item = re.search(rb"<(?:item|entry)[\s>]", data)
    assert first_item is not None
    broken = data[: first_item.start()] + b"&" + data[first_item.start() :]
    lenient = parse_feed(broken, BASE, now=NOW)
    assert (lenient.warning or "").startswith("malformed XML")
    assert identity(lenient) == identity(parse_feed(data, BASE, now=NOW))


def test_the_fast_path_reads_most_of_the_corpus() -> None:
    """Agreement by declining everything would be no fast path at all."""
    accepted = [p for p in FILES if read_fast(p.read_bytes()) is not None]
    assert len(accepted) >= 0.7 * len(FILES)
    assert all(read_fast(p.read_bytes()) for p in OWN.glob("*.xml"))


def own(name: str) -> dict[str, Article]:
    """An own fixture feed (read on the fast path), its articles by title."""
    data = (OWN / name).read_bytes()
    assert name.endswith(".rdf") or read_fast(data) is not None
    return {a.title: a for a in parse_feed(data, BASE, now=NOW).articles}


def test_dates_in_dublin_core_elements() -> None:
    items = own("rss_dc_dates.xml")
    assert items["Budget approved after a long night"].published == datetime(
        2023, 4, 5, 6, 7, 8, tzinfo=UTC
    )
    assert items["Library hours extended"].published == datetime(2023, 5, 6, 8, tzinfo=UTC)
    assert items["Bridge reopens"].published == datetime(2022, 11, 30, 8, 15, tzinfo=UTC)
    both = items["Both dates stated"]
    assert both.published == datetime(2023, 4, 4, 1, 2, 3, tzinfo=UTC)
    assert both.updated == datetime(2023, 4, 9, 12, tzinfo=UTC)


def test_author_forms() -> None:
    authors = {title: a.author for title, a in own("rss_authors.xml").items()}
    assert authors == {
        "Harbour expansion": "Ana Ruiz",
        "Name then address": "Ana Ruiz",
        "Only an address": "desk@x.test",
        "Written by two": "Bo Lind, Cy Okafor",
        "dc:author byline": "Dee Park",
        "Author and creators together": "Ana Ruiz, Bo Lind, Cy Okafor",
    }


def test_unescaped_markup_in_a_description_is_read_whole() -> None:
    item = own("rss_bodies.xml")["Unescaped markup"]
    assert item.body == "Intro **bold** and the rest of the story, *with* a link [1]."
    assert item.links == ("https://bodies.test/more",)


def test_xhtml_body_fullitem_and_dc_description() -> None:
    expected = {
        "xhtml body": "First paragraph of the xhtml body.\n\nSecond & last.",
        "xhtml body, default namespace": "Written with a default namespace.",
        "fullitem": "The **full** item text.",
        "dc:description": "Only a Dublin Core description.",
    }
    items = own("rss_bodies.xml")
    assert {title: items[title].body for title in expected} == expected


def test_a_plain_rss_title_keeps_its_brackets() -> None:
    assert "Escaped brackets in a plain title: <blink>" in own("rss_bodies.xml")


def test_atom_entry_without_link_uses_its_http_id() -> None:
    items = own("atom_links_titles.xml")
    assert items["No link, an http id"].url == "https://lab.test/notes/42"
    assert items["No link, a tag id"].url is None
    assert items["Alternate link after the id"].url == "https://lab.test/notes/forty-five"


def test_atom_xhtml_title_keeps_escaped_brackets() -> None:
    item = own("atom_links_titles.xml")["History of the <blink> tag"]
    assert item.body == "It blinked <for years>."


@pytest.mark.parametrize("name", ["rss_embed_object_c1.xml", "rdf_embed_object_c1.rdf"])
def test_lone_embed_or_object_shows_no_tags(name: str) -> None:
    items = own(name)
    assert items["Embedded clip"].body == ""
    assert items["Object player"].body == "Watch the launch:"


@pytest.mark.parametrize("name", ["rss_embed_object_c1.xml", "rdf_embed_object_c1.rdf"])
def test_a_stray_c1_character_is_dropped_alone(name: str) -> None:
    item = own(name)["Mojibake cafe review"]
    assert item.body == (
        "The cafe on the corner serves the best coffee in town, and the rest of this sentence "
        "stays."
    )


def test_a_relative_xml_base_is_resolved_against_the_feed_address() -> None:
    """`xml:base="/blog/"` (and a base nested in it) is relative to the feed's address: the
    body's links and images are kept, resolved as feedparser resolves them."""
    entries = own("atom_relative_base.xml")
    assert entries["Links under a relative base"].links == (
        "https://feeds.test/blog/2024/other.html",
        "https://feeds.test/blog/img/chart.png",
    )
    assert entries["A nested relative base"].links == (
        "https://feeds.test/blog/archive/notes.html",
    )
    story = own("rss_relative_base.xml")["Under the channel's base"]
    assert story.url == "https://feeds.test/news/2024/story.html"
    assert story.links == (
        "https://feeds.test/news/2024/more.html",
        "https://feeds.test/news/img/map.png",
    )


def test_link_relations_in_any_case_and_an_alternate_of_another_type() -> None:
    """`rel="Alternate"` is the page and `rel="Enclosure"` the attachment; an alternate link
    typed `text/html; charset=utf-8`, or the only one (a PDF), is the link, not the id."""
    entries = own("atom_link_rels.xml")
    capitalised = entries["Capitalised rel"]
    assert capitalised.url == "https://rels.test/posts/1"
    assert [e.url for e in capitalised.enclosures] == ["https://rels.test/posts/1.mp3"]
    assert entries["An HTML type with a charset"].url == "https://rels.test/posts/2"
    assert entries["The only alternate is a PDF"].url == "https://rels.test/posts/3.pdf"


@pytest.mark.parametrize("fast", [True, False], ids=["fast path", "feedparser"])
def test_the_feed_author_is_the_author_of_entries_without_one(fast: bool) -> None:
    """RFC 4287 4.2.1: an entry without an author has the feed's."""
    feed = parse_feed((OWN / "atom_feed_author.xml").read_bytes(), BASE, now=NOW, fast=fast)
    assert {a.title: a.author for a in feed.articles} == {
        "Entry without author": "Feed Wide Author",
        "Entry with its own author": "Guest Writer",
    }


def test_an_entry_source_author_comes_before_the_feed_author() -> None:
    guest = b"<author><name>Guest Writer</name></author>"
    source = b"<source><author><name>Source Writer</name></author></source>"
    data = (OWN / "atom_feed_author.xml").read_bytes().replace(guest, source)
    authors = [a.author for a in parse_feed(data, BASE, now=NOW).articles]
    assert authors == ["Feed Wide Author", "Source Writer"]
