"""`newsdesk sync`: push local read/saved changes to the `[sync]` server, then pull its feeds,
new items and state. Exit 0 when the server answered, 1 when it could not be reached or
refused (local changes stay queued), 2 for usage and config errors."""

from __future__ import annotations

import argparse
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from tui.cli.context import FAILED, OK, Context, Handler, UsageError, out, print_json, warn
from tui.cli.parser import CommandFactory
from tui.weburl import shown_address, without_password

if TYPE_CHECKING:
    from tui.config import Config

T = TypeVar("T")


def add_parsers(command: CommandFactory) -> None:
    """Add `sync` to the `newsdesk` parser."""
    sync = command("sync", "push local changes to the [sync] server, then pull from it")
    sync.add_argument("--json", action="store_true", help="print a JSON object")


def cmd_sync(context: Context, args: argparse.Namespace) -> int:
    from tui.sync.engine import failed, open_service, sync_cache
    from tui.sync.service import SyncError

    config = require_sync(context.config())
    try:
        service = open_service(config)
    except SyncError as exc:  # the password command gave none: as a refused login
        report = failed(config, str(exc))
    else:
        import asyncio  # not loaded for the commands that never run it

        from tui.cli.progress import redrawn_line

        with redrawn_line() as draw:
            told = (lambda step: draw(f"sync: {step} …")) if draw else (lambda step: None)
            report = asyncio.run(sync_cache(config, context.store().path, service, told))
    if args.json:
        print_json(report.to_json())
    if report.error:
        warn(report.line())
        return FAILED
    if not args.json:
        out(report.line())
    return OK


def subscribe(context: Context, config: Config, url: str) -> int:
    """`feeds add URL` with a `[sync]` server: subscribe there, then sync; a feed the server
    has already is said, and nothing done."""
    from tui.sync.service import RemoteFeed
    from tui.sync.subscriptions import subscribe as subscribe_on_server

    report = _on_server(subscribe_on_server(config, context.store().path, url))
    if report is None:
        return FAILED
    if isinstance(report, RemoteFeed):  # as it is named here (the server's title, made unique)
        assert config.sync is not None  # `feeds add` came here for it
        name = context.store().sync_sources().get(report.id, report.title)
        out(f"already subscribed on {shown_address(config.sync.url)} as {name!r}")
        return OK
    if report.error:
        warn(f"subscribed to {without_password(url)}, but {report.line()}")
        return FAILED
    out(f"subscribed to {without_password(url)} on {report.service}")
    out(report.line())
    return OK


def unsubscribe(context: Context, config: Config, name: str) -> int:
    """`feeds remove NAME` for a synced source: unsubscribe on the server, drop it here."""
    from tui.sync.subscriptions import unsubscribe as unsubscribe_on_server

    found = _on_server(unsubscribe_on_server(config, context.store().path, name))
    if found is None:
        return FAILED
    if not found:
        raise UsageError(f"no source named {name!r} in {config.path} or on the [sync] server")
    out(f"unsubscribed from {name!r} on the [sync] server; its saved articles stay")
    return OK


def _on_server(work: Coroutine[Any, Any, T]) -> T | None:
    """Run `work`; a server that cannot do it is one line on stderr and None."""
    from tui.sync.service import SyncError

    try:
        import asyncio  # not loaded for the commands that never run it

        return asyncio.run(work)
    except SyncError as exc:
        warn(str(exc))
        return None


def require_sync(config: Config) -> Config:
    """`config`, which must have a `[sync]` table."""
    if config.sync is None:
        raise UsageError(f"{config.path}: no [sync] table: add one to sync with a server")
    return config


HANDLERS: dict[str, Handler] = {"sync": cmd_sync}
