"""The `[sync]` table: one-line config errors (exit 2) that never echo a secret, and a
password command run without a shell."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.sync.conftest import Cli
from tui.config import SyncConfig, load_config
from tui.sync.account import PasswordFailed, account_key, password, same_account
from tui.sync.http import Redactor

GOOD = 'service = "ttrss"\nurl = "http://127.0.0.1:9/"\nuser = "me"\n'


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (GOOD, ":2: sync.password: needs exactly one of password or password_command"),
        (GOOD + 'password = "a"\npassword_command = "b"\n', ":6: sync.password: needs exactly"),
        (GOOD.replace("ttrss", "miniflux") + 'password = "a"\n', ":3: sync.service: must be"),
        (GOOD.replace("http://", "ftp://") + 'password = "a"\n', ":4: sync.url: only http"),
        (GOOD + "password = 123456\n", ":6: sync.password: must be a non-empty string (value"),
        (GOOD + 'password = "a"\ntoken = "x"\n', ":7: sync.token: unknown key"),
    ],
)
def test_config_errors_are_one_line_with_exit_2(cli: Cli, table: str, message: str) -> None:
    cli.write(table)
    code, out, err = cli("sync")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err
    assert "123456" not in err


def test_sync_needs_a_sync_table(cli: Cli) -> None:
    cli.config.parent.mkdir(parents=True)
    cli.config.write_text("")
    code, _, err = cli("sync")
    assert code == 2 and "no [sync] table" in err


def test_password_command_runs_without_a_shell(tmp_path: Path) -> None:
    cli_config = tmp_path / "feeds.toml"
    command = f"{sys.executable} -c 'import sys; print(sys.argv[1])' '$HOME;rm -rf /'"
    cli_config.write_text("[sync]\n" + GOOD + f"password_command = {_toml(command)}\n")
    config = load_config(cli_config).sync
    assert config is not None
    assert password(config, str(cli_config)) == "$HOME;rm -rf /"


def test_a_failing_password_command_hides_its_output(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    command = f"{sys.executable} -c 'print(\"s3cret\"); raise SystemExit(3)'"
    path.write_text("[sync]\n" + GOOD + f"password_command = {_toml(command)}\n")
    config = load_config(path).sync
    assert config is not None
    with pytest.raises(PasswordFailed) as error:
        password(config, str(path))
    assert "sync.password_command" in str(error.value) and "status 3" in str(error.value)
    assert "s3cret" not in str(error.value)


def test_a_failing_password_command_is_a_failed_sync_not_a_config_error(cli: Cli) -> None:
    command = f"{sys.executable} -c 'print(\"s3cret\"); raise SystemExit(3)'"
    cli.write(GOOD + f"password_command = {_toml(command)}\n")
    code, out, err = cli("sync")
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "status 3" in err and "s3cret" not in err


def test_a_relative_password_command_is_found_beside_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "conf"
    (folder / "pw").mkdir(parents=True)
    script = folder / "pw" / "get"
    script.write_text(f"#!{sys.executable}\nprint('from-beside')\n")
    script.chmod(0o755)
    path = folder / "feeds.toml"
    path.write_text("[sync]\n" + GOOD + 'password_command = "pw/get"\n')
    monkeypatch.chdir(tmp_path)  # elsewhere: pw/get is not here
    config = load_config(path).sync
    assert config is not None
    assert password(config, str(path)) == "from-beside"


def test_the_password_is_not_in_the_configs_repr(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text("[sync]\n" + GOOD + 'password = "hunter2"\n')
    assert "hunter2" not in repr(load_config(path))


def _toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_a_short_password_is_hidden_without_mangling_the_words_that_spell_it() -> None:
    redact = Redactor(["on", "0f3c2b9e41d7a6c5"])  # a password and a session id
    shown = redact("connection refused for op=login&password=on (session 0f3c2b9e41d7a6c5)")
    assert shown == "connection refused for op=login&password=*** (session ***)"
    assert redact('{"user": "me", "password": "on"}') == '{"user": "me", "password": "***"}'
    assert redact("xx0f3c2b9e41d7a6c5yy") == "xx***yy"  # a long one wherever it is


def _key(url: str, user: str = "me") -> str:
    return account_key(SyncConfig("ttrss", url, user, password="pw"))


@pytest.mark.parametrize(
    ("before", "after", "same"),
    [
        ("http://rss.example.org/", "https://rss.example.org/", True),
        ("http://rss.example.org:80/tt/", "https://RSS.example.org/tt/api/", True),
        ("https://rss.example.org:8443/", "http://rss.example.org:8443", True),
        ("http://rss.example.org/", "https://rss.example.org:8443/", False),
        ("http://rss.example.org/tt/", "https://rss.example.org/other/", False),
        ("http://rss.example.org/", "https://news.example.org/", False),
    ],
)
def test_an_account_is_its_host_port_path_and_user_whatever_the_scheme(
    before: str, after: str, same: bool
) -> None:
    assert same_account(_key(before), _key(after)) is same
    assert same_account(_key(after), _key(before)) is same
    assert same_account(_key(before), _key(before))  # a stored key reads back as itself
    assert not same_account(_key(before), _key(before, "you"))


def test_a_key_stored_with_a_scheme_by_an_older_version_is_the_same_account() -> None:
    assert same_account("ttrss http://rss.example.org/ me", _key("https://rss.example.org"))


@pytest.mark.parametrize(
    ("stored", "url"),
    [
        ("//rss.example.org/tt", "https://me:pw@RSS.example.org/tt/api/"),
        ("//[::1]:8080/tt", "http://[::1]:8080/tt/"),
        ("//bücher.example", "https://Bücher.example/"),
    ],
)
def test_a_key_stored_without_a_scheme_is_read_back_as_the_same_account(
    stored: str, url: str
) -> None:
    assert _key(url) == f"ttrss {stored} me"
    assert same_account(f"ttrss {stored} me", _key(url))


def test_a_server_at_port_0_is_named_with_its_port(cli: Cli) -> None:
    """It named `http://127.0.0.1/api/`, the default port, which is not what the config says."""
    cli.write(GOOD.replace("127.0.0.1:9", "me:pw@127.0.0.1:0") + 'password = "a"\n')
    code, _, err = cli("sync")
    assert code == 1 and "http://127.0.0.1:0/api/: cannot connect" in err and "pw@" not in err
