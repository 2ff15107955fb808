"""NewsdeskApp and `make_app`, the one factory the command line and the tests use.

The app stays small: it applies the keymap and the theme, pushes the main screen (which does
the work), and owns the help screen, the palette, a source's whole error (`i`) and quitting.
"""

from __future__ import annotations

import asyncio
import difflib
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import suppress
from datetime import datetime

from textual import events, on
from textual._styles_cache import StylesCache
from textual.app import App, InvalidThemeError
from textual.binding import Binding
from textual.notifications import Notification, Notify, SeverityLevel
from textual.screen import ModalScreen
from textual.theme import BUILTIN_THEMES
from textual.widgets._toast import ToastRack

from tui.config import Config, ConfigError
from tui.signals import ENDING, ENDING_GRACE, end_within, status_for
from tui.sources import stops
from tui.store import Store
from tui.text import visible
from tui.ui import images, terminal
from tui.ui.commands import Keyless, NewsdeskCommands, Palette
from tui.ui.data import Data
from tui.ui.feeds import FeedCommands
from tui.ui.format import count_cells_like_terminals, small_toast
from tui.ui.keys import HelpSection, checked_keymap, renamed_notes, section
from tui.ui.screens.action_keys import ACTION_BINDINGS
from tui.ui.screens.dialogs import SMALL_BELOW, ConfirmDialog, LinkPicker, NoteDialog, PromptDialog
from tui.ui.screens.help import HelpScreen, refresh_line
from tui.ui.screens.main import MainScreen
from tui.ui.state import DARK, STATE_KEY, StateWriter, UiState, configured_theme, state_from
from tui.ui.widgets.article_list import ArticleList
from tui.ui.widgets.reader import Reader
from tui.ui.widgets.search_bar import SearchBar, SearchInput
from tui.ui.widgets.sources import SourcesPane
from tui.ui.workers import WorkFailed

LIGHT = "textual-light"
SMALL_TOAST_SECONDS = 3.0
"""How long a toast that is not an error stays on a small terminal, where it covers much."""
TOASTS_AT_ONCE = 3
"""Toasts on screen at most: a newer one pushes the oldest out (they hide the reader)."""
SMALL_TOAST_FRAME = 5
"""Cells of a small terminal's width that are no toast's text: its rack's scrollbar, the
toast's border and padding."""
HELD_KEYS = 16
"""Printable keys of priority bindings on their way through the widgets, at most."""


def _local_now() -> datetime:
    return datetime.now().astimezone()


class NewsdeskApp(App[None]):
    """The newsdesk terminal UI."""

    CSS_PATH = "newsdesk.tcss"
    TITLE = "newsdesk"
    ALLOW_IN_MAXIMIZED_VIEW = "KeysFooter"  # the keys stay in sight over a maximized reader
    COMMANDS = {NewsdeskCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit", priority=True, show=False),
        # Textual's own ctrl+q, given an id so `[keys]` can move it and the help names it
        Binding(
            "ctrl+q",
            "quit_anywhere",
            "Quit, also while typing",
            id="app.quit_anywhere",
            priority=True,
            show=False,
        ),
        Binding("question_mark", "help", "Help", id="app.help"),
        # Job control as in any terminal program: back with `fg`, drawn whole again. A
        # priority binding, as ctrl+q: a dialog's screen hides the app's other bindings.
        Binding(
            "ctrl+z",
            "suspend_process",
            "Suspend (fg brings it back)",
            id="app.suspend",
            priority=True,
            show=False,
        ),
        Binding("ctrl+p", "command_palette", "Commands", id="app.palette", show=False),
    ]

    def __init__(
        self,
        config: Config,
        db: Data,
        state: UiState,
        writer: StateWriter,
        *,
        config_error: str | None = None,
        notice: str | None = None,
        refresh_on_start: bool = True,
        now: Callable[[], datetime] = _local_now,
    ) -> None:
        super().__init__()
        self.config, self.db, self.state = config, db, state
        self.notice = notice
        """What the command line said before the app opened (the starter config written), which
        the full screen hid at once: said again in a toast."""
        self._repeats: dict[str, tuple[tuple[str, str, str], int]] = {}
        """Each toast on screen (by identity): its title, message and severity, and how many
        times it was told in a row."""
        self._held: deque[events.Key] = deque(maxlen=HELD_KEYS)
        """Printable keys of priority bindings gone to the focused widget before the binding
        runs (`_holds_back`); one a widget took as its own never comes back."""
        self.keymap, ui_errors, ui_notes = config_checked(config)
        errors = [*([config_error] if config_error else []), *ui_errors]
        self.config_unread = config_error is not None
        """The config file could not be read (an unknown key, bad TOML): the defaults apply."""
        self._told_at_start = (list(config.skipped), [*config.notes, *ui_notes])
        """The entries the config's reading left out, and its notes: told once the app is up
        (its errors are the screen's to show)."""
        self.config_problems = [*errors, *config.skipped, *config.notes, *ui_notes]
        """What the config got wrong (and its notes), for the help screen to show whole."""
        self.main = MainScreen(
            config,
            self.db,
            state,
            writer,
            now,
            refresh_on_start=refresh_on_start,
            config_error="; ".join(errors) or None,
        )

    def on_resize(self, event: events.Resize) -> None:
        """`-small` on a small terminal, for its compact toasts. Only toasts shown from now on
        are restyled by it (the class names nothing else): no restyle of every widget."""
        small = event.size.width < SMALL_BELOW.width or event.size.height < SMALL_BELOW.height
        self.set_class(small, "-small", update=False)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A toast; on a small terminal, in two rows (its title in the first) and gone sooner
        unless it is an error."""
        width, height = self.size
        if width < SMALL_BELOW.width or height < SMALL_BELOW.height:
            if severity != "error":
                timeout = min(timeout or self.NOTIFICATION_TIMEOUT, SMALL_TOAST_SECONDS)
            if not markup:  # a markup toast is the app's own short text
                message, title = small_toast(title, message, width - SMALL_TOAST_FRAME), ""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _on_notify(self, event: Notify) -> None:
        """Before Textual's own handler shows it: a toast told again while on screen
        replaces it, counted ("(×30)" for 30 quick saves, not 30 toasts); past
        `TOASTS_AT_ONCE`, the oldest goes (an information before a warning or an error)."""
        told = event.notification
        said, repeats = (told.title, told.message, told.severity), 1
        for shown in list(self._notifications):
            before = self._repeats.get(shown.identity)
            if before is not None and before[0] == said:
                repeats += before[1]
                self._drop_toast(shown)
        if repeats > 1:
            told.message = f"{told.message} (×{repeats})"
        # The oldest go first, what only informs before what warns (a config's problem at
        # the start must not give way to "Saved" toasts).
        on_screen = sorted(self._notifications, key=lambda n: n.severity != "information")
        for oldest in on_screen[: max(0, len(on_screen) - TOASTS_AT_ONCE + 1)]:
            self._drop_toast(oldest)
        kept = ((n.identity, self._repeats.get(n.identity)) for n in self._notifications)
        self._repeats = {identity: repeats for identity, repeats in kept if repeats}
        self._repeats[told.identity] = (said, repeats)
        # Textual caches a style pair per widget drawn, for the last 1,024 of them, gone or
        # not, each holding its last lines: the toasts gone since the last one go from it.
        StylesCache.get_inner_outer.cache_clear()

    def _drop_toast(self, notification: Notification) -> None:
        """Take a toast away before its time, with the holder Textual wraps it in: its rack
        removes the toast alone, and the empty holders stayed, one per toast replaced (a
        refresh failing every 2 s for an hour: 3,600 more widgets, +10 MB, each layout of
        the rack slower)."""
        self._unnotify(notification, refresh=False)
        holder = ToastRack._toast_id(notification)  # no "#id" query: each is parsed and kept
        for screen in self.screen_stack:  # each screen has a rack, showing what it was told
            for rack in screen.query_children(ToastRack):
                for shown in rack.children:
                    if shown.id == holder:
                        shown.remove()

    def on_mount(self) -> None:
        self.set_keymap(self.keymap)
        self._apply_theme(self.state.chosen_theme(self._configured_theme(self.config)))
        self.push_screen(self.main)
        self._tell_config(*self._told_at_start)
        if self.notice:
            self.notify(visible(self.notice), title="First start", markup=False)
        # A download whose time ran out while the app stood stopped (ctrl+z) is tried again.
        self.app_resume_signal.subscribe(self, lambda _: stops.continued())
        loop = asyncio.get_running_loop()
        for number in ENDING:
            with suppress(ValueError, RuntimeError):  # not the main thread: no signals here
                loop.add_signal_handler(number, self._signalled, number)

    def _signalled(self, number: int) -> None:
        """`kill`, or the terminal closed: quit as `q` does, so the terminal is given back
        (no alternate screen, mouse tracking or hidden cursor left on) and the state saved;
        the exit status is the shell's for that signal (143 for SIGTERM)."""
        self.call_later(self._end_on_signal, status_for(number))

    async def _end_on_signal(self, status: int) -> None:
        """Quit; once the state is written, the process ends within `ENDING_GRACE` seconds
        whatever (see `end_within`)."""
        await self.action_quit(status)
        end_within(ENDING_GRACE, status)

    @on(WorkFailed)
    def _work_failed(self, event: WorkFailed) -> None:
        """The one place a failed worker reaches the user: one line."""
        self.notify(event.line, severity="error", markup=False)

    @on(FeedCommands.ConfigChanged)
    def _config_changed(self, event: FeedCommands.ConfigChanged) -> None:
        """The config read again (`R` after an edit): its `[keys]` and a new `theme` apply
        at once, and what it gets wrong is told once and shown by `?`."""
        if event.config.settings.theme != self.config.settings.theme:
            self._apply_theme(self._configured_theme(event.config))
        self.config, self.config_unread = event.config, False
        keymap, ui_errors, ui_notes = config_checked(event.config)
        mistakes, notes = [*ui_errors, *event.config.skipped], [*event.config.notes, *ui_notes]
        problems = [*mistakes, *notes]
        if problems != self.config_problems:
            self._tell_config(mistakes, notes)
        self.config_problems = problems
        if keymap != self.keymap:
            self.keymap = keymap
            self.set_keymap(keymap)

    def on_unmount(self) -> None:
        self.db.close()
        loop = asyncio.get_running_loop()
        for number in ENDING:
            loop.remove_signal_handler(number)

    async def on_event(self, event: events.Event) -> None:
        """Esc and a letter within Textual's escape delay (0.1 s: `tmux send-keys Escape j`,
        a fast typist) come from its parser as one alt+letter key; where no binding in force
        takes that, they are the two keys they were, each handled as a key from the terminal."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            letter = escaped_letter(event)
            if letter is not None and event.key not in self.screen.active_bindings:
                await super().on_event(events.Key("escape", "\x1b"))
                event = events.Key(letter, letter)
            if self._holds_back(event):
                return
        elif isinstance(event, events.Key) and await self._came_back(event):
            return
        await super().on_event(event)

    def _holds_back(self, event: events.Key) -> bool:
        """A printable key of a priority binding (`q`) goes the way of any key first, behind
        the keys before it: a `/` of the same burst gives the focus to the search bar, where
        the `q` is text. Textual would run the binding at once, with the focus still on
        the list (`q` right after `/` quit)."""
        active = self.screen.active_bindings.get(event.key)
        if not (event.is_printable and active is not None and active.binding.priority):
            return False
        self._held.append(event)
        (self.focused or self.screen)._forward_event(event)
        return True

    async def _came_back(self, event: events.Key) -> bool:
        """A held key back from the focused widget, no widget having taken it: its priority
        binding runs now, unless the focus went to a widget that takes it as text."""
        if not any(held is event for held in self._held):
            return False
        self._held.remove(event)
        focused = self.focused
        if focused is not None and focused.check_consume_key(event.key, event.character):
            return False  # `on_key` hands it to the input
        return await self._check_bindings(event.key, priority=True)

    def _tell_config(self, mistakes: list[str], notes: list[str]) -> None:
        """What the config gets wrong, and its notes, in one toast: said when it is read (a
        refresh does not say it again; `?` lists it whole). Notes alone (a value read as the
        most allowed) are no errors: the config works as written."""
        told = "; ".join([*mistakes, *notes])
        if mistakes:
            self.notify(told, title="The config has errors (see ?)",
                        severity="warning", markup=False)  # fmt: skip
        elif notes:
            self.notify(told, title="Notes on the config (see ?)", markup=False)

    def on_key(self, event: events.Key) -> None:
        """A printable key that reaches the app while the focused widget takes text (an
        input, the sources pane's type-ahead) was typed just before it did (keys arriving in
        one burst right after `/` or `'`): the list or the pane got it first and had no use
        for it. Deliver it to the widget, in order."""
        focused, typed = self.focused, event.character if event.is_printable else None
        if focused is not None and typed and focused.check_consume_key(event.key, typed):
            event.stop()
            focused.post_message(events.Key(event.key, typed))

    def _configured_theme(self, config: Config) -> str:
        return configured_theme(config.settings, self.console.color_system)

    def _apply_theme(self, name: str) -> None:
        """The theme, else the dark one (an unknown theme is one of `config_problems`)."""
        try:
            self.theme = name
        except InvalidThemeError:
            self.theme = DARK

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`q` over the help or a dialog closes it (as in newsboat and less), it does not end
        the app: their own `q` binding then takes it. ctrl+q quits from anywhere. The palette
        is the main screen's (its commands act there): not over a dialog, nor in its footer."""
        over_dialog = isinstance(self.screen, ModalScreen)
        return not (action in ("quit", "command_palette") and over_dialog)

    async def action_quit(self, status: int = 0) -> None:
        """Remember where the user was, then leave (with this exit status)."""
        if self.main.is_mounted:
            await self.main.persist_now()
        self.exit(return_code=status)

    async def action_quit_anywhere(self) -> None:
        """ctrl+q: its own action, so that `quit` in `[keys]` still names `q` alone."""
        await self.action_quit()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            unread, minutes = self.config_unread, self.config.settings.refresh_minutes
            refresh = refresh_line(minutes, self.config.path, unread)
            sections, problems = help_sections(), self.config_problems
            self.push_screen(HelpScreen(sections, self.keymap, problems, refresh, unread))

    @on(SourcesPane.Explain)
    def _explain(self, event: SourcesPane.Explain) -> None:
        """A source's whole error (the status line cuts it), to read in a dialog."""
        self.push_screen(NoteDialog(event.title, event.text))

    def action_command_palette(self) -> None:
        """Textual's own action (8.x's body, `textual<9` pinned), opening the palette whose
        input keeps a burst's key order."""
        if self.use_command_palette and not isinstance(self.screen, Palette):
            self.push_screen(Palette(id="--command-palette"))

    def palette_commands(self) -> Iterator[Keyless]:
        kept = "Recolour the app (kept after a restart)"
        yield Keyless("Toggle light/dark theme", f"From {DARK} to {LIGHT} or back", "toggle_dark")
        yield Keyless("Theme: light", f"{LIGHT}: {kept.lower()}", f"set_theme('{LIGHT}')")
        yield Keyless("Theme: dark", f"{DARK}: {kept.lower()}", f"set_theme('{DARK}')")
        for name in sorted(set(self.available_themes) - {LIGHT, DARK}):
            yield Keyless(f"Theme: {name}", kept, f"set_theme('{name}')")

    def action_set_theme(self, name: str) -> None:
        self._apply_theme(name)
        self.main.persist()

    def action_toggle_dark(self) -> None:
        self.action_set_theme(LIGHT if self.current_theme.dark else DARK)


def escaped_letter(event: events.Key) -> str | None:
    """The letter of an alt+letter key, which is also what Esc and then the letter sends.
    (Esc before a digit or a sign, `b` or `f`, is read by Textual as another key, or
    dropped: nothing tells those apart from the key pressed alone.)"""
    letter = event.character or ""
    name = event.key.removeprefix("alt+")
    if len(letter) != 1 or not (letter.isascii() and letter.isalpha()) or name == event.key:
        return None
    return letter if name in (letter, f"shift+{letter.lower()}") else None


def help_sections() -> list[HelpSection]:
    """Every class's bindings, grouped as the help screen shows them."""
    return [
        section("Everywhere", NewsdeskApp),
        HelpSection("Panes, views and search", MainScreen.NAV_BINDINGS),
        HelpSection("Articles", ACTION_BINDINGS),
        section("Article list", ArticleList),
        section("Reader", Reader),
        section("Sources pane", SourcesPane),
        section("Search bar", SearchBar, SearchInput),
        section("Dialogs", LinkPicker, ConfirmDialog, PromptDialog, HelpScreen),
    ]


def config_checked(config: Config) -> tuple[dict[str, str], list[str], list[str]]:
    """The `[keys]` entries that apply, a line for each mistake only the UI can tell (a
    `[keys]` entry left out, a theme Textual does not have), and a `note:` line for each
    `[keys]` entry naming a binding by an earlier id."""
    keymap, errors = checked_keymap(config.keys, config.path, help_sections())
    return keymap, [*errors, *_theme_problem(config)], renamed_notes(config.keys, config.path)


def _theme_problem(config: Config) -> list[str]:
    """The line saying the config's theme is unknown (none when it is known)."""
    name = config.settings.theme
    if not name or name in BUILTIN_THEMES:
        return []
    close = difflib.get_close_matches(name, list(BUILTIN_THEMES), n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    message = f"unknown theme {name!r} ({hint}{DARK} is used; ctrl+p lists the themes)"
    line = config.settings.theme_line  # as read: no file read again on the UI thread
    return [str(ConfigError(config.path, message, key="settings.theme", line=line))]


def make_app(
    config: Config,
    store: Store,
    *,
    config_error: str | None = None,
    notice: str | None = None,
    refresh_on_start: bool = True,
    now: Callable[[], datetime] | None = None,
) -> NewsdeskApp:
    """Build the app on an open store; a config error is shown inside it, not raised.

    The saved UI state is read here, before the event loop runs; from then on the app reaches
    the cache only through its data door (`Data`), never through `store`.
    """
    images.prepare(config.settings.images)  # asks the terminal, before Textual takes it over
    terminal.answered()  # how it draws emoji, whose cells Rich's table then counts
    count_cells_like_terminals()
    stored = store.get_state(STATE_KEY)
    return NewsdeskApp(
        config,
        Data(store.path),
        state_from(stored),
        StateWriter(stored),
        config_error=config_error,
        notice=notice,
        refresh_on_start=refresh_on_start,
        now=now or _local_now,
    )
