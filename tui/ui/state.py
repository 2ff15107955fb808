"""What the UI remembers across restarts, stored as one JSON value in the store's ui_state."""

from __future__ import annotations

import json
from contextlib import suppress
from dataclasses import asdict, dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from tui.settings import Settings
from tui.store import CacheLocked, DiskFull, ReadOnlyCache, Store
from tui.ui.screens.panes import PANES

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen

STATE_KEY = "tui.state"
DARK, ANSI_DARK = "textual-dark", "ansi-dark"
FEW_COLOURS = frozenset({"standard", "windows"})
"""Rich's colour systems of a terminal with 16 colours (TERM=xterm, screen, linux)."""


def configured_theme(settings: Settings, color_system: str | None) -> str:
    """The config's theme; unset, the dark one, or on a terminal of 16 colours ansi-dark, in
    the terminal's own palette: textual-dark's colours brought down to 16 make pairs that
    cannot be read (the footer's keys bright red on bright grey, 1:1)."""
    return settings.theme or (ANSI_DARK if color_system in FEW_COLOURS else DARK)


@dataclass(frozen=True)
class UiState:
    """Selection, pane, scroll positions, current scope and the last search."""

    scope: str = "all"
    """The sources pane entry (a `Scope.key`)."""
    article: int | None = None
    """The selected article's id."""
    sort_key: tuple[float, int] | None = None
    """Its keyset position, to find its place again even if it left the view."""
    list_offset: int = 0
    """Screen line of the selection within the list (kept when the list reopens)."""
    opened: int | None = None
    """The article open in the reader."""
    reader_scroll: int = 0
    reader_place: tuple[int, int] | None = None
    """The text on the reader's top row (run, offset): the same place at another width."""
    reader_terms: tuple[str, ...] = ()
    """The search terms highlighted in it."""
    pane: str = "list"
    """The pane in front (with the focus)."""
    search: str = ""
    """The last search query."""
    search_active: bool = False
    """Whether the list showed search results when the app closed."""
    search_article: int | None = None
    """The article the cursor was on among those results."""
    theme: str | None = None
    """A theme picked in the palette, and the config theme it overrode (see `chosen_theme`)."""
    theme_config: str | None = None

    def chosen_theme(self, configured: str) -> str:
        """The palette's choice, unless the config's theme changed since it was made."""
        return self.theme if self.theme and self.theme_config == configured else configured


def load_state(store: Store) -> UiState:
    """The saved state; anything unreadable falls back to the defaults."""
    return state_from(store.get_state(STATE_KEY))


def state_from(raw: str | None) -> UiState:
    """The state a stored value holds; anything unreadable falls back to the defaults."""
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    known = {f.name for f in fields(UiState)}
    values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
    if isinstance(values.get("sort_key"), list) and len(values["sort_key"]) == 2:
        values["sort_key"] = (float(values["sort_key"][0]), int(values["sort_key"][1]))
    else:
        values.pop("sort_key", None)
    place = values.pop("reader_place", None)
    if isinstance(place, list) and len(place) == 2 and all(type(n) is int for n in place):
        values["reader_place"] = tuple(place)
    terms = values.pop("reader_terms", None)
    if isinstance(terms, list) and all(isinstance(term, str) for term in terms):
        values["reader_terms"] = tuple(terms)
    try:
        state = UiState(**values)
    except TypeError:
        return UiState()
    return state if state.pane in PANES else UiState(**{**values, "pane": "list"})


def save_state(store: Store, state: UiState) -> None:
    """Write the state (database thread). A cache that cannot take it now (read-only, a
    full disk, busy) keeps the one before: nothing but the next start's view depends on it,
    and quitting must not fail for it. A broken cache is still told."""
    with suppress(ReadOnlyCache, DiskFull, CacheLocked):
        store.set_state(STATE_KEY, json.dumps(asdict(state)))


class StateWriter:
    """Saves one app's state as it goes and when it closes. Two apps on one cache each save
    as they go: a save on the way leaves alone a state another app wrote since this one's
    last (or since its start), a save on quitting always writes, so the last one closed wins."""

    def __init__(self, stored: str | None) -> None:
        self.stored = stored
        """The value as this app last read or wrote it."""

    def save(self, store: Store, state: UiState, *, closing: bool = False) -> None:
        """Write the state (database thread); as `save_state`, a cache that cannot take it
        now keeps the one before."""
        value = json.dumps(asdict(state))
        with suppress(ReadOnlyCache, DiskFull, CacheLocked):
            if closing:
                store.set_state(STATE_KEY, value)
            elif not store.swap_state(STATE_KEY, self.stored, value):
                return  # another app's state, newer than this one's last
            self.stored = value


def state_of(screen: MainScreen) -> UiState:
    """Everything about the main screen that should survive a restart, as it is now: until
    the start has put the saved state back, that state (with the theme picked since)."""
    app = screen.app
    configured = configured_theme(screen.config.settings, app.console.color_system)
    theme = app.theme if app.theme != configured else None
    if not screen.starting.restored:
        return replace(screen.state, theme=theme, theme_config=configured if theme else None)
    view, articles, reader = screen.views.state, screen.articles, screen.reader
    current = articles.current
    selection = (current.id, current.sort_key) if current else None
    offset = articles.cursor_offset
    if view.mode:  # remember the view under the search, and the search
        selection, offset = view.before, view.before_offset
    hit = current.id if current and articles.rows.searched else None
    if view.land_on is not None:  # results on their way: the hit the cursor goes to
        hit = view.land_on
    return UiState(
        scope=view.scope.key,
        article=selection[0] if selection else None,
        sort_key=selection[1] if selection else None,
        list_offset=max(0, offset),
        opened=reader.article.row.id if reader.article else None,
        reader_scroll=reader.scroll_line,
        reader_place=reader.place,
        reader_terms=reader.terms if reader.article else (),
        pane=screen.panes.pane,
        search=view.query,
        search_active=view.mode == "search",
        search_article=hit if view.mode == "search" else None,
        theme=theme,
        theme_config=configured if theme else None,
    )
