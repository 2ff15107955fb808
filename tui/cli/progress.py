"""Progress on stderr. `newsdesk refresh` on a terminal: a rich progress bar, or plain lines
when not a TTY (or one that cannot move its cursor, TERM=dumb). `rules apply`: one line
and `export`: one line redrawn, on a terminal only."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING

from tui.cli.context import USAGE_ERROR, out, say, warn
from tui.config import Config
from tui.refresh.run import refresh
from tui.refresh.summary import ProgressEvent, RefreshSummary
from tui.store import Store, StoreError

if TYPE_CHECKING:
    from tui.store.rules import Step

FINISHED = {"ok", "not_modified", "failed", "skipped"}


def run_refresh(config: Config, store: Store, names: Sequence[str] | None) -> int:
    """Refresh, show progress, print the summary; exit 0 if any source worked, 1 if none did
    (each failed, or was skipped: gone, asked to wait, disabled).

    A refresh the user asked for ignores the back-off after errors (`force`), but still
    honours a server's Retry-After.
    """
    bar, finished = sys.stderr.isatty() and not _dumb(), Finished()
    try:
        if bar:
            summary = _with_bar(config, store, names, finished)
        else:
            told = finished.then(_plain_line)
            summary = asyncio.run(refresh(config, store, names, progress=told, force=True))
    except KeyboardInterrupt:  # ctrl+c, `kill`: what is stored stays
        warn(f"interrupted: {finished.line()}")
        raise
    except ValueError as exc:  # an unknown --source name
        warn(str(exc))
        return USAGE_ERROR
    except StoreError:  # nothing was fetched (a read-only cache): no summary tells the config's
        for line in (*config.notes, *config.skipped):  # lines then, so they are told here
            say(line)
        raise
    # A plain line said each source's own warning or skip as it finished; the bar is gone.
    for line in summary.all_notices if bar else summary.notices:
        say(line)
    out(summary.line())
    covered = summary.ok + summary.not_modified + summary.failed + summary.skipped
    return 1 if covered and summary.ok + summary.not_modified == 0 else 0


def _dumb() -> bool:
    """Whether the terminal is one a bar cannot be drawn on: rich draws none there, only a
    blank line at its end, and cuts the lines above it at 80 columns whatever the width."""
    return os.environ.get("TERM", "").lower() in ("dumb", "unknown")


class Finished:
    """How far a refresh got: the sources finished (their outcome stored), of how many."""

    def __init__(self) -> None:
        self.done = self.total = 0

    def then(self, show: Callable[[ProgressEvent], None]) -> Callable[[ProgressEvent], None]:
        """A progress callback counting the sources finished, then showing the event."""

        def counted(event: ProgressEvent) -> None:
            if event.state in FINISHED:
                self.done, self.total = event.done, event.total
            show(event)

        return counted

    def line(self) -> str:
        """What an interrupted refresh did, and what to do about the rest."""
        if not self.done:
            return "no source stored yet; run refresh again"
        return f"{self.done:,} of {self.total:,} sources stored; run refresh again for the rest"


def _plain_line(event: ProgressEvent) -> None:
    if event.state not in FINISHED:
        return
    detail = f" ({event.new:,} new)" if event.new else ""
    message = f": {event.message}" if event.message else ""
    state = event.state.replace("_", " ")
    say(f"[{event.done:,}/{event.total:,}] {event.source}: {state}{detail}{message}")


def _with_bar(
    config: Config, store: Store, names: Sequence[str] | None, finished: Finished
) -> RefreshSummary:
    # rich loads only for a terminal (~25 ms of start-up that plain output does without)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True, highlight=False)
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("refreshing", total=None)

        def show(event: ProgressEvent) -> None:
            bar.update(  # the description column reads markup: "a [/] b" would end the run
                task, completed=event.done, total=event.total, description=_escape(event.source)
            )
            if event.state == "failed":
                bar.console.print(  # wrapped by the terminal, at its width (as `list`'s lines)
                    f"[red]✗[/] {_escape(event.source)}: {_escape(event.message or '')}",
                    soft_wrap=True,
                )

        counted = finished.then(show)
        return asyncio.run(refresh(config, store, names, progress=counted, force=True))


def _escape(text: str) -> str:
    """Source names and server messages are shown literally, never as Rich markup."""
    from rich.markup import escape

    return escape(text)


@contextmanager
def rule_steps() -> Iterator[Step | None]:
    """`rules apply: rule 12/52 …`, redrawn as each rule starts (see `redrawn_line`)."""
    with redrawn_line() as draw:
        if draw is None:
            yield None
            return

        def step(number: int, total: int) -> None:
            draw(f"rules apply: rule {number}/{total} …")

        yield step


class ExportSteps:
    """How far `export` got: `export: 1,643/10,000 articles written …` redrawn on a terminal
    while `drawn` (as each article is read, then written); the count written, for the line
    of an interrupted one."""

    def __init__(self) -> None:
        self.written = 0
        self._draw: Callable[[str], None] | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == "written":
            self.written = done
        if self._draw is not None:
            self._draw(f"export: {done:,}/{total:,} articles {stage} …")

    @contextmanager
    def drawn(self) -> Iterator[None]:
        """The steps drawn meanwhile, their line erased at the end."""
        with redrawn_line() as self._draw:
            yield


@contextmanager
def redrawn_line() -> Iterator[Callable[[str], None] | None]:
    """One line on stderr, drawn over by each step and erased at the end, for the lines
    that follow: a terminal only (a pipe or a log gets None, and no redrawn line)."""
    if not sys.stderr.isatty():
        yield None
        return
    try:
        yield _redraw
    finally:
        _redraw("")


def _redraw(line: str) -> None:
    """The line drawn over the one before (`\\x1b[K` erases the rest of it)."""
    with suppress(OSError, ValueError):  # a closed terminal: the work goes on
        sys.stderr.write(f"\r\x1b[K{line}")
        sys.stderr.flush()
