"""`newsdesk sync`: push local read/saved changes to the `[sync]` server, then pull its feeds,
new items and state. Exit 0 when the server answered, 1 when it could not be reached or
refused (local changes stay queued), 2 for usage and config errors."""

from __future__ import annotations

import argparse
import asyncio
import sys

from tui.cli.context import FAILED, OK, Context, Handler, UsageError, print_json
from tui.cli.parser import CommandFactory
from tui.config import Config


def add_parsers(command: CommandFactory) -> None:
    """Add `sync` to the `newsdesk` parser."""
    sync = command("sync", "push local changes to the [sync] server, then pull from it")
    sync.add_argument("--json", action="store_true", help="print a JSON object")


def cmd_sync(context: Context, args: argparse.Namespace) -> int:
    from tui.sync.engine import open_service, sync_cache

    config = require_sync(context.config())
    service = open_service(config)
    report = asyncio.run(sync_cache(config, context.store().path, service))
    if args.json:
        print_json(report.to_json())
    if report.error:
        print(f"newsdesk: {report.line()}", file=sys.stderr)
        return FAILED
    if not args.json:
        print(report.line())
    return OK


def require_sync(config: Config) -> Config:
    """`config`, which must have a `[sync]` table."""
    if config.sync is None:
        raise UsageError(f"{config.path}: no [sync] table: add one to sync with a server")
    return config


HANDLERS: dict[str, Handler] = {"sync": cmd_sync}
