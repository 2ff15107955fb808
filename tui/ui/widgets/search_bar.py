"""The search bar: `/` searches everything, `f` filters the current view, as you type.

Each keystroke starts an exclusive worker (the previous search is cancelled); results are
posted to the screen, which shows them in place of the list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label

from tui.store import SearchResult, Store, View, may_hold_cjk
from tui.text import clean_line
from tui.ui.data import Data
from tui.ui.paging import NextPage, Searched, next_page
from tui.ui.widgets.typed_input import TypedInput
from tui.ui.workers import background

Mode = Literal["search", "filter"]
RESULT_LIMIT = 100
"""Hits per page: the first answers each keystroke, the next load as the list scrolls on."""
PLACEHOLDER = 'words, "a phrase", -without, source:NAME, tag:NAME, is:unread, since:7d'


_WORD_END = re.compile(r"(?:^|\s)([^\W_]+)$")
_OPERATORS = {"OR", "AND", "NOT", "NEAR"}


def as_you_type(query: str, *, finished: bool = False) -> str:
    """The query with its last, unfinished word as a prefix (`budg` finds "budget"); a single
    letter waits for the next one (`police t` searches `police`, `t` alone nothing yet).
    `finished` (Enter): a single letter is the word it is (`vitamin d`, `formula 1`).

    Only for a plain alphabetic or numeric word in a Latin-like script: filters (`tag:x`),
    phrases, operators and CJK text (a lone character is already a prefix) are left alone.
    """
    match = _WORD_END.search(query)
    if not match or match.group(1) in _OPERATORS or may_hold_cjk(match.group(1)):
        return query
    before = query[: match.start(1)].rstrip()
    if len(match.group(1)) == 1 and finished:
        return query
    if len(match.group(1)) == 1 and (not before or before.split()[-1] not in _OPERATORS):
        # One letter starts most words in the index, and the index keeps no one-letter
        # prefixes: FTS5 merges every such word's matches (`police t*`: ~130 ms at 100,000
        # articles; `s*` alone 0.2 s there, 0.8-1.7 s at 1,000,000, and the next key's search
        # waits behind it). Until the next key the words before it decide the results.
        return before
    return query + "*"


class SearchInput(TypedInput):
    """The query's input: its Enter (the input's own, which it replaces) has an id, so that
    `?` lists it and `[keys]` moves it: remapped, Enter no longer goes to the results."""

    BINDINGS = [Binding("enter", "submit", "Go to the results", id="search.submit", show=False)]


class SearchBar(Vertical):
    """A one-line query input with its mode label (and the search's notices over it when
    there are several)."""

    BINDINGS = [Binding("escape", "cancel", "Close search", id="search.cancel")]

    @dataclass
    class Results(Message):
        """Results for `query` (`result` is None for an empty query: show the plain list)."""

        query: str
        result: SearchResult | None
        mode: Mode
        more: NextPage | None = None
        """Fetches the hits after the first page (None: the page holds them all)."""
        found_by: Searched | None = None
        """The query searched (the scope's and the typed one's) and the view searched in."""

    @dataclass
    class Submitted(Message):
        """Enter: keep the results and move to the list."""

        query: str

    @dataclass
    class Cancelled(Message):
        """Escape: drop the results and restore the previous view."""

    def __init__(self, db: Data, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.db = db
        self.mode: Mode = "search"
        self.view: View | None = None
        self.base = ""
        self.stories = False

    def compose(self) -> ComposeResult:
        yield Label(id="search-notes", markup=False)
        with Horizontal(id="search-row"):
            yield Label("Search:", id="search-label", markup=False)  # "Filter NAME:"
            yield SearchInput(placeholder=PLACEHOLDER, id="search-input")
            yield Label(id="search-notice", markup=False)

    def explain(self, notices: Sequence[str]) -> None:
        """Show (or clear) what the search says of the query (words searched as typed...):
        one notice beside the query; several a line each over it, where a second one had
        been cut off the end of the first."""
        lines = [clean_line(notice) for notice in notices]
        beside = lines[0] if len(lines) == 1 else ""
        over = "\n".join(lines) if len(lines) > 1 else ""
        label, notes = (
            self.query_one("#search-notice", Label),
            self.query_one("#search-notes", Label),
        )
        if str(label.content) != beside:  # a new width: the bar is laid out again
            label.update(beside)
        if str(notes.content) != over:  # new lines: the bar takes their height
            notes.update(over)
            notes.display = bool(over)

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    def start(
        self,
        mode: Mode,
        view: View | None,
        label: str,
        query: str = "",
        *,
        base: str = "",
        stories: bool = False,
    ) -> None:
        """Open the bar in `mode`, pre-filled with `query`.

        A filter searches within `view`, or adds its words to `base` (a saved search's query).
        With `stories`, a hit is read as its story's row is (the list shows stories).
        """
        self.mode, self.view, self.base, self.stories = mode, view, base, stories
        self.query_one("#search-label", Label).update(label)
        with self.input.prevent(Input.Changed):  # searched once below, even if unchanged
            self.input.value = query
        if query:  # a reopened search shows its results, as they were when it was left
            self.run_search(query, finished=True)
        self.screen.set_focus(self.input)  # at once: the next key typed belongs to the bar
        if query:
            self.input.select_all()

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.run_search(event.value)

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if as_you_type(event.value, finished=True) != as_you_type(event.value):
            self.run_search(event.value, finished=True)  # a last letter waited: not any more
        self.post_message(self.Submitted(event.value))

    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "search")
        self.post_message(self.Cancelled())

    @background(exclusive=True, group="search")
    async def run_search(self, query: str, *, finished: bool = False) -> None:
        """Search in the database thread; a newer keystroke cancels this one (and stops its
        SQLite work: the next key's search does not wait behind it). `finished`: see
        `as_you_type`."""
        mode, typed = self.mode, as_you_type(query, finished=finished)
        if not typed.strip():  # an empty box, or one letter: the articles under the search
            self.post_message(self.Results(query, None, mode))
            return
        full = f"{self.base} {typed}" if self.base else typed
        result = await self.db.call_or_stop(
            Store.search, full, limit=RESULT_LIMIT, view=self.view, stories=self.stories
        )
        more = next_page(full, result.hits, RESULT_LIMIT, self.view, self.stories)
        self.post_message(self.Results(query, result, mode, more, Searched(full, self.view)))
