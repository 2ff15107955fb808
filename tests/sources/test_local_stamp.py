"""A folder source whose files did not change is not read again at each refresh (a vault of
thousands of notes was parsed whole every minute); any change, or a new version of the
reader, reads it again."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from tui.cli import main


@pytest.fixture
def vault(isolated_env: Path) -> Path:
    """Three notes written an hour ago, the only source of the config."""
    folder = isolated_env / "vault"
    folder.mkdir()
    for n in (1, 2, 3):
        write(folder / f"n{n}.md", f"Note {n}\n\nBody of note {n}.\n", age=3600)
    aged(folder, 3600)
    config = Path(os.environ["NEWSDESK_CONFIG"])
    config.parent.mkdir(parents=True)
    config.write_text(f'[[sources]]\nname = "Vault"\npath = "{folder}"\n', encoding="utf-8")
    return folder


def write(file: Path, text: str, age: float) -> None:
    file.write_text(text, encoding="utf-8")
    aged(file, age)


def aged(path: Path, age: float) -> None:
    """Give `path` the modification time of `age` seconds ago."""
    then = time.time() - age
    os.utime(path, (then, then))


def refreshed(capsys: pytest.CaptureFixture[str]) -> str:
    """The source's progress line of a `newsdesk refresh`."""
    capsys.readouterr()
    assert main(["refresh"]) == 0
    return capsys.readouterr().err.strip()


def titles(capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["list", "--json"]) == 0
    return sorted(row["title"] for row in json.loads(capsys.readouterr().out))


def test_an_unchanged_folder_is_not_read_again(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert refreshed(capsys) == "[1/1] Vault: ok (3 new)"
    assert refreshed(capsys) == "[1/1] Vault: not modified"
    write(vault / "n2.md", "Note 2, edited\n\nA new body.\n", age=60)
    assert refreshed(capsys) == "[1/1] Vault: ok"
    assert titles(capsys) == ["Note 1", "Note 2, edited", "Note 3"]
    write(vault / "n4.md", "Note 4\n\nAdded.\n", age=60)
    aged(vault, 60)  # the folder's time moved with the new file
    assert refreshed(capsys) == "[1/1] Vault: ok (1 new)"
    assert refreshed(capsys) == "[1/1] Vault: not modified"


def test_a_file_edited_just_now_is_read_at_every_refresh(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two quick edits of one size may share a file time: a stamp taken while the first is
    # that recent would hide the second one.
    assert refreshed(capsys) == "[1/1] Vault: ok (3 new)"
    write(vault / "n1.md", "Note A\n\nBody.\n", age=1)
    first_edit = (vault / "n1.md").stat().st_mtime_ns
    assert refreshed(capsys) == "[1/1] Vault: ok"
    write(vault / "n1.md", "Note B\n\nBody.\n", age=1)
    os.utime(vault / "n1.md", ns=(first_edit, first_edit))  # the same time, the same size
    assert refreshed(capsys) == "[1/1] Vault: ok"
    assert titles(capsys) == ["Note 2", "Note 3", "Note B"]


def test_a_picture_added_beside_a_note_reads_the_folder_again(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The picture is no note: only its folder's time says it came.
    write(vault / "n1.md", "Note 1\n\n![[photo.png]]\n", age=3000)
    aged(vault, 3000)
    assert refreshed(capsys) == "[1/1] Vault: ok (3 new)"
    assert refreshed(capsys) == "[1/1] Vault: not modified"
    (vault / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    aged(vault / "photo.png", 600)
    aged(vault, 600)
    assert refreshed(capsys) == "[1/1] Vault: ok"
    assert main(["show", "--json", "1"]) == 0
    assert json.loads(capsys.readouterr().out)["links"] == [(vault / "photo.png").as_uri()]


def test_a_new_version_reads_the_folder_again(
    vault: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # How a note is read may change with the version: an upgrade reads every note again.
    assert refreshed(capsys) == "[1/1] Vault: ok (3 new)"
    monkeypatch.setattr("tui.sources.files.__version__", "99.0")
    assert refreshed(capsys) == "[1/1] Vault: ok"
    assert refreshed(capsys) == "[1/1] Vault: not modified"
