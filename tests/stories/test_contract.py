"""The `story` key of `list --json` and `search --json` after a real refresh and an import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, rss
from tests.stories.test_detection import PORT, PORT_OTHER
from tui.cli import main


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, object]]:
    assert main(list(argv)) == 0
    return list(json.loads(capsys.readouterr().out))


def test_refreshed_copies_share_a_story_in_list_and_search(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    wire = feed_server.feed("/wire.xml", rss("Wire", [("Rotterdam dockers strike", PORT)]))
    herald = feed_server.feed(
        "/herald.xml", rss("Herald", [("UPDATE: Rotterdam port halted", "UPDATE: " + PORT)])
    )
    other = feed_server.feed("/other.xml", rss("Other", [("Hydrogen terminal", PORT_OTHER)]))
    config = tmp_path / "config" / "feeds.toml"
    config.parent.mkdir()
    config.write_text(
        "".join(
            f'[[sources]]\nname = "{name}"\nurl = "{url}"\n'
            for name, url in (("Wire", wire), ("Herald", herald), ("Other", other))
        ),
        encoding="utf-8",
    )
    assert main(["refresh"]) == 0
    capsys.readouterr()
    listed = {item["source"]: item["story"] for item in run_json(capsys, "list", "--json")}
    assert listed["Wire"] is not None and listed["Wire"] == listed["Herald"]
    assert listed["Other"] is None
    found = run_json(capsys, "search", "Rotterdam strike", "--json")
    assert {item["source"]: item["story"] for item in found} == {
        "Wire": listed["Wire"],
        "Herald": listed["Wire"],
    }


def import_clips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Import an agency's story and another story, then a paper's copy of the first, from
    local files: two folders, two sources (one folder's notes never join each other)."""
    agency, paper = tmp_path / "agency", tmp_path / "paper"
    agency.mkdir()
    paper.mkdir()
    (agency / "wire.txt").write_text("Rotterdam dockers strike\n\n" + PORT, encoding="utf-8")
    (paper / "copy.txt").write_text("UPDATE: Rotterdam halted\n\n" + PORT, encoding="utf-8")
    (agency / "other.txt").write_text("Hydrogen terminal\n\n" + PORT_OTHER, encoding="utf-8")
    assert main(["import", str(agency)]) == 0
    assert main(["import", str(paper)]) == 0
    capsys.readouterr()


def test_imported_copies_share_a_story(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import_clips(tmp_path, capsys)
    stories = {item["title"]: item["story"] for item in run_json(capsys, "list", "--json")}
    assert stories["Rotterdam dockers strike"] == stories["UPDATE: Rotterdam halted"] is not None
    assert stories["Hydrogen terminal"] is None


def test_read_story_marks_the_whole_story_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `read ID` marks that article, as a script expects; `--story` reads it as the TUI does.
    import_clips(tmp_path, capsys)
    ids = {item["title"]: item["id"] for item in run_json(capsys, "list", "--json")}
    assert main(["read", str(ids["Rotterdam dockers strike"])]) == 0
    read = {item["title"]: item["read"] for item in run_json(capsys, "list", "--json")}
    assert read == {
        "Rotterdam dockers strike": True,
        "UPDATE: Rotterdam halted": False,
        "Hydrogen terminal": False,
    }
    assert main(["unread", str(ids["Rotterdam dockers strike"])]) == 0
    assert main(["read", "--story", str(ids["UPDATE: Rotterdam halted"])]) == 0
    read = {item["title"]: item["read"] for item in run_json(capsys, "list", "--json")}
    assert read == {
        "Rotterdam dockers strike": True,
        "UPDATE: Rotterdam halted": True,
        "Hydrogen terminal": False,
    }
