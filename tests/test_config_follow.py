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
        listed = json.loads(self.streams("sources", "--json")[0])  # a hint may go to stderr
        return {s["name"]: (s["unread"], s["total"]) for s in listed}


@pytest.fixture
def world(tmp_path: Path, feed_server: FeedServer) -> str:
    # The stories' pages on the same server: a save asks it (404), never a name server.
    return feed_server.feed("/world.xml", rss("World", ITEMS, feed_server.url("/story/")))


@pytest.fixture
def other(feed_server: FeedServer) -> str:
    kept = rss("Other", [("Kept story", "Saved text.")], feed_server.url("/story/"))
    return feed_server.feed("/other.xml", kept)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return tmp_path / "feeds.toml"


@pytest.fixture
def cli(config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(config, tmp_path / "cache", capsys)


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
    config: Path, cli: Cli, world: str, other: str
) -> None:
    dead = "http://127.0.0.1:9/never.xml"  # fails: a source with nothing cached
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


@pytest.mark.parametrize("turn", [1, 2], ids=["swap", "cycle"])
def test_names_swapped_or_cycled_follow_each_feed_with_its_articles_and_read_state(
    config: Path, cli: Cli, feed_server: FeedServer, turn: int
) -> None:
    names = ["World", "Markets", "Sport"][: turn + 1]
    urls = [
        feed_server.feed(f"/{n}.xml", rss(n, [(f"{n} story {i}", "Text.") for i in range(i + 1)]))
        for i, n in enumerate(names)
    ]
    write(config, *zip(names, urls, strict=True))
    cli("refresh")
    cli("read", str(json.loads(cli("list", "--source", "World", "--json"))[0]["id"]))
    turned = names[turn:] + names[:turn]  # World's feed is now called Markets (or Sport)
    write(config, *zip(turned, urls, strict=True))
    out = cli("refresh")
    for old, new in zip(names, turned, strict=True):
        assert f"{old!r} is {new!r} now" in out
    assert "0 new articles" in out
    sizes = {
        new: (i + 1 - (old == "World"), i + 1)
        for i, (old, new) in enumerate(zip(names, turned, strict=True))
    }
    assert cli.sources() == sizes
    world_now = turned[0]
    titles = {row["title"] for row in json.loads(cli("list", "--source", world_now, "--json"))}
    assert titles == {"World story 0"}
    assert " now (renamed" not in cli("refresh")  # said once


def test_a_rename_onto_a_name_a_removed_source_holds_keeps_the_two_feeds_apart(
    config: Path, cli: Cli, world: str, other: str
) -> None:
    write(config, ("World", world), ("Other", other))
    cli("refresh")
    cli("read", str(json.loads(cli("list", "--source", "World", "--json"))[0]["id"]))
    write(config, ("World", world))  # Other deleted by hand...
    cli("refresh")
    write(config, ("Other", world))  # ... and World renamed to its name
    out = cli("refresh")
    assert "'World' is 'Other' now" in out and "0 new articles" in out
    assert "its articles are kept as 'Other (2)'" in out
    assert cli.sources() == {"Other": (1, 2), "Other (2)": (1, 1)}
    assert [r["title"] for r in json.loads(cli("list", "--source", "Other (2)", "--json"))] == [
        "Kept story"
    ]


def test_a_source_deleted_from_the_config_by_hand_keeps_its_articles_and_is_told(
    config: Path, cli: Cli, world: str, other: str
) -> None:
    write(config, ("World", world), ("Other Feed", other))
    cli("refresh")
    write(config, ("World", world))  # Other Feed's table deleted by hand
    told = "'Other Feed' is no longer in feeds.toml: its 1 article is kept; "
    told += "`newsdesk feeds remove 'Other Feed'` forgets them"
    assert told in cli("refresh")
    assert told in cli("paths")
    listed = {s["name"]: s for s in json.loads(cli("sources", "--json"))}
    assert listed["Other Feed"]["in_config"] is False and listed["World"]["in_config"] is True
    assert listed["Other Feed"]["total"] == 1
    assert "ok, not in the config" in cli("sources").splitlines()[0]
    cli("feeds", "remove", "Other Feed")
    assert "no longer in" not in cli("refresh") + cli("paths")


def test_a_feed_configured_twice_is_fetched_once_and_the_repeat_is_told(
    config: Path, cli: Cli, world: str, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    twin = world.replace("http://", "https://") + "/"  # the same feed, as `feeds import` tells
    write(
        config,
        ("World", world),
        ("World again", twin),
        ("World too", world.replace("http:", "HTTP:")),
    )
    out = cli("refresh")
    for index, name in ((2, "World again"), (3, "World too")):
        told = f"{config}:{4 * index - 1}: sources[{index}].url: {name!r} repeats 'World' "
        assert told + "(line 3): the same feed, fetched once; this source is left out" in out
    assert feed_server.hits("/world.xml") == 1
    assert cli.sources() == {"World": (2, 2)}
    assert main(["--config", str(config), "paths"]) == 2  # a mistake to mend
    assert f"{config}:7: sources[2].url: 'World again' repeats 'World'" in capsys.readouterr().err


def test_a_source_renamed_in_the_config_is_not_told_gone_before_a_refresh_follows_it(
    config: Path, cli: Cli, world: str, other: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before a refresh followed the rename, `paths` said "'Other' is no longer in
    # feeds.toml ... `newsdesk feeds remove Other` forgets them", and doing so lost them.
    write(config, ("World", world), ("Other", other))
    cli("refresh")
    write(config, ("World", world), ("Other Renamed", other))
    said = cli("paths")
    assert "'Other' is 'Other Renamed' now (the next refresh follows it)" in said
    assert "no longer in" not in said
    listed = {s["name"]: s["in_config"] for s in json.loads(cli("sources", "--json"))}
    assert listed == {"Other": True, "World": True}
    assert "'Other Renamed' in the config" in cli("sources")
    assert main([*cli.base, "feeds", "remove", "Other"]) == 2  # no source named so, now
    assert "'Other' is 'Other Renamed' now" in capsys.readouterr().out
    assert cli.sources() == {"Other Renamed": (1, 1), "World": (2, 2)}


def test_rules_apply_follows_a_rename_its_rule_names(config: Path, cli: Cli, world: str) -> None:
    # A rule limited to the new name changed nothing until a refresh followed the rename.
    write(config, ("World", world))
    cli("refresh")
    write(config, ("World News", world))
    with config.open("a") as text:
        text.write('[[rules]]\nquery = "port"\naction = "read"\nsources = ["World News"]\n')
    out = cli("rules", "apply")
    assert "'World' is 'World News' now" in out and "1 article marked read" in out
    assert cli.sources() == {"World News": (1, 2)}


def test_list_and_search_find_a_source_by_its_new_name_before_a_refresh_follows_it(
    config: Path, cli: Cli, world: str, other: str
) -> None:
    # `list --source "World News"` exited 2 ("no source named 'World News' in the cache")
    # and `search source:"World News"` found nothing until a refresh followed the rename.
    write(config, ("World", world), ("Other", other))
    cli("refresh")
    write(config, ("World News", world), ("Other", other))
    for name in ("World News", "world news", "World"):  # the old one too, until the refresh
        listed = json.loads(cli("list", "--source", name, "--json"))
        assert sorted(row["title"] for row in listed) == [
            "Port strike ends after deal",
            "Rates held",
        ]
    found, said = cli.streams("search", 'source:"World News" port')
    assert "Port strike ends after deal" in found and said == ""
    assert "Port strike" not in cli("search", '-source:"World" port')
    assert main([*cli.base, "list", "--source", "Nowhere"]) == 2
