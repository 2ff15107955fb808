"""HTML fragments and documents -> terminal text: what the reader pane shows."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.content.blocks import blocks, cells, plain
from tui.content.parse import looks_like_html
from tui.content.readable import Readable, html_to_text

BASE = "https://news.example.com/2024/03/story.html"
# U+200B-U+200D, the zero-width space, non-joiner and joiner, are kept: they are spelling.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def text(html: str, base_url: str | None = BASE) -> str:
    return html_to_text(html, base_url).text


# -- blocks ------------------------------------------------------------------------------


def test_paragraphs_are_separated_by_one_blank_line_and_whitespace_collapses() -> None:
    html = "<p>First   paragraph\n  spans\tlines.</p>\n\n\n<p>Second <b>bold</b> <i>one</i>.</p>"
    assert text(html) == "First paragraph spans lines.\n\nSecond **bold** *one*."


def test_emphasis_is_marked_only_around_a_plain_run_of_words() -> None:
    assert text("<p><strong> spaced </strong>x</p>") == "**spaced** x"
    assert text("<p><em>5 * 3</em> and <b></b>empty</p>") == "5 \\* 3 and empty"  # text
    assert text("<p><b>one<br>two</b></p>") == "one\ntwo"


def test_headings_become_their_own_paragraph_with_hashes_by_level() -> None:
    html = "<h1>Top</h1><p>Intro.</p><h2>Section</h2><h3>Sub</h3><p>Body.</p>"
    assert text(html) == "# Top\n\nIntro.\n\n## Section\n\n### Sub\n\nBody."


def test_unordered_and_ordered_lists() -> None:
    html = (
        "<p>Before</p><ul><li>apples</li><li>pears</li></ul>"
        "<ol><li>first</li><li>second</li></ol><ol start='7'><li>seventh</li></ol><p>After</p>"
    )
    assert text(html) == (
        "Before\n\n• apples\n• pears\n\n1. first\n2. second\n\n7. seventh\n\nAfter"
    )


def test_nested_lists_indent_two_spaces_per_level() -> None:
    html = (
        "<ul><li>fruit<ul><li>apple<ul><li>green</li></ul></li><li>pear</li></ul></li>"
        "<li>veg</li></ul>"
    )
    assert text(html) == "• fruit\n  • apple\n    • green\n  • pear\n• veg"


def test_list_items_wrapped_in_paragraphs_stay_tight() -> None:
    assert text("<ul><li><p>one</p></li><li><p>two</p></li></ul>") == "• one\n• two"


def test_blockquote_lines_are_prefixed() -> None:
    html = "<p>He said:</p><blockquote><p>Line one.</p><p>Line two.</p></blockquote><p>End.</p>"
    assert text(html) == "He said:\n\n> Line one.\n>\n> Line two.\n\nEnd."


def test_nested_blockquotes() -> None:
    html = "<blockquote>outer<blockquote>inner</blockquote></blockquote>"
    assert text(html) == "> outer\n>\n> > inner"


def test_pre_keeps_whitespace_and_is_indented_four_spaces() -> None:
    html = "<p>Code:</p><pre><code>def f(x):\n    return  x * 2\n\nprint(f(1))\n</code></pre>"
    assert text(html) == "Code:\n\n    def f(x):\n        return  x * 2\n\n    print(f(1))"


def test_multiline_code_without_pre_is_a_block_but_inline_code_stays_inline() -> None:
    assert text("<p>Run <code>ls  -la</code> now.</p>") == "Run `ls -la` now."
    assert text("<code>a = 1\nb = 2</code>") == "    a = 1\n    b = 2"


def test_br_is_a_line_break_and_double_br_a_paragraph() -> None:
    assert text("<p>one<br>two<br/>three</p>") == "one\ntwo\nthree"
    assert text("first<br><br>second") == "first\n\nsecond"


def test_hr_and_tables() -> None:
    html = (
        "<p>Results</p><hr><table><thead><tr><th>Team</th><th>Points</th></tr></thead>"
        "<tbody><tr><td>Reds</td><td>12</td></tr><tr><td>Blues</td><td>9</td></tr></tbody></table>"
    )
    assert text(html) == "Results\n\n───\n\nTeam | Points\nReds | 12\nBlues | 9"


def test_layout_table_renders_as_paragraphs() -> None:
    html = "<table><tr><td><p>Newsletter intro.</p><p>Second paragraph.</p></td></tr></table>"
    assert text(html) == "Newsletter intro.\n\nSecond paragraph."


def test_whole_document_shows_body_only() -> None:
    html = (
        "<!DOCTYPE html><html><head><title>Page title</title><meta name='x' content='y'>"
        "<style>p { color: red }</style></head><body><p>Body text.</p></body></html>"
    )
    assert text(html) == "Body text."


def test_entities_are_decoded() -> None:
    assert text("<p>Fish &amp; chips &lt;3 &ldquo;quoted&rdquo; caf&#233;&nbsp;bar</p>") == (
        "Fish & chips <3 \u201cquoted\u201d café bar"
    )


def test_plain_text_without_tags_becomes_one_paragraph() -> None:
    assert text("just some words") == "just some words"


# -- links and images --------------------------------------------------------------------


def test_links_are_numbered_in_order_and_the_same_url_reuses_its_number() -> None:
    html = (
        '<p>See <a href="https://a.example/one">one</a>, <a href="https://b.example/">two</a> '
        'and <a href="https://a.example/one">one again</a>.</p>'
    )
    result = html_to_text(html, BASE)
    assert result.text == "See one [1], two [2] and one again [1]."
    assert result.links == ("https://a.example/one", "https://b.example/")


def test_relative_urls_resolve_against_base_url() -> None:
    html = '<a href="/about">About</a> <a href="next.html">Next</a> <a href="//cdn.example/x">X</a>'
    result = html_to_text(html, BASE)
    assert result.text == "About [1] Next [2] X [3]"
    assert result.links == (
        "https://news.example.com/about",
        "https://news.example.com/2024/03/next.html",
        "https://cdn.example/x",
    )


def test_relative_and_absolute_forms_of_one_url_share_a_number() -> None:
    html = '<a href="/about">About</a> and <a href="https://news.example.com/about">again</a>'
    assert html_to_text(html, BASE).text == "About [1] and again [1]"


def test_mailto_is_numbered() -> None:
    result = html_to_text('<a href="mailto:desk@example.com">Write to us</a>', BASE)
    assert result.text == "Write to us [1]"
    assert result.links == ("mailto:desk@example.com",)


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "#section-2",
        "",
    ],
)
def test_unsafe_or_useless_hrefs_keep_text_but_get_no_number(href: str) -> None:
    result = html_to_text(f'<p>Click <a href="{href}">here</a> now.</p>', BASE)
    assert result.text == "Click here now."
    assert result.links == ()


def test_relative_links_without_base_url_are_not_numbered() -> None:
    result = html_to_text('<a href="/about">About</a>')
    assert result == Readable("About", ())


def test_links_without_visible_text_get_no_number() -> None:
    result = html_to_text('<p>Text<a href="https://x.example/"> </a> end.</p>', BASE)
    assert result == Readable("Text end.", ())


NOTES = '<ol><li id="fn1">The note.</li><li id="cite_note-1">The note.</li></ol>'


@pytest.mark.parametrize(
    "reference",
    [
        '<sup id="fnref1"><a href="#fn1">1</a></sup>',
        '<a href="#fn1" class="footnote-ref"><sup>1</sup></a>',
        '<sup class="reference"><a href="#cite_note-1">[1]</a></sup>',
    ],
)
def test_a_footnote_reference_reads_as_one_not_as_a_number(reference: str) -> None:
    html = f'<p>A <a href="https://x.example/">link</a>.{reference} Then.</p><p>x<sup>2</sup></p>'
    result = html_to_text(html + NOTES, BASE)
    assert result.text == "A link [1].[^1] Then.\n\nx2\n\n1. The note.\n2. The note."
    assert result.links == ("https://x.example/",)


def test_a_footnote_reference_without_its_note_is_left_out() -> None:
    # A teaser keeps the reference, not the notes under the article: `[^1]` pointed at nothing.
    html = '<p>A claim.<sup id="fnref1"><a href="#fn1">1</a></sup> Then.</p><p id="other">x</p>'
    assert html_to_text(html, BASE).text == "A claim. Then.\n\nx"


# A browser strips control characters and spaces from a link's start: `&#1;#fn1` is a place
# in the page, not a numbered link to `…/%01#fn1`; a saved page reads it alike (test_extract).
IN_PAGE_HREFS = ["#fn1", " #fn1", "\t#fn1", "&#12;#fn1", "&#1;#fn1"]


@pytest.mark.parametrize("href", IN_PAGE_HREFS)
def test_a_link_within_the_page_is_no_link_however_it_starts(href: str) -> None:
    html = f'<p>Word<sup><a href="{href}">1</a></sup>, <a href="{href}">see below</a>.</p>'
    html += '<p id="fn1">The note.</p>'
    assert html_to_text(html, BASE) == Readable("Word[^1], see below.\n\nThe note.", ())


def test_images_show_alt_and_a_number() -> None:
    html = '<p>Look: <img src="/img/cat.jpg" alt="A cat on a mat"> <img src="/img/dog.jpg"></p>'
    result = html_to_text(html, BASE)
    assert result.text == "Look: [image: A cat on a mat] [1] [image] [2]"
    assert result.links == (
        "https://news.example.com/img/cat.jpg",
        "https://news.example.com/img/dog.jpg",
    )


def test_an_image_keeps_the_punctuation_after_it_close_as_a_link_does() -> None:
    html = '<p>See <a href="/x">the post</a>, then <img src="/p.png" alt="pic">.'
    html += ' And <img src="/q.png">(two)</p>'
    assert text(html) == "See the post [1], then [image: pic] [2]. And [image] [3] (two)"


@pytest.mark.parametrize(
    ("attributes", "marker"),
    [
        ('width="640" height="480" alt="Chart"', "[image 640x480: Chart] [1]"),
        ('width="640px" height=" 480 "', "[image 640x480] [1]"),
        ('width="100%" height="480" alt="Chart"', "[image: Chart] [1]"),
        ('width="640" alt="Chart"', "[image: Chart] [1]"),
        ('width="auto" height="480"', "[image] [1]"),
    ],
)
def test_images_keep_the_size_the_page_states(attributes: str, marker: str) -> None:
    """The reader keeps the picture's rows from it; snippets and search show no size."""
    result = html_to_text(f'<img src="/a.png" {attributes}>', BASE)
    assert result.text == marker
    assert "640x480" not in plain(result.text)


def test_image_inside_link_to_itself_is_not_numbered_twice() -> None:
    html = '<a href="/big.jpg"><img src="/big.jpg" alt="Map"></a>'
    assert text(html) == "[image: Map] [1]"


def test_data_uri_image_keeps_alt_without_number() -> None:
    result = html_to_text('<img src="data:image/png;base64,AAAA" alt="chart">', BASE)
    assert result == Readable("[image: chart]", ())


@pytest.mark.parametrize(
    "img",
    [
        '<img src="https://t.example/open.gif" width="1" height="1">',
        '<img src="https://t.example/open.gif" width="0" height="0" alt="">',
        '<img src="https://t.example/a.gif" height="1">',
        '<img src="https://stats.example/pixel?id=9" alt="">',
        '<img src="https://ads.example/1x1.gif">',
        '<img src="https://mail.example/track/open/123.png">',
    ],
)
def test_tracking_pixels_vanish(img: str) -> None:
    result = html_to_text(f"<p>Story text.{img}</p>", BASE)
    assert result == Readable("Story text.", ())


# -- things that are not text ------------------------------------------------------------


@pytest.mark.parametrize(
    "element",
    [
        "<script>alert('secret')</script>",
        "<script type='application/ld+json'>{\"secret\": 1}</script>",
        "<style>.secret { color: red }</style>",
        "<noscript>secret</noscript>",
        "<iframe src='https://evil.example/'>secret</iframe>",
        "<object data='x.swf'>secret</object>",
        "<embed src='x.swf'>",
        "<template><p>secret</p></template>",
        "<svg><text>secret</text></svg>",
        "<form><label>secret</label><input value='secret'><button>secret</button>"
        "<select><option>secret</option></select></form>",
        "<nav><a href='/'>secret</a></nav>",
        "<div hidden>secret</div>",
        "<span aria-hidden='true'>secret</span>",
        "<p style='display: none'>secret</p>",
    ],
)
def test_non_content_elements_are_dropped_with_their_content(element: str) -> None:
    result = html_to_text(f"<div>before {element} after</div>", BASE)
    assert result.text == "before after"
    assert result.links == ()


def test_event_handlers_and_styles_do_not_leak() -> None:
    html = '<p onclick="steal()" style="color:red">Safe <b onmouseover="x()">text</b></p>'
    assert text(html) == "Safe **text**"


# -- hostile text ------------------------------------------------------------------------


def test_terminal_escape_sequences_are_removed() -> None:
    html = (
        "<p>\x1b[31mred\x1b[0m and \x1b]8;;http://evil.example/\x07hyperlink\x1b]8;;\x07 "
        "and \x9b2Jcsi</p>"
    )
    result = text(html)
    assert result == "red and hyperlink and csi"
    assert not UNSAFE.search(result)


def test_escape_sequences_in_a_link_are_percent_encoded_and_removed_from_alt() -> None:
    # A link's address keeps its escape, encoded as a feed item's link is (`…/%1B[2Jpath`):
    # deleted, it became `…/path`, another page. Alt text is text: the escape goes.
    html = (
        '<a href="https://x.example/\x1b[2Jpath">go</a><img src="/i\x07.png" alt="\x1b[31mcat">'
        "<a href='https://x.example/path'>plain</a> <a href=https://x.example/\u202eexe>bare</a>"
    )
    result = html_to_text(html, BASE)
    assert result.text == "go [1] [image: cat] [2] plain [3] bare [4]"
    assert result.links == (
        "https://x.example/%1B[2Jpath",
        "https://news.example.com/i%07.png",
        "https://x.example/path",
        "https://x.example/%E2%80%AEexe",
    )


def test_a_raw_escape_and_its_entity_in_a_link_are_the_same_address() -> None:
    raw = html_to_text('<p>\x1b[31mRed\x1b[0m <a href="/a\x1b[31mb">one</a></p>', BASE)
    entity = html_to_text('<p>Red <a href="/a&#27;[31mb">one</a></p>', BASE)
    assert raw == entity == Readable("Red one [1]", ("https://news.example.com/a%1B[31mb",))


def test_bidi_overrides_are_removed_even_as_entities() -> None:
    result = text("<p>invoice\u202egpj.exe and &#x202E;txt.exe &#8238;x</p>")
    assert result == "invoicegpj.exe and txt.exe x"


def test_control_character_entities_do_not_become_escapes() -> None:
    assert not UNSAFE.search(text("<p>&#27;[31mred &#x9b;2J &#0;</p>"))


def test_rich_markup_stays_literal_text() -> None:
    assert text("<p>[bold red]not markup[/] and [link=http://x]y[/link]</p>") == (
        "[bold red]not markup[/] and [link=http://x]y[/link]"
    )


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   \n\t ",
        "<",
        ">",
        "</p>",
        "<!-- only a comment -->",
        "<?php echo 1; ?>",
        "\x00\x00\x00",
        "\ud800\udfff lone surrogates \udc80",
        "<p><b><i>unclosed <a href='",
        "<a href='javascript:",
        "<![CDATA[ x ]]>",
        '<!DOCTYPE html SYSTEM "http://evil.example/x.dtd"><p>&xxe;</p>',
        "&#xffffffff; &#99999999999; &#0;",
        "<table><tr><td><table><tr><td>",
        "<ol start='99999999999999999999'><li>x</li></ol>",
        "<img width=1>" * 50,
    ],
)
def test_garbage_never_raises(garbage: str) -> None:
    result = html_to_text(garbage, BASE)
    assert isinstance(result.text, str)
    assert not UNSAFE.search(result.text)


def test_deep_nesting_does_not_blow_the_stack() -> None:
    for tag in ("div", "b", "blockquote", "ul><li"):
        result = html_to_text(f"<{tag}>" * 5000 + "deep")
        assert isinstance(result.text, str)


def test_huge_input() -> None:
    html = "<p>" + "word " * 200_000 + "</p>" + "<p>more</p>" * 10_000
    result = html_to_text(html)
    assert result.text.startswith("word word")
    assert result.text.endswith("more")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises(data: str) -> None:
    result = html_to_text(data, BASE)
    assert not UNSAFE.search(result.text)
    assert all(not UNSAFE.search(url) for url in result.links)


_PIECES = st.sampled_from(
    [
        "<p>", "</p>", "<a href='/x'>", "<a href='javascript:x'>", "</a>", "<ul>", "<li>",
        "</ul>", "<ol>", "</ol>", "<blockquote>", "</blockquote>", "<pre>", "</pre>", "<br>",
        "<hr>", "<table>", "<tr>", "<td>", "<h2>", "</h2>", "<img src='/i' alt='a'>",
        "<script>", "</script>", "&amp;", "&#x202e;", "\x1b[1m", " ", "\n", "text", "<",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=5), max_size=40).map("".join))
def test_arbitrary_tag_soup_never_raises(data: str) -> None:
    result = html_to_text(data, BASE)
    assert not UNSAFE.search(result.text)
    assert len(set(result.links)) == len(result.links)


# -- looks_like_html ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "<p>Hello</p>",
        "line<br>break",
        "line<br/>break",
        "<div class='x'>y</div>",
        "see <a href='x'>this</a>",
        "text</span>",
        "Fish &amp; chips",
        "caf&#233;",
        "<!-- comment -->",
        "<IMG SRC='x.png'>",
    ],
)
def test_looks_like_html_true(value: str) -> None:
    assert looks_like_html(value)


@pytest.mark.parametrize(
    "value",
    ["", "plain text", "a < b and c > d", "if x<y then", "AT&T and R&D", "2 <3", "<<<>>>"],
)
def test_looks_like_html_false(value: str) -> None:
    assert not looks_like_html(value)


def test_table_cells_keep_their_pipes_and_colspan_keeps_the_columns() -> None:
    html = (
        "<table><tr><th>A</th><th>B</th><th>C</th><th>D</th></tr>"
        '<tr><td colspan="2">spanning</td><td>1</td><td>|pipe|</td></tr></table>'
    )
    assert text(html) == "A | B | C | D\nspanning | | 1 | \\|pipe\\|"
    [table] = blocks(text(html))
    assert [cells(row) for row in table.texts] == [
        ["A", "B", "C", "D"],
        ["spanning", "", "1", "|pipe|"],
    ]
