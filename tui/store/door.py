"""The Store's story and marking methods, made from functions of a connection:
`on_conn(module.x)` calls `module.x(connection, ...)` on the calling thread's connection,
with `sqlite3` errors translated as every door method's are."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Concatenate, ParamSpec, Protocol, TypeVar

import tui.store.marking as marking
import tui.store.stories as stories
from tui.store.errors import translate

P = ParamSpec("P")
R = TypeVar("R")


class Connected(Protocol):
    """What a door method needs of the store: the thread's connection and the file."""

    path: Path

    @property
    def _conn(self) -> sqlite3.Connection: ...


def on_conn(
    func: Callable[Concatenate[sqlite3.Connection, P], R],
) -> Callable[Concatenate[Connected, P], R]:
    """A door method calling `func` with the store's connection (its docstring is `func`'s)."""

    @functools.wraps(func)
    def method(self: Connected, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(self._conn, *args, **kwargs)
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc

    return method


class StoryDoor:
    """The story methods of `Store` (detection is `tui.stories`; each function's docstring
    says what it does)."""

    story_order = on_conn(stories.in_date_order)
    story_texts = on_conn(stories.texts)
    story_keys = on_conn(stories.written_keys)
    story_window = on_conn(stories.first_in_window)
    story_candidates = on_conn(stories.candidates)
    story_backlog = on_conn(stories.backlog)
    set_stories = on_conn(stories.set_stories)
    set_story_read = on_conn(stories.set_read)
    mark_stories_read = on_conn(stories.mark_read)
    unread_grouped_away = on_conn(stories.unread_grouped_away)
    stories_unread = on_conn(stories.unread_among)
    story_others = on_conn(stories.also)


class MarkDoor:
    """The Store's methods of `M` on a search's results and its undo (`tui.store.marking`)."""

    unread_matches = on_conn(marking.unread_matches)
    unmark_read = on_conn(marking.unmark_read)
