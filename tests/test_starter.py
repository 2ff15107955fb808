"""With no config anywhere, any command writes the starter config to the platform folder,
says where in one line, and goes on with it; from then on every folder finds it."""

from __future__ import annotations

import json
import os
import pwd
from pathlib import Path

import pytest

from tests.read_only import read_only_copy
from tests.test_cli import run
from tui.paths import platform_config

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sum(1 for path in (REPO / "samples").iterdir() if path.is_file())


@pytest.fixture
def fresh(isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user with no config: no NEWSDESK_* variables, in a folder without feeds.toml.
    Returns where the starter config belongs (HOME and XDG dirs are the test's own)."""
    monkeypatch.delenv("NEWSDESK_CONFIG")
    monkeypatch.delenv("NEWSDESK_CACHE")
    elsewhere = isolated_env / "somewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return isolated_env / "home" / ".config" / "newsdesk" / "feeds.toml"


def test_first_command_writes_the_starter_config_and_uses_it(
    fresh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "sources")
    assert code == 0 and "Samples " in out  # the starter's sources, none fetched yet
    assert all("never refreshed" in line for line in out.splitlines())
    assert err == (
        f"newsdesk: no config found: wrote a starter config to {fresh} (edit it to add feeds)\n"
    )
    assert fresh.read_text(encoding="utf-8") == (REPO / "feeds.toml").read_text(encoding="utf-8")
    assert fresh.stat().st_mode & 0o777 == 0o600  # its owner's: a sync password may go in it
    code, out, err = run(capsys, "refresh", "--source", "Samples")
    assert (code, err.count("\n")) == (0, 1)  # the one progress line, no second notice
    assert out == f"1 source up to date, {SAMPLES} new articles\n"
    code, out, _ = run(capsys, "list", "--json")
    assert len(json.loads(out)) == SAMPLES
    assert (fresh.parent / "cache" / "newsdesk.db").is_file()


def test_paths_explains_the_lookup(fresh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "paths")
    assert code == 0
    assert f"config: {fresh}  [platform config dir]" in out
    assert f"cache:  {fresh.parent / 'cache'}  [beside the config]" in out
    assert "--config PATH, else $NEWSDESK_CONFIG, else ./feeds.toml, else" in out


def test_an_existing_config_is_never_replaced(
    fresh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh.parent.mkdir(parents=True)
    fresh.write_text('[[searches]]\nname = "Mine"\nquery = "x"\n', encoding="utf-8")
    code, _, err = run(capsys, "list", "--search", "Mine")
    assert (code, err) == (0, "")
    assert "Mine" in fresh.read_text(encoding="utf-8")
    assert not (fresh.parent / "samples").exists()


def test_a_config_named_by_the_user_is_not_filled_in(
    fresh: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    chosen = fresh.parent.parent / "empty.toml"
    monkeypatch.setenv("NEWSDESK_CONFIG", str(chosen))
    code, _, err = run(capsys, "sources")
    assert (code, err) == (0, f"newsdesk: no config file at {chosen} (from NEWSDESK_CONFIG): "
                              "no sources\n")  # fmt: skip
    assert not chosen.exists() and not fresh.exists()


def test_a_folder_that_cannot_be_written_is_one_line_and_not_fatal(
    fresh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh.parent.parent.mkdir(parents=True)
    fresh.parent.write_text("a file where the folder should be", encoding="utf-8")
    code, out, err = run(capsys, "rules", "list")
    assert (code, out) == (0, "")
    assert err.startswith(f"newsdesk: no rules in {fresh}; add one (README: Rules):\n")
    assert f"\nnewsdesk: no config found and none could be written to {fresh}: " in err


def test_a_read_only_home_is_one_line_for_the_config_and_the_cache(
    fresh: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with read_only_copy(at=tmp_path / "disk") as home:
        monkeypatch.setenv("HOME", str(home))
        monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
        code, out, err = run(capsys, "list")
    config = home / ".config" / "newsdesk"
    assert (code, out, err.count("\n")) == (1, "", 1)
    assert err.startswith(f"newsdesk: no config found and none could be written to {config}")
    cache = config / "cache" / "newsdesk.db"
    assert f"; {cache}: cannot create the cache: its folder is read-only" in err


def test_a_deleted_current_folder_holds_no_config(
    fresh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path.cwd().rmdir()  # the shell still stands in it
    code, out, _ = run(capsys, "paths")
    assert code == 0
    assert f"config: {fresh}  [platform config dir]" in out


@pytest.mark.parametrize("home", ["", "relhome"])
def test_an_empty_or_relative_home_means_the_accounts_home(
    home: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", home)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    account = Path(pwd.getpwuid(os.getuid()).pw_dir)
    assert platform_config() == account / ".config" / "newsdesk" / "feeds.toml"
