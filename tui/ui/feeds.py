"""Feeds from the command palette: add a feed, import subscriptions (OPML or a newsboat urls
file), export OPML, preview a rule.

`FeedCommands` is a non-visual widget of the main screen. Each command asks for one line in a
`PromptDialog`, works in a worker (the network in the event loop, files in a thread, the store
on the data door) and reports in a notification (what an import skipped, in a dialog to read);
errors are one line. Adding or importing edits feeds.toml through `tui.interop` and reads the
config again; `ConfigChanged` then tells the screen (and the app) to use it and to refresh the
new sources.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message
from textual.widget import Widget

from tui.config import Config, ConfigError, load_config
from tui.interop import InteropError
from tui.interop.subscriptions import import_subscriptions
from tui.store import InvalidQuery, Store
from tui.text import COUNT_CAP, counted, noun_for, one_line, plural
from tui.ui.commands import Keyless
from tui.ui.data import Data
from tui.ui.screens.dialogs import ConfirmDialog, NoteDialog, PromptDialog
from tui.ui.workers import background
from tui.weburl import without_password

if TYPE_CHECKING:  # tomlkit and the config edits load when a command runs
    from tui.interop.config_edit import ImportReport

PREVIEW_TITLES = 3
"""How many matching titles a rule preview names."""


@dataclass(frozen=True)
class RulePreview:
    """What a rule would match now."""

    matches: int
    titles: tuple[str, ...] = ()
    error: str | None = None


def preview_rule(store: Store, query: str) -> RulePreview:
    """How many cached articles a rule with `query` matches, hidden ones too, counted up to
    just past `COUNT_CAP` (database thread); a query the config would skip as a rule is
    refused, as `rules test` refuses it."""
    from tui.store.query import nothing_to_find

    if unfit := nothing_to_find(query):
        return RulePreview(0, error=f"{unfit}: a rule with this query is skipped")
    try:
        matches = store.rule_matches(query, limit=COUNT_CAP + 1)
    except InvalidQuery as exc:
        return RulePreview(0, error=one_line(exc))
    hits = store.search(query, limit=PREVIEW_TITLES).hits if matches else []
    return RulePreview(matches, tuple(hit.row.title for hit in hits))


def preview_line(query: str, preview: RulePreview) -> str:
    """The notification for a rule preview."""
    noun = noun_for(preview.matches, "cached article")
    line = f"Rule {query!r} would match {counted(preview.matches)} {noun}"
    if preview.titles:
        more = " …" if preview.matches > len(preview.titles) else ""
        line += ": " + "; ".join(preview.titles) + more
    return line


class FeedCommands(Widget):
    """The palette's feed commands (run with this widget as the action namespace)."""

    DEFAULT_CSS = "FeedCommands { display: none; }"

    @dataclass
    class ConfigChanged(Message):
        """The config file was edited and read again; `added` sources are new."""

        config: Config
        added: list[str]
        everything: bool = False
        """Refresh every source once it is in use (`R` found the file edited)."""
        due: bool = False
        """Refresh the sources due once it is in use (the automatic refresh found the file
        edited: the rules and saved searches of the edit apply to it)."""

    def __init__(self, config: Config, db: Data) -> None:
        super().__init__()
        self.config, self.db = config, db

    def palette_commands(self) -> Iterator[Keyless]:
        yield Keyless("Add feed…", "Subscribe to a feed, or the feed a web page links to",
                      "add_feed")  # fmt: skip
        yield Keyless("Import subscriptions…",
                      "Add the feeds of an OPML file or a newsboat urls file to feeds.toml",
                      "import_subscriptions")  # fmt: skip
        yield Keyless("Export OPML…", "Write the configured feeds to an OPML file", "export_opml")
        yield Keyless("Preview rule…", "Count the cached articles a rule query would match",
                      "preview_rule")  # fmt: skip

    async def ask(self, question: str, placeholder: str = "", value: str = "") -> str | None:
        """One line from the user, or None if they cancelled (call from a worker)."""
        return await self.app.push_screen_wait(PromptDialog(question, placeholder, value))

    def fail(self, what: str, error: BaseException) -> None:
        self.notify(one_line(error), title=f"{what} failed", severity="error", markup=False)

    async def reload_config(
        self, added: list[str], *, everything: bool = False, due: bool = False
    ) -> bool:
        """Read the config file again and announce it; a broken file is reported (False)."""
        try:
            config = await asyncio.to_thread(load_config, self.config.path)
        except ConfigError as exc:
            self.fail("Reading the config", exc)
            return False
        self.config = config
        self.post_message(self.ConfigChanged(config, added, everything, due))
        return True

    # -- the commands ----------------------------------------------------------------------

    @background(group="feeds")
    async def action_add_feed(self) -> None:
        url = await self.ask("Add feed: the address of a feed or a web page", "https://")
        if url is None:
            return
        from tui.interop.discover import add_feed

        self.notify(f"Looking for a feed at {without_password(url)}", markup=False)
        try:
            report = await add_feed(self.config.path, url)
        except (InteropError, ConfigError, OSError) as exc:
            self.fail("Add feed", exc)
            return
        instead = f": {report.instead}; this is the site's feed" if report.instead else ""
        renamed = f" ({report.renamed})" if report.renamed else ""
        added = f"Added {report.name!r} ({plural(report.articles, 'article')}){instead}{renamed}"
        self.notify(added, markup=False, severity="warning" if instead else "information")
        await self.reload_config([report.name])

    @background(group="feeds")
    async def action_import_subscriptions(self) -> None:
        answer = await self.ask(
            "Import subscriptions: an OPML file or a newsboat urls file", "~/subscriptions.opml"
        )
        if answer is None:
            return
        path = Path(answer).expanduser()
        try:
            report = await asyncio.to_thread(import_subscriptions, self.config.path, path)
        except (InteropError, ConfigError, OSError) as exc:
            self.fail("Import subscriptions", exc)
            return
        self._tell_imported(report)
        if report.added:
            await self.reload_config(list(report.added))

    def _tell_imported(self, report: ImportReport) -> None:
        """The feeds an import added; what it skipped, each with why, in a dialog to read
        (a line each, as the command line says them), with the notes on the file."""
        feeds = plural(len(report.added), "feed")
        if report.skipped:
            said = f"Import subscriptions: added {feeds} ({len(report.skipped)} skipped)"
            skipped = [f"skipped: {line}" for line in report.skipped]
            notes = [f"note: {line}" for line in report.notices]
            self.app.push_screen(NoteDialog(said, *skipped, *notes))
            return
        self.notify(f"Added {feeds}", markup=False)
        for line in report.notices:  # mended faults of the file, renamed feeds
            self.notify(line, markup=False)

    @background(group="feeds")
    async def action_export_opml(self) -> None:
        # A default to take with Enter or edit: a placeholder looked like one and did nothing.
        answer = await self.ask("Export OPML: the file to write", value="~/newsdesk.opml")
        if answer is None:
            return
        path = Path(answer).expanduser()
        replace = ConfirmDialog(f"Replace {path}?", destructive=True)
        if path.exists() and not await self.app.push_screen_wait(replace):
            return
        from tui.interop.opml import write_opml

        try:
            count, local = await asyncio.to_thread(write_opml, path, self.config)
        except InteropError as exc:
            self.fail("Export OPML", exc)
            return
        said = f"Exported {plural(count, 'feed')} to {path}"
        if local:  # a file of feeds has no place for them
            names = ", ".join(local[:3]) + (" …" if len(local) > 3 else "")
            said += f"\nNot the {plural(len(local), 'local source')}: {names}"
        self.notify(said, markup=False)

    @background(group="feeds")
    async def action_preview_rule(self) -> None:
        query = await self.ask("Preview rule: a query in the search language", "source:… word")
        if query is None:
            return
        preview = await self.db.call(preview_rule, query)
        if preview.error is not None:
            self.notify(preview.error, title="Invalid rule", severity="error", markup=False)
        else:
            self.notify(preview_line(query, preview), title="Rule preview", markup=False)
