"""Whole web pages -> the main article: body kept, page chrome gone, metadata right."""

from __future__ import annotations

import socket
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.content.test_readable import IN_PAGE_HREFS
from tui.content import extract as extract_module
from tui.content.extract import Extracted, extract_article, page_metadata, parse_date
from tui.local_time import stated_day

FIXTURES = Path(__file__).parent.parent / "fixtures" / "html"
NEWS_URL = "https://gazette.example.com/2024/03/tidal-power"
BLOG_URL = "https://crumb.example.com/2023/11/sourdough-hydration/"


def page(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def extracted(name: str, url: str | None) -> Extracted:
    result = extract_article(page(name), url)
    assert result is not None
    return result


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


# -- a news article ----------------------------------------------------------------------


def test_news_article_body_keeps_paragraphs_headings_lists_and_quote() -> None:
    text = extracted("news_article.html", NEWS_URL).text
    assert "The first commercial tidal power plant in the region began feeding" in text
    assert "\n\n## How the turbines work\n\n" in text
    assert "• Four turbines, each rated at 2.5 megawatts\n• Blades twenty metres" in text
    assert "1. Surveying the seabed with sonar\n2. Drilling the foundations" in text
    assert "> We spent two years just listening to the water" in text
    assert text.rstrip().endswith("and a public consultation opens in June.")


def test_news_article_chrome_is_gone() -> None:
    text = extracted("news_article.html", NEWS_URL).text
    for chrome in (
        "cookies",  # banner
        "World news section",  # nav
        "Subscribe today",
        "seals",  # comments
        "grandfather",
        "Post comment",
        "Related stories",  # aside
        "Offshore wind farm delayed",
        "All rights reserved",  # footer
        "Contact the newsroom",
        "dataLayer",  # scripts
        "trackPageview",
        "font-family",  # style
    ):
        assert chrome not in text, chrome


def test_news_article_links_and_images_are_numbered_and_absolute() -> None:
    result = extracted("news_article.html", NEWS_URL)
    report = "https://energy.example.org/reports/tidal-2024.pdf"
    photo = "https://gazette.example.com/images/2024/tidal-turbine.jpg"
    agreement = "https://gazette.example.com/2023/05/fishing-agreement"
    assert result.links == (photo, report, agreement)
    assert result.images == (photo,)
    assert "[image: A turbine being lowered into the sound] [1]" in result.text
    assert "annual energy report [2] published" in result.text
    assert "fishing agreement [3] signed" in result.text
    assert "same report [2]" in result.text
    assert not any("tracker" in link for link in result.links)  # the pixel


def test_a_link_relative_to_the_pages_folder_resolves_there() -> None:
    # trafilatura joined it to the site's root: /fishing-agreement, a page that is not there.
    html = page("news_article.html").replace(
        'href="/2023/05/fishing-agreement"', 'href="fishing-agreement"'
    )
    result = extract_article(html, NEWS_URL)
    assert result is not None
    assert "https://gazette.example.com/2024/03/fishing-agreement" in result.links


def test_news_article_metadata() -> None:
    result = extracted("news_article.html", NEWS_URL)
    assert result.title == "Tidal power plant opens in the north"
    assert result.author == "Mara Lindqvist"
    assert result.published == datetime(2024, 3, 14, 8, 30, tzinfo=UTC)
    assert not result.text.startswith("# Tidal power plant")  # the title is not repeated


# -- a blog post -------------------------------------------------------------------------


def test_blog_post_body_with_table_code_and_links() -> None:
    result = extracted("blog_post.html", BLOG_URL)
    text = result.text
    assert text.startswith("Hydration is the ratio of water to flour in a dough")
    assert "### Starting points by flour" in text
    assert "Flour | Hydration\nWhite bread flour | 70%\nWholemeal | 80%" in text
    assert "    def hydration(water, flour):\n        return 100 * water / flour" in text
    assert "starter maintenance guide [1] first" in text
    assert "see the printable chart." in text  # javascript: link, text kept, no number
    assert "[image: Open crumb of a 78 percent loaf] [2]" in text
    assert result.links == (
        "https://crumb.example.com/2023/10/starter-maintenance/",
        "https://crumb.example.com/wp-content/uploads/2023/11/crumb.jpg",
    )
    assert result.images == ("https://crumb.example.com/wp-content/uploads/2023/11/crumb.jpg",)


def test_blog_post_chrome_is_gone() -> None:
    text = extracted("blog_post.html", BLOG_URL).text
    for chrome in (
        "Shop our flour",
        "About this blog",
        "uses cookies",
        "Share on Twitter",
        "You might also like",
        "rye loaf",
        "Priya",
        "amazing",
        "Leave a Reply",
        "Archives",
        "Proudly powered",
        "_paq",
    ):
        assert chrome not in text, chrome


def test_blog_post_metadata_prefers_og_title_and_time_element() -> None:
    result = extracted("blog_post.html", BLOG_URL)
    assert result.title == "Notes on sourdough hydration"
    assert result.author == "Jonas Okafor"
    assert result.published == datetime(2023, 11, 2, 18, 5, tzinfo=UTC)


def test_relative_links_without_page_url_keep_text_only() -> None:
    result = extracted("blog_post.html", None)
    assert "starter maintenance guide first" in result.text
    assert result.links == ()


# -- small local files -------------------------------------------------------------------


def test_simple_local_file() -> None:
    result = extracted("simple_local.html", None)
    assert result.title == "Meeting notes"
    assert "We agreed to move the reading group to Thursdays." in result.text
    assert "Next time: chapter four of the book." in result.text
    assert "Back to index" not in result.text
    assert "Written by hand" not in result.text


def test_fragment_trafilatura_rejects_falls_back_to_the_body() -> None:
    html = "<p>Buy milk and eggs on the way home tonight, and call the plumber.</p>"
    result = extract_article(html)
    assert result is not None
    assert result.text == "Buy milk and eggs on the way home tonight, and call the plumber."


def test_fallback_uses_article_without_chrome(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract_module.trafilatura, "extract", lambda *a, **k: None)
    html = (
        "<html><head><title>Notes</title></head><body><header>Site header</header>"
        "<nav>Menu items</nav><article><h1>Notes</h1><p>First paragraph of the notes.</p>"
        "<aside>Aside text</aside><ul><li>one item</li></ul></article>"
        "<footer>Footer text</footer></body></html>"
    )
    result = extract_article(html)
    assert result is not None
    assert result.text == "First paragraph of the notes.\n\n• one item"


def test_a_trafilatura_crash_is_not_fatal(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("heuristic bug")

    monkeypatch.setattr(extract_module.trafilatura, "extract", crash)
    monkeypatch.setattr(extract_module.trafilatura, "extract_metadata", crash)
    result = extract_article(page("simple_local.html"))
    assert result is not None
    assert "reading group" in result.text


# -- nothing to extract, hostile input ---------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "<html></html>",
        "<html><body><nav>Home About</nav></body></html>",
        "<p>Too short.</p>",
        "<html><body><div id='root'></div><noscript>You need to enable JavaScript to run "
        "this app.</noscript><script src='/app.js'></script></body></html>",
        "https://example.com/",  # a URL is not a page (and must not be fetched)
        "\x00\x1b]8;;",
        "\ud800<p>\udfff</p>",
        "<<<>>>&&&",
    ],
)
def test_no_article_is_none(html: str) -> None:
    assert extract_article(html, "https://example.com/") is None


def test_escapes_and_bidi_in_pages_are_removed() -> None:
    html = (
        "<html><head><title>\x1b[31mEvil\u202e title</title><meta name='author' "
        "content='\x1b]8;;http://evil\x07Eve'></head><body><article><p>Body \x1b[2J text with "
        "\u202eenough words to count as an article.</p></article></body></html>"
    )
    result = extract_article(html)
    assert result is not None
    assert result.title == "Evil title"
    assert result.author == "Eve"
    assert result.text == "Body text with enough words to count as an article."


def test_a_saved_pages_link_keeps_its_escape_percent_encoded() -> None:
    html = (
        "<html><body><article><p>A page with enough words, and a link to "
        '<a href="https://example.com/a\x1b[31mb" title="\x1b[2Jt">the tinted page</a> '
        "beside <a href='https://example.com/ab'>the plain one</a>.</p></article></body></html>"
    )
    result = extract_article(html, "https://example.com/page")
    assert result is not None
    assert result.text.endswith("the tinted page [1] beside the plain one [2].")
    assert result.links == ("https://example.com/a%1B[31mb", "https://example.com/ab")


def test_nothing_is_printed(capfd: pytest.CaptureFixture[str]) -> None:
    for html in ("", "<html></html>", "https://example.com/", page("news_article.html")):
        extract_article(html, "https://example.com/")
        page_metadata(html)
    out, err = capfd.readouterr()
    assert out == ""
    assert err == ""


# -- metadata ----------------------------------------------------------------------------


def test_page_metadata_from_meta_tags() -> None:
    html = (
        "<html><head><title>Ignored | Site</title>"
        "<meta property='og:title' content='Real title'>"
        "<meta property='article:author' content='https://facebook.example/someone'>"
        "<meta name='author' content='Ada Lovelace'>"
        "<meta name='date' content='Tue, 05 Mar 2024 10:00:00 -0500'></head><body></body></html>"
    )
    assert page_metadata(html) == (
        "Real title",
        "Ada Lovelace",
        datetime(2024, 3, 5, 15, 0, tzinfo=UTC),
    )


def test_page_metadata_falls_back_to_title_element_and_time() -> None:
    html = (
        "<html><head><title>Plain title</title></head><body><p>x</p>"
        "<time datetime='2022-01-02'>2 Jan</time></body></html>"
    )
    title, author, published = page_metadata(html)
    assert title == "Plain title"
    assert author is None
    assert published == stated_day(date(2022, 1, 2))  # the day alone


def test_page_metadata_of_garbage_is_empty() -> None:
    assert page_metadata("") == (None, None, None)
    assert page_metadata("<p>no metadata at all</p>") == (None, None, None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-14T09:30:00+01:00", datetime(2024, 3, 14, 8, 30, tzinfo=UTC)),
        ("2024-03-14T09:30:00Z", datetime(2024, 3, 14, 9, 30, tzinfo=UTC)),
        ("2024-03-14T09:30:00", datetime(2024, 3, 14, 9, 30, tzinfo=UTC)),
        ("2024-03-14", stated_day(date(2024, 3, 14))),
        ("Thu, 14 Mar 2024 09:30:00 GMT", datetime(2024, 3, 14, 9, 30, tzinfo=UTC)),
        ("0001-01-01T00:00:00+01:00", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(value: str | None, expected: datetime | None) -> None:
    assert parse_date(value) == expected


WORDS = "a paragraph with enough words in it for the extractor to keep it as text"


def saved_page(article: str) -> Extracted:
    """What saving the page of `article` (HTML inside its `<article>`) extracts."""
    found = extract_article(
        f"<html><body><article>{article}</article></body></html>", "https://example.org/a"
    )
    assert found is not None
    return found


def test_a_saved_page_keeps_a_bare_pre_verbatim_and_its_lists() -> None:
    found = saved_page(
        f"<p>First {WORDS}.</p><pre>$ newsdesk refresh\nfetched 3 sources\n  done</pre>"
        f"<p>Then {WORDS}.</p><ol><li>one <b>bold</b></li><li>two</li></ol>"
        f"<pre>make</pre><p>Last {WORDS}.</p>"
    )
    assert "    $ newsdesk refresh\n    fetched 3 sources\n      done" in found.text
    assert "1. one **bold**\n2. two" in found.text
    assert "\n    make\n" in found.text


def test_a_saved_page_keeps_where_a_numbered_list_starts() -> None:
    # A first item of paragraphs, or of marks side by side, came out of the extractor as
    # another text than it went in: that list counted from 1.
    found = saved_page(
        f'<p>First {WORDS}.</p><ol start="7"><li>Seven</li><li>Eight</li></ol>'
        f"<p>Then {WORDS}.</p><ol><li>One</li></ol><p>Last {WORDS}.</p>"
        '<ol start="9"><li><p>Nine.</p><p>Its next.</p></li><li>Ten</li></ol>'
        f'<p>More {WORDS}.</p><ol start="4"><li><b>Four</b> <i>it</i></li><li>Five</li></ol>'
    )
    assert "7. Seven\n8. Eight" in found.text
    assert "1. One" in found.text
    assert "9. Nine.\n\n  Its next.\n10. Ten" in found.text
    assert "4. **Four** *it*\n5. Five" in found.text


def test_a_saved_page_keeps_the_space_between_adjacent_links_and_marks() -> None:
    found = saved_page(
        f'<p>First {WORDS}.</p><p>More links: <a href="/l3">three</a> <a href="/l4">four</a>\n'
        f'<b>bold</b> <i>it</i> <a href="/l5">five</a>.</p><p>Last {WORDS}.</p>'
    )
    assert "More links: three [1] four [2] **bold** *it* five [3]." in found.text


@pytest.mark.parametrize("href", IN_PAGE_HREFS)
def test_a_saved_pages_footnote_reference_and_in_page_link_are_no_links_to_itself(
    href: str,
) -> None:
    found = saved_page(
        f'<p>First {WORDS}, and a <a href="https://example.org/b">second link</a>.'
        f'<sup id="fnref1"><a href="{href}">1</a></sup></p>'
        f'<p>Last {WORDS}, <a href="{href}">see below</a>.</p>'
        '<footer><ol><li id="fn1">The note, <a href="https://example.org/c">cited</a>.</li></ol>'
    )
    assert "a second link [1].[^1]\n\nLast" in found.text
    assert "as text, see below.\n\n" in found.text
    assert found.links == ("https://example.org/b", "https://example.org/c")


def test_a_saved_pages_notes_the_extract_dropped_are_put_back() -> None:
    # A teaser-only page: the extract kept the reference and lost the note, `[^1]` pointed at
    # nothing. A reference the page holds no note for at all is left out.
    found = saved_page(
        f'<p>First {WORDS}.<sup id="r1"><a href="#fn1">1</a></sup></p>'
        f'<p>Then {WORDS}.<sup id="r2"><a href="#fn9">2</a></sup></p>'
        '<p><a href="/subscribe">Subscribe to read more</a></p></article><div id="wall"><ol>'
        '<li id="fn1"><p>The source, <a href="https://example.org/src">a report</a>. '
        '<a href="#r1">↩</a></p></li></ol></div><article>'
    )
    assert f"First {WORDS}.[^1]" in found.text and f"Then {WORDS}.\n" in found.text
    assert found.text.endswith("\n\n[^1]: The source, a report [1].")
    assert found.links == ("https://example.org/src",)
