"""Rules: search queries with an action, applied to new articles inside the refresh's
transaction, or to the whole cache on demand. Rules never delete anything."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from tui.models import Rule
from tui.store.errors import InvalidQuery
from tui.store.search import matching_ids
from tui.store.tx import flush

CHUNK = 5000
"""Candidate ids per query (SQLite caps the number of parameters)."""


# Each changes only the articles not already so (the report counts changes), and none whose
# flag the user set against it (an indexed look-up per article).
_FLAG_ACTIONS = {
    action: f"UPDATE articles SET {change} WHERE id = ? AND {column} = 0 AND NOT EXISTS "
    "(SELECT 1 FROM user_choices c WHERE c.article_id = articles.id "
    f"AND c.action = '{action}')"
    for action, column, change in (
        ("hide", "hidden", "hidden = 1"),
        ("read", "read", "read = 1"),
        ("save", "saved", "saved = 1, save_state = coalesce(save_state, 'pending')"),
    )
}


@dataclass
class RulesReport:
    """How many articles each action changed, and the rules that could not run."""

    applied: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    saved_ids: list[int] = field(default_factory=list)
    """Articles a `save` rule flagged: their full text is fetched after the refresh."""

    def merge(self, other: RulesReport) -> None:
        self.applied.update(other.applied)
        self.errors += [e for e in other.errors if e not in self.errors]
        self.saved_ids += other.saved_ids


def apply_rules(
    conn: sqlite3.Connection, rules: Sequence[Rule], among: Sequence[int] | None
) -> RulesReport:
    """Apply each rule in config order to the matching articles (`among` these ids, or all).

    Runs inside the caller's transaction; a rule whose query cannot run is reported and skipped.
    """
    flush(conn)  # the new articles' index rows: the rules search them
    report = RulesReport()
    for rule in rules:
        try:
            ids = _matches(conn, rule, among)
        except InvalidQuery as exc:
            report.errors.append(f"{rule.position}: query {rule.query!r} cannot run: {exc}")
            continue
        report.applied[rule.action] += _act(conn, rule, ids)
        if rule.action == "save":
            report.saved_ids += ids
    return report


def _matches(conn: sqlite3.Connection, rule: Rule, among: Sequence[int] | None) -> list[int]:
    if among is None:
        return matching_ids(conn, rule.query, sources=rule.sources)
    found: list[int] = []
    for start in range(0, len(among), CHUNK):
        chunk = among[start : start + CHUNK]
        found += matching_ids(conn, rule.query, among=chunk, sources=rule.sources)
    return found


def _act(conn: sqlite3.Connection, rule: Rule, ids: Sequence[int]) -> int:
    """Apply `rule` to these articles; returns how many changed."""
    if rule.action in _FLAG_ACTIONS:
        return conn.executemany(_FLAG_ACTIONS[rule.action], [(i,) for i in ids]).rowcount
    changed = 0
    for article_id in ids:
        (raw,) = conn.execute("SELECT tags FROM articles WHERE id = ?", (article_id,)).fetchone()
        tags = json.loads(raw)
        if rule.tag not in tags:
            conn.execute(
                "UPDATE articles SET tags = ? WHERE id = ?",
                (json.dumps([*tags, rule.tag]), article_id),
            )
            changed += 1
    return changed
