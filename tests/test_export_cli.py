"""`newsdesk export` and `feeds export` as a script calls them: what they refuse (exit 2, one
line, nothing written), `--limit` without a query, `--output -`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults.test_doors import run
from tests.test_export import store as store  # the fixture: two saved articles
from tui.cli import main
from tui.store import Store


@pytest.fixture
def saved(store: Store) -> None:
    store.close()  # the commands open the cache themselves


def _refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The one line a refused command says (exit 2)."""
    code, said = run(capsys, *argv)
    assert code == 2 and len(said.strip().splitlines()) == 1, said
    return said


def test_an_empty_query_is_refused_and_limit_applies_to_saved_articles(
    saved: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.html"
    said = _refused(capsys, "export", "", "--format", "html", "--output", str(page))
    assert "nothing to search for" in said and not page.exists()
    code, said = run(
        capsys, "export", "--limit", "1", "--format", "md", "--output", str(tmp_path / "one")
    )
    assert code == 0 and "exported 1 article to" in said
    assert len(list((tmp_path / "one").glob("*.md"))) == 1


def test_output_dash_writes_the_page_to_stdout(
    saved: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["export", "--format", "html", "--output", "-"])
    out, err = capsys.readouterr()
    assert code == 0 and out.startswith("<!DOCTYPE html>") and out.count("<article") == 2
    assert "exported 2 articles to stdout" in err and not Path("-").exists()
    said = _refused(capsys, "export", "--format", "md", "--output", "-")
    assert "Markdown export is a folder" in said


def test_a_missing_folder_is_refused_not_made(
    saved: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for fmt, name in (("html", "y.html"), ("epub", "y.epub"), ("md", "y")):
        target = tmp_path / "nope" / "x" / name
        said = _refused(capsys, "export", "--format", fmt, "--output", str(target))
        assert f"{tmp_path / 'nope' / 'x'} does not exist (--output)" in said
    opml = tmp_path / "nodir" / "x.opml"
    assert "does not exist (FILE)" in _refused(capsys, "feeds", "export", str(opml))
    assert not (tmp_path / "nope").exists() and not (tmp_path / "nodir").exists()
