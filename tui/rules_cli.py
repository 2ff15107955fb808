"""`newsdesk rules ...` and `newsdesk unhide`: run rules over the cache and preview a rule.

Added to the parser by `tui.cli` with `add_parser(commands, common)`; `HANDLERS` joins its table.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Protocol

from tui.config import Config
from tui.store import Store


class Context(Protocol):
    """What these commands need from `tui.cli.Context`."""

    def config(self) -> Config: ...

    def store(self) -> Store: ...


def add_parser(commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    """Add `rules apply|test|list` and `unhide` to the `newsdesk` parser."""
    text = "run the [[rules]] of the config over the cache, or preview a rule"
    rules = commands.add_parser("rules", parents=[common], help=text, description=text)
    actions = rules.add_subparsers(
        dest="rules_command", metavar="ACTION", required=True, parser_class=type(rules)
    )
    for name, help_text in (
        ("apply", "apply every rule to every cached article (rules never delete)"),
        ("list", "list the rules in force and the broken ones"),
    ):
        actions.add_parser(name, parents=[common], help=help_text, description=help_text)
    tester = actions.add_parser(
        "test", parents=[common], help="show which cached articles a rule query would match"
    )
    tester.add_argument("query")
    tester.add_argument("--limit", type=int, default=50, metavar="N")
    tester.add_argument("--json", action="store_true", help="print a JSON array")
    unhide = commands.add_parser(
        "unhide", parents=[common], help="restore articles a hide rule hid (find them: is:hidden)"
    )
    unhide.add_argument("ids", type=int, nargs="+", metavar="ID")


def run_rules(context: Context, args: argparse.Namespace) -> int:
    """`newsdesk rules ACTION`."""
    config = context.config()
    for error in config.rule_errors:
        print(f"newsdesk: {error}", file=sys.stderr)
    if args.rules_command == "list":
        for rule in config.rules:
            what = f"tag {rule.tag!r}" if rule.action == "tag" else rule.action
            limit = f" (sources: {', '.join(rule.sources)})" if rule.sources else ""
            print(f"{rule.position}: {what} <- {rule.query}{limit}")
        return 0
    if args.rules_command == "test":
        return _preview(context.store(), args)
    report = context.store().apply_rules(config.rules)
    for error in report.errors:
        print(f"newsdesk: {error}", file=sys.stderr)
    counts = ", ".join(f"{n} {action}" for action, n in sorted(report.applied.items()))
    print(f"rules applied: {counts or 'nothing matched'}")
    return 0


def _preview(store: Store, args: argparse.Namespace) -> int:
    from tui.cli import format_row
    from tui.store.search import search

    result = search(store, args.query, limit=args.limit)
    hidden = search(store, args.query + " is:hidden", limit=args.limit)
    rows = sorted(
        {h.row.id: h.row for h in result.hits + hidden.hits}.values(),
        key=lambda r: r.sort_key,
        reverse=True,
    )[: args.limit]
    if result.notice:
        print(f"newsdesk: {result.notice}", file=sys.stderr)
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(format_row(row))
        print(f"{len(rows)} cached articles match", file=sys.stderr)
    return 0


def run_unhide(context: Context, args: argparse.Namespace) -> int:
    """`newsdesk unhide ID...`."""
    store = context.store()
    missing = sorted(set(args.ids) - store.existing_ids(args.ids))
    if missing:
        print(f"newsdesk: no article with id {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    print(f"{store.set_hidden(args.ids, False)} articles restored")
    return 0


HANDLERS = {"rules": run_rules, "unhide": run_unhide}
