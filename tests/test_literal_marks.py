"""A page's own `*`, `_` and `1986. ` are text: the reader, `show`, search and the exports show
them as written, while the page's `<em>` and `<strong>` stay emphasis."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree
from markdown_it import MarkdownIt

from tests.faults.test_doors import run
from tests.feedserver import FeedServer, rss
from tui.sources.files import load_file
from tui.ui.body import BodyStyles, body_parts

LINE = "Compute 2*3*4 = 24, call my_var_name and __init__ with **kwargs, price $5 *or* less"
DESCRIPTION = f"<p>{LINE} <em>really</em></p><p>1986. A great year.</p><p>- dash start</p>"
WRITTEN = [f"{LINE} really", "1986. A great year.", "- dash start"]


@pytest.fixture
def article(feed_server: FeedServer, capsys: pytest.CaptureFixture[str]) -> int:
    url = feed_server.feed("/f.xml", rss("F", [("Marks __init__ *or*", DESCRIPTION)]))
    assert run(capsys, "feeds", "add", url, "--name", "Feed")[0] == 0
    assert run(capsys, "refresh")[0] == 0
    (row,) = json.loads(run(capsys, "list", "--json")[1])
    return int(row["id"])


def test_a_pages_marks_are_text_in_show_search_and_the_reader(
    article: int, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "show", str(article))
    assert code == 0
    assert f"{LINE} *really*\n\n1986. A great year.\n\n- dash start\n" in out
    (hit,) = json.loads(run(capsys, "search", "init", "--json")[1])
    assert "__init__ with **kwargs" in hit["snippet"] and "\\" not in hit["snippet"]
    body = json.loads(run(capsys, "show", str(article), "--json")[1])["text"]
    [flow] = body_parts(body, (), BodyStyles())
    assert flow.text.plain == "\n\n".join(WRITTEN)
    styled = {flow.text.plain[s.start : s.end] for s in flow.text.spans if s.style}
    assert styled == {"really"}  # the <em>; not "init", "or" nor "kwargs"


def test_a_pages_marks_are_text_in_the_exports(
    article: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.html"
    assert run(capsys, "export", "source:Feed", "--format", "html", "--output", str(page))[0] == 0
    root = etree.HTML(page.read_bytes()).find(".//article")
    assert [" ".join("".join(p.itertext()).split()) for p in root.iter("p")][1:] == WRITTEN
    assert [e.text for e in root.iter("em", "strong", "ol", "ul", "li")] == ["really"]
    folder = tmp_path / "md"
    assert run(capsys, "export", "source:Feed", "--format", "md", "--output", str(folder))[0] == 0
    [markdown] = folder.glob("*.md")
    rendered = etree.HTML(MarkdownIt("commonmark").render(markdown.read_text().split("\n---\n")[1]))
    assert [" ".join("".join(p.itertext()).split()) for p in rendered.iter("p")][2:] == WRITTEN
    assert [e.text for e in rendered.iter("em", "strong", "ol", "ul", "li")][1:] == ["really"]
    assert [h.text for h in rendered.iter("h1")] == ["Marks __init__ *or*"]  # the title too


def test_a_text_files_marks_are_text(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("A note\n\nCompute 2*3*4, call my_var and *or* `x` C:\\*.txt\n", "utf-8")
    [article], _ = load_file(note)
    [flow] = body_parts(article.body, (), BodyStyles())
    assert flow.text.plain == "Compute 2*3*4, call my_var and *or* `x` C:\\*.txt"
    assert not [s for s in flow.text.spans if s.style]
