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
        event.stop()
        event.prevent_default()
        await self.run_action(binding.action)

    def _own_binding(self, key: str) -> Binding | None:
        """The input's own binding of `key` (a priority binding ran before the key came here)."""
        bindings = self._bindings.key_to_bindings.get(key, [])
        return next((binding for binding in bindings if not binding.priority), None)


class TypedCommandInput(CommandInput, TypedInput):
    """The command palette's input, its keys in order too (CommandInput first: Textual's
    CSS, and the palette's focus, find a widget by the names along its first bases)."""
