"""The cache follows the config: a source renamed there keeps its articles and read state,
and one removed from it (by `feeds remove`, or by hand with nothing cached) leaves the lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, rss
from tui.cli import main

ITEMS = [("Port strike ends after deal", "Dockers return."), ("Rates held", "No change.")]


class Cli:
    def __init__(self, config: Path, cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.base, self.capsys = ["--config", str(config), "--cache", str(cache)], capsys

    def __call__(self, *argv: str) -> str:
        out, err = self.streams(*argv)
        return out + err

    def streams(self, *argv: str) -> tuple[str, str]:
        code = main([*self.base, *argv])
        out, err = self.capsys.readouterr()
        assert code == 0, (argv, out, err)
        return out, err

    def sources(self) -> dict[str, tuple[int, int]]:
        listed = json.loads(self("sources", "--json"))
        return {s["name"]: (s["unread"], s["total"]) for s in listed}


@pytest.fixture
def world(tmp_path: Path, feed_server: FeedServer) -> str:
    return feed_server.feed("/world.xml", rss("World", ITEMS))


def write(config: Path, *sources: tuple[str, str]) -> None:
    config.write_text(
        "".join(f'[[sources]]\nname = "{name}"\nurl = "{url}"\n\n' for name, url in sources)
    )


def test_a_source_renamed_in_the_config_keeps_its_articles_and_read_state(
    tmp_path: Path, world: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "feeds.toml"
    cli = Cli(config, tmp_path / "cache", capsys)
    write(config, ("World Report", world))
    cli("refresh")
    cli("read", "1")
    write(config, ("World (renamed)", world))
    out = cli("refresh")
    assert "'World Report' is 'World (renamed)' now" in out and "0 new articles" in out
    assert cli.sources() == {"World (renamed)": (1, 2)}
    assert "Port strike" in cli("search", "source:renamed port")
    assert "is 'World (renamed)' now" not in cli("refresh")  # said once


def test_removed_sources_leave_the_lists_and_saved_articles_stay(
    tmp_path: Path, world: str, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "feeds.toml"
    cli = Cli(config, tmp_path / "cache", capsys)
    dead = "http://127.0.0.1:9/never.xml"  # fails: a source with nothing cached
    other = feed_server.feed("/other.xml", rss("Other", [("Kept story", "Saved text.")]))
    write(config, ("World", world), ("Dead", dead), ("Other", other))
    cli("refresh")
    assert set(cli.sources()) == {"World", "Dead", "Other"}
    write(config, ("World", world), ("Other", other))  # Dead edited out by hand
    cli("refresh")
    assert set(cli.sources()) == {"World", "Other"}
    assert "forgot its 2 cached articles" in cli("feeds", "remove", "World")
    [kept] = json.loads(cli("list", "--source", "Other", "--json"))
    cli("save", str(kept["id"]))
    out = cli("feeds", "remove", "Other")
    assert "forgot its 0 cached articles; kept 1 saved article (and the source" in out
    assert cli.sources() == {"Other": (1, 1)}
    assert "Kept story" in cli("list")


def test_a_removed_source_goes_with_its_last_saved_article_unless_added_again(
    tmp_path: Path, world: str, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "feeds.toml"
    cli = Cli(config, tmp_path / "cache", capsys)
    write(config, ("World", world))
    cli("refresh")
    first, second = (row["id"] for row in json.loads(cli("list", "--json")))
    cli("save", str(first), str(second))
    cli("feeds", "remove", "World")
    assert cli("unsave", str(first)) == "forgot 1 article of the removed source 'World'\n"
    assert cli.sources() == {"World": (1, 1)}  # the other saved article still holds it
    out = cli("unsave", str(second))
    assert "'World'; the source went with its last saved article" in out
    assert cli.sources() == {}
    assert json.loads(cli.streams("list", "--json")[0]) == []  # stdout: a hint on stderr
    # Subscribed again, the source is an ordinary one: unsaving keeps it and its articles.
    write(config, ("World", world))
    cli("refresh")
    [first, *_] = (row["id"] for row in json.loads(cli("list", "--json")))
    cli("save", str(first))
    cli("feeds", "remove", "World")
    write(config, ("World", world))
    cli("refresh")
    assert cli("unsave", str(first)) == ""
    assert cli.sources() == {"World": (2, 2)}
