"""Feed bytes -> Articles: formats, links, sanitizing, broken and hostile feeds, big feeds."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.models import Article
from tui.sources.feeds import ParsedFeed, parse_feed

FEEDS = Path(__file__).parent.parent / "fixtures" / "feeds"
NOW = datetime(2025, 1, 1, tzinfo=UTC)


def parse(name: str, base_url: str | None = None, content_type: str | None = None) -> ParsedFeed:
    """Parse a fixture feed as if fetched from `base_url`."""
    return parse_feed((FEEDS / name).read_bytes(), base_url, content_type, now=NOW)


def by_title(feed: ParsedFeed) -> dict[str, Article]:
    """The feed's articles keyed by title."""
    return {a.title: a for a in feed.articles}


def all_text(feed: ParsedFeed) -> str:
    """Every string a user could see from this feed, joined."""
    parts = [feed.title or "", feed.warning or ""]
    for a in feed.articles:
        parts += [a.title, a.body, a.author or "", a.url or "", a.guid or ""]
        parts += [*a.links, *a.tags, *(e.url for e in a.enclosures)]
    return "\n".join(parts)


# -- formats --------------------------------------------------------------------------------


def test_rss2_prefers_content_encoded_and_resolves_links() -> None:
    feed = parse("rss2_content.xml", "https://news.example.com/feed.xml")
    assert feed.is_feed and feed.warning is None
    assert feed.title == "Example & Co. News"
    solar = by_title(feed)["Solar panels on every school roof"]
    assert solar.url == "https://news.example.com/2024/11/solar-schools"
    assert solar.author == "Ada Byrne"
    assert solar.tags == ("Energy", "Schools")
    assert [e.url for e in solar.enclosures] == ["https://news.example.com/media/solar.mp3"]
    assert "solar panels [1]" in solar.body
    assert "teaser" not in solar.body
    assert solar.links[0] == "https://news.example.com/energy/plan"


def test_scripts_styles_iframes_and_javascript_links_are_gone() -> None:
    solar = by_title(parse("rss2_content.xml", "https://news.example.com/"))[
        "Solar panels on every school roof"
    ]
    for unwanted in ("tracking", "color: red", "iframe text", "<", "javascript"):
        assert unwanted not in solar.body
    assert not any(link.startswith("javascript") for link in solar.links)
    assert "Read the full plan or contact us [2]." in solar.body  # javascript: keeps only text
    assert solar.links == (
        "https://news.example.com/energy/plan",
        "https://news.example.com/contact",
    )


def test_dates_are_aware_utc_and_missing_dates_are_none() -> None:
    articles = by_title(parse("rss2_content.xml"))
    solar = articles["Solar panels on every school roof"]
    assert solar.published == datetime(2024, 11, 12, 9, 0, tzinfo=UTC)
    assert solar.published.tzinfo is UTC
    second = articles["A second story without a date"]
    assert second.published is None and second.updated is None


def test_duplicate_guids_keep_the_first_and_empty_items_are_skipped() -> None:
    feed = parse("rss2_content.xml")
    titles = [a.title for a in feed.articles]
    assert "Duplicate of the first story" not in titles
    assert titles.count("Solar panels on every school roof") == 1
    assert len(feed.articles) == 3  # the empty item is gone


SHARED_GUID = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Reused ids</title>
<item><title>Port strike ends</title><link>https://x.example/port</link><guid>42</guid></item>
<item><title>Rates held</title><link>https://x.example/rates</link><guid>42</guid></item>
<item><title>Port strike ends</title><link>https://x.example/port</link><guid>42</guid></item>
</channel></rss>"""


@pytest.mark.parametrize("fast", [True, False])
def test_items_sharing_a_guid_with_other_links_are_each_kept(fast: bool) -> None:
    feed = parse_feed(SHARED_GUID, fast=fast)
    assert [(a.title, a.guid) for a in feed.articles] == [
        ("Port strike ends", "42#https://x.example/port"),
        ("Rates held", "42#https://x.example/rates"),
    ]  # the third item repeats the first: dropped


def test_missing_title_falls_back_to_the_start_of_the_body() -> None:
    untitled = parse("rss2_content.xml").articles[-1]
    assert untitled.title.startswith("An item with only a description")
    assert len(untitled.title) <= 81 and untitled.title.endswith("…")


def test_html_summary_becomes_text() -> None:
    second = by_title(parse("rss2_content.xml"))["A second story without a date"]
    assert second.body == "Plain **HTML** summary."


def test_atom_authors_html_title_xml_base_and_updated_only() -> None:
    feed = parse("atom10.xml", "https://blog.example.org/feed.atom")
    assert feed.title == "The Lab Notebook"
    tiny = by_title(feed)["Measuring tiny forces"]
    assert tiny.url == "https://blog.example.org/posts/tiny-forces.html"
    assert tiny.author == "Mei Tanaka, Luis Ortega"
    assert tiny.published == datetime(2024, 11, 11, 3, 15, tzinfo=UTC)
    assert tiny.updated == datetime(2024, 11, 11, 9, 0, tzinfo=UTC)
    assert tiny.body == "We built a balance [1]."
    assert tiny.links == ("https://blog.example.org/posts/balance.html",)
    assert [e.url for e in tiny.enclosures] == ["https://cdn.example.org/data.csv"]
    assert tiny.tags == ("physics",)
    only = by_title(feed)["Only updated"]
    assert only.published == only.updated == datetime(2024, 11, 12, 8, 30, tzinfo=UTC)
    assert only.body == "Line one.\nLine two <not a tag>."


def test_rss10() -> None:
    feed = parse("rss10.rdf")
    (comet,) = feed.articles
    assert feed.title == "RDF Site Summary"
    assert comet.title == "Comet visible after sunset"
    assert comet.author == "Observatory Staff"
    assert comet.published == datetime(2024, 11, 12, 18, 0, tzinfo=UTC)
    assert comet.url == "https://rdf.example.net/a"


def test_json_feed_11() -> None:
    feed = parse("jsonfeed11.json", "https://json.example.com/feed.json")
    assert feed.is_feed and feed.title == "JSON Example"
    rivers = by_title(feed)["Rivers return to their old beds"]
    assert rivers.url == "https://json.example.com/posts/1"
    assert rivers.guid == "1"
    assert rivers.body == "Engineers removed a dam [1]."
    assert rivers.links == ("https://json.example.com/dams",)
    assert rivers.author == "Rosa Klein"
    assert rivers.published == datetime(2024, 11, 12, 8, 0, tzinfo=UTC)
    assert rivers.updated == datetime(2024, 11, 13, 10, 0, tzinfo=UTC)
    assert rivers.tags == ("rivers", "ecology")
    assert [e.url for e in rivers.enclosures] == ["https://json.example.com/audio.mp3"]
    plain = by_title(feed)["Plain text item"]
    assert plain.guid == "2" and plain.body == "Just text.\nSecond line."
    assert plain.url == "https://elsewhere.example.org/story"
    assert plain.author == "Feed Author"  # the feed's author stands in
    summary = by_title(feed)["Summary only"]
    assert summary.published is None
    assert len(feed.articles) == 3  # the empty item and the string are skipped


def test_json_by_content_type_and_json_that_is_not_a_feed() -> None:
    data = (FEEDS / "jsonfeed11.json").read_bytes()
    assert parse_feed(b"\n" + data, content_type="application/feed+json").is_feed
    other = parse_feed(b'{"hello": "world"}')
    assert not other.is_feed and other.warning and "not a feed" in other.warning
    broken = parse_feed(b'{"version": ', content_type="application/json")
    assert not broken.is_feed and broken.warning and "invalid JSON" in broken.warning
    deep = parse_feed(b"{" + b'"a":[' * 100_000)
    assert not deep.is_feed


# -- broken feeds ---------------------------------------------------------------------------


def test_bozo_feed_with_entries_is_kept_with_a_warning() -> None:
    feed = parse("bozo_entries.xml")
    assert feed.is_feed
    assert [a.title for a in feed.articles] == ["First kept", "Second kept"]
    assert feed.warning is not None
    assert feed.warning.startswith("malformed XML (line ")
    assert feed.warning.endswith("; 2 entries kept")
    assert "\n" not in feed.warning


def test_truncated_feed_keeps_the_complete_entries() -> None:
    data = (FEEDS / "rss2_content.xml").read_bytes()
    cut = data[: data.index(b"<item>", data.index(b"second")) + 20]
    feed = parse_feed(cut)
    assert feed.is_feed and feed.warning
    assert "Solar panels on every school roof" in by_title(feed)


TWO_ITEMS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</title>'
    b"<item><title>One</title><guid>c-1</guid><description>Whole.</description></item>"
    b'<item xml:lang="en"><title>Two</title><guid>c-2</guid><description>Whole too.</description>'
    b"</item></channel></rss>"
)


@pytest.mark.parametrize(
    ("end", "kept", "skipped"),
    [
        (b"Whole t", ["One"], True),  # in the second item's text
        (b"<title>Two</title>", ["One"], True),  # between its parts
        (b"</description></it", ["One"], True),  # in its end tag
        (b"</item></chan", ["One", "Two"], False),  # after it
        (b"<item xml:la", ["One"], False),  # in its start tag: never read
    ],
)
def test_an_item_the_document_is_cut_off_inside_is_skipped(
    end: bytes, kept: list[str], skipped: bool
) -> None:
    cut = parse_feed(TWO_ITEMS[: TWO_ITEMS.rindex(end) + len(end)], now=NOW)
    assert [a.title for a in cut.articles] == kept
    assert cut.warning is not None
    assert cut.warning.endswith(" kept (the last was cut off: skipped)") == skipped


def test_a_feed_cut_off_inside_its_first_item_is_a_failure_not_up_to_date() -> None:
    feed = parse_feed(b'<?xml version="1.0"?><rss><channel><title>Cut</title><item><title>Half')
    assert not feed.is_feed and feed.articles == []
    assert feed.warning == "not a feed: malformed XML (line 1: no element found)"


def test_html_page_links_its_feed() -> None:
    feed = parse("html_with_alternate.html", "https://blog.example.com/about/")
    assert not feed.is_feed and feed.articles == []
    assert feed.alternate == "https://blog.example.com/feeds/atom.xml"
    assert feed.warning and "HTML page" in feed.warning


def test_html_page_without_feed_link_and_junk() -> None:
    page = parse_feed(b"<!doctype html><html><body><p>No feed here</p></body></html>")
    assert not page.is_feed and page.alternate is None
    junk = parse_feed(b"this is not xml at all \x00\x01")
    assert not junk.is_feed and junk.warning and junk.warning.startswith("not a feed")
    empty = parse_feed(b"")
    assert not empty.is_feed and empty.warning == "not a feed: empty document"


def test_empty_but_valid_feed_is_a_feed() -> None:
    feed = parse_feed(b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>')
    assert feed.is_feed and feed.articles == [] and feed.warning is None


def test_invalid_utf8_bytes_do_not_break_parsing() -> None:
    feed = parse("invalid_utf8.xml")
    assert feed.is_feed and len(feed.articles) == 1
    assert feed.articles[0].url == "https://bytes.example.com/1"


def test_wrong_declared_encoding_is_recovered_with_a_warning() -> None:
    feed = parse("wrong_encoding.xml")
    (article,) = feed.articles
    assert article.title == "Crème brûlée à la café"
    assert article.body == "Señor Müller"
    # The feed is read whole: nothing says entries were kept, as if some were lost.
    assert feed.warning == "wrong declared encoding (declared utf-8, read as windows-1252)"


def test_an_undeclared_legacy_encoding_is_not_said_to_be_declared() -> None:
    data = (FEEDS / "wrong_encoding.xml").read_bytes().split(b"?>", 1)[1]
    feed = parse_feed(data, now=NOW)
    assert feed.articles[0].title == "Crème brûlée à la café"
    assert feed.warning == "undeclared encoding (not UTF-8: read as windows-1252)"


def test_http_charset_for_legacy_bytes_and_text_xml_for_utf8() -> None:
    latin = '<rss version="2.0"><channel><item><title>Zürich</title></item></channel></rss>'
    feed = parse_feed(latin.encode("latin-1"), content_type="text/xml; charset=ISO-8859-1")
    assert feed.articles[0].title == "Zürich" and feed.warning is None
    utf8 = parse_feed(latin.encode(), content_type="text/xml")  # RFC 3023 would say ASCII
    assert utf8.articles[0].title == "Zürich" and utf8.warning is None


def test_valid_utf8_wins_over_a_wrong_declaration() -> None:
    text = '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel>'
    text += "<item><title>Zürich café</title></item></channel></rss>"
    feed = parse_feed(text.encode(), content_type="application/rss+xml; charset=iso-8859-1")
    assert feed.articles[0].title == "Zürich café"


def test_utf16_feed() -> None:
    text = '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel>'
    text += "<item><title>Ünïcödé</title><link>https://u.example/1</link></item></channel></rss>"
    feed = parse_feed(text.encode("utf-16"))
    assert feed.articles[0].title == "Ünïcödé"


# -- hostile feeds --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["billion_laughs.xml", "billion_laughs_inline.xml"])
def test_billion_laughs_is_not_expanded(name: str) -> None:
    started = time.monotonic()
    feed = parse(name)
    assert time.monotonic() - started < 5  # a hang guard, not a benchmark
    text = all_text(feed)
    assert "lollol" not in text and "a" * 60 not in text
    assert len(all_text(feed)) < 2000
    assert [a.url for a in feed.articles] in (
        ["https://lol.example.com/1"],
        ["https://lol.example.com/2"],
    )


def test_plain_entities_of_the_internal_subset_are_expanded() -> None:
    """The subset stays cut out, but its plain text entities are read, and a well-formed
    feed using them is not called malformed."""
    feed = parse("declared_entities.xml")
    assert feed.warning is None
    assert feed.title == "News from Acme Corp"
    [article] = feed.articles
    assert article.title == 'Subset entity Acme Corp news: say "cheese"'
    assert article.body == "By Acme Corp: hello [1] world"
    assert article.links == ("https://acme.example/more",)


def test_the_html_entities_of_rss_091_are_read_without_a_warning() -> None:
    feed = parse("rss091_entities.xml")
    assert (feed.title, feed.warning) == ("Café news", None)
    assert [(a.title, a.body) for a in feed.articles] == [
        ("Crème brûlée © 1999", "Dessert\u00a0du jour.")
    ]


def test_declared_entities_grow_a_document_by_a_megabyte_at_most() -> None:
    value = "x" * 1000
    references = "&big;" * 5000  # 5 MB once expanded
    document = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "{value}">]><rss version="2.0">'
        f"<channel><item><title>Big</title><description>{references}</description></item>"
        "</channel></rss>"
    )
    body = parse_feed(document.encode(), now=NOW).articles[0].body
    assert 1_000_000 < body.count("x") <= 1024 * 1024


def test_xxe_reads_no_file_and_no_network() -> None:
    started = time.monotonic()
    feed = parse("xxe.xml")
    assert time.monotonic() - started < 5  # port 9 would hang or refuse; neither is tried
    text = all_text(feed)
    assert "root:" not in text and "/bin/" not in text
    assert [a.url for a in feed.articles] == ["https://xxe.example.com/1"]


def test_external_dtd_is_not_fetched() -> None:
    started = time.monotonic()
    feed = parse("xxe_external_dtd.xml")
    assert time.monotonic() - started < 5
    assert [a.title for a in feed.articles] == ["Still parsed"]


def test_bytes_that_look_like_a_path_are_not_opened(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_text(
        '<rss version="2.0"><channel><item><title>SECRET</title></item></channel></rss>'
    )
    feed = parse_feed(str(secret).encode())
    assert "SECRET" not in all_text(feed) and not feed.is_feed
    assert not parse_feed(b"http://127.0.0.1:9/feed.xml").is_feed


def test_escape_sequences_and_bidi_overrides_are_removed() -> None:
    feed = parse("hostile_escapes.xml")
    article = feed.articles[0]
    for text in (feed.title or "", article.title, article.author or "", article.body):
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert article.title == "Red alert link evil"
    assert article.author == "Eve Namer"
    assert feed.title == "Feed title"
    assert "blink" in article.body and "reversed" in article.body


@pytest.mark.parametrize("fast", [True, False])
def test_a_broken_escape_in_a_description_takes_none_of_the_story_along(fast: bool) -> None:
    # An OSC with no end, a DCS introducer and a stray ESC before a tag: each used to take
    # the rest of the body (or the tag) with it.
    html = (
        "<p>Breaking: \x1b]0;the vote is in</p>"
        "<p>\x1b<b>Turnout</b> was high \x1bPin every county.</p>"
    )
    description = html.replace("<", "&lt;").replace("\x1b", "&#x1b;")
    data = (
        '<rss version="2.0"><channel><title>T</title><item><title>Vote</title>'
        f"<description>{description}</description></item></channel></rss>"
    ).encode()
    (article,) = parse_feed(data, now=NOW, fast=fast).articles
    assert article.body == "Breaking: the vote is in\n\n**Turnout** was high in every county."


@pytest.mark.parametrize("fast", [True, False])
def test_a_link_holding_control_characters_is_percent_encoded_not_cut(fast: bool) -> None:
    # `…/a ESC[31m b` is no URL. Deleting the escape made it `…/ab`, the next item's link:
    # the two items (no guids) became one article. Encoded as browsers do, each stays its own.
    links = [
        "https://example.com/a&#x1b;[31mb",
        "https://example.com/ab",
        "https://example.com/c&#7;",
    ]
    items = "".join(f"<item><title>{n}</title><link>{u}</link></item>" for n, u in enumerate(links))
    data = f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()
    feed = parse_feed(data, now=NOW, fast=fast)
    assert [a.url for a in feed.articles] == [
        "https://example.com/a%1B[31mb",
        "https://example.com/ab",
        "https://example.com/c%07",
    ]


def test_a_json_feed_link_with_a_bidi_override_is_percent_encoded() -> None:
    data = rb"""{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": [
        {"id": "1", "url": "https://example.com/\u202egnp.exe", "content_text": "x"}]}"""
    (article,) = parse_feed(data, now=NOW).articles
    assert article.url == "https://example.com/%E2%80%AEgnp.exe"


def test_future_dates_are_dropped() -> None:
    data = b"""<rss version="2.0"><channel><item><title>From the future</title>
    <pubDate>Sat, 01 Jan 2050 00:00:00 GMT</pubDate></item></channel></rss>"""
    assert parse_feed(data, now=NOW).articles[0].published is None


@pytest.mark.parametrize(
    "data",
    [
        b"""<rss version="2.0"><channel><item><title>Undated</title><guid>u</guid>
        <pubDate>Thu, 01 Jan 1970 00:00:00 GMT</pubDate></item></channel></rss>""",
        b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Undated</title><id>u</id>
        <updated>1970-01-01T00:00:00Z</updated></entry></feed>""",
        b"""{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": [{"id": "u",
        "title": "Undated", "content_text": "x", "date_published": "1970-01-01T00:00:00Z"}]}""",
    ],
    ids=["rss", "atom", "json"],
)
def test_the_epochs_first_second_is_no_date(data: bytes) -> None:
    # Feeds send it for "unknown": kept, the article would sort as the newest (by the
    # time it was seen) while reading "56y" ago, and `since:1d` would find it.
    assert parse_feed(data, now=NOW).articles[0].published is None


def test_a_date_before_the_epoch_is_kept() -> None:
    data = b"""<rss version="2.0"><channel><item><title>Moon</title><guid>m</guid>
    <pubDate>Sun, 20 Jul 1969 20:17:00 GMT</pubDate></item></channel></rss>"""
    published = parse_feed(data, now=NOW).articles[0].published
    assert published is not None and published.year == 1969


# -- size -----------------------------------------------------------------------------------


def big_feed(entries: int) -> bytes:
    """An RSS feed with `entries` items with HTML descriptions."""
    items = "".join(
        f"<item><title>Story {i}</title><link>https://big.example.com/{i}</link>"
        f"<guid>big-{i}</guid><pubDate>Tue, 12 Nov 2024 10:00:00 GMT</pubDate>"
        f"<description>&lt;p&gt;Paragraph {i} with &lt;a href='/x/{i}'&gt;a link&lt;/a&gt;."
        "&lt;/p&gt;</description></item>"
        for i in range(entries)
    )
    return f'<rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'.encode()


def test_ten_thousand_entries() -> None:
    feed = parse_feed(big_feed(10_000), "https://big.example.com/feed")
    assert len(feed.articles) == 10_000
    assert feed.articles[-1].title == "Story 9999"
    assert feed.articles[-1].links == ("https://big.example.com/x/9999",)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    result = parse_feed(data)
    assert isinstance(result, ParsedFeed)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_inside_a_feed_never_raises(text: str) -> None:
    wrapped = f'<rss version="2.0"><channel><item><title>{text}</title>'
    wrapped += f"<description>{text}</description></item></channel></rss>"
    parse_feed(wrapped.encode("utf-8", "surrogatepass"))


SURROGATE_RSS = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
    b"<title>Feed &#xD800;</title><link>https://example.org/</link><description>d</description>"
    b"<item><title>Bad &#xD800; &#56320; one</title><guid>bad&#xDFFF;</guid>"
    b"<description>x&#xDBFF;y</description></item>"
    b"<item><title>Good &#xD7FF; &#xE000;</title><guid>good</guid><description>ok</description>"
    b"</item></channel></rss>"
)


@pytest.mark.parametrize("doctype", [b"", b"<!DOCTYPE rss>"], ids=["plain", "doctype"])
def test_surrogate_references_are_replaced_and_every_item_kept(doctype: bytes) -> None:
    data = SURROGATE_RSS.replace(b"?><rss", b"?>" + doctype + b"<rss", 1)
    feed = parse_feed(data)  # the docstring's promise: never raises
    assert feed.title == "Feed \ufffd"
    assert [(a.title, a.body, a.guid) for a in feed.articles] == [
        ("Bad \ufffd \ufffd one", "x\ufffdy", "bad\ufffd"),
        ("Good \ud7ff \ue000", "ok", "good"),
    ]


def test_surrogates_in_a_json_feed_are_replaced() -> None:
    data = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "J\\ud800", "items": ['
        b'{"id": "1\\udc00", "title": "bad\\ud800", "content_html": "<p>x\\udfff</p>",'
        b' "tags": ["t\\ud800"], "authors": [{"name": "A\\ud800"}]},'
        b'{"id": "2", "title": "good", "content_text": "y"}]}'
    )
    feed = parse_feed(data)
    assert feed.title == "J\ufffd"
    first, second = feed.articles
    assert (first.title, first.body, first.guid) == ("bad\ufffd", "x\ufffd", "1\ufffd")
    assert (first.tags, first.author) == (("t\ufffd",), "A\ufffd")
    assert second.title == "good"
