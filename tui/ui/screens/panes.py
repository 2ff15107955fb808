"""The base of the main screen: its widgets, the layout for the terminal width, and panes.

At 160 columns or more the sources, list and reader sit side by side; from 100 the list sits
above the reader; below 100 one pane fills the screen at a time. The layout is a set of
classes on the screen (see newsdesk.tcss), applied in one go.
"""

from __future__ import annotations

from typing import Literal

from textual import on
from textual.binding import Binding
from textual.events import DescendantFocus, Resize
from textual.screen import Screen
from textual.widget import Widget

from tui.config import Config
from tui.store import Store
from tui.ui.data import Data
from tui.ui.refresher import Refresher
from tui.ui.widgets.article_list import ArticleList
from tui.ui.widgets.reader import Reader
from tui.ui.widgets.search_bar import SearchBar
from tui.ui.widgets.sources import SourcesPane
from tui.ui.widgets.status import Status

Pane = Literal["sources", "list", "reader"]
PANES: tuple[Pane, ...] = ("sources", "list", "reader")
NARROW_BELOW = 100
"""Below this many columns the panes are shown one at a time."""
SIDE_BY_SIDE_FROM = 160
"""From this many columns list and reader sit side by side; below, the list is above."""


class PanedScreen(Screen[None], inherit_bindings=False):
    """Widgets, layout classes, the current pane and the header's subtitle."""

    PANE_BINDINGS = [
        Binding("tab", "next_pane", "Next pane", id="pane.next", show=False),
        Binding("shift+tab", "previous_pane", "Previous pane", id="pane.previous", show=False),
        Binding("l", "pane_right", "Pane right", id="pane.right", show=False),
        Binding("h", "pane_left", "Pane left", id="pane.left", show=False),
        Binding("escape", "back", "Back", id="pane.back"),
    ]

    def __init__(self, config: Config, store: Store, db: Data) -> None:
        super().__init__()
        self.config, self.store, self.db = config, store, db
        self.pane: Pane = "list"
        self.narrow = self.stacked = False
        self.layout_classes: set[str] = set()
        """Classes besides the layout's that the screen carries (e.g. `-searching`)."""
        self.dirty = False
        """Something worth remembering across restarts changed."""

    # -- widgets -------------------------------------------------------------------------

    @property
    def sources(self) -> SourcesPane:
        return self.query_one("#sources", SourcesPane)

    @property
    def articles(self) -> ArticleList:
        return self.query_one("#articles", ArticleList)

    @property
    def reader(self) -> Reader:
        return self.query_one("#reader", Reader)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one("#search-bar", SearchBar)

    @property
    def status(self) -> Status:
        return self.query_one("#status", Status)

    @property
    def refresher(self) -> Refresher:
        return self.query_one(Refresher)

    # -- layout --------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self.set_layout(event.size.width)

    def set_layout(self, width: int) -> None:
        """Pick the layout for a terminal `width` columns wide."""
        self.narrow = width < NARROW_BELOW
        self.stacked = NARROW_BELOW <= width < SIDE_BY_SIDE_FROM
        self.show_pane()

    def show_pane(self) -> None:
        """Apply the layout classes in one go (each class change restyles the whole screen)."""
        classes = set(self.layout_classes) | {f"-pane-{self.pane}"}
        classes |= {
            name for name, on in (("-narrow", self.narrow), ("-stacked", self.stacked)) if on
        }
        if classes != set(self.classes):
            self.set_classes(classes)
        self.sub_title = self.title_text()
        self.refresh_bindings()

    def title_text(self) -> str:
        """The header's subtitle: where the user is."""
        return ""

    def articles_visible(self) -> bool:
        """Whether the article list or reader is on screen (not a narrow sources pane)."""
        return not (self.narrow and self.pane == "sources")

    # -- panes ---------------------------------------------------------------------------

    def pane_widget(self, pane: Pane) -> Widget:
        """The widget that takes the focus in `pane`."""
        widgets: dict[Pane, Widget] = {
            "sources": self.sources,
            "list": self.articles,
            "reader": self.reader,
        }
        return widgets[pane]

    def focus_pane(self, pane: Pane) -> None:
        """Make `pane` the current one (the only one shown on a narrow terminal)."""
        self.pane = pane
        self.show_pane()
        self.set_focus(self.pane_widget(pane))  # at once, so the next key goes there
        self.dirty = True

    @on(DescendantFocus)
    def _focused(self, event: DescendantFocus) -> None:
        """A click (or Tab) moved the focus: follow it."""
        owners: dict[Pane, Widget] = {
            "sources": self.sources,
            "list": self.query_one("#list-pane"),
            "reader": self.reader,
        }
        for pane, owner in owners.items():
            if event.widget is owner or owner in event.widget.ancestors:
                if pane != self.pane:
                    self.pane = pane
                    self.show_pane()
                return

    def _step_pane(self, step: int, wrap: bool) -> None:
        index = PANES.index(self.pane) + step
        if wrap:
            index %= len(PANES)
        self.focus_pane(PANES[max(0, min(index, len(PANES) - 1))])

    def action_next_pane(self) -> None:
        self._step_pane(1, wrap=True)

    def action_previous_pane(self) -> None:
        self._step_pane(-1, wrap=True)

    def action_pane_right(self) -> None:
        self._step_pane(1, wrap=False)

    def action_pane_left(self) -> None:
        self._step_pane(-1, wrap=False)

    def action_back(self) -> None:
        """Esc: back one pane."""
        self._step_pane(-1, wrap=False)

    def action_go_pane(self, pane: str) -> None:
        self.focus_pane(next((p for p in PANES if p == pane), "list"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.pane != "sources"
        return True
