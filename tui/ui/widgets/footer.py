"""The footer: the keys in force, in Textual's look, drawn as one line by one widget.

Textual's footer is a widget per key. Showing other keys (a Tab to another pane, the search
bar opening) changed their widths, so the screen was laid out, then laid out again when the
keys took their new sizes: two of a Tab's four frames. Here a change of keys is a repaint of
this line; a click or a hover finds its key by column.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.keys import key_to_character
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from tui.ui.format import fitted_strip

Shown = tuple[Binding, bool, str]
"""A key the footer shows: its binding, whether it is enabled, its tooltip."""

LAST_TO_GO = "help"
"""The action whose key a narrow footer drops last."""


class Spot(NamedTuple):
    """Where a key is drawn: columns [start, end) of the line."""

    start: int
    end: int
    shown: Shown


class KeysFooter(Widget, can_focus=False):
    """The focused widget's keys on the left, the command palette's on the right."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "keys-footer--key",
        "keys-footer--description",
        "keys-footer--hover",
        "keys-footer--separator",
    }

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[list[Shown], Shown | None] = ([], None)
        self._spots: list[Spot] = []
        self._hover: int | None = None  # the column of the pointer
        self._drawn: dict[tuple[object, ...], tuple[Strip, list[Spot]]] = {}

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.call_after_refresh(self._show_keys, self.screen)  # those in force already

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        # As Textual's footer: not while the terminal has lost the focus (no keys then).
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._show_keys(screen)

    def _show_keys(self, screen: Screen[object]) -> None:
        shown = self._keys(screen), self._palette(screen)
        if shown != self._shown:
            self._shown = shown
            self.refresh()  # the same line: no layout

    @property
    def labels(self) -> list[str]:
        """The descriptions of the keys shown, left to right."""
        keys, palette = self._shown
        return [binding.description for binding, _, _ in keys + ([palette] if palette else [])]

    # -- drawing -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """The line, drawn once for each set of keys and width: a Tab or `/` brings a set
        drawn before (Textual's drawing of a new Text was ~0.7 ms of their frames)."""
        keys, palette = self._shown
        key = (tuple(keys), palette, self.size.width)
        drawn = self._drawn.get(key) if self._hover is None else None  # a lit key: anew
        if drawn is None:
            strip = fitted_strip(self.render(), self.size.width, self.rich_style, self.app.console)
            drawn = strip, self._spots
            if self._hover is None:
                if len(self._drawn) > 64:  # sets seen long ago
                    self._drawn.clear()
                self._drawn[key] = drawn
        strip, self._spots = drawn
        return strip

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn.clear()  # a new theme's colours

    def render(self) -> Text:
        keys, palette = self._shown
        line, self._spots = Text(no_wrap=True), []
        # The palette's key on the right, after a bar, as Textual docks it.
        right = None if palette is None else (palette, self._label(palette, compact=True))
        room = self.size.width - (0 if right is None else right[1].cell_len + 2)
        for shown, label in self._fitting(keys, room):
            self._add(line, shown, label)
        if right is not None:
            line.truncate(room)
            line.append(" " * (room - line.cell_len))  # the footer's own background
            line.append("▏", self._style("separator"))
            self._add(line, *right)
            line.append(" ")
        return line

    def _fitting(self, keys: list[Shown], room: int) -> list[tuple[Shown, Text]]:
        """The keys that fit in `room` cells, with their labels, in their order: a key with
        its description or not at all (a bare `n` says nothing); the last ones go first,
        but `?` last of all (it tells every key)."""
        labels = [self._label(shown, compact=False) for shown in keys]
        kept, used = set(), 0
        for index in sorted(range(len(keys)), key=lambda i: keys[i][0].action != LAST_TO_GO):
            if used + labels[index].cell_len - 1 > room:  # its last cell is a blank
                break
            kept.add(index)
            used += labels[index].cell_len
        return [(keys[index], labels[index]) for index in sorted(kept)]

    def _add(self, line: Text, shown: Shown, label: Text) -> None:
        start = line.cell_len
        if self._hover is not None and start <= self._hover < start + label.cell_len:
            label.stylize(Style(bgcolor=self._style("hover").bgcolor))
        line.append_text(label)
        self._spots.append(Spot(start, line.cell_len, shown))

    def _label(self, shown: Shown, *, compact: bool) -> Text:
        """A key as Textual's footer draws it: ` key description ` (`key description`
        compact), dim when disabled."""
        binding, enabled, _ = shown
        key, description = self.app.get_key_display(binding), binding.description
        label = Text.assemble(
            (key if compact else f" {key} ", self._style("key")),
            (f" {description}" if compact else f"{description} ", self._style("description")),
        )
        if not enabled:
            label.stylize(Style(dim=True))
        return label

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"keys-footer--{name}")

    def _spot_at(self, x: int) -> Spot | None:
        """The key drawn at column `x`."""
        return next((spot for spot in self._spots if spot.start <= x < spot.end), None)

    # -- the pointer ---------------------------------------------------------------------

    def on_mouse_down(self, event: events.MouseDown) -> None:
        spot = self._spot_at(event.x)
        if spot is None or event.button != 1:  # the left button's, as everywhere
            return
        binding, enabled, _ = spot.shown
        if enabled:
            self.app.simulate_key(binding.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        spot = self._spot_at(event.x)
        self.tooltip = (spot.shown[2] or None) if spot else None
        before = None if self._hover is None else self._spot_at(self._hover)
        self._hover = event.x
        if spot != before:  # another key lit (or none): the line drawn again
            self.refresh()

    def on_leave(self) -> None:
        self._hover = None
        self.refresh()

    # -- what to show --------------------------------------------------------------------

    @staticmethod
    def _keys(screen: Screen[object]) -> list[Shown]:
        """The keys to show: one per action, in the order of the bindings in force; not a
        key the focused widget takes as text (`[keys]` binding `q` to Back: the search bar
        types it)."""
        keys: dict[str, Shown] = {}
        focused = screen.focused
        for key, (_, binding, enabled, tooltip) in screen.active_bindings.items():
            typed = focused is not None and focused.check_consume_key(key, key_to_character(key))
            if binding.show and not typed:
                keys.setdefault(binding.action, (binding, enabled, tooltip))
        return list(keys.values())

    def _palette(self, screen: Screen[object]) -> Shown | None:
        """The command palette's key, shown on the right."""
        if not self.app.ENABLE_COMMAND_PALETTE:
            return None
        found = screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if found is None:
            return None
        _, binding, enabled, tooltip = found
        return binding, enabled, binding.tooltip or binding.description
