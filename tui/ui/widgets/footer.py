"""The footer: Textual's look, its keys changed in place when the focus or the bindings move."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # not exported; its styles come with Footer

Shown = tuple[Binding, bool, str]
"""A key the footer shows: its binding, whether it is enabled, its tooltip."""


class Key(FooterKey):
    """One key of the footer, which can be made to show another."""

    def __init__(self, shown: Shown, key_display: str, classes: str = "") -> None:
        binding, enabled, tooltip = shown
        super().__init__(
            binding.key,
            key_display,
            binding.description,
            binding.action,
            disabled=not enabled,
            tooltip=tooltip,
            classes=classes,
        )

    def show(self, shown: Shown, key_display: str) -> None:
        """Show `shown` instead (its width may differ: the footer is laid out again)."""
        binding, enabled, tooltip = shown
        label = (key_display, binding.description)
        if label != (self.key_display, self.description) or not self.display:
            self.key_display, self.description = label
            self.display = True
            self.refresh(layout=True)
        self.key, self.action = binding.key, binding.action
        self._disabled = not enabled  # FooterKey's own: a click on a disabled key rings
        self.set_class(not enabled, "-disabled")
        self.tooltip = tooltip or None


class KeysFooter(Footer):
    """Textual's footer composes its keys again (each a widget, mounted and styled) at every
    change of the focus or the bindings, even to show the same keys: ~40 ms of opening the
    search bar. This one keeps its key widgets and changes what they show (the ones left
    over are hidden), so a change costs one layout of the footer's line."""

    _shown: tuple[list[Shown], Shown | None] | None = None
    """What the keys show (the command palette's key apart), once composed."""

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:  # as Textual's: the screen's bindings are not known yet
            return
        keys, palette = self._shown or ([], None)
        yield from map(self._key, keys)
        if palette is not None:  # as Textual's: compact, not bound to the footer's style
            yield Key(palette, self.app.get_key_display(palette[0]), "-command-palette")

    def _key(self, shown: Shown) -> Key:
        return Key(shown, self.app.get_key_display(shown[0])).data_bind(compact=Footer.compact)

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            return
        shown = self._keys(screen), self._palette(screen)
        if shown == self._shown:
            return
        first, self._shown = self._shown is None, shown
        if first:
            self.call_after_refresh(self.recompose)
        else:
            self._show(*shown)

    def _show(self, shown: list[Shown], palette_shown: Shown | None) -> None:
        """Make the mounted keys show `shown`: the first ones changed, the rest hidden, more
        mounted if needed."""
        keys = list(self.query_children(Key))
        palette = next((key for key in keys if key.has_class("-command-palette")), None)
        if palette is not None:
            keys.remove(palette)
            if palette_shown is not None:
                palette.show(palette_shown, self.app.get_key_display(palette_shown[0]))
            palette.display = palette_shown is not None
        with self.app.batch_update():
            for key, item in zip(keys, shown, strict=False):
                key.show(item, self.app.get_key_display(item[0]))
            for key in keys[len(shown) :]:
                key.display = False  # no layout if already hidden
            if len(shown) > len(keys):
                self.mount_all(map(self._key, shown[len(keys) :]), before=palette)

    @staticmethod
    def _keys(screen: Screen[object]) -> list[Shown]:
        """The keys to show: one per action, in the order of the bindings in force."""
        keys: dict[str, Shown] = {}
        for _, binding, enabled, tooltip in screen.active_bindings.values():
            if binding.show:
                keys.setdefault(binding.action, (binding, enabled, tooltip))
        return list(keys.values())

    def _palette(self, screen: Screen[object]) -> Shown | None:
        """The command palette's key, shown on the right."""
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return None
        found = screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if found is None:
            return None
        _, binding, enabled, tooltip = found
        return binding, enabled, binding.tooltip or binding.description
