"""The command line's lines with wide and composed text: a title cut on a terminal ends
between grapheme clusters, a search's snippet is cut to the terminal as a title is, and an
output encoding other than UTF-8 keeps the columns (and the `é` it has)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.feedserver import FeedServer
from tests.test_cli_scripts import TITLE_AT, newsdesk, on_a_terminal
from tui.cells import terminal_cells
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store

CUTS = {  # at 80 columns a title has 35 cells: 34 and the `…`
    "x" * 32 + "👩\u200d💻 coding night": "x" * 32 + "…",  # was `👩\u200d…`: a dangling joiner
    "a" * 24 + "नई परियोजना शुरू": "a" * 24 + "नई परियोज…",  # was `परियोजन…`: the ा dropped
    "a" * 33 + "गाँव में": "a" * 33 + "…",  # was `ग…`
    "a" * 32 + "👍🏽 for the bridge": "a" * 32 + "…",  # was `👍…`: its skin tone dropped
}
CJK_BODY = "东京电力公司今天宣布将在明年春季之前完成福岛第一核电站处理水的第二阶段排放计划。" * 4


@pytest.fixture
def cache(isolated_env: Path) -> Path:
    """A cache (no config) with the titles of `CUTS`, from two sources named in scripts
    other encodings lack: one composed of `e` and a combining accent, one in Chinese."""
    store = Store.open(isolated_env / "cache" / "newsdesk.db")
    when = datetime(2026, 3, 1, 12, tzinfo=UTC)
    cafe = store.ensure_source("Cafe\u0301 Ñews", SourceKind.LOCAL, "cafe")
    news = store.ensure_source("新华社 中文新闻", SourceKind.LOCAL, "news")
    titles = [Article(title=t, body="Body.", guid=t, published=when) for t in CUTS]
    store.record_refresh(cafe, titles, FetchOutcome())
    report = Article(title="福岛处理水", body=CJK_BODY, guid="cjk", published=when)
    store.record_refresh(news, [report], FetchOutcome())
    store.close()
    return isolated_env / "cache"


def test_a_title_cut_on_a_terminal_ends_between_grapheme_clusters(cache: Path) -> None:
    status, shown = on_a_terminal("list", "--source", "Cafe\u0301 Ñews", width=80)
    assert status == 0
    titles = [line.rsplit("  ", 1)[1] for line in shown.splitlines()]  # after the source
    assert sorted(titles) == sorted(CUTS.values())


def test_a_search_snippet_is_cut_to_the_terminal_and_whole_in_a_pipe(cache: Path) -> None:
    # On 80 columns the snippet of `search 'source:新华社'` ran over 4 terminal lines.
    status, shown = on_a_terminal("search", "source:新华社", width=80)
    lines = shown.splitlines()
    assert status == 0 and len(lines) == 2 and lines[1].startswith(" " * 10 + "东京电力公司")
    assert lines[1].endswith("…") and terminal_cells(lines[1]) in (79, 80)
    piped = newsdesk("search", "source:新华社").stdout.splitlines()
    assert len(piped) == 2 and terminal_cells(piped[1]) > 160  # a script gets the whole line


def latin1(command: str) -> list[str]:
    """The lines `command` prints to a script whose Python is told latin-1."""
    environment = {**os.environ, "PYTHONIOENCODING": "latin-1"}
    done = newsdesk(command, env=environment, encoding="latin-1")
    assert done.returncode == 0
    return str(done.stdout).splitlines()


def test_latin1_sources_compose_accents_and_keep_the_columns(cache: Path) -> None:
    # `Cafe\u0301 Ñews` printed `Cafe? Ñews`, its counts a cell to the right of the others';
    # `新华社 中文新闻`, printed `??? ????`, took half the cells it was padded for.
    lines = latin1("sources")
    assert [line[:24] for line in lines] == ["Café Ñews".ljust(24), "??? ????".ljust(24)]
    assert len({line.index(" unread") for line in lines}) == 1


def test_latin1_list_keeps_its_title_column(cache: Path) -> None:
    lines = latin1("list")
    assert len(lines) == len(CUTS) + 1
    assert {line[TITLE_AT - 22 : TITLE_AT] for line in lines} == {
        "Café Ñews".ljust(20) + "  ",
        "??? ????".ljust(20) + "  ",
    }


@pytest.mark.parametrize("term", ["dumb", "xterm"])
def test_a_refresh_on_a_terminal_leaves_a_failures_line_whole(
    tmp_path: Path, feed_server: FeedServer, term: str
) -> None:
    # On 150 columns, TERM=dumb: rich cut the line at 80, its URL on a line of its own, and
    # left a blank line under it; the other lines are as wide as the terminal.
    url = feed_server.status("/a-feed-whose-address-is-long-enough-to-pass-80-columns", 500)
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[sources]]\nname = "Broken Feed"\nurl = "{url}"\n')
    argv = ("--config", str(config), "--cache", str(tmp_path / "cache"), "refresh")
    status, shown = on_a_terminal(*argv, width=150, TERM=term)
    lines = [line for line in shown.split("\r\n") if line.strip("\r\n")]
    assert status == 1 and shown.endswith("0 sources up to date, 1 failed, 0 new articles\r\n")
    failure = next(line for line in lines if "Broken Feed" in line)
    assert failure.endswith(f"HTTP 500 Internal Server Error ({url})")
    assert "\r\n\r\n" not in shown
