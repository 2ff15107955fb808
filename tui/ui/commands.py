"""The command palette (ctrl+p): every action newsdesk has, in one Provider."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


@dataclass(frozen=True)
class Command:
    """A palette entry: what it says and which action it runs (on the app or the screen)."""

    title: str
    help: str
    action: str
    on_screen: bool = True


COMMANDS = (
    Command("Refresh all sources", "Fetch every source now", "refresh_all"),
    Command("Refresh selected source", "Fetch the selected source (or tag) now", "refresh_source"),
    Command("Search articles", "Search as you type; Esc restores the view", "search"),
    Command("Filter this view", "Narrow the current list by words", "filter"),
    Command("Next unread article", "Open the next unread article here", "next_unread"),
    Command("Next article", "Open the next article", "next_article"),
    Command("Previous article", "Open the previous article", "previous_article"),
    Command("Toggle read", "Mark the article read or unread", "toggle_read"),
    Command("Save or unsave article", "Keep the article for offline reading", "toggle_saved"),
    Command(
        "Mark all in view read", "Mark every unread article in this view read", "mark_all_read"
    ),
    Command("Undo mark all read", "Mark those articles unread again", "undo"),
    Command(
        "Open article in browser", "Open the article's link (http/https only)", "open_in_browser"
    ),  # fmt: skip
    Command("Copy article link", "Copy the article's link to the clipboard", "copy_link"),
    Command("Pick a link", "Choose one of the article's numbered links", "pick_link"),
    Command("Add feed…", "Subscribe to a feed, or the feed a web page links to", "add_feed"),
    Command("Import OPML…", "Add the feeds of an OPML file to feeds.toml", "import_opml"),
    Command("Export OPML…", "Write the configured feeds to an OPML file", "export_opml"),
    Command("Preview rule…", "Count the cached articles a rule query would match", "preview_rule"),
    Command("Show sources pane", "Move to the sources pane", "go_pane('sources')"),
    Command("Show article list", "Move to the article list", "go_pane('list')"),
    Command("Show reader", "Move to the reader", "go_pane('reader')"),
    Command("Toggle light/dark theme", "Switch between light and dark", "toggle_dark", False),
    Command("Theme: light", "Use the textual-light theme", "set_theme('textual-light')", False),
    Command("Theme: dark", "Use the textual-dark theme", "set_theme('textual-dark')", False),
    Command("Help: keys and search syntax", "Every key in force", "help", False),
    Command("Quit", "Leave newsdesk", "quit", False),
)


class NewsdeskCommands(Provider):
    """Offers `COMMANDS` plus one entry per installed theme."""

    def _commands(self) -> Iterator[Command]:
        yield from COMMANDS
        for name in sorted(self.app.available_themes):
            if name not in ("textual-light", "textual-dark"):
                yield Command(f"Theme: {name}", f"Use the {name} theme",
                              f"set_theme('{name}')", False)  # fmt: skip

    def _run(self, command: Command) -> None:
        namespace = self.screen if command.on_screen else self.app
        self.app.call_later(self.app.run_action, command.action, namespace)

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.title, partial(self._run, command), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.title),
                    partial(self._run, command),
                    help=command.help,
                )
