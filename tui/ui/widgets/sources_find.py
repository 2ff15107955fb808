"""Type-ahead in the sources pane, as file managers and mutt-likes have it: `'` starts it,
then each character typed moves the cursor to the first entry after the one it started on
whose name starts with the text typed (case and accents aside: `tur` finds "Türkiye"), or,
when none does, holds it. While it lasts every printable key is text, bound or not (`q`
does not quit: ctrl+q does). `down`/`up` (or ctrl+n/ctrl+p) go to the next or previous
entry found, Backspace takes a character back, Enter shows the entry, Esc goes back to
where the cursor was; any other key ends it and does what it does.

The names are folded once, when it starts (20,000 sources: a few milliseconds a key)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tui.names import folded
from tui.ui.scopes import ScopeKind
from tui.ui.source_lines import Entry, Line

FIND_KEY = "apostrophe"
"""The key that starts type-ahead: free in every pane (letters are article and pane keys)."""
NEXT_KEYS = {"down": 1, "ctrl+n": 1, "up": -1, "ctrl+p": -1}
"""The keys that go on to the next (or previous) entry the text finds, and which way."""


@dataclass
class Finder:
    """The text typed so far and where the cursor was when it started."""

    names: Sequence[tuple[str, str] | None]
    """Each line's name as the pane shows it (`#tech`, `All`) and as it is (`tech`), folded;
    None for a section heading."""
    origin: int | None
    text: str = ""

    @classmethod
    def over(cls, lines: Sequence[Line], cursor: int | None, text: str = "") -> Finder:
        """Type-ahead over `lines` from the line `cursor` (with `text` typed: lines read
        again while it lasts)."""
        return cls([_names(line) for line in lines], cursor, text)

    def typed(self, text: str) -> int | None:
        """Take `text` as typed: the line it finds from where the search started (the
        origin itself at last), or the origin for no text; None when nothing matches."""
        self.text = text
        if not text:
            return self.origin
        return self.found_from(self.origin, 1)

    def found_from(self, at: int | None, step: int) -> int | None:
        """The next line (going by `step` from `at`, round the end) the text finds: one whose
        name starts with it, else one holding it."""
        wanted, order = folded(self.text), round_from(at, step, len(self.names))
        for test in (str.startswith, str.__contains__):
            for index in order:
                names = self.names[index]
                if names is not None and any(test(name, wanted) for name in names):
                    return index
        return None

    def prompt(self, found: bool) -> str:
        """What the pane's border says while it lasts."""
        return f"find: {self.text}" + ("" if found or not self.text else " (no match)")


def round_from(at: int | None, step: int, count: int) -> list[int]:
    """The indexes of `count` lines going by `step` from `at` (the first line's for None),
    round the end and back to `at`."""
    start = (-1 if step > 0 else count) if at is None else at
    return [(start + step * n) % count for n in range(1, count + 1)]


def _names(line: Line) -> tuple[str, str] | None:
    if not isinstance(line, Entry):
        return None
    scope = line.scope
    shown = scope.name if scope.kind is ScopeKind.SEARCH else scope.label
    return folded(shown), folded(scope.name)
