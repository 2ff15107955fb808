"""The command line run from scripts and cron: no terminal, other encodings, exit statuses a
script can act on."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import socket
import struct
import subprocess
import sys
import termios
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, rss
from tests.read_only import read_only_copy
from tui.cells import terminal_cells
from tui.cli import main
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store

NO_TERMINAL = "run a command, e.g. `newsdesk refresh`, or see --help"
READ_ONLY = "the cache is read-only here, nothing was written"
TITLE_AT = 45
"""Where a title starts in a line of `list` (id, flags, date and source come first)."""
OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Feeds</title></head><body>
<outline type="rss" text="{title}" title="{title}" xmlUrl="{url}"/>
</body></opml>
"""


@pytest.fixture
def cache(isolated_env: Path) -> Path:
    """The isolated config (one local source) and its cache with two articles."""
    config = isolated_env / "config" / "feeds.toml"
    config.parent.mkdir()
    config.write_text('[[sources]]\nname = "Notes"\npath = "notes"\n', encoding="utf-8")
    store = Store.open(isolated_env / "cache" / "newsdesk.db")
    sid = store.ensure_source("Notes", SourceKind.LOCAL, str(config.parent / "notes"))
    when = datetime(2026, 3, 1, 12, tzinfo=UTC)
    articles = [
        Article(title="Café Müller — 東京", body="Über alles.", guid="a", published=when),
        Article(title="Plain", body="Plain text.", guid="b", published=when),
    ]
    store.record_refresh(sid, articles, FetchOutcome())
    store.close()
    return isolated_env / "cache"


def newsdesk(*argv: str, **options: object) -> subprocess.CompletedProcess[str]:
    """`python -m tui ARGV` as a script runs it (stdin from /dev/null unless told)."""
    options.setdefault("stdin", subprocess.DEVNULL)
    options.setdefault("capture_output", "stdout" not in options)
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "tui", *argv], text=True, timeout=60, **options
    )


def on_a_terminal(*argv: str, width: int = 80, **env: str) -> tuple[int, str]:
    """Run with stdout and stderr on a pseudo-terminal `width` columns wide (stdin from
    /dev/null), with these environment variables too: the status and what it showed."""
    main_fd, tty_fd = pseudo_terminal(width)
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")} | env
    try:
        done = newsdesk(*argv, stdout=tty_fd, stderr=tty_fd, env=environment)
    finally:
        os.close(tty_fd)
    try:
        return done.returncode, read_until(main_fd).decode()
    finally:
        os.close(main_fd)


def pseudo_terminal(width: int = 80) -> tuple[int, int]:
    """A pseudo-terminal 24 rows by `width` columns: its main side and its terminal."""
    main_fd, tty_fd = pty.openpty()
    fcntl.ioctl(tty_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, width, 0, 0))
    return main_fd, tty_fd


def read_until(main_fd: int, until: bytes | None = None) -> bytes:
    """What was written to the terminal until `until` showed (None: until its other side
    closed)."""
    shown = b""
    try:
        while (until is None or until not in shown) and (chunk := os.read(main_fd, 65536)):
            shown += chunk
    except OSError:  # EIO: the terminal's other side is closed and all of it was read
        pass
    return shown


def stderr_on_terminal(
    command: list[str], env: dict[str, str], timeout: float = 60
) -> tuple[subprocess.CompletedProcess[bytes], str]:
    """`command` run with its stderr on a pseudo-terminal (stdout piped): how it ended, and
    what it drew there."""
    main_fd, tty_fd = pseudo_terminal()
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=tty_fd, env=env,
                              timeout=timeout)  # fmt: skip
    finally:
        os.close(tty_fd)
    try:
        return done, read_until(main_fd).decode()
    finally:
        os.close(main_fd)


# -- no terminal -----------------------------------------------------------------------------


def test_the_reader_without_a_terminal_says_so_and_exits_2(cache: Path) -> None:
    # A cron line missing its command: no spinning, no escape codes in the mail.
    done = newsdesk()
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (
        f"newsdesk: the reader needs a terminal (stdin, stdout and stderr are not); {NO_TERMINAL}\n"
    )


def test_the_reader_on_a_terminal_with_stdin_from_elsewhere_says_so(cache: Path) -> None:
    # `newsdesk </dev/null` in tmux: the UI was drawn and ignored every key.
    status, shown = on_a_terminal()
    assert status == 2 and "\x1b" not in shown
    assert shown == f"newsdesk: the reader needs a terminal (stdin is not one); {NO_TERMINAL}\r\n"


def test_the_reader_on_a_dumb_terminal_says_so_and_exits_2(cache: Path) -> None:
    # An editor's shell (TERM=dumb) got the full-screen app in 24-bit colour, undrawable.
    shown, status = the_reader_on_a_terminal(TERM="dumb")
    assert status == 2 and "\x1b" not in shown
    assert shown == (
        "newsdesk: the reader needs a terminal (TERM=dumb cannot draw a full-screen app); "
        f"{NO_TERMINAL}\r\n"
    )


@pytest.mark.parametrize(
    "encoding", [{"PYTHONIOENCODING": "ascii"}, {"PYTHONIOENCODING": "latin-1", "LC_ALL": "C"}]
)
def test_the_reader_draws_in_utf8_whatever_python_is_told(
    cache: Path, encoding: dict[str, str]
) -> None:
    # Every border came out as `\u256d\u2500 Sources`: the terminal wants what its locale
    # says (UTF-8, in the C locale too), not what a script reading stdout asked for.
    shown, status = the_reader_on_a_terminal(**encoding)
    assert status == 0
    assert "┏" in shown and "━" in shown and "\\u25" not in shown  # the pane in front's


def the_reader_on_a_terminal(**env: str) -> tuple[str, int]:
    """Open the reader on a pseudo-terminal (all three streams) with these environment
    variables, `q` once it shows its articles: what it drew and its status."""
    main_fd, tty_fd = pseudo_terminal()
    process = subprocess.Popen(
        [sys.executable, "-m", "tui"],
        stdin=tty_fd, stdout=tty_fd, stderr=tty_fd, env={**os.environ, **env},
    )  # fmt: skip
    os.close(tty_fd)
    try:
        shown = read_until(main_fd, b"Articles")
        if b"Articles" in shown:  # drawn: quit
            os.write(main_fd, b"q")
            shown += read_until(main_fd)
    finally:
        os.close(main_fd)
    return shown.decode("utf-8", "replace"), process.wait(timeout=60)


# -- exit statuses: 1 the work could not be done, 2 what was asked is wrong -------------------


@pytest.fixture
def read_only(cache: Path) -> Iterator[Path]:
    """A copy of the cache where nothing can be written."""
    with read_only_copy(cache / "newsdesk.db", at=cache.parent / "disk") as folder:
        yield folder


@pytest.mark.parametrize(
    "argv", [["read", "1"], ["unread", "1"], ["save", "1"], ["unsave", "1"], ["unhide", "1"]]
)
def test_a_write_the_read_only_cache_refuses_exits_1(
    read_only: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    for command in (argv, ["reindex"], ["import", str(notes(read_only.parent))]):
        status = main(["--cache", str(read_only), *command])
        out, err = capsys.readouterr()
        assert (status, out) == (1, ""), command
        assert err == f"newsdesk: {read_only / 'newsdesk.db'}: {READ_ONLY}\n"


@pytest.mark.parametrize("known", [True, False])
def test_refresh_into_a_read_only_cache_says_so_once_and_exits_1(
    cache: Path, feed_server: FeedServer, known: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    # Nothing can be stored, so nothing is fetched: one line for the cache, none per source
    # (each one's failure, then that even the failure could not be noted), as a cron mail.
    config = cache.parent / "config" / "feeds.toml"
    url = feed_server.feed("/wire.xml", rss("Wire", [("Story", "Text.")]))
    added = f'[[sources]]\nname = "More"\npath = "{notes(cache.parent)}"\n'
    config.write_text(config.read_text() + added + f'[[sources]]\nname = "Wire"\nurl = "{url}"\n')
    if known:  # else the cache has never seen them: not even their rows could be written
        assert main(["refresh"]) == 0
    capsys.readouterr()
    with read_only_copy(cache / "newsdesk.db", at=cache.parent / "disk") as read_only:
        status = main(["--cache", str(read_only), "refresh"])
    assert (status, *capsys.readouterr()) == (
        1,
        "",
        f"newsdesk: {read_only / 'newsdesk.db'}: {READ_ONLY}\n",
    )
    assert feed_server.hits("/wire.xml") == int(known)


def test_refresh_into_a_read_only_cache_tells_the_config_s_lines_first(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # refresh tells every config mistake (README): they were in the summary a read-only
    # cache never gets to, and went unsaid.
    config = cache.parent / "config" / "feeds.toml"
    config.write_text(
        '[settings]\nmax_body_mb = 1e308\n\n[[sources]]\nname = "Notes"\npath = "notes"\n\n'
        '[[sources]]\nname = "notes"\npath = "more"\n',
        encoding="utf-8",
    )
    with read_only_copy(cache / "newsdesk.db", at=cache.parent / "disk") as read_only:
        status = main(["--cache", str(read_only), "refresh"])
    out, err = capsys.readouterr()
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        f"note: {config}:2: settings.max_body_mb: 1e+308 is past the most, 1024: read as 1024",
        f"{config}:9: sources[2].name: 'notes' is 'Notes' but for case or spacing: "
        "this source is left out, its cached articles kept (give it another name to use it)",
        f"newsdesk: {read_only / 'newsdesk.db'}: {READ_ONLY}",
    ]


def notes(folder: Path) -> Path:
    """A folder of one note, in `folder`."""
    (folder / "notes").mkdir(exist_ok=True)
    (folder / "notes" / "a.md").write_text("# A note\n\nText.\n", encoding="utf-8")
    return folder / "notes"


def test_what_cannot_be_done_exits_1_and_what_is_wrong_exits_2(
    cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    opml = tmp_path / "feeds.opml"
    opml.write_text(OPML.format(title="Wire", url="https://wire.example/feed"), encoding="utf-8")
    config = cache.parent / "config" / "feeds.toml"
    with read_only_copy(config, at=tmp_path / "etc") as etc:
        told = [
            (1, ["feeds", "add", "--local", f"http://127.0.0.1:{port}/f"], "cannot fetch"),
            (1, ["export", "--format", "md", "--output", str(tmp_path)], "no saved articles"),
            (1, ["export", "nowhere", "--format", "md", "--output", "md"], "no articles match"),
            (
                1,
                ["--config", str(etc / "feeds.toml"), "feeds", "import", str(opml)],
                "cannot write",
            ),
            (
                1,
                ["export", "plain", "--format", "html", "--output", str(etc / "a")],
                "cannot write",
            ),
            (2, ["export", "plain", "--format", "html", "--output", str(tmp_path)], "is a folder"),
            (2, ["show", "99"], "no article with id 99"),
            (2, ["feeds", "import", str(cache / "newsdesk.db")], "malformed OPML"),
        ]
        for status, argv, message in told:
            assert main(argv) == status, argv
            err = capsys.readouterr().err
            assert err.startswith("newsdesk: ") and err.count("\n") == 1 and message in err, err
        assert (etc / "feeds.toml").read_text() == config.read_text()


# -- what a refresh prints ---------------------------------------------------------------------


def test_a_sources_skip_or_warning_is_said_once(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `refresh --source Off` on a disabled source said the skip twice: its progress line, then
    # the same again after the run; so was a file a folder skipped.
    folder = notes(cache.parent)
    (folder / "empty.txt").write_text("")
    config = cache.parent / "config" / "feeds.toml"
    config.write_text(
        f'[[sources]]\nname = "Off"\npath = "{folder}"\nenabled = false\n'
        f'[[sources]]\nname = "Folder"\npath = "{folder}"\n'
    )
    assert main(["refresh", "--source", "Off", "--source", "Folder"]) == 0
    assert capsys.readouterr() == (
        "1 source up to date, 1 skipped, 1 new article\n",
        "[1/2] Off: skipped: disabled in feeds.toml\n"
        "[2/2] Folder: ok (1 new): empty.txt: skipped: empty file\n",
    )
    (folder / "blank.txt").write_text("")  # empty.txt, said, is not said again while it stays
    status, shown = on_a_terminal("refresh", "--source", "Off", "--source", "Folder")
    assert status == 0 and shown.count("disabled in feeds.toml") == 1
    assert shown.count("blank.txt: skipped: empty file") == 1 and "empty.txt" not in shown


def test_a_refresh_where_no_source_worked_exits_1_also_when_they_were_skipped(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # The second run of a config whose one feed is gone (HTTP 410) skipped it and exited 0.
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[sources]]\nname = "Gone"\nurl = "{feed_server.status("/g", 410)}"\n')
    argv = ["--config", str(config), "--cache", str(tmp_path / "cache"), "refresh"]
    assert main(argv) == 1
    assert main(argv) == 1
    assert "1 skipped, 0 new articles" in capsys.readouterr().out


# -- encodings other than UTF-8 ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "encoding"),
    [
        ({"PYTHONIOENCODING": "ascii"}, "ascii"),
        ({"PYTHONIOENCODING": "latin-1:strict"}, "latin-1"),
        ({"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}, "ascii"),
    ],
)
def test_any_encoding_prints_every_line_and_valid_json(
    cache: Path, environment: dict[str, str], encoding: str
) -> None:
    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        options = {"env": {**os.environ, **environment}, "encoding": encoding}
        done = newsdesk(*argv, **options)
        assert "Traceback" not in done.stderr, done.stderr
        return done

    shown = "Café Müller — 東京".encode(encoding, "replace").decode(encoding)
    for argv in (["list"], ["search", "alles"], ["search", "café"], ["show", "1"]):
        done = run(*argv)
        assert done.returncode == 0 and shown in done.stdout, argv
    assert run("sources").stdout.startswith("Notes")
    utf8 = json.loads(newsdesk("list", "--json").stdout)
    assert json.loads(run("list", "--json").stdout) == utf8
    assert any(item["title"] == "Café Müller — 東京" for item in utf8)
    config = cache.parent / "config" / "feeds.toml"
    config.write_text('[[sources]]\nname = "Café"\nurl = "https://cafe.example/f"\n')
    opml = newsdesk("feeds", "export", env={**os.environ, **environment}, encoding="utf-8")
    assert 'text="Café"' in opml.stdout  # UTF-8, as the document declares
    refused = run("list", "--source", "Café")  # stderr: `\xe9` where the encoding has no é
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert refused.stderr.startswith("newsdesk: no source named 'Caf")


def test_the_c_locale_prints_utf8_as_python_writes_it_there(cache: Path) -> None:
    # README said `LC_ALL=C` escapes JSON and shows `?`: Python writes UTF-8 in the C and
    # POSIX locales (PEP 538, 540), so the titles come out whole, JSON included.
    told = ("LANG", "PYTHONUTF8", "PYTHONIOENCODING")
    environment = {k: v for k, v in os.environ.items() if k not in told and k[:3] != "LC_"}
    for locale in ({"LC_ALL": "C"}, {"LANG": "POSIX"}):
        options = {"env": {**environment, **locale}, "encoding": "utf-8"}
        assert "Café Müller — 東京" in newsdesk("list", **options).stdout
        assert '"Café Müller — 東京"' in newsdesk("list", "--json", **options).stdout


# -- queries that mean nothing -------------------------------------------------------------------


@pytest.mark.parametrize("query", ['"', "-", "OR -", "source:", "*", "-is:hidden"])
def test_a_query_with_nothing_to_find_is_refused_as_an_empty_one(
    cache: Path, tmp_path: Path, query: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Each listed every article, with exit status 0, while `search ''` was refused.
    refusal = f"newsdesk: {query!r} has nothing to search for or filter by\n"
    export = ["export", query, "--format", "md", "--output", str(tmp_path / "md")]
    for argv in (["search", query], ["search", "--json", query], export):
        assert main(argv) == 2, argv
        assert capsys.readouterr() == ("", refusal), argv
    store = Store.open(cache / "newsdesk.db")
    try:
        result = store.search(query)
        assert result.hits == [] and result.notices[-1] == "nothing to search for or filter by"
        assert store.search_count(query) == store.search_count(query, unread_only=True) == 0
        assert store.search_count(query, unread_only=True, stories=True) == 0
    finally:
        store.close()
    config = cache.parent / "config" / "feeds.toml"
    config.write_text(f"[[searches]]\nname = \"All\"\nquery = '{query}'\n", encoding="utf-8")
    assert main(["list", "--search", "All"]) == 2
    unfit = f"{query!r} has nothing to search for or filter by"
    told = f"newsdesk: {config}:3: searches[1].query: {unfit} (saved search skipped)\n"
    assert capsys.readouterr().err == told + f"newsdesk: no saved search named 'All' in {config}\n"


def test_an_operator_alone_is_searched_as_the_word(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `newsdesk search OR` was refused as a query with nothing to search for (exit 2): with
    # no operand it is no operator, and whoever typed the word looks for it.
    store = Store.open(cache / "newsdesk.db")
    try:
        source = store.ensure_source("Plays", SourceKind.WEB, "https://plays.example/feed")
        hamlet = Article(title="To be, or not to be", body="And that is the question.", guid="h")
        store.record_refresh(source, [hamlet], FetchOutcome())
    finally:
        store.close()
    for query in ("OR", "NOT", "AND", "NOT OR"):
        assert main(["search", "--json", query]) == 0, query
        out, err = capsys.readouterr()
        assert [hit["title"] for hit in json.loads(out)] == [hamlet.title] and err == ""
    assert main(["search", "--json", "NOT or"]) == 0  # with its word, NOT is NOT
    assert hamlet.title not in capsys.readouterr().out


# -- long titles ---------------------------------------------------------------------------------


def test_a_long_title_fits_the_terminal_and_is_capped_in_a_pipe(cache: Path) -> None:
    # A feed's 10 KB title printed a 10,290-character line.
    store = Store.open(cache / "newsdesk.db")
    sid = store.ensure_source("Notes", SourceKind.LOCAL, "notes")
    long_ones = [Article(title="Long title " * 1000, body="", guid="long")]
    long_ones.append(Article(title="東京ニュース" * 500, body="", guid="cjk"))
    store.record_refresh(sid, long_ones, FetchOutcome())
    store.close()

    piped = newsdesk("list").stdout.splitlines()  # a script: whole lines, but not 10 KB ones
    titles = [line[TITLE_AT:] for line in piped]
    assert "Plain" in titles and "Café Müller — 東京" in titles
    cut = [title for title in titles if title.endswith("…")]
    assert [title[:4] for title in cut] == ["東京ニュ", "Long"]
    assert all(495 <= terminal_cells(title) <= 500 for title in cut)

    status, shown = on_a_terminal("list", width=100)
    lines = shown.splitlines()
    assert status == 0 and len(lines) == 4
    assert all(terminal_cells(line) <= 100 for line in lines)
    titles = [line[TITLE_AT:] for line in lines]
    assert [title[:4] for title in titles] == ["東京ニュ", "Long", "Plai", "Café"]
    assert titles[0].endswith("…") and titles[1].endswith("…")
    assert titles[2:] == ["Plain", "Café Müller — 東京"]
