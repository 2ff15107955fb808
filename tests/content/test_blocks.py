"""The body text read back as blocks, and stripped of its marks for snippets."""

from __future__ import annotations

from tui.content.blocks import blocks, cells, plain, spans
from tui.content.readable import html_to_text
from tui.content.spans import plain_snippet
from tui.models import MATCH_CLOSE, MATCH_OPEN

BODY = """Intro with *em*, **strong** and `code`.

## Part 1

- one
- two
  - nested

3. third
4. fourth

> quoted
> twice

    def f():
        return 1

```
fenced *kept*
```

A | B
1 | 2

───

[image: a map] [1]
Just 5 * 3 * 2, C# and #hashtags."""


def kinds(text: str) -> list[tuple[str, int]]:
    return [(b.kind, len(b.lines)) for b in blocks(text)]


def test_each_block_kind_is_recognised() -> None:
    assert kinds(BODY) == [
        ("p", 1),
        ("h", 1),
        ("ul", 3),
        ("ol", 2),
        ("quote", 2),
        ("code", 2),
        ("code", 1),
        ("table", 2),
        ("rule", 1),
        ("image", 1),
        ("p", 1),
    ]


def test_lists_keep_depth_and_numbers_and_code_keeps_its_indentation() -> None:
    found = blocks(BODY)
    assert found[2].lines == [(0, "one"), (0, "two"), (1, "nested")]
    assert (found[3].start, found[3].texts) == (3, ["third", "fourth"])
    assert found[5].texts == ["def f():", "    return 1"]
    assert found[6].texts == ["fenced *kept*"]


def test_one_line_with_a_pipe_is_a_paragraph_and_markdown_tables_lose_their_rule() -> None:
    assert kinds("either | or") == [("p", 1)]
    table = blocks("| a | b |\n|---|:-:|\n| 1 | 2 |")[0]
    assert [cells(t) for t in table.texts] == [["a", "b"], ["1", "2"]]


def test_spans_mark_emphasis_but_not_arithmetic() -> None:
    assert spans("a *b* **c** `d` e") == [
        ("a ", ""),
        ("b", "em"),
        (" ", ""),
        ("c", "strong"),
        (" ", ""),
        ("d", "code"),
        (" e", ""),
    ]
    assert spans("5 * 3 * 2") == [("5 * 3 * 2", "")]


def test_plain_text_has_no_marks() -> None:
    text = plain(BODY)
    assert "#" not in text.replace("C#", "").replace("#hashtags", "")
    assert "**" not in text and "> " not in text and "```" not in text
    assert "Part 1" in text and "fenced *kept*" in text


def test_snippets_lose_heading_quote_and_emphasis_marks() -> None:
    snippet = f"…intro ## Part 1 **{MATCH_OPEN}bold{MATCH_CLOSE}** > quoted, C# stays"
    assert plain_snippet(snippet) == f"…intro Part 1 {MATCH_OPEN}bold{MATCH_CLOSE} quoted, C# stays"


def test_html_round_trip_keeps_structure() -> None:
    html = (
        "<h2>Part 1</h2><p>Some <em>words</em>.</p><ul><li>a</li></ul><blockquote>q</blockquote>"
        "<pre>x = 1\ny = 2</pre><table><tr><td>A</td><td>B</td></tr><tr><td>1</td><td>2</td></tr>"
        "</table>"
    )
    assert [b.kind for b in blocks(html_to_text(html).text)] == [
        "h",
        "p",
        "ul",
        "quote",
        "code",
        "table",
    ]


def test_a_tab_indents_a_list_item_as_four_spaces_do() -> None:
    # An Obsidian note's nested list, indented with tabs (CommonMark: tab stops of 4).
    tabbed = blocks("- parent\n\t- child\n\t\t- grandchild")
    spaced = blocks("- parent\n    - child\n        - grandchild")
    assert [(b.kind, b.lines, b.columns) for b in tabbed] == [
        (b.kind, b.lines, b.columns) for b in spaced
    ]
    assert [depth for depth, _ in tabbed[0].lines] == [0, 2, 4]
