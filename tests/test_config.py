"""feeds.toml loading: every mistake is one line naming file, line and key."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tui.cli import main
from tui.config import ConfigError, load_config
from tui.paths import platform_config, resolve_paths


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_bundled_config_loads() -> None:
    config = load_config(Path(__file__).parent.parent / "feeds.toml")
    assert config.source("Samples") is not None
    assert any(s.url for s in config.sources)
    assert config.settings.concurrency == 16


def test_sources_and_settings(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            "[settings]\nconcurrency = 3\ntimeout_seconds = 5\n"
            '[[sources]]\nname = "A"\nurl = "https://example.org/feed"\ntags = ["x"]\n'
            '[[sources]]\nname = "B"\npath = "notes"\nenabled = false\nrefresh_minutes = 5\n'
            '[[searches]]\nname = "S"\nquery = "nato"\n[keys]\nquit = "ctrl+q"\n',
        )
    )
    assert config.settings.concurrency == 3 and config.settings.timeout_seconds == 5.0
    a, b = config.sources
    assert a.url == "https://example.org/feed" and a.tags == ("x",)
    assert b.path == (tmp_path / "notes").resolve() and not b.enabled and b.refresh_minutes == 5
    assert config.searches[0].query == "nato"
    assert config.keys == {"quit": "ctrl+q"}


def test_missing_file_is_an_empty_config(tmp_path: Path) -> None:
    assert load_config(tmp_path / "nope.toml").sources == ()


def test_unknown_key_names_file_line_and_key(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[[sources]]\nname = "A"\nurl = "https://a.org/f"\ncolour = 1\n')
    assert message.startswith(f"{tmp_path / 'feeds.toml'}:4: sources[1].colour: unknown key")


def test_wrong_type(tmp_path: Path) -> None:
    text = '[[sources]]\nname = "A"\nurl = "https://a.org/f"\n[[sources]]\nname = "B"\n'
    text += 'url = "https://b.org/f"\nenabled = "yes"\n'
    assert ":7: sources[2].enabled: must be true or false" in error_of(tmp_path, text)


def test_duplicate_name(tmp_path: Path) -> None:
    text = '[[sources]]\nname = "A"\nurl = "https://a.org/f"\n[[sources]]\nname = "A"\npath = "x"\n'
    assert ":5: sources[2].name: duplicate name 'A'" in error_of(tmp_path, text)


@pytest.mark.parametrize(
    "body",
    ['name = "A"\n', 'name = "A"\nurl = "https://a.org/f"\npath = "x"\n'],
    ids=["neither", "both"],
)
def test_exactly_one_of_url_and_path(tmp_path: Path, body: str) -> None:
    assert "needs exactly one of url or path" in error_of(tmp_path, "[[sources]]\n" + body)


@pytest.mark.parametrize("second", ["a", "A ", " A"])
def test_names_alike_but_for_case_or_spaces_leave_the_second_out(
    tmp_path: Path, second: str
) -> None:
    # Listed alike in the panes, and one to `source:a`: two sources would read as one.
    text = f'[[sources]]\nname = "A"\npath = "a"\n\n[[sources]]\nname = "{second}"\npath = "b"\n'
    config = load_config(write(tmp_path, text))
    assert [s.name for s in config.sources] == ["A"]
    assert f":6: sources[2].name: {second!r} is 'A' but for case" in config.left_out[0]


def test_only_http_urls(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[[sources]]\nname = "A"\nurl = "file:///etc/passwd"\n')
    assert "sources[1].url: only http and https" in message


def test_a_sync_port_out_of_range_is_named_where_it_is_written(tmp_path: Path) -> None:
    # Once a traceback from `newsdesk sync`.
    text = '[sync]\nservice = "fever"\npassword = "p"\nurl = "http://127.0.0.1:99999/f"\n'
    message = error_of(tmp_path, text)
    assert ":4: sync.url: port out of range 0-65535, not 'http://127.0.0.1:99999/f'" in message


def test_a_source_port_out_of_range_is_noted_and_the_others_stay(tmp_path: Path) -> None:
    # Older versions took it; refusing the whole config stopped every other source.
    text = '[[sources]]\nname = "Bad"\nurl = "http://127.0.0.1:99999/f"\n\n'
    text += '[[sources]]\nname = "Good"\nurl = "http://127.0.0.1:8080/f"\n'
    config = load_config(write(tmp_path, text))
    assert [s.name for s in config.sources] == ["Bad", "Good"]
    assert config.notes[0].endswith(
        ":3: sources[1].url: port out of range 0-65535: this source fails until its URL is mended"
    )


def test_invalid_toml_gives_the_line(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[settings]\nconcurrency = 3\ntheme = "dark\n')
    assert ":3: invalid TOML" in message


@pytest.mark.parametrize(
    ("cut", "line"),
    [
        ('[[sources]]\nname = "A"\nurl = "https://a.example/feed', 3),  # saved half-way
        ('[[sources]]\nname = "A"\nnote = """long\ntext\n', 3),  # inside a multi-line one
        ("[[sources]]\nname = 'A'\nurl = 'https://a.example", 3),
    ],
)
def test_a_file_cut_inside_a_string_names_the_line_it_starts_on(
    tmp_path: Path, cut: str, line: int
) -> None:
    # "invalid TOML: Unterminated string (at end of document)" named no line at all.
    message = error_of(tmp_path, cut)
    assert f"feeds.toml:{line}: invalid TOML: " in message


def test_bad_setting_value(tmp_path: Path) -> None:
    message = error_of(tmp_path, "[settings]\nconcurrency = 0\n")
    assert ":2: settings.concurrency: must be at least 1 and at most 1000, not 0" in message


def test_errors_show_values_as_written(tmp_path: Path) -> None:
    big = error_of(tmp_path, "[settings]\nrefresh_minutes = -9223372036854775807\n")
    assert big.endswith("at most 525600, not -9223372036854775807")  # not -9.22337e+18
    tags = error_of(tmp_path, '[[sources]]\nname = "A"\npath = "a"\ntags = [1]\n')
    assert tags.endswith("sources[1].tags: must be a list of strings, not [1]")


def test_unknown_setting(tmp_path: Path) -> None:
    assert ":2: settings.colour: unknown key" in error_of(tmp_path, '[settings]\ncolour = "x"\n')
    # The theme's line is kept with the settings, read from the file, never set in it.
    assert "settings.theme_line: unknown key" in error_of(tmp_path, "[settings]\ntheme_line = 1\n")


def test_path_precedence(tmp_path: Path) -> None:
    (tmp_path / "feeds.toml").write_text("")
    env = {"NEWSDESK_CONFIG": str(tmp_path / "env.toml"), "NEWSDESK_CACHE": str(tmp_path / "c")}
    flag = resolve_paths("x.toml", "cdir", env, cwd=tmp_path)
    assert flag.config == tmp_path / "x.toml" and flag.cache == tmp_path / "cdir"
    from_env = resolve_paths(None, None, env, cwd=tmp_path)
    assert from_env.config == tmp_path / "env.toml" and from_env.cache == tmp_path / "c"
    local = resolve_paths(None, None, {}, cwd=tmp_path)
    assert local.config == tmp_path / "feeds.toml" and local.cache == tmp_path / "cache"
    platform = resolve_paths(None, None, {}, cwd=tmp_path / "elsewhere")
    assert platform.config_origin == "platform config dir"
    assert platform.cache == platform.config.parent / "cache"


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG rule of Linux")
@pytest.mark.parametrize("xdg", [None, "", "relative/conf", "/somewhere/conf"])
def test_platform_config_folder_is_platformdirs_one(
    xdg: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import platformdirs

    if xdg is None:
        monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CONFIG_HOME", xdg)
    assert platform_config() == Path(platformdirs.user_config_dir("newsdesk")) / "feeds.toml"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[settings]\nmax_body_mb = nan\n", ":2: settings.max_body_mb: must be a finite number"),
        ("[settings]\nmax_body_mb = -inf\n", ":2: settings.max_body_mb: must be a finite number"),
        ("[settings]\ntimeout_seconds = 0\n", ":2: settings.timeout_seconds: must be more than 0"),
        ("[settings]\ntimeout_seconds = nan\n", ":2: settings.timeout_seconds: must be a finite"),
        ("[settings]\nretention_days = -1\n", ":2: settings.retention_days: must be at"),
        (
            '[[sources]]\nname = "A"\nurl = "https://a.example/"\nrefresh_minutes = -5\n',
            ":4: sources[1].refresh_minutes: must be at least 0",
        ),
        ("\n\nx = " + "[" * 100_000 + "]" * 100_000 + "\n", ":3: x: nested too deeply"),
        ("[keys]\nquit = { a = " + "{ a = " * 100_000 + "}" * 100_001, ":2: quit: nested too"),
    ],
    ids=lambda value: value[:40],
)
def test_extreme_values_are_one_line_errors_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, where: str
) -> None:
    path = write(tmp_path, text)
    code = main(["--config", str(path), "refresh"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert f"{path}{where}" in err


def test_hostile_names_tags_and_searches_are_cleaned(tmp_path: Path) -> None:
    osc52 = "\\u001b]52;c;aGVsbG8=\\u0007"  # TOML escapes: the file itself stays valid
    config = load_config(
        write(
            tmp_path,
            f'[[sources]]\nname = "News{osc52}\\u001b[2J\\u202e\\u0085"\npath = "notes"\n'
            f'tags = ["t\\u001b[31m", "\\u009b2Jx"]\n'
            f'[[searches]]\nname = "S\\u001b]0;title\\u0007"\nquery = "a\\u001b[2J\\nb"\n'
            f'[keys]\nquit = "q\\u001b[2J"\n',
        )
    )
    source = config.sources[0]
    assert (source.name, source.tags) == ("News", ("t", "x"))
    assert (config.searches[0].name, config.searches[0].query) == ("S", "a\nb")
    assert config.keys == {"quit": "q"}


def test_an_empty_key_entry_leaves_the_rest_of_the_config_in_force(tmp_path: Path) -> None:
    # The app reports it beside the other unusable [keys] entries (tests/ui/test_keys.py).
    config = load_config(
        write(tmp_path, '[settings]\nbrowser = "lynx"\n[keys]\n"reader.also" = ""\nquit = "Q"\n')
    )
    assert config.keys == {"reader.also": "", "quit": "Q"}
    assert config.settings.browser == "lynx"


@pytest.mark.parametrize("key", ["url", "path"])
@pytest.mark.parametrize("unseen", ["\\u001b[2J", "tr\\u200bk"])  # ESC, a zero-width space
def test_a_url_or_path_with_control_characters_is_refused(
    tmp_path: Path, key: str, unseen: str
) -> None:
    value = f"https://a.example/{unseen}" if key == "url" else f"notes{unseen}"
    message = error_of(tmp_path, f'[[sources]]\nname = "A"\n{key} = "{value}"\n')
    assert f":3: sources[1].{key}: must not hold control characters" in message
    assert "\x1b" not in message and "\u200b" not in message


def test_a_hostile_quoted_key_is_reported_without_its_escapes(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[settings]\n"\\u001b]52;c;aGk=\\u0007x" = 1\n')
    assert "settings.x: unknown key" in message
    assert "\x1b" not in message and "\x07" not in message


def test_a_rule_or_search_naming_no_source_is_noted_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A source renamed in the config left its rules and searches matching nothing, unsaid.
    config = write(
        tmp_path,
        '[[sources]]\nname = "El País"\npath = "a"\n\n[[sources]]\nname = "Monde (FR)"\n'
        'path = "b"\n\n[[rules]]\nquery = "budget"\naction = "read"\n'
        'sources = ["EL PAÍS", "Le Monde"]\n\n[[searches]]\nname = "Both"\n'
        'query = "source:el-pais OR source:monde -source:\\"Le Monde\\""\n',
    )
    assert main(["--config", str(config), "paths"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"newsdesk: note: {config}:12: rules[1].sources: no source is named 'Le Monde' "
        "(renamed or removed?)",
        f"newsdesk: note: {config}:16: searches[1].query: no source is named 'el-pais' or "
        "'Le Monde' (renamed or removed?)",
    ]
