"""The command line as a user types it: output, --json contracts, one-line errors, exit codes."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, rss
from tests.old_cache import write_version_2_cache
from tui.cli import main
from tui.cli.context import _announce_upgrade
from tui.config import load_config
from tui.content.readable import html_to_text
from tui.models import Article, FetchOutcome, SourceKind
from tui.paths import resolve_paths
from tui.refresh.run import refresh
from tui.store import Store, View

LIST_KEYS = {"id", "source", "title", "author", "published", "url", "read", "saved"}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config with one local source and a cache holding two articles."""
    config = tmp_path / "feeds.toml"
    config.write_text('[[sources]]\nname = "Notes"\npath = "notes"\n', encoding="utf-8")
    monkeypatch.setenv("NEWSDESK_CONFIG", str(config))
    monkeypatch.delenv("NEWSDESK_CACHE", raising=False)
    store = Store.open(tmp_path / "cache" / "newsdesk.db")
    sid = store.ensure_source("Notes", SourceKind.LOCAL, str(tmp_path / "notes"))
    articles = [
        Article(
            title="First [bold]story[/bold]",
            body="See the report [1].",
            guid="a",
            url="https://example.org/a",
            author="Ada",
            published=datetime(2026, 3, 1, 12, tzinfo=UTC),
            links=("https://example.org/report",),
        ),
        Article(title="Second", body="Plain.", guid="b"),
    ]
    store.record_refresh(sid, articles, FetchOutcome())
    store.close()
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ids(home: Path) -> dict[str, int]:
    store = Store.open(home / "cache" / "newsdesk.db")
    found = {r.title: r.id for r in store.page(View())}
    store.close()
    return found


def test_paths_prints_config_and_cache(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "paths")
    assert code == 0
    assert f"config: {home / 'feeds.toml'}" in out and "[NEWSDESK_CONFIG]" in out
    assert f"cache:  {home / 'cache'}" in out


def test_paths_tells_a_mistake_in_the_config(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `paths` is what one runs to check a config; it said nothing of `[settings] bogus = 1`.
    config = home / "feeds.toml"
    config.write_text(config.read_text(encoding="utf-8") + "[settings]\nbogus = 1\n")
    code, out, err = run(capsys, "paths")
    assert code == 2 and f"config: {config}" in out
    assert err.startswith(f"newsdesk: {config}") and "bogus" in err and err.count("\n") == 1


def test_a_broken_rule_is_skipped_with_a_line_and_paths_calls_it_a_mistake(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `paths` said nothing of it; the README's "exit status 2" read as if `refresh` gave it.
    config = home / "feeds.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '[[rules]]\nquery = "x"\naction = "zap"\n'
    )
    (home / "notes").mkdir()
    (home / "notes" / "a.txt").write_text("Third\n\nText.\n", encoding="utf-8")
    told = f"{config}:6: rules[1].action: must be one of hide, read, save, tag, not 'zap'"
    code, out, err = run(capsys, "refresh")
    assert code == 0 and "1 source" in out and f"{told} (rule skipped)" in err.splitlines()
    code, _, err = run(capsys, "paths")
    assert code == 2 and err == f"newsdesk: {told} (rule skipped)\n"


def test_a_broken_saved_search_is_skipped_with_a_line_and_the_others_still_list(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # One saved search with a malformed query stopped every refresh (exit 2), where a broken
    # rule is only skipped with a line.
    config = home / "feeds.toml"
    with config.open("a", encoding="utf-8") as added:
        added.write('[[searches]]\nname = "All"\nquery = "*"\n')
        added.write('[[searches]]\nname = "Report"\nquery = "report"\n')
    (home / "notes").mkdir()
    (home / "notes" / "a.txt").write_text("Third\n\nText.\n", encoding="utf-8")
    why = "'*' has nothing to search for or filter by"
    told = f"{config}:6: searches[1].query: {why} (saved search skipped)"
    code, out, err = run(capsys, "refresh")
    assert code == 0 and "1 source" in out and told in err.splitlines()
    code, out, _ = run(capsys, "list", "--search", "Report", "--json")
    assert code == 0 and [row["title"] for row in json.loads(out)] == ["First [bold]story[/bold]"]
    code, _, err = run(capsys, "list", "--search", "All")
    assert code == 2 and err.splitlines()[0] == f"newsdesk: {told}"
    code, _, err = run(capsys, "paths")
    assert code == 2 and err == f"newsdesk: {told}\n"


def test_list_of_a_saved_search_naming_no_source_says_so_as_search_does(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with (home / "feeds.toml").open("a", encoding="utf-8") as added:
        added.write('[[searches]]\nname = "Gone"\nquery = "source:Nowhere"\n')
    run(capsys, "refresh")
    _, _, said = run(capsys, "search", "source:Nowhere")
    code, out, err = run(capsys, "list", "--search", "Gone")
    assert code == 0 and out == "" and err == said and "no source named 'Nowhere'" in err


@pytest.mark.parametrize(
    ("table", "told"),
    [
        ('[settings]\ntheme = "nosuchtheme"\n', ":5: settings.theme: unknown theme 'nosuchtheme'"),
        ('[keys]\n"article.nxt" = "n"\n', ":5: keys.article.nxt: unknown binding id"),
        ('[keys]\n"article.save" = "ctrl+nonsense"\n', ":5: keys.article.save: 'ctrl+nonsense'"),
    ],
    ids=["theme", "unknown id", "not a key"],
)
def test_paths_tells_a_theme_or_keys_mistake_the_tui_goes_on_without(
    home: Path, capsys: pytest.CaptureFixture[str], table: str, told: str
) -> None:
    # The TUI told them (a toast, `?`); `paths`, where one checks a config, said nothing.
    config = home / "feeds.toml"
    config.write_text(config.read_text(encoding="utf-8") + table)
    code, _, err = run(capsys, "paths")
    assert code == 2 and err.startswith(f"newsdesk: {config}{told}") and err.count("\n") == 1


def test_list_json_keeps_its_keys(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--json")
    items = json.loads(out)
    assert code == 0 and len(items) == 2
    assert all(set(item) >= LIST_KEYS for item in items)
    first = next(i for i in items if i["title"].startswith("First"))
    assert first["published"] == "2026-03-01T12:00:00+00:00" and first["author"] == "Ada"
    assert first["read"] is False and first["saved"] is False


@pytest.fixture
def kiritimati(local_zone: Callable[[str], None]) -> None:
    """Local time 14 hours ahead of UTC."""
    local_zone("Pacific/Kiritimati")


def test_list_dates_are_local_as_show_s(
    home: Path, capsys: pytest.CaptureFixture[str], kiritimati: None
) -> None:
    # 12:00 UTC is 02:00 the next day there: `show` said 2026-03-02, `list` 2026-03-01.
    first = next(i for title, i in ids(home).items() if title.startswith("First"))
    line = next(line for line in run(capsys, "list")[1].splitlines() if "First" in line)
    assert " 2026-03-02 " in line
    assert "2026-03-02 02:00" in run(capsys, "show", str(first))[1]
    (item,) = [i for i in json.loads(run(capsys, "list", "--json")[1]) if i["id"] == first]
    assert item["published"] == "2026-03-01T12:00:00+00:00"  # --json: as it was


def test_list_plain_and_filters(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "read", str(ids(home)["Second"]))
    code, out, _ = run(capsys, "list", "--unread")
    assert code == 0 and "First [bold]story[/bold]" in out and "Second" not in out
    assert len(json.loads(run(capsys, "list", "--limit", "1", "--json")[1])) == 1


def test_an_undated_article_claims_no_date(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """ "Second" states no date: the time newsdesk first saw it is not printed as its date."""
    lines = run(capsys, "list")[1].splitlines()
    second = next(line for line in lines if line.endswith("Second"))
    first = next(line for line in lines if "First" in line)
    assert " undated " in second and "2026-03-01" in first
    assert second.index("Notes") == first.index("Notes")  # the columns stay aligned
    shown = run(capsys, "show", str(ids(home)["Second"]))[1].splitlines()
    assert shown[1].startswith("Notes · first seen ")
    item = next(i for i in json.loads(run(capsys, "list", "--json")[1]) if i["title"] == "Second")
    assert item["published"] is None and item["first_seen"]


def test_show_lists_links(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article_id = ids(home)["First [bold]story[/bold]"]
    code, out, _ = run(capsys, "show", str(article_id))
    assert code == 0
    assert "See the report [1]." in out and "[1] https://example.org/report" in out
    data = json.loads(run(capsys, "show", str(article_id), "--json")[1])
    assert set(data) >= LIST_KEYS | {"text", "links"}
    assert data["links"] == ["https://example.org/report"]


def test_show_nests_lists_under_their_items_text_as_the_reader(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `show` printed the stored text: a list under `9.` or `10.` two cells in, where the
    # reader draws it under the item's text, and an item's next paragraph two cells in too.
    html = (
        '<ol start="9"><li>Nine<ul><li>under nine</li></ul></li><li><p>Ten</p><p>its second'
        "</p><ul><li>under ten</li></ul></li></ol>"
    )
    store = Store.open(home / "cache" / "newsdesk.db")
    sid = store.ensure_source("Notes", SourceKind.LOCAL, str(home / "notes"))
    body = html_to_text(html).text
    store.record_refresh(sid, [Article(title="Lists", body=body, guid="l")], FetchOutcome())
    store.close()
    out = run(capsys, "show", str(ids(home)["Lists"]))[1]
    assert "9. Nine\n   • under nine\n10. Ten\n\n    its second\n    • under ten\n" in out


def test_read_and_unread(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article_id = str(ids(home)["Second"])
    assert run(capsys, "read", article_id)[0] == 0
    assert json.loads(run(capsys, "show", article_id, "--json")[1])["read"] is True
    assert run(capsys, "unread", article_id)[0] == 0
    assert json.loads(run(capsys, "show", article_id, "--json")[1])["read"] is False


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "999"], "no article with id 999"),
        (["read", "1", "999"], "no article with id 999"),
        (["list", "--source", "Nope"], "no source named 'Nope'"),
        (["list", "--limit", "0"], "must be at least 1"),
        (["list", "--bogus"], "newsdesk list: unrecognized argument --bogus"),
    ],
)
def test_errors_are_one_line_with_status_2(
    home: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err and err.count("\n") == 1


def test_config_error_is_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text('[[sources]]\nname = "A"\nurl = "https://a.example/f"\ncolour = "red"\n')
    code, _, err = run(capsys, "--config", str(config), "refresh")
    assert code == 2
    assert err.startswith(f"newsdesk: {config}:4: sources[1].colour: unknown key")
    assert err.count("\n") == 1
    assert not (tmp_path / "cache").exists()


def test_python_dash_m_and_help_on_every_command() -> None:
    for argv in (["--help"], ["list", "--help"], ["show", "--help"], ["refresh", "--help"]):
        done = subprocess.run([sys.executable, "-m", "tui", *argv], capture_output=True, text=True)
        assert done.returncode == 0 and "usage: newsdesk" in done.stdout


def test_top_level_help_lists_every_command_and_a_typo_names_the_one_meant() -> None:
    for argv in (["--help"], ["--cache", "x", "--help", "search"]):
        done = subprocess.run([sys.executable, "-m", "tui", *argv], capture_output=True, text=True)
        assert all(name in done.stdout for name in ("search", "sync", "feeds", "export")), argv
    done = subprocess.run([sys.executable, "-m", "tui", "serch"], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (
        2,
        "newsdesk: no command 'serch' — did you mean 'search'?\n",
    )


def test_search_loads_only_the_code_it_runs(home: Path) -> None:
    # Start-up is most of a search from the shell: the other commands' modules, the store's
    # write side and what only writers need stay unloaded.
    unused = ("tui.store.writes", "tui.store.upsert", "tui.store.sync", "tui.store.rules")
    unused += ("tui.store.saved", "tui.text", "platformdirs", "shutil", "hashlib")
    unused += ("tui.records", "tui.store.sources", "tui.content.blocks", "json")
    unused += ("argparse", "gettext", "tui.interop", "tempfile", "dataclasses", "inspect")
    code = (
        "import gc, sys; from tui.launch import main; sys.argv[1:] = ['search', 'story']; "
        "main(); print(gc.isenabled(), gc.get_freeze_count() > 1000); "
        "print(sorted(m for m in sys.modules if m.startswith(('tui.cli.', 'tui.interop.')))); "
        f"print(sorted(m for m in sys.modules if m in {unused}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "First [bold]story[/bold]" in done.stdout, done.stderr
    collector, commands, others = done.stdout.strip().splitlines()[-3:]
    # A long command (a refresh) collects its garbage, and never scans what was imported.
    assert collector == "True True"
    assert commands == "['tui.cli.articles', 'tui.cli.context']"
    assert others == "[]"


def test_only_paths_loads_textual_and_only_for_keys_or_a_theme(home: Path) -> None:
    # `paths` tells the [keys] entries and the theme the TUI could not use, as the TUI's own
    # bindings and Textual's themes say (the imports take ~0.25 s, for a config naming
    # some); every other command does without Textual, whatever the config holds.
    config = home / "feeds.toml"
    plain = config.read_text(encoding="utf-8")
    config.write_text(
        f'[settings]\ntheme = "nord"\n\n[keys]\n"article.next" = "n,ctrl+n"\n\n{plain}',
        encoding="utf-8",
    )
    commands = [
        ["list"], ["search", "story"], ["show", "1"], ["saved"], ["sources"], ["refresh"],
        ["export", "--format", "md", "--output", str(home / "out")], ["rules", "list"],
        ["read", "1"], ["unread", "1"], ["feeds", "export"],
    ]  # fmt: skip
    code = (
        "import sys; from tui.cli import main\n"
        f"for argv in {commands!r}: main(argv)\n"
        "others = 'textual' in sys.modules\n"
        "main(['paths']); print(others, 'textual' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "False True", done.stderr
    config.write_text(plain, encoding="utf-8")
    code = "import sys; from tui.cli import main; main(['paths']); print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "False", done.stderr


def test_a_plain_search_reads_as_with_any_option(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `search WORDS` (and `--json`) is read without argparse: the same results, the same errors.
    for words in (["story"], ["story", "first"], ["story", "--json"], ["--json", "see", "the"]):
        assert run(capsys, "search", *words) == run(capsys, "search", "--limit", "50", *words)
    assert run(capsys, "search", "") == run(capsys, "search", "--limit", "50", "")
    assert run(capsys, "search", "")[:2] == (2, "")


def test_upgrading_an_older_cache_says_so_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSDESK_CONFIG", str(tmp_path / "feeds.toml"))
    cache = tmp_path / "cache"
    write_version_2_cache(cache / "newsdesk.db")
    code, out, err = run(capsys, "--cache", str(cache), "search", "qubits")
    assert code == 0 and "Quantum news" in out
    # It did not say that older versions refuse the cache from then on (README: a way back).
    assert err == (
        "newsdesk: upgrading the cache (2 articles) for this version, once; this can take a "
        "few seconds; older versions cannot open it afterwards\n"
    )
    code, out, err = run(capsys, "--cache", str(cache), "search", "qubits")
    assert code == 0 and "Quantum news" in out and err == ""


@pytest.mark.parametrize(
    ("articles", "how_long"),
    [(99_999, "a few seconds"), (400_000, "up to a minute"), (1_000_000, "a minute or two")],
)
def test_the_upgrade_line_says_how_long_for_the_cache_s_size(
    capsys: pytest.CaptureFixture[str], articles: int, how_long: str
) -> None:
    # A million articles were "a few seconds", then the index build took ~100 s, unexplained.
    _announce_upgrade(articles)
    assert f"; this can take {how_long}; " in capsys.readouterr().err


def test_search_tells_each_filter_naming_nothing(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The tag's line alone was told; after "nothing to search for in '('", not even that.
    _, _, err = run(capsys, "search", "story source:zzz tag:xxx")
    assert err == "newsdesk: no source named 'zzz'; no source or article tagged 'xxx'\n"
    _, _, err = run(capsys, "search", "story tag:xxx (")
    assert err.endswith("; no source or article tagged 'xxx'\n")


def test_a_search_query_may_start_with_a_dash(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `-second` is a word to leave out, not an unknown option (no `--` needed before it).
    code, out, err = run(capsys, "search", "-second", "--json")
    assert (code, err) == (0, "")
    assert [hit["title"] for hit in json.loads(out)] == ["First [bold]story[/bold]"]
    code, out, _ = run(capsys, "search", "story", "-second")
    assert code == 0 and "First" in out and "Second" not in out
    code, _, err = run(capsys, "list", "-x")
    assert code == 2 and "newsdesk list: unrecognized argument -x" in err
    code, out, err = run(capsys, "rules", "test", "-second")  # a rule's query, previewed
    assert code == 0 and "First" in out and "Second" not in out and "1 cached article" in err
    # argparse read `-horoscope` as `-h` given "oroscope", and refused the search.
    code, out, err = run(capsys, "search", "-horoscope", "--json")
    assert (code, err) == (0, "") and len(json.loads(out)) == 2
    code, out, _ = run(capsys, "rules", "test", "-health")
    assert code == 0 and "First" in out and "Second" in out
    code, _, err = run(capsys, "list", "-horse")
    assert code == 2 and "newsdesk list: unrecognized argument -horse" in err


def test_a_first_list_says_how_articles_arrive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before any refresh, `list` printed nothing at all, exit 0: no hint what to do.
    config = tmp_path / "feeds.toml"
    monkeypatch.setenv("NEWSDESK_CONFIG", str(config))
    config.write_text('[[sources]]\nname = "Added"\nurl = "https://a.example/f"\n')
    code, out, err = run(capsys, "list", "--json")
    assert (code, json.loads(out)) == (0, [])
    assert err == (
        f"newsdesk: no sources in the cache yet: `newsdesk refresh` fetches those of {config}\n"
    )
    code, out, err = run(capsys, "list", "--source", "Added")
    assert code == 2 and "arrives with `newsdesk refresh`" in err


def test_list_takes_one_source(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The second --source was kept and the first dropped, in silence.
    code, out, err = run(capsys, "list", "--source", "Notes", "--source", "Other")
    assert (code, out) == (2, "")
    assert "--source is given once: a list shows one source" in err


@pytest.mark.parametrize("query", ["*", "NOT -", "since:bogus", "source:"])
def test_rules_test_refuses_a_query_the_config_would_skip_as_a_rule(
    home: Path, capsys: pytest.CaptureFixture[str], query: str
) -> None:
    code, out, err = run(capsys, "rules", "test", query)
    assert (code, out) == (2, "")
    assert err == (
        f"newsdesk: {query!r} has nothing to search for or filter by: "
        "a rule with this query is skipped\n"
    )


def test_rules_test_says_how_many_match_not_how_many_it_printed(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # It said "50 cached articles match" (the rows printed) when 1,616 did.
    store = Store.open(home / "cache" / "newsdesk.db")
    source = store.ensure_source("Wire", SourceKind.WEB, "https://wire.example/rss")
    briefs = [Article(title=f"Brief {n}", body="In brief.", guid=str(n)) for n in range(1_100)]
    new = store.record_refresh(source, briefs, FetchOutcome(status=200)).new_ids
    store.set_hidden(new[:2], True)  # a rule matches hidden articles too
    store.close()
    code, out, err = run(capsys, "rules", "test", "title:brief", "--limit", "3")
    assert (code, len(out.splitlines())) == (0, 3)
    assert err == "1,000+ cached articles match (3 shown: --limit N for more)\n"
    code, out, err = run(capsys, "rules", "test", "brief 10*", "--limit", "5")
    assert err == "111 cached articles match (5 shown: --limit N for more)\n"
    code, out, err = run(capsys, "rules", "test", "title:brief title:0")
    assert (out.count("Brief 0"), err) == (1, "1 cached article matches\n")


@pytest.mark.parametrize(("query", "matches"), [("AND", 1), ("OR", 0), ("NOT NOT", 0)])
def test_rules_test_searches_a_query_of_operators_alone_as_words(
    home: Path, capsys: pytest.CaptureFixture[str], query: str, matches: int
) -> None:
    # `rules test OR` printed every hidden article (`OR is:hidden`), then "0 ... match".
    store = Store.open(home / "cache" / "newsdesk.db")
    source = store.ensure_source("Wire", SourceKind.WEB, "https://wire.example/rss")
    pets = [Article(title="Pets", body="Cats and dogs.", guid="p")]
    hidden = [Article(title="Hidden note", body="Nothing here.", guid="h")]
    store.record_refresh(source, pets, FetchOutcome(status=200))
    store.set_hidden(store.record_refresh(source, hidden, FetchOutcome(status=200)).new_ids, True)
    store.close()
    code, out, err = run(capsys, "rules", "test", query)
    assert (code, "Hidden" in out, "Pets" in out) == (0, False, matches == 1)
    assert err.endswith(f"{matches} cached article{'s' * (matches != 1)} match{'es' * matches}\n")


def test_list_source_takes_the_name_in_any_case_as_search_does(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "list", "--source", "notes") == run(capsys, "list", "--source", "Notes")
    code, out, _ = run(capsys, "list", "--source", "NOTES")
    assert code == 0 and "First" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "99999999999999999999999"],
        ["read", "1", "99999999999999999999999"],
        ["unhide", "99999999999999999999999"],
    ],
)
def test_an_id_beyond_sqlites_integers_is_refused_in_one_line(
    home: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert "no article has id 99999999999999999999999" in err and err.count("\n") == 1


def test_a_limit_beyond_sqlites_integers_is_no_limit(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "list", "--limit", "99999999999999999999999")
    assert (code, err) == (0, "")
    assert "First" in out and "Second" in out


def test_paths_typed_with_escape_sequences_never_reach_the_terminal(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = "x\x1b[31mred\x1b]0;title\x07"
    code, _, err = run(capsys, "import", str(home / typed))
    assert code == 2 and "no such file or folder" in err and "red" in err
    assert "\x1b" not in err and "\x07" not in err
    code, out, _ = run(capsys, "--config", str(home / typed), "paths")
    assert code == 0 and "\\x1b[31mred\\x1b]0;title\\x07" in out and "\x1b" not in out


def test_an_import_named_as_a_web_source_is_refused_in_one_line(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(home / "cache" / "newsdesk.db")
    store.ensure_source("World", SourceKind.WEB, "https://example.org/world.xml")
    store.close()
    (home / "notes").mkdir()
    (home / "notes" / "a.txt").write_text("A title\n\nA body.\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(home / "notes"), "--name", "World")
    assert code == 2
    assert err == "newsdesk: 'World' is a web source; choose another name for the import\n"


def test_refresh_with_a_mistyped_config_says_so_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--config", str(tmp_path / "feds.toml"), "refresh")
    assert (code, out) == (2, "")
    missing = f"no config file at {tmp_path / 'feds.toml'} (from --config)"
    assert err == f"newsdesk: {missing}: nothing to refresh\n"  # as other commands say it
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize("command", [["list"], ["sources"], ["search", "word"]])
def test_a_mistyped_config_is_told_by_every_reading_command(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    # Else an empty list and status 0 from a new cache beside it: as if the feeds had none.
    monkeypatch.delenv("NEWSDESK_CACHE")
    code, out, err = run(capsys, "--config", str(tmp_path / "feds.toml"), *command)
    assert (code, out) == (0, "")
    said = f"no config file at {tmp_path / 'feds.toml'} (from --config): no sources"
    assert err == f"newsdesk: {said}\n"


def test_a_missing_configs_path_is_shown_not_acted_on(tmp_path: Path) -> None:
    # The line goes to the TUI's toast and help too, which take it as it is.
    typed = tmp_path / "\x1b]0;owned\x07feeds\x1b[2J.toml"
    line = resolve_paths(str(typed)).missing_config()
    assert line is not None and "\\x1b]0;owned\\x07feeds\\x1b[2J.toml" in line
    assert not any(char in line for char in "\x1b\x07")


def test_sources_tells_a_mistake_in_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Where one looks after adding a source: a silent list gave no reason it was missing.
    config = tmp_path / "feeds.toml"
    config.write_text('[settings]\nrefresh_minutes = "0"\n', encoding="utf-8")
    code, out, err = run(capsys, "--config", str(config), "sources")
    assert (code, out) == (0, "")
    said = "settings.refresh_minutes: must be an integer, not '0'"
    assert err == f"newsdesk: {config}:2: {said} (listed: the sources in the cache)\n"


def test_sources_lists_a_source_just_added_to_the_config(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # `sources` is where one looks after editing feeds.toml: a new source was missing from
    # it until a refresh, as if the edit had not been read.
    url = feed_server.feed("/old.xml", rss("Old", 1))
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[sources]]\nname = "Old"\nurl = "{url}"\n', encoding="utf-8")
    assert run(capsys, "--config", str(config), "refresh")[0] == 0
    with config.open("a", encoding="utf-8") as file:
        file.write('[[sources]]\nname = "Zed New"\nurl = "https://z.example/f.xml"\n')
        file.write('tags = ["later"]\n')
        file.write('[[sources]]\nname = "Kept off"\npath = "notes"\nenabled = false\n')
    code, out, _ = run(capsys, "--config", str(config), "sources")
    names = [line.split("  ")[0] for line in out.splitlines()]
    assert code == 0 and names == ["Kept off", "Old", "Zed New"]
    assert "never refreshed, disabled" in out.splitlines()[0]
    assert "never refreshed (newsdesk refresh brings it)" in out.splitlines()[2]
    listed = json.loads(run(capsys, "--config", str(config), "sources", "--json")[1])
    new = next(source for source in listed if source["name"] == "Zed New")
    assert new["kind"] == "web" and new["tags"] == ["later"] and new["in_config"] is True
    assert new["checked_at"] is None and (new["unread"], new["total"]) == (0, 0)


@pytest.mark.parametrize("minutes", [0, 30])
def test_a_failed_sources_next_try_is_shown_only_if_one_is_to_come(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str], minutes: int
) -> None:
    # With automatic refresh off nothing tries again by itself: "next try" misled.
    url = feed_server.status("/down.xml", 500)
    config = tmp_path / "feeds.toml"
    config.write_text(
        f'[settings]\nrefresh_minutes = {minutes}\n[[sources]]\nname = "Down"\nurl = "{url}"\n',
        encoding="utf-8",
    )
    assert run(capsys, "--config", str(config), "refresh")[0] == 1
    code, out, _ = run(capsys, "--config", str(config), "sources")
    assert code == 0 and "error: HTTP 500" in out
    assert ("next try" in out) == bool(minutes)


def failed_at(tmp_path: Path, feed_server: FeedServer, began: float) -> Path:
    """A config whose one source, Down, failed at `began` (by the clock then)."""
    url = feed_server.status("/down.xml", 500)
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[sources]]\nname = "Down"\nurl = "{url}"\n', encoding="utf-8")
    store = Store.open(tmp_path / "cache" / "newsdesk.db")
    asyncio.run(refresh(load_config(config), store, now=began, force=True))
    store.close()
    return config


def test_sources_after_the_clock_was_put_back_a_day(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # A refresh while the clock ran a day ahead: "failing since 03:21 (+23h)", and a next
    # try tomorrow that held the source as long as the jump.
    config = failed_at(tmp_path, feed_server, time.time() + 86400)
    out = run(capsys, "--config", str(config), "sources")[1]
    assert "(now), next try at the next refresh" in out


def test_a_source_failing_for_days_says_since_when(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # It showed its last error and next try, never that it had failed for five days.
    began = time.time() - 5 * 86400 - 60
    config = failed_at(tmp_path, feed_server, began)
    assert run(capsys, "--config", str(config), "refresh")[0] == 1  # failing again today
    day = datetime.fromtimestamp(began).astimezone().strftime("%Y-%m-%d")
    out = run(capsys, "--config", str(config), "sources")[1]
    assert "error: HTTP 500" in out and f"); failing since {day} (5 days), next try" in out
    (down,) = json.loads(run(capsys, "--config", str(config), "sources", "--json")[1])
    assert down["failing_since"] == datetime.fromtimestamp(began, UTC).isoformat()
    assert down["error"].startswith("HTTP 500") and down["checked_at"] > down["failing_since"]
    feed_server.feed("/down.xml", rss("Down", 1))
    assert run(capsys, "--config", str(config), "refresh")[0] == 0
    (down,) = json.loads(run(capsys, "--config", str(config), "sources", "--json")[1])
    assert down["failing_since"] is None and down["error"] is None


def test_refresh_goes_on_when_nobody_reads_its_progress(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    # `newsdesk refresh 2>&1 | head -1` in a cron job: stderr's reader is gone before the
    # first progress line, and every source must still be refreshed.
    names = ["One", "Two", "Three"]
    for name in names:
        feed_server.feed(f"/{name}.xml", rss(name, 2))
    config = tmp_path / "feeds.toml"
    config.write_text(
        "".join(
            f'[[sources]]\nname = "{n}"\nurl = "{feed_server.url(f"/{n}.xml")}"\n' for n in names
        ),
        encoding="utf-8",
    )
    read_end, write_end = os.pipe()
    os.close(read_end)
    argv = [sys.executable, "-m", "tui", "--config", str(config), "refresh"]
    done = subprocess.run(argv, stderr=write_end, stdout=subprocess.PIPE, text=True)
    os.close(write_end)
    assert done.returncode == 0 and done.stdout.startswith("3 sources up to date")
    store = Store.open(tmp_path / "cache" / "newsdesk.db")
    assert {state.name: state.total for state in store.sources()} == dict.fromkeys(names, 2)
    store.close()


def test_search_json_snippets_are_plain_text_with_the_matches_located(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "search", "report", "--json")
    (hit,) = json.loads(out)
    assert code == 0 and hit["snippet"].isprintable()
    assert [hit["snippet"][start:end] for start, end in hit["matches"]] == ["report"]


def test_list_and_sources_align_columns_in_terminal_cells(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # CJK characters take two cells: a name padded by characters pushed its row to the right.
    from tui.cells import terminal_cells

    store = Store.open(home / "cache" / "newsdesk.db")
    for name in ("東京新聞", "東京新聞ニュース速報ダイジェスト版"):
        sid = store.ensure_source(name, SourceKind.LOCAL, str(home / name))
        store.record_refresh(
            sid, [Article(title=f"{name} title", body=".", guid=name)], FetchOutcome()
        )
    store.close()
    _, out, _ = run(capsys, "list")
    title_columns = {terminal_cells(line[: line.rindex("  ") + 2]) for line in out.splitlines()}
    assert len(out.splitlines()) == 4 and len(title_columns) == 1
    _, out, _ = run(capsys, "sources")
    short = [line for line in out.splitlines() if line.startswith(("Notes", "東京新聞 "))]
    assert len({terminal_cells(line[: line.index(" unread")]) for line in short}) == 1


def test_sources_cuts_a_long_name_with_an_ellipsis_and_keeps_its_columns(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A name past 24 cells pushed the counts and status of its row to the right.
    from tui.cells import terminal_cells

    store = Store.open(home / "cache" / "newsdesk.db")
    long = ("The Very Long Name Of A Weekly Newsletter", "東京新聞ニュース速報ダイジェスト版")
    for name in ("Exactly twenty-four cell", *long):
        store.ensure_source(name, SourceKind.LOCAL, str(home / name))
    store.close()
    _, out, _ = run(capsys, "sources")
    names = [line[: line.index(" unread") - 6] for line in out.splitlines()]
    assert {terminal_cells(name) for name in names} == {24}
    assert [name.rstrip() for name in names] == [
        "Exactly twenty-four cell",
        "Notes",
        "The Very Long Name Of A…",
        "東京新聞ニュース速報ダ…",
    ]


def test_sources_are_listed_in_the_natural_order_of_their_names(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "News 72" came before "News 8", "Zebra" before "élan" and "Ñandú" after every ASCII name.
    store = Store.open(home / "cache" / "newsdesk.db")
    for name in ("News 72", "Zebra", "news 9", "Ñandú", "News 8", "élan", "Nature"):
        store.ensure_source(name, SourceKind.WEB, f"https://example.org/{name}")
    store.close()
    _, out, _ = run(capsys, "sources")
    listed = [line[:24].rstrip() for line in out.splitlines()]
    assert listed == ["élan", "Ñandú", "Nature", "News 8", "news 9", "News 72", "Notes", "Zebra"]
    _, out, _ = run(capsys, "sources", "--json")
    assert [source["name"] for source in json.loads(out)] == listed


def test_rules_apply_leaves_an_unhidden_article_shown_and_reports_changes(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = home / "feeds.toml"
    rules = '\n[[rules]]\nquery = "report OR plain"\naction = "hide"\n'
    config.write_text(config.read_text(encoding="utf-8") + rules, encoding="utf-8")
    first = ids(home)["First [bold]story[/bold]"]
    assert run(capsys, "rules", "apply")[1] == "rules applied: 2 articles hidden\n"
    assert run(capsys, "unhide", str(first))[1] == "1 article restored\n"
    assert run(capsys, "rules", "apply")[1] == "rules applied: nothing changed\n"
    _, out, _ = run(capsys, "list")
    assert "First" in out and "Second" not in out  # the user's unhide stands


def test_rules_apply_leaves_what_the_user_marked_unread_or_unsaved(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `rules apply` marked read and saved again the articles the user had just set back.
    config = home / "feeds.toml"
    rules = '\n[[rules]]\nquery = "report"\naction = "read"\n'
    rules += '\n[[rules]]\nquery = "plain"\naction = "save"\n'
    config.write_text(config.read_text(encoding="utf-8") + rules, encoding="utf-8")
    found = ids(home)
    first, second = str(found["First [bold]story[/bold]"]), str(found["Second"])
    applied = "rules applied: 1 article marked read, 1 article saved\n"
    assert run(capsys, "rules", "apply")[1] == applied
    assert run(capsys, "unread", first)[0] == run(capsys, "unsave", second)[0] == 0
    assert run(capsys, "rules", "apply")[1] == "rules applied: nothing changed\n"
    assert "First" in run(capsys, "list", "--unread")[1]
    assert run(capsys, "list", "--saved")[1] == ""


def test_unhiding_an_article_that_is_not_hidden_leaves_it_to_the_hide_rules(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "0 articles restored", yet a hide rule left the article shown from then on.
    first = str(ids(home)["First [bold]story[/bold]"])
    assert run(capsys, "unhide", first)[1] == "0 articles restored\n"
    config = home / "feeds.toml"
    rules = '\n[[rules]]\nquery = "report"\naction = "hide"\n'
    config.write_text(config.read_text(encoding="utf-8") + rules, encoding="utf-8")
    assert run(capsys, "rules", "apply")[1] == "rules applied: 1 article hidden\n"
    assert "First" not in run(capsys, "list")[1]


def test_an_unknown_option_as_long_as_a_page_is_quoted_back_cut(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The error line repeated a pasted 10,000-character word whole.
    assert main(["search", "-" * 10_000]) == 2
    error = capsys.readouterr().err
    assert error == f"newsdesk search: unrecognized argument {'-' * 79}…\n"


def test_a_limit_that_cuts_the_output_says_how_many_matched(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `list`, `search` and `export QUERY` printed their first N rows and said nothing of the
    # rest: a script took 50 rows for all there were.
    (home / "feeds.toml").write_text(
        '[[sources]]\nname = "Notes"\npath = "notes"\n'
        '[[searches]]\nname = "Any"\nquery = "source:Notes"\n'
    )
    cut = "newsdesk: 1 of 2 shown: --limit N for more\n"
    assert run(capsys, "list")[2] == ""
    assert run(capsys, "list", "--limit", "1")[2] == cut
    code, out, err = run(capsys, "list", "--limit", "1", "--json")
    assert (code, len(json.loads(out)), err) == (0, 1, cut)
    uncounted = "newsdesk: 1 shown, more match: --limit N for more\n"  # counting took longer
    assert run(capsys, "search", "is:unread", "--limit", "1")[2] == uncounted
    assert run(capsys, "list", "--search", "Any", "--limit", "1")[2] == cut
    run(capsys, "read", str(ids(home)["Second"]))
    assert run(capsys, "list", "--search", "Any", "--unread", "--limit", "1")[2] == ""  # 1 of 1
    output = str(home / "out.html")
    code, _, err = run(capsys, "export", "source:Notes", "--limit", "1", "--format",
                       "html", "--output", output)  # fmt: skip
    assert (code, err) == (0, cut.replace("shown", "exported"))


def test_an_export_cut_by_its_limit_says_how_many_of_all_that_match_it_exported(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `1 of 10,000+ shown`: the count stopped at 10,000 (as list's), and nothing was shown.
    store = Store.open(home / "cache" / "newsdesk.db")
    budgets = [Article(title=f"Budget {n}", body=".", guid=str(n)) for n in range(12_000)]
    store.record_refresh(
        store.ensure_source("Many", SourceKind.LOCAL, "x"), budgets, FetchOutcome()
    )
    store.close()
    output = str(home / "out.html")
    code, _, err = run(capsys, "export", "budget", "--limit", "1", "--format", "html",
                       "--output", output)  # fmt: skip
    assert (code, err) == (0, "newsdesk: 1 of 12,000 exported: --limit N for more\n")


def test_a_long_source_name_is_cut_with_an_ellipsis_in_list(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `list` cut it at 20 cells without a mark (`A source name that i`), as if it were whole.
    store = Store.open(home / "cache" / "newsdesk.db")
    long = store.ensure_source("A source name that is long", SourceKind.LOCAL, "elsewhere")
    store.record_refresh(long, [Article(title="Its story", body="Text.", guid="s")], FetchOutcome())
    store.close()
    line = run(capsys, "list", "--source", "A source name that is long")[1]
    assert "  A source name that…   Its story" in line  # the column still 20 cells
