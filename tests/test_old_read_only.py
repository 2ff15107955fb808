"""A cache an older newsdesk left, where it cannot be written (a read-only disk or file): this
version upgrades a cache before anything else, which needs writing it. The last schemas
changed only what writes use, so such a cache is read as it is; an older one lacks what
reading asks for, or answers otherwise, and one line says what to do."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.old_cache import OldArticle, write_cache_at
from tests.read_only import newsdesk_as_another_user, read_only_copy, unwritable_folder
from tests.test_cli_scripts import the_reader_on_a_terminal
from tui.cli import main
from tui.store.migrate import READS_AS_IS
from tui.store.schema import VERSION

ARTICLES = (
    OldArticle("Quantum news", "Qubits, at last.", 1, tags='["Science"]', saved=True),
    OldArticle("Harbour maps", "The quay, mapped pile by pile.", 2, read=True),
)
READING = (
    ["list", "--json"],
    ["list", "--unread", "--saved"],
    ["search", "--json", "qubits"],
    ["search", "tag:Science since:2000-01-01"],
    ["show", "--json", "1"],
    ["sources", "--json"],
    ["saved", "--json"],
)


@contextmanager
def old_cache(at: Path, version: int) -> Iterator[Path]:
    """A cache at schema `version`, read-only: its folder."""
    write_cache_at(at / "newsdesk.db", version, ARTICLES)
    with read_only_copy(at / "newsdesk.db", at=at / "disk") as disk:
        yield disk


def answers(capsys: pytest.CaptureFixture[str], cache: Path) -> list[tuple[int, str, str]]:
    """What each reading command answers from the cache in `cache`."""
    said = []
    for argv in READING:
        status = main(["--cache", str(cache), *argv])
        said.append((status, *capsys.readouterr()))
    return said


@pytest.mark.parametrize("version", range(READS_AS_IS, VERSION))
def test_a_read_only_cache_of_the_last_schemas_reads_as_the_upgraded_one(
    isolated_env: Path, capsys: pytest.CaptureFixture[str], version: int
) -> None:
    # Schemas 18 and 19 added tables only writes use (`newsdesk unhide`, the stories'
    # catch-up), 20 a column read only where it is, 21 folds words with ı or Arabic vowel
    # marks, 22 adds a table only the newsboat import writes, 23 keeps vowel signs in their
    # words (none here): reading commands answer from
    # the cache as it is, as upgraded.
    with old_cache(isolated_env / "old", version) as disk:
        as_it_is = answers(capsys, disk)
    write_cache_at(isolated_env / "upgraded" / "newsdesk.db", VERSION, ARTICLES)

    assert as_it_is == answers(capsys, isolated_env / "upgraded")
    assert [status for status, _, _ in as_it_is] == [0] * len(READING)
    titles = [item["title"] for item in json.loads(as_it_is[0][1])]
    assert titles == ["Harbour maps", "Quantum news"]


@pytest.mark.parametrize("version", [2, READS_AS_IS - 1])
def test_a_read_only_cache_of_an_older_schema_says_in_one_line_what_to_do(
    isolated_env: Path, capsys: pytest.CaptureFixture[str], version: int
) -> None:
    # It said it was upgrading the cache, then that the cache is read-only: not what to do.
    with old_cache(isolated_env / "old", version) as disk:
        said = answers(capsys, disk)
        shown, status = the_reader_on_a_terminal(NEWSDESK_CACHE=str(disk))
    line = what_to_do(disk, version)
    assert said == [(1, "", line)] * len(READING)
    assert status == 1 and shown.endswith(line.replace("\n", "\r\n"))
    assert shown.count("newsdesk: ") == 1  # the terminal's answers to its questions come first


def test_the_reader_reads_a_read_only_cache_of_the_last_schemas(isolated_env: Path) -> None:
    with old_cache(isolated_env / "old", READS_AS_IS) as disk:
        shown, status = the_reader_on_a_terminal(NEWSDESK_CACHE=str(disk))
    assert status == 0 and "Quantum news" in shown and "Harbour maps" in shown


def what_to_do(folder: Path, version: int) -> str:
    """The line a read-only cache of an older schema than `READS_AS_IS` in `folder` gets."""
    return (
        f"newsdesk: {folder / 'newsdesk.db'}: a cache of an older newsdesk (schema {version}) "
        "that is read-only here: to read it, this version must upgrade it once: make it "
        "writable, or copy its folder and pass the copy with --cache (nothing was changed)\n"
    )


@pytest.mark.parametrize("version", [VERSION, READS_AS_IS, READS_AS_IS - 1])
def test_a_cache_folder_made_read_only_is_read_or_says_what_to_do(
    isolated_env: Path, version: int
) -> None:
    # `chmod -R a-w` on the cache's folder (not a read-only disk): SQLite cannot make the
    # log's shared-memory file there and says "readonly directory", which was taken for a
    # cache that cannot be opened: `list` said only "the cache is read-only here", exit 1.
    write_cache_at(isolated_env / "made" / "newsdesk.db", version, ARTICLES)
    with unwritable_folder(isolated_env / "made" / "newsdesk.db") as folder:
        listed = newsdesk_as_another_user("--cache", str(folder), "list", "--json")
        marked = newsdesk_as_another_user("--cache", str(folder), "read", "1")
    if version < READS_AS_IS:
        assert (listed.returncode, listed.stdout) == (1, "")
        assert listed.stderr == what_to_do(folder, version)
        return
    assert (listed.returncode, listed.stderr) == (0, "")
    assert [item["title"] for item in json.loads(listed.stdout)] == ["Harbour maps", "Quantum news"]
    said = f"newsdesk: {folder / 'newsdesk.db'}: the cache is read-only here, nothing was written\n"
    assert (marked.returncode, marked.stderr) == (1, said)
