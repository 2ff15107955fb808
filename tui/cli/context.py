"""What every command shares: the context (paths, config, store), the usage error, exit
statuses and the one-line formatting of an article row."""

from __future__ import annotations

import codecs
import functools
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from tui.cells import ellipsized, pad_to_cells, terminal_cells
from tui.local_time import day_text
from tui.models import ArticleRow
from tui.paths import Paths
from tui.store import Store

if TYPE_CHECKING:
    from pathlib import Path

    from tui.config import Config

OK = 0
FAILED = 1
USAGE_ERROR = 2
BROKEN_PIPE = 141
LIMIT = 50
"""Rows `list` and `search` print unless `--limit` says otherwise."""
CUT_COUNT_CAP = 10_000
"""Matches counted at most (or ten times the limit) to say how many a limit left out: a
common word's every match is not read for it."""
TITLE_CAP = 500
"""Cells of a title in a row's line when stdout is no terminal: a script gets whole lines,
but a feed's 10 KB title is no title to print whole."""


class UsageError(Exception):
    """A mistake in what the user asked for: printed as one line, exit status 2."""


class Failed(Exception):
    """What was asked for is right but could not be done (nothing to export): printed as one
    line, exit status 1."""


class Context:
    """What a command needs: the paths, the config (loaded on demand) and the store."""

    def __init__(self, paths: Paths, starter: str | None = None) -> None:
        self.paths = paths
        self.starter = starter
        """What writing the starter config said (the TUI says it again inside)."""
        self._store: Store | None = None

    def config(self) -> Config:
        from tui.config_memo import load_config_memo  # only for the commands that read it

        return load_config_memo(self.paths.config, self.paths.cache)

    def store(self) -> Store:
        if self._store is None:
            waiting = _say_waiting if sys.stderr.isatty() else None  # a script: the error
            self._store = Store.open(
                self.paths.database, on_upgrade=_announce_upgrade, on_wait=waiting
            )
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


Handler = Callable[[Context, Any], int]


def _say_waiting() -> None:
    """A write waits for another newsdesk's: said, so the terminal does not look stuck."""
    say("newsdesk: waiting for the cache (another newsdesk is writing)…")


def _announce_upgrade(articles: int) -> None:
    """An older cache is about to be migrated: it can take a while, so say how long first."""
    from tui.text import plural  # the sanitizer's module: not needed by a reading command

    print(
        f"newsdesk: upgrading the cache ({plural(articles, 'article')}) for this version, "
        f"once; this can take {_how_long(articles)}; older versions cannot open it afterwards",
        file=sys.stderr,
    )


def _how_long(articles: int) -> str:
    """How long an upgrade may take: most of it builds the search index again (migration
    23), ~10 s per 100,000 articles (docs/performance.md)."""
    if articles < 100_000:
        return "a few seconds"
    if articles < 500_000:
        return "up to a minute"
    return "a minute or two" if articles < 1_500_000 else "several minutes"


def no_sources(context: Context) -> str | None:
    """What `sources` and `list` say, on stderr (a script reading stdout still gets nothing,
    `[]` with `--json`), where the cache has no source: how to add one, or that a refresh
    brings those the config names. None where the config cannot be read (said by who
    reads it), or is a mistyped path `main` has told of."""
    from tui.config import ConfigError
    from tui.paths import BESIDE_CONFIG

    paths = context.paths
    if paths.cache_origin == BESIDE_CONFIG and paths.missing_config():
        return None
    try:
        config = context.config()
    except ConfigError:
        return None
    if config.sources or config.sync is not None:
        return f"no sources in the cache yet: `newsdesk refresh` fetches those of {config.path}"
    return (
        f"no sources in {config.path}: `newsdesk feeds add URL` adds a web feed, "
        "`newsdesk import PATH` local files"
    )


IDS_NAMED = 5
"""Unknown ids a refusal names; the rest are counted (5,000 would make one huge line)."""


def check_ids(store: Store, ids: Sequence[int]) -> None:
    """Refuse ids that name no cached article, in one line: the first few, and how many more."""
    missing = sorted(set(ids) - store.existing_ids(ids))
    if missing:
        named = ", ".join(map(str, missing[:IDS_NAMED]))
        more = len(missing) - IDS_NAMED
        raise UsageError(
            f"no article with id {named}" + (f" and {more:,} more" if more > 0 else "")
        )


def check_query(query: str) -> None:
    """Refuse, as an empty one is, a query with nothing left to search for or filter by once
    read (`"`, `-`, `NOT`, `source:`, `*`): it finds nothing, and a script should hear why."""
    from tui.store.query import nothing_to_find  # loaded by the search anyway

    if unfit := nothing_to_find(query):
        raise UsageError(unfit)


def check_folder(path: Path, flag: str) -> None:
    """Refuse a file to write (`flag`: how it was given) whose folder is not there: made
    silently, a mistyped `nope/x/y.html` would leave a tree of folders where no one looks."""
    from tui.text import path_text  # not for `search`, which loads no more than it needs

    folder = path.parent
    if not folder.is_dir():
        what = "is no folder" if folder.exists() else "does not exist"
        raise UsageError(f"{path_text(folder)} {what} ({flag}); create it first")


def warn(message: str) -> None:
    """One line on stderr, prefixed like every other message of the command."""
    say(f"newsdesk: {message}")


def say(text: str) -> None:
    """Text for the user on stderr (messages, progress, notices), each line cleaned of
    control sequences: paths and names typed on the command line are in it. Once nobody
    reads stderr (`newsdesk refresh 2>&1 | head -1`), the command goes on without it."""
    from tui.text import clean_line  # the sanitizer's module: loaded with the first message

    lines = "\n".join(clean_line(line) for line in text.splitlines())
    try:
        print(lines, file=sys.stderr, flush=True)
    except BrokenPipeError:
        silence(sys.stderr)


def out(text: str = "", *, end: str = "\n") -> None:
    """One line for stdout, its unsafe characters and line breaks written as escapes
    (`visible`): the paths, names and words of files and servers a command reports. (Text
    read back from the store was cleaned on its way in: `print_rows` and `show` print it as
    it is.)"""
    from tui.text import visible  # the sanitizer's module: not loaded by a reading command

    print(visible(text), end=end)


def silence(stream: TextIO) -> None:
    """Point `stream` at /dev/null: its reader has gone, and neither a later write nor the
    interpreter's last flush may fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, stream.fileno())
    os.close(devnull)


_FAILING = ("strict", "surrogateescape")


def tolerate_encoding() -> None:
    """What stdout's or stderr's encoding cannot show (`PYTHONIOENCODING=ascii`, the C locale
    with `PYTHONUTF8=0`: an accent, a CJK title) is printed as `?`, never a traceback halfway
    through a list."""
    for stream in (sys.stdout, sys.stderr):
        # `surrogateescape`, the C locale's, fails on any character but a lone surrogate
        if getattr(stream, "errors", None) in _FAILING and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def utf8_stdout() -> bool:
    """Whether stdout takes any text as it is (else JSON escapes what is not ASCII)."""
    return codecs.lookup(_stdout_encoding()).name == "utf-8"


def _stdout_encoding() -> str:
    return getattr(sys.stdout, "encoding", None) or "ascii"


def say_cut(
    shown: int,
    limit: int,
    matched: Callable[[int], int],
    *,
    count: bool = True,
    cap: int = CUT_COUNT_CAP,
    done: str = "shown",
) -> None:
    """One line on stderr when `limit` cut the output (`50 of 1,005 shown: --limit N for
    more`, `done` saying what became of the rows), so neither a reader nor a script takes
    the rows for all that match; `matched` counts them, up to `cap` or ten times the limit
    (that many meaning as many or more). A search's matches are not counted (`count` false:
    `50 shown, more match: ...`): counting a common word's thousands took longer than the
    search (~14 ms of a 31 ms `newsdesk search`)."""
    if shown < limit:
        return
    cap = max(10 * limit, cap) if count else shown + 1
    total = matched(cap)
    if total <= shown:
        return
    if not count:
        warn(f"{shown:,} {done}, more match: --limit N for more")
        return
    of = f"{cap:,}+" if total >= cap else f"{total:,}"
    warn(f"{shown:,} of {of} {done}: --limit N for more")


def print_json(objects: Any) -> None:
    """JSON on stdout, whole and valid in any encoding: `\\uXXXX` escapes for what is not
    ASCII unless stdout is UTF-8 (the same data to any JSON reader)."""
    import json  # only for --json

    print(json.dumps(objects, ensure_ascii=not utf8_stdout(), indent=2))


def print_rows(rows: Iterable[ArticleRow], as_json: bool) -> None:
    """Rows as a JSON array (the `--json` contract) or one `format_row` line each."""
    if as_json:
        print_json([row.to_json() for row in rows])
        return
    for row in rows:
        print(format_row(row))


def format_row(row: ArticleRow, after: str = "") -> str:
    """One line of `list`: id, flags, date (`undated` when the article states none: the
    time it was first seen is no date of its own), source and title, then `after`. On a
    terminal the title is cut (`…`) so that the line fits its width; otherwise at
    `TITLE_CAP` cells."""
    flags = ("S" if row.saved else " ") + (" " if row.read else "N")
    when = row.published if row.dated else None  # in local time, as `show` and the TUI
    date = day_text(when) if when else "undated   "
    source = pad_to_cells(ellipsized(printed(row.source), 20), 20)  # CJK: two cells each
    head = f"{row.id:>7} {flags} {date}  {source}  "
    room = TITLE_CAP
    if width := _terminal_width():
        room = max(width - terminal_cells(head) - terminal_cells(after), _TITLE_LEAST)
    return head + ellipsized(printed(row.title), room) + after


def terminal_line(line: str) -> str:
    """`line` as printed: cut with `…` to the terminal's width when stdout is one (a search's
    snippet), whole for a script."""
    line = printed(line)
    width = _terminal_width()
    return ellipsized(line, width) if width else line


def printed(text: str) -> str:
    """`text` as stdout shows it, so that columns are padded and lines cut by what is printed:
    composed (NFC: `e` and a combining accent are the `é` latin-1 has), with `?` for what a
    stdout that is not UTF-8 has no character for (a CJK character: one cell, not two)."""
    if text.isascii() or utf8_stdout():
        return text
    from unicodedata import normalize

    encoding = _stdout_encoding()
    return normalize("NFC", text).encode(encoding, "replace").decode(encoding)


_TITLE_LEAST = 10
"""Cells a title keeps on a terminal too narrow for the columns before it (the line wraps)."""


@functools.cache
def _terminal_width() -> int | None:
    """The width of the terminal stdout is, or None when it is none (a pipe, a file)."""
    return columns() if sys.stdout.isatty() else None


def columns() -> int:
    """The terminal's width, as `shutil.get_terminal_size` finds it (`$COLUMNS` first),
    without importing `shutil`."""
    given = os.environ.get("COLUMNS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    try:
        return os.get_terminal_size().columns or 80
    except (ValueError, OSError):
        return 80
