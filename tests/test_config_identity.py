"""A source is its feed: a new one taking the name of a source deleted from the config is
another feed (that one is set aside), and a rename with the URL its feed moved to keeps it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, rss
from tests.test_config_follow import Cli, write


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path / "feeds.toml", tmp_path / "cache", capsys)


def _feed(server: FeedServer, path: str, title: str, count: int) -> str:
    items = [(f"{title} story {n}", "Text.") for n in range(count)]
    return server.feed(path, rss(title, items, server.url(f"/story{path}/")))


def _flags(cli: Cli, source: str) -> dict[str, tuple[bool, bool]]:
    rows = json.loads(cli.streams("list", "--source", source, "--json")[0])
    return {row["title"]: (row["read"], row["saved"]) for row in rows}


@pytest.mark.parametrize("way", ["add", "import"])
def test_a_new_feed_taking_a_deleted_sources_name_leaves_its_articles_aside(
    cli: Cli, feed_server: FeedServer, tmp_path: Path, way: str
) -> None:
    f01, f02, f03 = (_feed(feed_server, f"/f0{n}.xml", f"F0{n}", 3) for n in (1, 2, 3))
    config = Path(cli.base[1])
    write(config, ("Alpha", f01), ("Beta", f03))
    cli("refresh")
    first, second, third = (r["id"] for r in json.loads(cli("list", "--source", "Alpha", "--json")))
    cli("read", str(first), str(second))
    cli("save", str(third))
    write(config, ("Beta", f03))  # Alpha's table deleted by hand
    assert "its 3 articles are kept" in cli("refresh")
    if way == "add":
        cli("feeds", "add", f02, "--name", "Alpha")
    else:
        opml = tmp_path / "in.opml"
        opml.write_text(
            f'<opml version="2.0"><body><outline text="Alpha" xmlUrl="{f02}"/></body></opml>'
        )
        cli("feeds", "import", str(opml))
    out = cli("refresh")
    assert "'Alpha' is no longer in feeds.toml and another source has its name now" in out
    assert cli.sources() == {"Alpha": (3, 3), "Alpha (2)": (1, 3), "Beta": (3, 3)}
    assert set(_flags(cli, "Alpha").values()) == {(False, False)}
    flags = sorted(_flags(cli, "Alpha (2)").values())
    assert flags == [(False, True), (True, False), (True, False)]
    cli("feeds", "remove", "Alpha")
    assert cli.sources()["Alpha (2)"] == (1, 3)  # f01's read history stays


def test_a_url_changed_in_place_under_the_same_name_keeps_the_source(
    cli: Cli, feed_server: FeedServer
) -> None:
    f01, f02 = (_feed(feed_server, f"/f0{n}.xml", "Same", 2) for n in (1, 2))
    config = Path(cli.base[1])
    write(config, ("Alpha", f01))
    cli("refresh")
    cli("read", str(json.loads(cli("list", "--json"))[0]["id"]))
    write(config, ("Alpha", f02))  # the feed moved: its URL edited
    assert "0 new articles" in cli("refresh")
    assert cli.sources() == {"Alpha": (1, 2)}


def test_a_rename_to_where_the_feed_moved_keeps_its_articles_and_flags(
    cli: Cli, feed_server: FeedServer
) -> None:
    moved = _feed(feed_server, "/old.xml", "Moving", 2)
    first = feed_server.redirect("/new.xml", moved)
    config = Path(cli.base[1])
    write(config, ("Moving Feed", first))
    assert "feed moved permanently to" in cli("refresh")
    top = json.loads(cli("list", "--json"))[0]["id"]
    cli("save", str(top))
    write(config, ("Mover", moved))  # as the notice asks, and renamed in the same edit
    out = cli("refresh")
    assert "'Moving Feed' is 'Mover' now" in out and "0 new articles" in out
    assert cli.sources() == {"Mover": (2, 2)}
    assert sorted(_flags(cli, "Mover").values()) == [(False, False), (False, True)]


def test_a_feed_moved_onto_another_sources_feed_is_fetched_and_listed_once(
    cli: Cli, feed_server: FeedServer
) -> None:
    plain = _feed(feed_server, "/p5.xml", "Plain", 2)
    twin = feed_server.redirect("/dup.xml", plain)
    write(Path(cli.base[1]), ("Plain Feed 5", plain), ("Dup", twin))
    for _ in range(2):
        out = cli("refresh")
        assert f"Dup: feed moved permanently to {plain} — that is the feed of 'Plain Feed 5'" in out
        assert "update feeds.toml" not in out
        assert len(json.loads(cli.streams("list", "--json")[0])) == 2
    assert feed_server.hits("/dup.xml") == 1  # the second refresh fetched it once, as Plain's
    assert cli.sources()["Dup"] == (0, 0)


def test_sources_says_which_are_disabled(cli: Cli, feed_server: FeedServer) -> None:
    on, off = (_feed(feed_server, f"/{name}.xml", name, 1) for name in ("on", "off"))
    config = Path(cli.base[1])
    write(config, ("On", on), ("Off", off))
    cli("refresh")
    config.write_text(config.read_text() + "enabled = false\n")  # Off's table is last
    lines = cli.streams("sources")[0].splitlines()
    assert lines[0].startswith("Off") and lines[0].endswith("ok, disabled")
    assert lines[1].startswith("On") and lines[1].endswith("ok")
    listed = {s["name"]: s["enabled"] for s in json.loads(cli.streams("sources", "--json")[0])}
    assert listed == {"Off": False, "On": True}
