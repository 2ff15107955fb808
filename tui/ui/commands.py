"""The command palette (ctrl+p): every binding in force, with its key, plus keyless commands.

Nothing here is a second list of what the app can do. Entries come from the screen's active
bindings (after the user's `[keys]` remapping, so the key shown is the key that works), and
from the `palette_commands()` of the nodes that own keyless commands (the app's themes, the
screen's panes, the feed commands). Each entry runs its action on the node that declared it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple, Protocol, runtime_checkable

from textual.app import ComposeResult
from textual.command import CommandInput, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.dom import DOMNode

from tui.ui.widgets.typed_input import TypedCommandInput


class Keyless(NamedTuple):
    """A palette entry without a key: (title, help, action run on the node offering it)."""

    title: str
    help: str
    action: str


@runtime_checkable
class OffersCommands(Protocol):
    """A node with keyless palette entries."""

    def palette_commands(self) -> Iterator[Keyless]: ...


@dataclass(frozen=True)
class Command:
    """A palette entry: what it says, its keys, and the action it runs on `node`."""

    title: str
    help: str
    action: str
    node: DOMNode
    keys: str = ""

    def display(self, title: Content | None = None) -> Content:
        """The title (highlighted where it matched) and, dimmed after it, the keys."""
        keys = ("  " + self.keys, "dim") if self.keys else ""
        return Content.assemble(title or self.title, keys)


SAID_UNDER = {"pane.failed": "The sources pane, its cursor on the next one marked ! (i: why)"}
"""The palette's second line for a binding (by id) whose description and tooltip, short for
the help and a `[keys]` clash line, leave unsaid where it goes."""


class NewsdeskCommands(Provider):
    """Offers the bindings in force and every node's keyless entries."""

    def _bound(self) -> Iterator[Command]:
        by_name: dict[str, Command] = {}
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if binding.system or binding.group or binding.action == "command_palette":
                continue  # the digits have "Pick a link"; ctrl+p is where the user is
            name = binding.id or binding.action
            shown = self.app.get_key_display(binding.with_key(key))
            if name in by_name:
                known = by_name[name]
                by_name[name] = Command(known.title, known.help, known.action, known.node,
                                       f"{known.keys} {shown}")  # fmt: skip
            else:  # a tooltip's entry names the footer's word under it, and is found by it
                title, word = binding.tooltip or binding.description, binding.description
                said = SAID_UNDER.get(name) or ("" if _holds(title, word) else word)
                by_name[name] = Command(title, said, binding.action, active.node, shown)
        yield from by_name.values()

    def _keyless(self) -> Iterator[Command]:
        nodes: list[DOMNode] = [self.app, self.screen, *self.screen.walk_children()]
        for node in nodes:
            if isinstance(node, OffersCommands):
                for entry in node.palette_commands():
                    yield Command(entry.title, entry.help, entry.action, node)

    def _commands(self) -> Iterator[Command]:
        yield from self._bound()
        yield from self._keyless()

    def _run(self, command: Command) -> None:
        self.app.call_later(self.app.run_action, command.action, command.node)

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.display(), partial(self._run, command), command.title,
                               help=command.help or None)  # fmt: skip

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                display = command.display(matcher.highlight(command.title))
            elif (score := matcher.match(command.help)) > 0:  # the footer's word ("zoom")
                display = command.display()
            else:
                continue
            yield Hit(score, display, partial(self._run, command), command.title,
                      help=command.help or None)  # fmt: skip


def _holds(title: str, word: str) -> bool:
    """Whether `title` says `word` already (each of its words, in any case): a second line
    repeating the title ("Undo mark all read", then "Undo") says nothing."""
    said = title.casefold()
    return all(part in said for part in word.casefold().split())


class Palette(CommandPalette):
    """Textual's palette, with an input that applies a burst of keys in the order typed."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, CommandInput):
                yield TypedCommandInput(
                    placeholder=widget.placeholder, select_on_focus=widget.select_on_focus
                )
            else:
                yield widget
