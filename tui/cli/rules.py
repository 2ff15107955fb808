"""`newsdesk rules apply|test|list` and `newsdesk unhide`: run rules over the cache and preview a
rule."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tui.cli.context import (
    Context,
    Handler,
    UsageError,
    check_ids,
    format_row,
    out,
    print_json,
    say,
    warn,
)
from tui.cli.parser import CommandFactory, Query, add_limit_and_json, article_id, subcommands
from tui.models import SWEEPING_SHARE
from tui.store import InvalidQuery, Store
from tui.text import COUNT_CAP, counted, noun_for, one_line, plural, visible

if TYPE_CHECKING:
    pass


def add_parsers(command: CommandFactory) -> None:
    """Add `rules apply|test|list` and `unhide` to the `newsdesk` parser."""
    rules = command("rules", "run the [[rules]] of the config over the cache, or preview a rule")
    action = subcommands(rules, "rules_command")
    applying = action("apply", "apply every rule to every cached article (rules never delete)")
    applying.add_argument(
        "--force", action="store_true", help="also a hide rule that would hide most articles"
    )
    action("list", "list the rules in force and the broken ones")
    tester = action("test", "show which cached articles a rule query would match")
    tester.add_argument("query", action=Query, help="may start with - (a word to leave out)")
    add_limit_and_json(tester)
    unhide = command("unhide", "restore articles a hide rule hid (find them: is:hidden)")
    unhide.add_argument("ids", type=article_id, nargs="+", metavar="ID")


def run_rules(context: Context, args: argparse.Namespace) -> int:
    """`newsdesk rules ACTION`."""
    config = context.config()
    for error in config.rule_errors:
        warn(str(error))
    if args.rules_command == "list":
        for rule in config.rules:
            what = f"tag {rule.tag!r}" if rule.action == "tag" else rule.action
            limit = f" (sources: {', '.join(rule.sources)})" if rule.sources else ""
            out(f"{rule.position}: {what} <- {rule.query}{limit}")
        if not config.rules:  # on stderr: a script reading the rules gets none
            where = visible(str(context.paths.config))  # its escapes shown, not dropped
            warn(f"no rules in {where}; add one (README: Rules):")
            say(_FIRST_RULE)
        return 0
    if args.rules_command == "test":
        return _preview(context.store(), args)
    from tui.refresh.known import follow_config

    store = context.store()
    for line in follow_config(store, config):  # a rule's `sources` may name a renamed one
        out(line)
    from tui.cli.progress import rule_steps

    with rule_steps() as step:
        report = store.apply_rules(config.rules, force=args.force, step=step)
    for error in report.errors:
        warn(str(error))
    for position, hiding in report.held:  # held: what it hid would come back one by one
        say(
            f"note: {position}: would hide {plural(hiding, 'article')}, at least "
            f"{SWEEPING_SHARE:.0%} of the cache: not applied (`newsdesk rules test QUERY` "
            "previews it; `rules apply --force` applies it)"
        )
    changes = [(action, n) for action, n in sorted(report.applied.items()) if n]
    counts = ", ".join(f"{plural(n, 'article')} {_DONE[action]}" for action, n in changes)
    out(f"rules applied: {counts or 'nothing changed'}")
    return 0


_FIRST_RULE = '[[rules]]\nquery = "title:horoscope"\naction = "hide"'
"""What `rules list` shows where there are none: the README's first example, as TOML to
paste into the config."""

_DONE = {"hide": "hidden", "read": "marked read", "save": "saved", "tag": "tagged"}
"""What each rule action did, as the summary of `rules apply` says it."""


def _preview(store: Store, args: argparse.Namespace) -> int:
    if not args.query:
        raise UsageError("rules test needs a QUERY")
    from tui.store.query import nothing_to_find  # the config's own check of a rule

    if unfit := nothing_to_find(args.query):
        raise UsageError(f"{unfit}: a rule with this query is skipped")
    try:
        matches = store.rule_matches(args.query, limit=COUNT_CAP + 1)
    except InvalidQuery as exc:  # the refresh would skip the rule, not search plain words
        raise UsageError(f"{one_line(exc)}: a rule with this query is skipped") from None
    result = store.search(args.query, limit=args.limit)
    hidden = store.search(args.query, limit=args.limit, hidden=True)
    rows = sorted(
        {h.row.id: h.row for h in result.hits + hidden.hits}.values(),
        key=lambda r: r.sort_key,
        reverse=True,
    )[: args.limit]
    if result.notice:
        warn(result.notice)
    if args.json:
        print_json([r.to_json() for r in rows])
    else:
        for row in rows:
            out(format_row(row))
        say(_matched(matches, len(rows)))
    return 0


def _matched(matches: int, shown: int) -> str:
    """`1,616 cached articles match (50 shown: --limit N for more)`: the count, not the rows
    printed (counted up to just past `COUNT_CAP`, as the app's counts are)."""
    verb = "matches" if matches == 1 else "match"
    said = f"{counted(matches)} {noun_for(matches, 'cached article')} {verb}"
    return said if shown >= matches else f"{said} ({shown:,} shown: --limit N for more)"


def run_unhide(context: Context, args: argparse.Namespace) -> int:
    """`newsdesk unhide ID...`."""
    store = context.store()
    check_ids(store, args.ids)
    out(f"{plural(store.set_hidden(args.ids, False), 'article')} restored")
    return 0


HANDLERS: dict[str, Handler] = {"rules": run_rules, "unhide": run_unhide}
