"""Every configuration example the user is shown works as written: the README's TOML blocks
and the commented examples in the bundled feeds.toml, through the real loader and, for
`[keys]`, through the app's keymap check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tui.config import Config, ConfigError, load_config
from tui.ui.app import config_checked, help_sections
from tui.ui.keys import checked_keymap, known_ids

REPO = Path(__file__).resolve().parent.parent
TOML_LINE = re.compile(r"^(\[|[\w\"'.-]+\s*=)")


def readme_examples() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```toml\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def commented_examples(path: Path) -> list[str]:
    """Each run of comment lines, from its first line that reads as TOML, uncommented."""
    runs: list[list[str]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            runs[-1].append(line.removeprefix("#").removeprefix(" "))
        elif runs[-1]:
            runs.append([])
    examples = []
    for run in runs:
        start = next((i for i, line in enumerate(run) if TOML_LINE.match(line)), None)
        if start is not None:
            examples.append("\n".join(run[start:]) + "\n")
    return examples


EXAMPLES = [pytest.param(text, id=f"README-{n}") for n, text in enumerate(readme_examples())] + [
    pytest.param(text, id=f"feeds.toml-{n}")
    for n, text in enumerate(commented_examples(REPO / "feeds.toml"))
]


def load(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_the_examples_are_found() -> None:
    assert len(readme_examples()) >= 2
    assert any("[keys]" in text for text in commented_examples(REPO / "feeds.toml"))


@pytest.mark.parametrize("text", EXAMPLES)
def test_each_example_loads_and_its_keys_apply(tmp_path: Path, text: str) -> None:
    config = load(tmp_path, text)
    keymap, errors = checked_keymap(config.keys, config.path, help_sections())
    assert errors == []
    assert len(keymap) == len(config.keys) and set(keymap) <= known_ids(help_sections())


@pytest.mark.parametrize("text", EXAMPLES)
def test_each_keys_example_names_its_bindings_by_id(tmp_path: Path, text: str) -> None:
    # One example wrote `next_article`, another `"article.next"`: the ids are what `?` shows.
    assert set(load(tmp_path, text).keys) <= known_ids(help_sections())


def test_the_bundled_config_loads() -> None:
    config = load_config(REPO / "feeds.toml")
    assert config.sources and config.searches


@pytest.mark.parametrize(
    "entry",
    ['next_article = "n,ctrl+n"', '"article.next" = "n,ctrl+n"', 'article.next = "n,ctrl+n"'],
)
def test_friendly_names_ids_and_dotted_keys_are_one_binding(tmp_path: Path, entry: str) -> None:
    config = load(tmp_path, f"[keys]\n{entry}\n")
    assert checked_keymap(config.keys, config.path, help_sections()) == (
        {"article.next": "n,ctrl+n"},
        [],
    )


@pytest.mark.parametrize("entry", ['"reader.play" = "p"', 'reader_play = "p"'])
def test_an_id_of_an_earlier_version_still_names_its_binding(tmp_path: Path, entry: str) -> None:
    config = load(tmp_path, f'[keys]\n{entry}\n"reader.download" = "D"\n')
    keymap, errors, notes = config_checked(config)
    assert (keymap, errors) == ({"article.play": "p", "article.download": "D"}, [])
    renamed = [note.split(": ")[3] for note in notes]
    assert renamed == ["renamed article.play", "renamed article.download"]


def test_an_unknown_name_is_one_short_line_with_a_suggestion(tmp_path: Path) -> None:
    config = load(tmp_path, '[keys]\nnext_artcle = "x"\nnext_unread = "u"\n')
    keymap, [error] = checked_keymap(config.keys, config.path, help_sections())
    assert keymap == {"article.next_unread": "u"}  # the good entry still applies
    assert "\n" not in error
    assert len(error.removeprefix(str(config.path))) < 100
    assert error.startswith(f"{config.path}:2: keys.next_artcle: ") and "next_article" in error


def test_a_key_another_binding_holds_is_refused_and_the_rest_applies(tmp_path: Path) -> None:
    # `j` moves the list's cursor before the screen sees it: saving on `j` would never happen,
    # and `s` would no longer save.
    config = load(tmp_path, '[keys]\n"article.save" = "j"\nnext_unread = "u"\n')
    keymap, errors = checked_keymap(config.keys, config.path, help_sections())
    assert keymap == {"article.next_unread": "u"}
    said = "keys.article.save: 'j' is already Down (Article list); entry left out"
    assert errors == [f"{config.path}:2: {said}"]


def test_a_clash_with_a_key_of_the_panes_names_it_in_a_few_words(tmp_path: Path) -> None:
    # "'!' is already The sources pane, its cursor on the next one marked ! (i: why) (...)".
    config = load(tmp_path, '[keys]\n"article.save" = "exclamation_mark"\n')
    _, [error] = checked_keymap(config.keys, config.path, help_sections())
    assert error.startswith(f"{config.path}:2: keys.article.save: 'exclamation_mark' is already "
                            "Next failing source (")  # fmt: skip


def test_every_bad_entry_is_told_and_an_unknown_one_stops_no_clash_check(tmp_path: Path) -> None:
    # An unknown name beside a clash: the clash is still refused (else `s` no longer saves
    # and `j` still moves the cursor), and both lines are told.
    config = load(tmp_path, '[keys]\n"article.save" = "j"\nnosuch_action = "x"\nquit = "Q"\n')
    keymap, errors = checked_keymap(config.keys, config.path, help_sections())
    assert keymap == {"app.quit": "Q"}
    assert [error.split(": ")[1] for error in errors] == ["keys.nosuch_action", "keys.article.save"]
    assert errors[0].startswith(f"{config.path}:3: ") and errors[1].startswith(f"{config.path}:2: ")


def test_a_key_that_is_not_text_names_its_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"feeds.toml:2: keys.next_article: must be a string"):
        load(tmp_path, "[keys]\nnext_article = 3\n")


def test_an_entry_keeping_its_own_key_is_not_blamed_for_another_taking_it(
    tmp_path: Path,
) -> None:
    # `j` is the cursor's own key: the save that wants it is left out, not the cursor's
    # entry too (else ctrl+n would not move the cursor, and each line blamed the other).
    text = '[keys]\n"article.save" = "j"\n"cursor.down" = "j,down,ctrl+n"\n'
    config = load(tmp_path, text)
    keymap, errors = checked_keymap(config.keys, config.path, help_sections())
    assert keymap == {"cursor.down": "j,down,ctrl+n"}
    said = "keys.article.save: 'j' is already Down (Article list); entry left out"
    assert errors == [f"{config.path}:2: {said}"]
