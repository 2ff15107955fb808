"""Input lines whose editing keys keep their place among the characters typed with them."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.command import CommandInput
from textual.widgets import Input


class TypedInput(Input):
    """Textual inserts a typed character at once, but runs a bound key of the input
    (backspace, ctrl+u, the arrows, Enter) only once the key has gone up to the app: keys
    arriving in one burst were applied out of order (`x`, ctrl+u, `ab` left nothing; a
    search typed after a held backspace lost its last letters). Here the input's own
    bindings run as their key arrives (Textual issue #6605)."""

    async def _on_key(self, event: events.Key) -> None:
        binding = None if event.is_printable else self._own_binding(event.key)
        if binding is None:
            await super()._on_key(event)
            return
        # A skipped action (Input's scroll keys, with nothing to scroll) leaves the key to
        # the bindings further up: the palette's Up and Down move its list.
        if await self.app.run_action(binding.action, self):
            event.stop()
            event.prevent_default()

    def _own_binding(self, key: str) -> Binding | None:
        """The input's own binding of `key` with the `[keys]` applied, as Textual finds it (a
        priority binding ran before the key came here; a binding moved to another key is
        not one of `key`'s)."""
        active = self.screen.active_bindings.get(key)
        if active is None or active.node is not self or active.binding.priority:
            return None
        return active.binding


class TypedCommandInput(CommandInput, TypedInput):
    """The command palette's input, its keys in order too (CommandInput first: Textual's
    CSS, and the palette's focus, find a widget by the names along its first bases)."""
