"""What hide rules hid is counted apart from the new articles; a hide rule that hides
everything (`*`-like: a query or a `source:` that matches every article) is told of at a
refresh and held back by `rules apply`; `rules apply` shows which rule it is at on a
terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.test_cli_scripts import stderr_on_terminal
from tui.cli import main
from tui.store import Store, View

HIDE_ALL = '[[rules]]\nquery = "source:notes"\naction = "hide"\n'
HIDE_PROMOS = '[[rules]]\nquery = "title:promo"\naction = "hide"\n'


def notes_config(home: Path, count: int, rules: str = "", titles: Sequence[str] = ()) -> Path:
    """A config with a local source of `count` notes, or of notes with these titles (and
    these rules)."""
    notes = home / "notes"
    notes.mkdir(exist_ok=True)
    for n, title in enumerate(titles or [f"Note {n}" for n in range(count)]):
        (notes / f"note {n}.md").write_text(f"# {title}\n\nText {n}.\n", encoding="utf-8")
    config = home / "feeds.toml"
    config.write_text('[[sources]]\nname = "Notes"\npath = "notes"\n\n' + rules, encoding="utf-8")
    return config


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NEWSDESK_CONFIG", str(tmp_path / "feeds.toml"))
    monkeypatch.setenv("NEWSDESK_CACHE", str(tmp_path / "cache"))
    return tmp_path


def shown(home: Path) -> int:
    store = Store.open(home / "cache" / "newsdesk.db")
    try:
        return store.count(View())
    finally:
        store.close()


def test_articles_a_hide_rule_hid_are_counted_apart_not_as_new(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "3 new articles" when a hide rule had hidden two of them: nothing new to see.
    hide = '[[rules]]\nquery = "title:horoscope"\naction = "hide"\n'
    notes_config(home, 0, hide, titles=["Hello", "Horoscope one", "Horoscope two"])
    assert main(["refresh"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[-1] == "1 source up to date, 1 new article, 2 hidden by rules"
    assert "[1/1] Notes: ok (1 new)" in captured.err.splitlines()
    other = home / "other"
    other.mkdir()
    (other / "horoscope.md").write_text("# Horoscope three\n\nA note.\n", encoding="utf-8")
    assert main(["import", str(other)]) == 0
    assert "0 new articles, 1 hidden by rules" in capsys.readouterr().out


@pytest.mark.parametrize("count", [19, 20])
def test_a_hide_rule_that_hid_every_new_article_is_told(
    home: Path, capsys: pytest.CaptureFixture[str], count: int
) -> None:
    # A `source:` meaning the whole feed hid all 20 new articles, and nothing said so.
    config = notes_config(home, count, HIDE_ALL)
    assert main(["refresh"]) == 0
    err = capsys.readouterr().err.splitlines()
    note = (
        f"note: {config}:6: rules[1]: this hide rule hid all {count} new articles (check its "
        "query with `newsdesk rules test`; `newsdesk unhide` restores an article)"
    )
    assert (note in err) == (count >= 20)  # a few: a rule may well hide a small refresh


def test_a_hide_rule_that_hid_nearly_every_new_article_is_told(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 19 of 21 hidden was said by nothing, though `rules apply` held such a rule back.
    titles = [f"Promo {n}" for n in range(19)] + ["News", "Weather"]
    config = notes_config(home, 0, HIDE_PROMOS, titles=titles)
    assert main(["refresh"]) == 0
    assert (
        f"note: {config}:6: rules[1]: this hide rule hid 19 of the 21 new articles (check its "
        "query with `newsdesk rules test`; `newsdesk unhide` restores an article)"
    ) in capsys.readouterr().err.splitlines()


def test_an_import_a_hide_rule_swept_is_told(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # README: "a refresh (or import)"; an import said nothing.
    clips = home / "clips"
    clips.mkdir()
    for n in range(20):
        (clips / f"clip {n}.md").write_text(f"# Clip {n}\n\nText.\n", encoding="utf-8")
    config = notes_config(home, 1, '[[rules]]\nquery = "source:clips"\naction = "hide"\n')
    assert main(["import", str(clips)]) == 0
    out, err = capsys.readouterr()
    assert "0 new articles, 20 hidden by rules" in out
    assert f"note: {config}:6: rules[1]: this hide rule hid all 20 new articles" in err


def test_rules_apply_holds_a_hide_rule_that_would_hide_most_of_the_cache(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `rules apply` hid the whole cache at once; only `unhide ID...` brought it back.
    notes_config(home, 25)
    assert main(["refresh"]) == 0
    config = notes_config(home, 25, HIDE_ALL)
    capsys.readouterr()
    assert main(["rules", "apply"]) == 0
    out, err = capsys.readouterr()
    assert out == "rules applied: nothing changed\n" and shown(home) == 25
    assert err == (
        f"note: {config}:6: rules[1]: would hide 25 articles, at least 90% of the cache: not "
        "applied (`newsdesk rules test QUERY` previews it; `rules apply --force` applies it)\n"
    )
    assert main(["rules", "apply", "--force"]) == 0
    assert capsys.readouterr() == ("rules applied: 25 articles hidden\n", "")
    assert shown(home) == 0


def test_rules_apply_holds_a_rule_a_refresh_would_tell_of(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 18 of 20 was told of at a refresh but hidden by `rules apply`: two rules for one thing.
    titles = [f"Promo {n}" for n in range(18)] + ["News", "Weather"]
    notes_config(home, 0, titles=titles)
    assert main(["refresh"]) == 0
    notes_config(home, 0, HIDE_PROMOS, titles=titles)
    capsys.readouterr()
    assert main(["rules", "apply"]) == 0
    out, err = capsys.readouterr()
    assert out == "rules applied: nothing changed\n" and shown(home) == 20
    assert "would hide 18 articles, at least 90% of the cache: not applied" in err


def test_rules_apply_shows_its_progress_on_a_terminal_only(home: Path) -> None:
    # 50 rules over 100,000 articles: ~30 s with nothing on the screen.
    rules = "".join(f'[[rules]]\nquery = "text{n}"\naction = "read"\n' for n in range(3))
    notes_config(home, 3, rules)
    command = [sys.executable, "-m", "tui", "rules", "apply"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    piped = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert (piped.returncode, piped.stderr) == (0, "")
    done, drawn = stderr_on_terminal(command, env)
    assert done.returncode == 0 and done.stdout == b"rules applied: nothing changed\n"
    steps = [f"\r\x1b[Krules apply: rule {n}/3 …" for n in (1, 2, 3)]
    assert drawn == "".join(steps) + "\r\x1b[K"  # the line redrawn, then erased
