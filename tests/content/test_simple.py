"""Plain-paragraph bodies rendered without a tree read exactly as the tree walk renders them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.content.parse import parse_html
from tui.content.readable import html_to_text, render_element
from tui.content.simple import simple_text

BASE = "https://news.example.com/2024/03/story.html"


def tree(html: str, base_url: str | None = BASE) -> tuple[str, tuple[str, ...]]:
    root = parse_html(html)
    assert root is not None
    readable = render_element(root, base_url)[0]
    return readable.text, readable.links


WORDS = st.sampled_from(
    ["word", "Zoë", "naïve", "東京", "5 * 3", "`code`", "[1]", "a > b", "  ", "\n", "\t", " "]
)
ENTITIES = st.sampled_from(["&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&nbsp;", "&amp;lt;"])
HREFS = st.sampled_from(
    [
        "https://example.org/a",
        "https://example.org/a",  # the same URL twice keeps its number
        "/relative/path",
        "other.html?x=1&amp;y=2",
        "javascript:alert(1)",
        "#top",
        "mailto:me@example.org",
        "",
    ]
)
MARKS = st.sampled_from(["em", "i", "strong", "b"])


@st.composite
def inline(draw: st.DrawFn, depth: int = 0, in_link: bool = False) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, (2 if in_link else 3) if depth < 2 else 1))
        if kind == 0:
            parts.append(draw(WORDS))
        elif kind == 1:
            parts.append(draw(ENTITIES))
        elif kind == 2:
            mark = draw(MARKS)
            parts.append(f"<{mark}>{draw(inline(depth + 1, in_link))}</{mark}>")
        else:  # never a link inside a link: lxml splits those
            parts.append(f'<a href="{draw(HREFS)}">{draw(inline(depth + 1, True))}</a>')
    return "".join(parts)


@st.composite
def bodies(draw: st.DrawFn) -> str:
    paragraphs = draw(st.lists(inline(), min_size=1, max_size=4))
    gaps = st.sampled_from(["", "\n", " \n\t"])
    return draw(gaps) + "".join(f"<p>{p}</p>{draw(gaps)}" for p in paragraphs)


@settings(max_examples=400, deadline=None)
@given(bodies(), st.sampled_from([BASE, None]))
def test_plain_paragraphs_read_as_the_tree_walk_reads_them(html: str, base: str | None) -> None:
    assert simple_text(html, base) == tree(html, base)


def test_a_typical_feed_body_reads_as_before() -> None:
    html = (
        "<p>Those like in of where. &lt;tag&gt; &amp; more.</p>\n"
        '<p>By all much <a href="https://example.org/ref/7">the</a> way.</p>\n'
        "<p><em>of</em> Only new of <strong>from</strong> the.</p>"
    )
    assert simple_text(html, BASE) == tree(html)
    assert html_to_text(html, BASE).text == (
        "Those like in of where. <tag> & more.\n\nBy all much the [1] way.\n\n*of* Only new of "
        "**from** the."
    )


@pytest.mark.parametrize(
    "html",
    [
        "no paragraph at all",
        "text before <p>the paragraph</p>",
        "<p>one</p> text between <p>two</p>",
        "<p>an <span>unknown</span> tag</p>",
        '<p class="lead">an attribute</p>',
        '<p><a href="x" rel="nofollow">two attributes</a></p>',
        "<p>an &eacute; entity not listed</p>",
        "<p>AT&T without an entity</p>",
        "<p>a lone < sign</p>",
        "<p>a break<br>inside</p>",
        "<p>unclosed <em>emphasis</p>",
        "<p>misnested <em><b>marks</em></b></p>",
        "<p>nested <p>paragraphs</p></p>",
        "<p>an unclosed paragraph",
        '<p><a href="a"><a href="b">a link in a link</a></a></p>',
        "<p>a control\x07 character</p>",
        "<p>a <!-- comment --> here</p>",
        "<P>upper case</P>",
    ],
)
def test_any_other_shape_goes_to_the_tree_walk(html: str) -> None:
    assert simple_text(html, BASE) is None
    assert html_to_text(html, BASE).text == tree(html)[0]
