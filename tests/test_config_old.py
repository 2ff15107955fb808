"""A returning user's config: what older versions accepted is read, with a line saying how,
never refused whole (which opened the TUI with nothing of the config)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main
from tui.config import load_config
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, text: str) -> Path:
    config = tmp_path / "feeds.toml"
    config.write_text(text, encoding="utf-8")
    return config


def checked(capsys: pytest.CaptureFixture[str], config: Path) -> tuple[int, list[str]]:
    """What `newsdesk paths` says of `config`: its exit status and its lines."""
    code, _, err = run(capsys, "--config", str(config), "paths")
    return code, err.splitlines()


def test_an_empty_tag_is_dropped_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write(tmp_path, '[[sources]]\nname = "A"\npath = "a"\ntags = ["", "world", " "]\n')
    said = f"newsdesk: note: {config}:4: sources[1].tags: an empty tag is dropped"
    assert checked(capsys, config) == (0, [said])
    assert load_config(config).sources[0].tags == ("world",)


@pytest.mark.parametrize(
    ("text", "key", "read_as"),
    [
        ("[settings]\nconcurrency = 5000\n", "settings.concurrency", 1000),
        ("[settings]\nmax_body_mb = 1e308\n", "settings.max_body_mb", 1024.0),
        ("[settings]\nretention_days = 99999999\n", "settings.retention_days", 36_500),
        (
            '[[sources]]\nname = "A"\npath = "a"\nrefresh_minutes = 9223372036854775807\n',
            "sources[1].refresh_minutes",
            525_600,
        ),
    ],
    ids=lambda value: str(value)[:30],
)
def test_a_number_past_its_maximum_is_read_as_the_maximum_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, key: str, read_as: float
) -> None:
    config = write(tmp_path, text)
    code, _, err = run(capsys, "--config", str(config), "paths")
    assert code == 0 and err.count("\n") == 1
    assert err.startswith(f"newsdesk: note: {config}:") and f": {key}: " in err
    assert f"read as {read_as:g}" in err
    loaded = load_config(config)
    table, _, name = key.partition(".")
    holder = loaded.settings if table == "settings" else loaded.sources[0]
    assert getattr(holder, name) == read_as and type(getattr(holder, name)) is type(read_as)


def test_a_number_past_its_maximum_is_told_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # It said `5000.0 is past the most, 1024` and `..., 1.04858e+06: read as 1.04858e+06`.
    config = write(tmp_path, "[settings]\nmax_body_mb = 5000\nmedia_max_mb = 2000000\n")
    _, _, err = run(capsys, "--config", str(config), "paths")
    assert "settings.max_body_mb: 5000 is past the most, 1024: read as 1024\n" in err
    assert "media_max_mb: 2000000 is past the most, 1048576: read as 1048576\n" in err


def test_a_binding_id_an_older_version_had_is_read_with_a_note_naming_its_id_now(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `e` and `E` moved from the reader to every article: the old ids were read in silence,
    # and nothing said which id `?` lists them by now.
    config = write(tmp_path, '[keys]\n"reader.play" = "p"\nreader_download = "D"\n')
    assert checked(capsys, config) == (
        0,
        [
            f"newsdesk: note: {config}:2: keys.reader.play: renamed article.play: read as it",
            f"newsdesk: note: {config}:3: keys.reader_download: renamed article.download: "
            "read as it",
        ],
    )


def _old_cache(tmp_path: Path) -> Path:
    """The cache an older version made of two sources named alike but for case."""
    cache = tmp_path / "cache"
    store = Store.open(cache / "newsdesk.db")
    for name, folder in (("BBC", "a"), ("bbc", "b")):
        (tmp_path / folder).mkdir()
        sid = store.ensure_source(name, SourceKind.LOCAL, str(tmp_path / folder))
        article = Article(title=f"Kept by {name}", body="Text.", guid=f"{name}-1")
        store.record_refresh(sid, [article], FetchOutcome())
    store.close()
    return cache


def test_a_source_named_as_another_but_for_case_is_left_out_and_loses_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = _old_cache(tmp_path)
    sources = '[[sources]]\nname = "BBC"\npath = "a"\n\n[[sources]]\nname = "{}"\npath = "b"\n'
    config = write(tmp_path, sources.format("bbc"))
    common = ("--config", str(config), "--cache", str(cache))
    code, out, err = run(capsys, *common, "refresh")
    assert code == 0 and "1 source" in out  # BBC refreshed; the rest of the config works
    told = [line for line in err.splitlines() if line.startswith(f"{config}:")]
    assert told == [
        f"{config}:6: sources[2].name: 'bbc' is 'BBC' but for case or spacing: this source is "
        "left out, its cached articles kept (give it another name to use it)"
    ]
    code, out, _ = run(capsys, *common, "list", "--json")
    assert {row["title"] for row in json.loads(out)} == {"Kept by BBC", "Kept by bbc"}
    code, _, err = run(capsys, *common, "paths")
    assert code == 2 and "sources[2].name: 'bbc' is 'BBC'" in err  # a mistake to fix
    # Named apart, the source comes back with its articles.
    write(tmp_path, sources.format("BBC Two"))
    code, _, err = run(capsys, *common, "refresh")
    assert code == 0 and "left out" not in err
    code, out, _ = run(capsys, *common, "list", "--source", "BBC Two", "--json")
    assert [row["title"] for row in json.loads(out)] == ["Kept by bbc"]


def test_a_saved_search_named_as_another_but_for_case_is_left_out(tmp_path: Path) -> None:
    searches = '[[searches]]\nname = "Space"\nquery = "nasa"\n[[searches]]\nname = "space "\n'
    config = load_config(write(tmp_path, searches + 'query = "esa"\n'))
    assert [s.query for s in config.searches] == ["nasa"]
    assert config.left_out == (
        f"{tmp_path / 'feeds.toml'}:5: searches[2].name: 'space ' is 'Space' but for case or "
        "spacing: this search is left out (give it another name to use it)",
    )
