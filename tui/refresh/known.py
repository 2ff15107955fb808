"""The store knows every configured source: its kind, location and tags; which of them a
refresh covers.

Apart from `tui.refresh.run` so that the TUI can do this at start without loading the
network stack when no source is to be refreshed.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui.config import Config, SourceConfig
from tui.models import SourceKind, SourceState
from tui.refresh.summary import SYNC
from tui.store import Store
from tui.text import plural
from tui.weburl import url_key

if TYPE_CHECKING:
    from tui.store import DbThread
    from tui.store.settle import Settled


def sync_sources(config: Config, store: Store) -> Settled:
    """Make the store know every configured source (kind, location, tags), in one
    transaction (thousands of sources at every start of the TUI). Returns what following
    the config changed (`told` says it): whoever follows it first tells it."""
    settled = store.settle_sources(configured(config))
    with store.transaction():
        for source in config.sources:
            ensure(store, source)
    return settled


def follow_config(store: Store, config: Config) -> list[str]:
    """Sources renamed in the config keep their articles under the new name, and removed
    ones with nothing cached go (`Store.settle_sources`); `told`'s lines."""
    return told(store.settle_sources(configured(config)), config)


def told(settled: Settled, config: Config) -> list[str]:
    """A line for each rename, and for each source set aside because a renamed one took
    its name."""
    file = config.path.name
    return [
        *(f"{old!r} is {new!r} now (renamed in {file}): its articles follow"
          for old, new in settled.renames),
        *(f"{old!r} is no longer in {file} and another source has its name now: its "
          f"articles are kept as {new!r}" for old, new in settled.set_aside),
    ]  # fmt: skip


def configured(config: Config) -> dict[str, tuple[str, str]]:
    """Each configured source's name -> its kind and location, what the store knows it by."""
    return {s.name: (_kind(s).value, s.location) for s in config.sources}


def foreseen(store: Store, config: Config) -> list[str]:
    """What the next refresh will follow of the config (`told`'s renames and sources set
    aside, not done yet: `paths` reads the cache only), then `unlisted_lines`."""
    file, settled = config.path.name, store.unsettled_sources(configured(config))
    return [
        *(f"{old!r} is {new!r} now (the next refresh follows it)" for old, new in settled.renames),
        *(f"{old!r} is no longer in {file} and another source has its name now: the next "
          f"refresh keeps its articles as {new!r}" for old, new in settled.set_aside),
        *unlisted_lines(store, config),
    ]  # fmt: skip


def follow_and_tell(store: Store, config: Config, whole: bool) -> list[str]:
    """What a refresh says of the config's sources before it fetches: `follow_config`'s
    lines, then, for a `whole` refresh asked for (not one of sources named, nor the TUI's
    automatic ones: at its start, of the sources due), `unlisted_lines`."""
    return [*follow_config(store, config), *(unlisted_lines(store, config) if whole else ())]


UNLISTED_NAMED = 3
"""Sources gone from the config a refresh names, a line each; the others share one line."""


def unlisted_lines(store: Store, config: Config) -> list[str]:
    """A line for each web source deleted from the config by hand (not one renamed there:
    sources are known by their URL or path) that holds articles: they are kept (saved ones
    above all) until `feeds remove` forgets them. Past a few, the others are counted in one
    line (a config rewritten without half its feeds)."""
    file = config.path.name
    unlisted = store.unlisted_sources(configured(config))
    lines = [
        f"{name!r} is no longer in {file}: its {plural(count, 'article')} "
        f"{'is' if count == 1 else 'are'} kept; {forget_hint(name)}"
        for name, count in unlisted[:UNLISTED_NAMED]
    ]
    if others := unlisted[UNLISTED_NAMED:]:
        articles = plural(sum(count for _, count in others), "article")
        lines.append(
            f"and {plural(len(others), 'more source')} no longer in {file} keep their "
            f"{articles} (`newsdesk sources` says which: not in the config)"
        )
    return lines


def forget_hint(name: str) -> str:
    """How a source the config no longer names is forgotten (its saved articles stay)."""
    return f"`newsdesk feeds remove {shlex.quote(name)}` forgets them"


def ensure(store: Store, source: SourceConfig) -> int:
    """The store's id of `source`, registered or updated if needed."""
    return store.ensure_source(source.name, _kind(source), source.location, source.tags)


def _kind(source: SourceConfig) -> SourceKind:
    return SourceKind.WEB if source.url is not None else SourceKind.LOCAL


def known_states(
    store: Store, sources: list[SourceConfig]
) -> list[tuple[SourceConfig, SourceState, tuple[str | None, str | None]]]:
    """Each source as the store knows it (registered first), with its validators."""
    ids = {s.name: ensure(store, s) for s in sources}
    states = {s.name: s for s in store.sources() if s.name in ids}
    return [(s, states[s.name], store.validators(ids[s.name])) for s in sources]


class Owners:
    """Which configured source each feed is (by `url_key`), for a feed that moved onto
    another source's: fetched and stored once."""

    def __init__(self, config: Config | None = None) -> None:
        sources = () if config is None else config.sources
        self.names = {url_key(s.url): s.name for s in sources if s.url is not None}

    def other(self, name: str, location: str) -> str | None:
        """The other configured source whose feed `location` is, if any."""
        owner = self.names.get(url_key(location))
        return owner if owner != name else None


def select_sources(config: Config, names: Sequence[str] | None) -> list[SourceConfig]:
    """The sources a refresh covers: enabled ones, or exactly `names` (ValueError if unknown)."""
    if names is None:
        return [s for s in config.sources if s.enabled]
    unknown = [n for n in names if config.source(n) is None]
    if unknown:
        listed = ", ".join(repr(n) for n in unknown)
        raise ValueError(f"no source named {listed} in {config.path}")
    return [s for s in config.sources if s.name in set(names)]


async def synced_split(
    config: Config, writer: DbThread, names: Sequence[str] | None, sync: bool | None
) -> tuple[Sequence[str] | None, bool]:
    """The configured sources among `names`, and whether to sync: a whole refresh syncs (unless
    `sync` says otherwise), and so does one naming a synced source (a server feed's title) or
    the sync itself (`SYNC`: `r` on its line in the TUI's sources pane)."""
    if config.sync is None or names is None:
        return names, config.sync is not None and sync is not False
    synced = {SYNC, *(await writer.call(lambda store: store.sync_sources())).values()}
    named = bool(synced & set(names))
    return [n for n in names if n not in synced], named if sync is None else sync
