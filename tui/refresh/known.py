"""The store knows every configured source: its kind, location and tags; which of them a
refresh covers.

Apart from `tui.refresh.run` so that the TUI can do this at start without loading the
network stack when no source is to be refreshed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui.config import Config, SourceConfig
from tui.models import SourceKind, SourceState
from tui.store import Store

if TYPE_CHECKING:
    from tui.store import DbThread


def sync_sources(config: Config, store: Store) -> None:
    """Make the store know every configured source (kind, location, tags), in one
    transaction (thousands of sources at every start of the TUI)."""
    follow_config(store, config)
    with store.transaction():
        for source in config.sources:
            ensure(store, source)


def follow_config(store: Store, config: Config) -> list[str]:
    """Sources renamed in the config keep their articles under the new name, and removed
    ones with nothing cached go (`Store.settle_sources`); a line for each rename."""
    configured = {s.name: (_kind(s).value, s.location) for s in config.sources}
    return [
        f"{old!r} is {new!r} now (renamed in {config.path.name}): its articles follow"
        for old, new in store.settle_sources(configured)
    ]


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
    `sync` says otherwise), and so does one naming a synced source (a server feed's title)."""
    if config.sync is None or names is None:
        return names, config.sync is not None and sync is not False
    synced = set((await writer.call(lambda store: store.sync_sources())).values())
    named = bool(synced & set(names))
    return [n for n in names if n not in synced], named if sync is None else sync
