"""`feeds add` and `feeds remove` with a `[sync]` server: subscribe or unsubscribe there, then
sync so the cache shows it at once."""

from __future__ import annotations

from pathlib import Path

from tui.config import Config
from tui.store import DbThread
from tui.sync.engine import SyncReport, open_service, push, sync_cache
from tui.sync.service import RemoteFeed, SyncError
from tui.weburl import url_key


async def subscribe(config: Config, database: Path, url: str) -> SyncReport | RemoteFeed:
    """Subscribe to `url` on the server, then sync (raises `SyncError` if it cannot); the
    server's feed of that URL instead, when it has one already (then nothing is done)."""
    service = open_service(config)
    try:
        await service.login()
        key = url_key(url)
        twin = next((f for f in await service.feeds() if f.url and url_key(f.url) == key), None)
        if twin is not None:
            await service.aclose()
            return twin
        await service.subscribe(url)
    except SyncError:
        await service.aclose()
        raise
    return await sync_cache(config, database, service)  # closes the service


async def unsubscribe(config: Config, database: Path, name: str) -> bool:
    """Unsubscribe from the synced source `name`; False if no synced source has that name."""
    writer = DbThread(database, name="newsdesk-sync")
    try:
        feeds = await writer.call(lambda store: store.sync_sources())
        remote_id = next((feed for feed, source in feeds.items() if source == name), None)
        if remote_id is None:
            return False
        service = open_service(config)
        try:
            await service.login()
            # The feed's queued marks first: a star the server never saw is lost with the
            # feed (it keeps starred articles only), then taken back here by the next sync.
            await push(service, writer)
            await service.unsubscribe(remote_id)
        finally:
            await service.aclose()
        await writer.call(lambda store: store.sync_forget_feed(remote_id))
        return True
    finally:
        await writer.aclose()
