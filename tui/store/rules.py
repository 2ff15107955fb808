"""Rules: search queries with an action, applied to new articles inside the refresh's
transaction, or to the whole cache on demand. Rules never delete anything."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tui.models import Rule, sweeps
from tui.store.errors import InvalidQuery
from tui.store.search import matching_ids
from tui.store.tx import flush

CHUNK = 5000
"""Candidate ids per query (SQLite caps the number of parameters)."""


# Each changes only the articles not already so (the report counts changes), and none whose
# flag the user set against it (an indexed look-up per article).
_UNCHANGED = {
    action: f"{column} = 0 AND NOT EXISTS (SELECT 1 FROM user_choices c "
    f"WHERE c.article_id = articles.id AND c.action = '{action}')"
    for action, column in (("hide", "hidden"), ("read", "read"), ("save", "saved"))
}
_FLAG_ACTIONS = {
    action: f"UPDATE articles SET {change} WHERE id = ? AND {_UNCHANGED[action]}"
    for action, change in (
        ("hide", "hidden = 1"),
        ("read", "read = 1"),
        ("save", "saved = 1, save_state = coalesce(save_state, 'pending')"),
    )
}


@dataclass
class RulesReport:
    """How many articles each action changed, and the rules that could not run."""

    applied: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    saved_ids: list[int] = field(default_factory=list)
    """Articles a `save` rule flagged: their full text is fetched after the refresh."""
    hid: Counter[str] = field(default_factory=Counter)
    """How many articles each hide rule hid, by its position (`file:line: rules[N]`)."""
    held: list[tuple[str, int]] = field(default_factory=list)
    """Hide rules left unapplied as they would hide most of the cache: (position, how many)."""

    def merge(self, other: RulesReport) -> None:
        self.applied.update(other.applied)
        self.errors += [e for e in other.errors if e not in self.errors]
        self.saved_ids += other.saved_ids
        self.hid.update(other.hid)


Step = Callable[[int, int], None]
"""Told before each rule runs: its number (from 1) and how many rules there are."""


def apply_rules(
    conn: sqlite3.Connection,
    rules: Sequence[Rule],
    among: Sequence[int] | None,
    *,
    cache_size: int | None = None,
    step: Step | None = None,
) -> RulesReport:
    """Apply each rule in config order to the matching articles (`among` these ids, or all).

    Runs inside the caller's transaction; a rule whose query cannot run is reported and
    skipped, and so is a hide rule that would sweep the cache of `cache_size` articles
    (`models.sweeps`: `held`).
    """
    flush(conn)  # the new articles' index rows: the rules search them
    report = RulesReport()
    for number, rule in enumerate(rules, start=1):
        if step is not None:
            step(number, len(rules))
        try:
            ids = _matches(conn, rule, among)
        except InvalidQuery as exc:
            report.errors.append(f"{rule.position}: query {rule.query!r} cannot run: {exc}")
            continue
        if rule.action == "hide" and cache_size is not None and sweeps(len(ids), cache_size):
            if sweeps(hiding := _would_hide(conn, ids), cache_size):
                report.held.append((rule.position, hiding))
                continue
        changed = _act(conn, rule, ids)
        report.applied[rule.action] += changed
        if rule.action == "hide":
            report.hid[rule.position] += changed
        if rule.action == "save":
            report.saved_ids += ids
    return report


def cache_size(conn: sqlite3.Connection) -> int:
    """How many articles the cache holds: what `rules apply` holds a sweeping hide rule by."""
    (total,) = conn.execute("SELECT count(*) FROM articles").fetchone()
    return int(total)


def _would_hide(conn: sqlite3.Connection, ids: Sequence[int]) -> int:
    """How many of these articles a hide rule would hide: shown, and not unhidden by hand."""
    sql = "SELECT count(*) FROM articles WHERE id IN (SELECT value FROM json_each(?)) AND "
    (found,) = conn.execute(sql + _UNCHANGED["hide"], (json.dumps(list(ids)),)).fetchone()
    return int(found)


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
