"""Editing feeds.toml: comments and layout survive add/remove, the result always loads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.interop import feeds_cli
from tui.config import ConfigError, load_config
from tui.interop import InteropError
from tui.interop.config_edit import FeedSpec, add_sources, remove_source
from tui.interop.opml import import_opml
from tui.weburl import url_key

CONFIG = """\
# My newsdesk config. Keep this comment.

[settings]
refresh_minutes = 15   # every quarter hour

# Local notes first.
[[sources]]
name = "Notes"
path = "notes"
tags = ["local"]

[[sources]]
name = "Already"
url = "https://already.example/rss"
# a comment inside this table
tags = ["news"]

[[sources]]
name = "Last"   # trailing comment on a key
url = "https://last.example/feed.xml"

# Saved searches below: this comment belongs above [[searches]].
[[searches]]
name = "Space"
query = "space OR nasa"

# [keys]
# next_article = "n"
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "conf"
    path.mkdir()
    return path


@pytest.fixture
def config(folder: Path) -> Path:
    path = folder / "feeds.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def names(path: Path) -> list[str]:
    return [s.name for s in load_config(path).sources]


def test_add_keeps_every_comment_and_goes_after_the_last_source(config: Path) -> None:
    report = add_sources(config, [FeedSpec("New", "https://new.example/feed", ("a", "b"))])
    assert report.added == ["New"]
    text = config.read_text(encoding="utf-8")
    expected = CONFIG.replace(
        'url = "https://last.example/feed.xml"\n',
        'url = "https://last.example/feed.xml"\n\n'
        '[[sources]]\nname = "New"\nurl = "https://new.example/feed"\ntags = ["a", "b"]\n',
    )
    assert text == expected
    assert names(config) == ["Notes", "Already", "Last", "New"]
    assert load_config(config).searches[0].name == "Space"


def test_remove_takes_only_the_table_and_keeps_outside_comments(config: Path) -> None:
    removed = remove_source(config, "Already")
    assert removed.url == "https://already.example/rss"
    text = config.read_text(encoding="utf-8")
    assert "a comment inside this table" not in text
    for line in CONFIG.splitlines():
        if line.startswith("#") and "inside this table" not in line:
            assert line in text
    assert "\n\n\n" not in text
    assert names(config) == ["Notes", "Last"]


@pytest.mark.parametrize("name", ["Notes", "Already", "Last"])
def test_remove_any_position_leaves_a_valid_tidy_file(config: Path, name: str) -> None:
    remove_source(config, name)
    text = config.read_text(encoding="utf-8")
    assert name not in names(config)
    assert "# Saved searches below" in text
    assert "# Local notes first." in text
    assert "\n\n\n" not in text


def test_remove_the_last_source_then_add_again(config: Path) -> None:
    for name in ("Notes", "Already", "Last"):
        remove_source(config, name)
    assert names(config) == []
    assert "[settings]" in config.read_text(encoding="utf-8")
    add_sources(config, [FeedSpec("Back", "https://back.example/feed")])
    assert names(config) == ["Back"]
    assert load_config(config).settings.refresh_minutes == 15


def test_remove_unknown_name_suggests_and_changes_nothing(config: Path) -> None:
    with pytest.raises(InteropError, match=r"no source named 'last' \(did you mean 'Last'\?\)"):
        remove_source(config, "last")
    assert config.read_text(encoding="utf-8") == CONFIG


def test_duplicate_urls_are_skipped_and_names_made_unique(config: Path) -> None:
    report = add_sources(
        config,
        [
            FeedSpec("Same URL", "http://Already.example/rss/"),  # scheme, case, slash differ
            FeedSpec("Last", "https://another.example/feed"),
            FeedSpec("Twice", "https://twice.example/feed"),
            FeedSpec("Twice again", "https://twice.example/feed"),
        ],
    )
    assert report.added == ["Last (2)", "Twice"]
    assert len(report.skipped) == 2
    assert "same feed as 'Already'" in report.skipped[0]
    assert "same feed as 'Twice'" in report.skipped[1]
    assert report.notices == ["'Last' is taken: added as 'Last (2)'"]
    assert names(config) == ["Notes", "Already", "Last", "Last (2)", "Twice"]


def test_a_name_taken_but_for_its_case_gets_a_number_and_the_config_still_loads(
    config: Path,
) -> None:
    report = add_sources(config, [FeedSpec("last", "https://lower.example/feed")])
    assert report.added == ["last (2)"]
    assert "last (2)" in names(config)  # "Last" and "last" would be one name: refused at load


def test_awkward_names_are_quoted_by_tomlkit(config: Path) -> None:
    awkward = ['Quote " and \\ backslash', "Tab\tand unicode é 日本", "#not a comment", "[[x]]"]
    specs = [FeedSpec(n, f"https://a{i}.example/feed") for i, n in enumerate(awkward)]
    add_sources(config, specs)
    assert names(config)[3:] == awkward


def test_new_config_file_is_created_private_with_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "feeds.toml"
    add_sources(path, [FeedSpec("One", "https://one.example/feed", ("x",))])
    assert path.read_text(encoding="utf-8") == (
        '[[sources]]\nname = "One"\nurl = "https://one.example/feed"\ntags = ["x"]\n'
    )
    assert os.stat(path).st_mode & 0o777 == 0o600  # its owner's: a sync password may go in


def test_crlf_and_bom_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_bytes(b"\xef\xbb\xbf" + CONFIG.replace("\n", "\r\n").encode())
    add_sources(path, [FeedSpec("New", "https://new.example/feed")])
    remove_source(path, "Already")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\n") == data.count(b"\r\n")
    assert names(path) == ["Notes", "Last", "New"]


def test_file_mode_and_symlink_are_kept_and_no_temp_files_left(folder: Path) -> None:
    real = folder / "real.toml"
    real.write_text(CONFIG, encoding="utf-8")
    real.chmod(0o600)
    link = folder / "feeds.toml"
    link.symlink_to(real)
    add_sources(link, [FeedSpec("New", "https://new.example/feed")])
    assert link.is_symlink()
    assert "New" in names(real)
    assert real.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in folder.iterdir()) == ["feeds.toml", "real.toml"]


def test_dry_run_reports_but_writes_nothing(config: Path) -> None:
    report = add_sources(config, [FeedSpec("New", "https://new.example/feed")], dry_run=True)
    assert report.added == ["New"]
    assert config.read_text(encoding="utf-8") == CONFIG


def test_an_invalid_config_is_not_edited(config: Path) -> None:
    broken = CONFIG.replace("refresh_minutes = 15", "refresh_minutes = 'often'")
    config.write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigError, match="refresh_minutes"):
        add_sources(config, [FeedSpec("New", "https://new.example/feed")])
    assert config.read_text(encoding="utf-8") == broken


def test_header_lookalike_in_a_multiline_string_is_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    text = (
        '[[searches]]\nname = "Odd"\nquery = """\n[[sources]]\nname = "x"\n"""\n\n'
        '[[sources]]\nname = "A"\nurl = "https://a.example/f"\n'
    )
    path.write_text(text, encoding="utf-8")
    add_sources(path, [FeedSpec("B", "https://b.example/f")])
    remove_source(path, "A")
    assert names(path) == ["B"]
    assert load_config(path).searches[0].query == '[[sources]]\nname = "x"\n'


def test_an_invalid_new_source_is_reported_against_the_real_file(config: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        add_sources(config, [FeedSpec("Bad", "ftp://bad.example/feed")])
    assert caught.value.path == config
    assert config.read_text(encoding="utf-8") == CONFIG
    assert [p.name for p in config.parent.iterdir()] == ["feeds.toml"]


def test_url_key_ignores_scheme_case_default_port_and_trailing_slash() -> None:
    assert url_key("http://EXAMPLE.org:80/feed/") == url_key("https://example.org/feed")
    assert url_key("https://example.org:8443/feed") != url_key("https://example.org/feed")
    assert url_key("https://example.org/feed?a=1") != url_key("https://example.org/feed?a=2")


# -- the CLI --------------------------------------------------------------------------------


def test_cli_remove(
    config: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = feeds_cli(
        monkeypatch, capsys, "feeds", "remove", "Last", "--config", str(config)
    )
    assert code == 0
    assert "removed 'Last' (https://last.example/feed.xml)" in out
    assert names(config) == ["Notes", "Already"]


def test_cli_remove_unknown_is_one_line_exit_2(
    config: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = feeds_cli(
        monkeypatch, capsys, "feeds", "remove", "Nope", "--config", str(config)
    )
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "no source named 'Nope'" in err
    assert config.read_text(encoding="utf-8") == CONFIG


def test_cli_feeds_needs_an_action(
    config: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = feeds_cli(monkeypatch, capsys, "feeds", "--config", str(config))
    assert code == 2
    assert err.count("\n") == 1 and "ACTION" in err


# -- any valid TOML the tool wrote can be edited again ------------------------------------


def test_a_title_with_triple_quotes_from_opml_does_not_block_later_edits(
    config: Path, tmp_path: Path
) -> None:
    opml = tmp_path / "quotes.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline type="rss" text="Say \'\'\'hi &quot;&quot;&quot;" '
        'xmlUrl="https://quotes.example/feed"/></body></opml>',
        encoding="utf-8",
    )
    import_opml(config, opml)
    title = "Say '''hi \"\"\""
    assert names(config)[-1] == title
    add_sources(config, [FeedSpec("After", "https://after.example/feed")])
    remove_source(config, title)
    remove_source(config, "Already")
    assert names(config) == ["Notes", "Last", "After"]
    text = config.read_text(encoding="utf-8")
    assert "# Saved searches below" in text and "# a comment inside this table" not in text


@pytest.mark.parametrize(
    ("text", "left"),
    [
        (  # the first source: the comment above the next one stays
            '# top\n\n[[sources]]\nname = "A"\nurl = "https://a.example/f"\n\n'
            '# about B\n[[sources]]\nname = "B"\nurl = "https://b.example/f"\n',
            '# top\n\n# about B\n[[sources]]\nname = "B"\nurl = "https://b.example/f"\n',
        ),
        (  # the only source: what followed it stays
            '[[sources]]\nname = "A"\nurl = "https://a.example/f"\n\n'
            '# searches\n[[searches]]\nname = "S"\nquery = "q"\n',
            '# searches\n[[searches]]\nname = "S"\nquery = "q"\n',
        ),
    ],
    ids=["first", "only"],
)
def test_removing_a_source_keeps_the_comments_below_it(
    tmp_path: Path, text: str, left: str
) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    remove_source(path, "A")
    assert path.read_text(encoding="utf-8") == left


def test_adding_after_the_only_source_was_removed(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text('# searches\n[[searches]]\nname = "S"\nquery = "q"\n', encoding="utf-8")
    add_sources(path, [FeedSpec("N", "https://n.example/f")])
    assert names(path) == ["N"]
    assert load_config(path).searches[0].name == "S"
