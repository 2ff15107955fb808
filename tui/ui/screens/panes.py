"""The main screen's panes: which one is current, and how the terminal's width lays them out.

At 160 columns or more the sources, list and reader sit side by side; from 100 the list sits
above the reader; below 100 one pane fills the screen at a time. `Panes` is the state (no
Textual in it); the screen applies its `classes()` in one go (see newsdesk.tcss), marks the
boxes holding the current pane (`BOXES`) and moves the focus. A class on the screen restyles
every widget (~60 ms): it changes with the width only, while a move between panes restyles
the two panes concerned; the search bar is shown by its own `display`. The pane keys are
declared here, beside the state they change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual.binding import Binding
from textual.widget import Widget

Pane = Literal["sources", "list", "reader"]
PANES: tuple[Pane, ...] = ("sources", "list", "reader")
PANE_BOXES: dict[Pane, str] = {"sources": "sources", "list": "list-pane", "reader": "reader"}
"""The id of the box each pane is drawn in; the box `content` holds the list's and the reader's."""
BOXES = (*PANE_BOXES.values(), "content")
"""The boxes that have the class `-current` while they hold the current pane."""
NARROW_BELOW = 100
"""Below this many columns the panes are shown one at a time."""
SIDE_BY_SIDE_FROM = 160
"""From this many columns list and reader sit side by side; below, the list is above."""

PANE_BINDINGS = [
    Binding("tab", "next_pane", "Next pane", id="pane.next", show=False),
    Binding("shift+tab", "previous_pane", "Previous pane", id="pane.previous", show=False),
    Binding("l", "pane_right", "Pane right", id="pane.right", show=False),
    Binding("h", "pane_left", "Pane left", id="pane.left", show=False),
    Binding("escape", "back", "Back", id="pane.back"),
    Binding("exclamation_mark", "next_failed", "Next failing source", id="pane.failed",
            show=False),
]  # fmt: skip


def pane_named(name: str) -> Pane:
    """The pane called `name` (the list for anything else)."""
    return next((pane for pane in PANES if pane == name), "list")


@dataclass
class Panes:
    """The current pane and the layout for the width."""

    pane: Pane = "list"
    narrow: bool = False
    stacked: bool = False

    def fit(self, width: int) -> None:
        """Pick the layout for a terminal `width` columns wide."""
        self.narrow = width < NARROW_BELOW
        self.stacked = NARROW_BELOW <= width < SIDE_BY_SIDE_FROM

    def classes(self) -> set[str]:
        """The screen's classes for this state."""
        flags = (("-narrow", self.narrow), ("-stacked", self.stacked))
        return {name for name, on in flags if on}

    def holds_current(self, box: str) -> bool:
        """Whether the box with id `box` holds the current pane."""
        return box == PANE_BOXES[self.pane] or (box == "content" and self.pane != "sources")

    def box_classes(self, box: str) -> str:
        """The classes a box is made with."""
        return "-current" if self.holds_current(box) else ""

    def step(self, step: int, *, wrap: bool) -> Pane:
        """The pane `step` places from the current one (wrapping around, or stopping)."""
        index = PANES.index(self.pane) + step
        if wrap:
            index %= len(PANES)
        return PANES[max(0, min(index, len(PANES) - 1))]

    @property
    def on_articles(self) -> bool:
        """Whether the list or the reader is in front: the article keys act there, and not
        in the sources pane at any width (the article they would take is the list's row,
        off screen on a narrow terminal and not the highlighted entry on a wide one)."""
        return self.pane != "sources"


def mark_current(screen: Widget, panes: Panes) -> None:
    """`-current` on the boxes holding the current pane, restyling the boxes it moves between
    and nothing inside them: only a box's own rules name the class (its border and title; on
    a narrow screen, whether it shows), and Textual would restyle every widget in it (the
    reader's dozen, the list and its scrollbar) at each Tab."""
    for name in BOXES:
        box, current = screen.get_widget_by_id(name), panes.holds_current(name)
        if box.has_class("-current") != current:
            box.set_class(current, "-current", update=False)
            screen.app.stylesheet.update_nodes([box], animate=True)
