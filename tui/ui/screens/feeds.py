"""Feeds from the command palette: add a feed, import and export OPML, preview a rule.

A layer of the main screen (panes → article actions → offline → views → feeds → main).
Each action asks for one line in a `PromptDialog`, works in a worker (the network in the event
loop, files in a thread, the store on the database thread) and reports in a notification;
errors are one line. Adding or importing edits feeds.toml through `tui.interop`; the config is
then read again, the new sources enter the store and the sources pane, and they are refreshed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.message import Message

from tui.config import Config, ConfigError, load_config
from tui.interop import InteropError
from tui.store import InvalidQuery, Store
from tui.text import plural
from tui.ui.links import one_line
from tui.ui.screens.dialogs import ConfirmDialog, PromptDialog
from tui.ui.screens.views import ViewsScreen

PREVIEW_TITLES = 3
"""How many matching titles a rule preview names."""


@dataclass(frozen=True)
class RulePreview:
    """What a rule would match now."""

    matches: int
    titles: tuple[str, ...] = ()
    error: str | None = None


def preview_rule(store: Store, query: str) -> RulePreview:
    """The cached articles a rule with `query` matches, hidden ones too (database thread)."""
    try:
        ids = store.matching_ids(query)
    except InvalidQuery as exc:
        return RulePreview(0, error=one_line(exc))
    hits = store.search(query, limit=PREVIEW_TITLES).hits if ids else []
    return RulePreview(len(ids), tuple(hit.row.title for hit in hits))


def preview_line(query: str, preview: RulePreview) -> str:
    """The notification for a rule preview."""
    noun = "article" if preview.matches == 1 else "articles"
    line = f"Rule {query!r} would match {preview.matches:,} cached {noun}"
    if preview.titles:
        more = " …" if preview.matches > len(preview.titles) else ""
        line += ": " + "; ".join(preview.titles) + more
    return line


def write_opml(path: Path, config: Config) -> int:
    """Write the config's web feeds to `path` as OPML; returns how many (blocking)."""
    from tui.interop.opml import export_opml

    path.write_text(export_opml(config), encoding="utf-8")
    return sum(1 for source in config.sources if source.url is not None)


class FeedsScreen(ViewsScreen):
    """The palette's feed commands and swapping in a re-read config."""

    @dataclass
    class ConfigChanged(Message):
        """The config file was edited and read again (the app keeps the new one)."""

        config: Config

    async def ask(self, question: str, placeholder: str = "") -> str | None:
        """One line from the user, or None if they cancelled (call from a worker)."""
        return await self.app.push_screen_wait(PromptDialog(question, placeholder))

    def fail(self, what: str, error: BaseException) -> None:
        self.notify(one_line(error), title=f"{what} failed", severity="error", markup=False)

    # -- the config ----------------------------------------------------------------------

    def use_config(self, config: Config) -> None:
        """Work with `config` from now on (here, in the refresher and in the app)."""
        self.config = config
        self.refresher.use_config(config)
        self.post_message(self.ConfigChanged(config))

    async def reload_config(self) -> bool:
        """Read the config file again and show its sources; False (reported) if it is broken."""
        try:
            config = await asyncio.to_thread(load_config, self.config.path)
        except ConfigError as exc:
            self.fail("Reading the config", exc)
            return False
        self.use_config(config)
        await self.refresher.sync()
        self.reload_sources()
        return True

    def refresh_new(self, names: list[str]) -> None:
        if names and not self.refresher.start(names, force=True):
            self.notify("A refresh is running: refresh the new feeds with r afterwards")

    # -- the commands ----------------------------------------------------------------------

    def action_add_feed(self) -> None:
        self._add_feed()

    @work(group="feeds", exit_on_error=False)
    async def _add_feed(self) -> None:
        url = await self.ask("Add feed: the address of a feed or a web page", "https://")
        if url is None:
            return
        from tui.interop.discover import add_feed

        self.notify(f"Looking for a feed at {url}", markup=False)
        try:
            report = await add_feed(self.config.path, url)
        except (InteropError, ConfigError, OSError) as exc:
            self.fail("Add feed", exc)
            return
        self.notify(f"Added {report.name!r} ({report.articles} articles)", markup=False)
        if await self.reload_config():
            self.refresh_new([report.name])

    def action_import_opml(self) -> None:
        self._import_opml()

    @work(group="feeds", exit_on_error=False)
    async def _import_opml(self) -> None:
        answer = await self.ask("Import OPML: the file to read", "~/subscriptions.opml")
        if answer is None:
            return
        from tui.interop.opml import import_opml

        path = Path(answer).expanduser()
        try:
            report = await asyncio.to_thread(import_opml, self.config.path, path)
        except (InteropError, ConfigError, OSError) as exc:
            self.fail("Import OPML", exc)
            return
        added, skipped = len(report.added), len(report.skipped)
        self.notify(f"Added {plural(added, 'feed')} ({skipped} skipped)")
        if report.added and await self.reload_config():
            self.refresh_new(report.added)

    def action_export_opml(self) -> None:
        self._export_opml()

    @work(group="feeds", exit_on_error=False)
    async def _export_opml(self) -> None:
        answer = await self.ask("Export OPML: the file to write", "~/newsdesk.opml")
        if answer is None:
            return
        path = Path(answer).expanduser()
        if path.exists() and not await self.app.push_screen_wait(ConfirmDialog(f"Replace {path}?")):
            return
        try:
            count = await asyncio.to_thread(write_opml, path, self.config)
        except OSError as exc:
            self.fail("Export OPML", exc)
            return
        self.notify(f"Exported {plural(count, 'feed')} to {path}", markup=False)

    def action_preview_rule(self) -> None:
        self._preview_rule()

    @work(group="feeds", exit_on_error=False)
    async def _preview_rule(self) -> None:
        query = await self.ask("Preview rule: a query in the search language", "source:… word")
        if query is None:
            return
        preview = await self.db.call(preview_rule, query)
        if preview.error is not None:
            self.notify(preview.error, title="Invalid rule", severity="error", markup=False)
        else:
            self.notify(preview_line(query, preview), title="Rule preview", markup=False)
