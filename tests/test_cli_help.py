"""What a user who knows only `--help` and the messages is told: a typo's command, a path
given to `feeds add`, an imported source named to `refresh`, what the usage shows."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.test_cli import run


def config(isolated_env: Path, text: str = "") -> Path:
    path = isolated_env / "config" / "feeds.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["lsit"], "newsdesk: no command 'lsit' — did you mean 'list'?"),
        (["serach", "x"], "newsdesk: no command 'serach' — did you mean 'search'?"),
        (["refesh"], "newsdesk: no command 'refesh' — did you mean 'refresh'?"),
        (["imprt"], "newsdesk: no command 'imprt' — did you mean 'import'?"),
        (["feeds", "ad"], "newsdesk feeds: no action 'ad' — did you mean 'add'?"),
        (["feeds", "--cache", "c", "ad"], "newsdesk feeds: no action 'ad' — did you mean 'add'?"),
        (["rules", "aply"], "newsdesk rules: no action 'aply' — did you mean 'apply'?"),
        (["zzz"], "newsdesk: no command 'zzz'; see newsdesk --help"),
        (["q" * 300], f"newsdesk: no command '{'q' * 19}…'; see newsdesk --help"),
    ],
)
def test_a_mistyped_command_is_one_short_line_with_the_one_meant(
    isolated_env: Path, capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    # It was argparse's 241 characters listing every command, and no suggestion.
    config(isolated_env)
    code, out, err = run(capsys, *argv)
    assert (code, out, err) == (2, "", said + "\n")
    assert len(said) <= 80


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ["feeds", "import", "--newsbot"],
            "newsdesk feeds import: unrecognized argument --newsbot — did you mean --newsboat?",
        ),
        (
            ["list", "--unraed"],
            "newsdesk list: unrecognized argument --unraed — did you mean --unread?",
        ),
        (["list", "-x", "y"], "newsdesk list: unrecognized arguments -x y"),
        (["--bogus"], "newsdesk: unrecognized argument --bogus"),
        (
            ["sources", "--cahce=c"],
            "newsdesk sources: unrecognized argument --cahce=c — did you mean --cache?",
        ),  # fmt: skip
    ],
)
def test_an_unknown_option_names_its_command(
    isolated_env: Path, capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    # `newsdesk: error: unrecognized arguments: --newsbot`: in which command, and what then?
    config(isolated_env)
    assert run(capsys, *argv) == (2, "", said + "\n")


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["read", "abc"], "newsdesk read: argument ID: not an article id: 'abc'"),
        (["show", "x1"], "newsdesk show: argument ID: not an article id: 'x1'"),
        (["list", "--limit", "ten"], "newsdesk list: argument --limit: not a number: 'ten'"),
    ],
)
def test_a_word_where_a_number_goes_says_so(
    isolated_env: Path, capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    # It said "invalid article_id value: 'abc'", the name of a function in the code.
    config(isolated_env)
    assert run(capsys, *argv) == (2, "", said + "\n")


def test_search_help_tells_the_query_language_without_the_readme() -> None:
    # An installed newsdesk (pip, pipx) has no README to see: the help says it itself.
    said = " ".join(help_of("search").split())
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    filters = re.findall(r"^\| `(\w+):", readme, re.M)  # the README's table of the language
    assert set(filters) == {"source", "tag", "author", "title", "is", "since"}
    assert all(f"{name}:" in said for name in [*filters, "before"])
    assert '"a phrase"' in said and "OR" in said and "econ*" in said


def help_of(*argv: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tui", *argv, "--help"],
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": "", "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    assert done.returncode == 0
    return done.stdout


def test_the_usage_shows_what_a_command_needs_and_its_defaults() -> None:
    # `search` and `rules test` showed `[query]`, optional, and refused to run without it.
    assert help_of("search").splitlines()[0].endswith("[--limit N] [--json] QUERY")
    assert help_of("rules", "test").splitlines()[0].endswith("[--limit N] [--json] QUERY")
    assert help_of("export").splitlines()[0].endswith("[--limit N] [QUERY]")
    assert help_of("show").splitlines()[0].endswith("[--json] ID")
    assert "at most N (50)" in help_of("rules", "test")
    assert "at most N articles (a search's first 1,000 without it)" in help_of("export")
    importing = " ".join(help_of("feeds", "import").split())
    assert "(default: the one beside the urls file, or in ~/.local/share/newsboat/)" in importing
    adding = " ".join(help_of("feeds", "add").split())
    assert "--local with a [sync] server: subscribe in feeds.toml, not on the server" in adding


@pytest.mark.parametrize("local", [[], ["--local"]])
def test_feeds_add_of_a_folder_says_how_local_files_are_read(
    isolated_env: Path, capsys: pytest.CaptureFixture[str], local: list[str]
) -> None:
    # "not a web address: '/some/folder' (only http and https)", and no word of `import`.
    folder = isolated_env / "my notes"
    folder.mkdir()
    path = config(isolated_env)
    code, out, err = run(capsys, "feeds", "add", str(folder), *local)
    assert (code, out) == (2, "")
    assert err == (
        f"newsdesk: '{folder}' is a local file or folder, not a web address: "
        f"`newsdesk import '{folder}'` reads it once; for every refresh, give it a "
        f'[[sources]] table with a name and `path = "{folder}"`\n'
    )
    assert path.read_text(encoding="utf-8") == ""


def test_refresh_of_an_imported_source_says_import_reads_it_again(
    isolated_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `sources` lists it, and `refresh --source` said "no source named 'notes' in feeds.toml".
    notes = isolated_env / "notes"
    notes.mkdir()
    (notes / "a.txt").write_text("A title\n\nText.\n", encoding="utf-8")
    path = config(isolated_env)
    assert run(capsys, "import", str(notes))[0] == 0
    code, out, err = run(capsys, "refresh", "--source", "notes")
    assert (code, out) == (2, "")
    assert err == (
        f"newsdesk: 'notes' is an imported source, not one of {path}'s: "
        f"`newsdesk import {notes} --name notes` reads it again\n"
    )
    code, _, err = run(capsys, "refresh", "--source", "Other")
    assert (code, err) == (2, f"newsdesk: no source named 'Other' in {path}\n")


def test_the_import_command_given_again_keeps_a_file_name_holding_a_colon(
    isolated_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # '/…/10' '30 notes.md' '/…/b.txt': the name was split at its ':'.
    timed, other = isolated_env / "10:30 notes.md", isolated_env / "b.txt"
    timed.write_text("# Meeting\n\nText.\n", encoding="utf-8")
    other.write_text("B title\n\nText.\n", encoding="utf-8")
    path = config(isolated_env)
    assert run(capsys, "import", str(timed), str(other), "--name", "Clips")[0] == 0
    code, _, err = run(capsys, "refresh", "--source", "Clips")
    assert code == 2 and err == (
        f"newsdesk: 'Clips' is an imported source, not one of {path}'s: "
        f"`newsdesk import '{timed}' {other} --name Clips` reads it again\n"
    )


def test_a_rule_without_action_says_it_is_missing_and_no_rules_says_how(
    isolated_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "must be one of hide, read, save, tag, not None"; and "No rules in FILE", nothing more.
    path = config(isolated_env, '[[rules]]\nquery = "horoscope"\n')
    code, out, err = run(capsys, "rules", "list")
    assert (code, out) == (0, "")  # the hint on stdout was not valid TOML, and read as a rule
    assert err == (
        f"newsdesk: {path}:1: rules[1].action: missing (one of hide, read, save, tag) "
        "(rule skipped)\n"
        f"newsdesk: no rules in {path}; add one (README: Rules):\n"
        '[[rules]]\nquery = "title:horoscope"\naction = "hide"\n'
    )
    example = err.split("(README: Rules):\n")[1]
    assert tomllib.loads(example) == {"rules": [{"query": "title:horoscope", "action": "hide"}]}


def test_feeds_remove_says_what_it_forgets_and_list_says_it_is_gone(
    isolated_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The help said nothing of the cached articles it forgets; after it, `list --source`
    # said "one just added to the config arrives with newsdesk refresh".
    remover = " ".join(help_of("feeds", "remove").split())
    assert "and forget its cached articles; its saved ones stay, each until unsaved" in remover
    notes = isolated_env / "notes"
    notes.mkdir()
    (notes / "a.txt").write_text("A title\n\nText.\n", encoding="utf-8")
    path = config(isolated_env, f'[[sources]]\nname = "Notes"\npath = "{notes}"\n')
    assert run(capsys, "refresh")[0] == 0
    assert run(capsys, "feeds", "remove", "Notes")[0] == 0
    code, out, err = run(capsys, "list", "--source", "Notes")
    assert (code, out) == (2, "")
    assert err == (
        f"newsdesk: no source named 'Notes' in the cache or in {path} "
        "(`newsdesk sources` lists the sources there are)\n"
    )


def test_an_unknown_saved_search_lists_those_there_are(
    isolated_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config(isolated_env, '[[searches]]\nname = "Space"\nquery = "nasa"\n')
    code, _, err = run(capsys, "list", "--search", "space race")
    assert (code, err) == (
        2,
        f"newsdesk: no saved search named 'space race' in {path} (its saved searches: 'Space')\n",
    )
    path.write_text("", encoding="utf-8")
    err = run(capsys, "list", "--search", "Space")[2]
    assert err.endswith(f"in {path} (a [[searches]] table adds one)\n")


@pytest.mark.parametrize("argv", [["sources"], ["sources", "--json"], ["list"]])
def test_no_sources_at_all_is_one_line_on_stderr(
    isolated_env: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    # Nothing at all was printed: a first user saw an empty answer and no way on. A script
    # reading stdout still gets nothing (`[]` with --json).
    path = config(isolated_env)
    code, out, err = run(capsys, *argv)
    assert (code, out.strip()) == (0, "[]" if "--json" in argv else "")
    assert err == (
        f"newsdesk: no sources in {path}: `newsdesk feeds add URL` adds a web feed, "
        "`newsdesk import PATH` local files\n"
    )
    config(isolated_env, '[[sources]]\nname = "A"\nurl = "https://a.example/feed.xml"\n')
    code, out, err = run(capsys, *argv)
    if argv == ["list"]:
        assert err == (
            f"newsdesk: no sources in the cache yet: `newsdesk refresh` fetches those of {path}\n"
        )
    else:  # `sources` lists the config's source itself, as not refreshed yet
        assert "A" in out and err == ""
