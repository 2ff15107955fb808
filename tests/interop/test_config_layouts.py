"""`[[sources]]` tables among other tables, as a hand-edited feeds.toml has them: adding,
removing and importing edit only the source's own lines; what has no table is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.feedserver import FeedServer, rss
from tests.interop import feeds_cli
from tui.config import load_config
from tui.interop import InteropError
from tui.interop.config_edit import FeedSpec, add_sources, remove_source

# The tester's layout: a source added by hand at the end, after [[searches]], before [keys].
HAND_EDITED = """\
[settings]
refresh_minutes = 30

[[sources]]
name = "A"
url = "https://a.example/feed"

# Saved searches: this comment belongs above [[searches]].
[[searches]]
name = "Shipping"
query = "shipping"

[[sources]]           # added by hand at the end
name = "Day Two Notes"
# a comment inside this table
path = "local2"
# below the last key: kept, it may be about [keys]

[keys]
next_article = "n"
"""

NEW_TABLE = '[[sources]]\nname = "New"\nurl = "https://new.example/feed"\n'
DAY_TWO = """\
[[sources]]           # added by hand at the end
name = "Day Two Notes"
# a comment inside this table
path = "local2"
"""
A_TABLE = '[[sources]]\nname = "A"\nurl = "https://a.example/feed"\n\n'


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(HAND_EDITED, encoding="utf-8")
    return path


def names(path: Path) -> list[str]:
    return [s.name for s in load_config(path).sources]


def test_add_goes_after_the_last_source_though_other_tables_come_between(config: Path) -> None:
    add_sources(config, [FeedSpec("New", "https://new.example/feed")])
    assert config.read_text(encoding="utf-8") == HAND_EDITED.replace(
        DAY_TWO, DAY_TWO + "\n" + NEW_TABLE + "\n"
    )
    assert names(config) == ["A", "Day Two Notes", "New"]
    assert load_config(config).searches[0].name == "Shipping"


@pytest.mark.parametrize(
    ("name", "table"), [("A", A_TABLE), ("Day Two Notes", DAY_TWO)], ids=["first", "last"]
)
def test_remove_takes_the_table_from_its_header_to_its_last_key(
    config: Path, name: str, table: str
) -> None:
    removed = remove_source(config, name)
    assert removed.name == name
    assert config.read_text(encoding="utf-8") == HAND_EDITED.replace(table, "")
    assert names(config) == [n for n in ("A", "Day Two Notes") if n != name]


def test_the_cli_adds_imports_and_removes_in_a_hand_edited_layout(
    config: Path,
    tmp_path: Path,
    feed_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = feed_server.feed("/served.xml", rss("Served", 2))
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline type="rss" text="Imported" xmlUrl="https://imported.example/rss"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    steps = [
        ("feeds", "add", url, "--name", "Served"),
        ("feeds", "import", str(opml)),
        ("feeds", "remove", "A"),
        ("feeds", "remove", "Day Two Notes"),
    ]
    for step in steps:
        code, _, err = feeds_cli(monkeypatch, capsys, *step, "--config", str(config))
        assert (code, err) == (0, ""), step
    text = config.read_text(encoding="utf-8")
    assert names(config) == ["Served", "Imported"]
    searches = HAND_EDITED.split("# Saved searches")[1].split("[[sources]]")[0]
    assert text.startswith("[settings]\nrefresh_minutes = 30\n\n# Saved searches" + searches)
    assert text.endswith(
        f'[[sources]]\nname = "Served"\nurl = "{url}"\n\n'
        '[[sources]]\nname = "Imported"\nurl = "https://imported.example/rss"\n\n'
        '# below the last key: kept, it may be about [keys]\n\n[keys]\nnext_article = "n"\n'
    )


def test_a_last_table_without_a_final_line_break(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    text = '[keys]\nnext_article = "n"\n\n[[sources]]\nname = "A"\nurl = "https://a.example/f"'
    path.write_text(text, encoding="utf-8")
    add_sources(path, [FeedSpec("New", "https://new.example/feed")])
    assert path.read_text(encoding="utf-8") == text + "\n\n" + NEW_TABLE
    path.write_text(text, encoding="utf-8")
    remove_source(path, "A")
    assert path.read_text(encoding="utf-8") == '[keys]\nnext_article = "n"\n'


def test_crlf_lines_stay_crlf_among_other_tables(config: Path) -> None:
    config.write_bytes(HAND_EDITED.replace("\n", "\r\n").encode())
    add_sources(config, [FeedSpec("New", "https://new.example/feed")])
    remove_source(config, "A")
    expected = HAND_EDITED.replace(DAY_TWO, DAY_TWO + "\n" + NEW_TABLE + "\n")
    expected = expected.replace(A_TABLE, "")
    assert config.read_bytes() == expected.replace("\n", "\r\n").encode()


def test_a_comment_like_line_closing_a_string_stays_with_its_table(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    odd = '[[sources]]\nurl = "https://odd.example/f"\nname = """Odd\n# still the name"""\n'
    rest = '# searches next\n\n[[searches]]\nname = "S"\nquery = "q"\n\n'
    rest += '[[sources]]\nname = "B"\npath = "b"\n'
    path.write_text(odd + rest, encoding="utf-8")
    add_sources(path, [FeedSpec("New", "https://new.example/feed")])
    remove_source(path, "Odd # still the name")
    assert path.read_text(encoding="utf-8") == rest + "\n" + NEW_TABLE


@pytest.mark.parametrize(
    "text",
    [
        'sources = [{ name = "Inline", url = "https://inline.example/f" }]\n',
        'sources = [\n  { name = "Inline", url = "https://inline.example/f" },\n]\n\n[keys]\n',
        "sources = []\n",
    ],
    ids=["one-line", "multi-line", "empty"],
)
def test_sources_in_an_inline_array_are_refused_naming_it(tmp_path: Path, text: str) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InteropError) as caught:
        add_sources(path, [FeedSpec("New", "https://new.example/f")])
    message = str(caught.value)
    assert "inline array (sources = [...])" in message and "\n" not in message
    assert path.read_text(encoding="utf-8") == text


def test_the_cli_refuses_an_inline_array_in_one_line_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "feeds.toml"
    text = 'sources = [{ name = "Inline", url = "https://inline.example/f" }]\n'
    path.write_text(text, encoding="utf-8")
    code, out, err = feeds_cli(
        monkeypatch, capsys, "feeds", "remove", "Inline", "--config", str(path)
    )
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "inline array (sources = [...])" in err
    assert path.read_text(encoding="utf-8") == text
