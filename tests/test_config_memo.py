"""The parsed config kept in the cache folder: used only while the file is unchanged."""

from __future__ import annotations

import os
import pickle
import subprocess
from pathlib import Path

import pytest

from tui import config_memo
from tui.cli import main
from tui.config import ConfigError, load_config
from tui.config_memo import MEMO_NAME, load_config_memo

SOURCES = '[[sources]]\nname = "{name}"\nurl = "https://{name}.example/rss"\n'


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    """The cache folder, as the first start makes it."""
    (tmp_path / "cache").mkdir()
    return tmp_path / "cache"


def write(tmp_path: Path, *names: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text("".join(SOURCES.format(name=name) for name in names), encoding="utf-8")
    return path


def names(path: Path, cache: Path) -> list[str]:
    return [source.name for source in load_config_memo(path, cache).sources]


def test_a_second_start_reads_the_same_config_from_the_memo(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "alpha", "beta")
    first = load_config_memo(path, cache)
    assert first == load_config(path)
    monkeypatch.setattr(config_memo, "load_config", _not_parsed)
    assert load_config_memo(path, cache) == first


def _not_parsed(path: Path) -> None:
    raise AssertionError(f"{path} parsed again")


def test_an_edit_of_the_same_size_is_read_again(tmp_path: Path, cache: Path) -> None:
    path = write(tmp_path, "alpha")
    stat = path.stat()
    assert names(path, cache) == ["alpha"]
    write(tmp_path, "gamma")  # same size; the time put back as it was
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert names(path, cache) == ["gamma"]


def test_a_broken_edit_still_fails_with_file_line_and_key(tmp_path: Path, cache: Path) -> None:
    path = write(tmp_path, "alpha")
    names(path, cache)
    path.write_text('[[sources]]\nname = "alpha"\nurl = "https://a.example"\ncolour = 1\n')
    with pytest.raises(ConfigError) as caught:
        load_config_memo(path, cache)
    assert str(caught.value) == f"{path}:4: sources[1].colour: unknown key" + (
        " (known keys: enabled, full_text, name, path, refresh_minutes, tags, url)"
    )


def test_a_foreign_memo_is_ignored_and_never_run(tmp_path: Path, cache: Path) -> None:
    path = write(tmp_path, "alpha")
    marker = tmp_path / "ran"
    (cache / MEMO_NAME).write_bytes(pickle.dumps(_Foreign(str(marker))))
    assert names(path, cache) == ["alpha"]
    assert not marker.exists()
    (cache / MEMO_NAME).write_bytes(b"\x80\x05 truncated")
    assert names(path, cache) == ["alpha"]


class _Foreign:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (Path.touch, (Path(self.marker),))


def test_a_sync_password_is_not_copied_into_the_cache(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(
        '[sync]\nservice = "fever"\nurl = "https://rss.example/fever/"\nuser = "me"\n'
        'password = "hunter2"\n',
        encoding="utf-8",
    )
    assert load_config_memo(path, cache).sync is not None
    assert not (cache / MEMO_NAME).exists()


def test_without_a_cache_folder_nothing_is_written(tmp_path: Path) -> None:
    path = write(tmp_path, "alpha")
    assert names(path, tmp_path / "absent") == ["alpha"]
    assert not (tmp_path / "absent").exists()


def test_the_command_line_sees_an_edit_made_between_two_commands(
    tmp_path: Path, cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "alpha")
    args = ["--config", str(path), "--cache", str(cache), "feeds", "export"]
    assert main(args) == 0
    assert "beta.example" not in capsys.readouterr().out
    write(tmp_path, "alpha", "beta")
    assert main(args) == 0
    assert "beta.example" in capsys.readouterr().out


def test_a_read_only_cache_folder_still_gives_the_config(tmp_path: Path) -> None:
    # The TUI on a read-only cache whose config changed since the memo: it crashed at start
    # removing a temporary file it could not have made.
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "tmpfs", str(disk)]).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        assert names(write(tmp_path, "alpha"), disk) == ["alpha"]
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
