"""What the article list shows: a scope picked in the sources pane, as a small value.

A scope is either a store `View` (All, Unread, Saved, a tag, a source) or a search (a saved
search, or a tag `[[rules]]` add, listed as `tag:"NAME"`).
Its `key` is the stable string naming the sources pane's entry and kept in the saved UI state.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from tui.models import Rule
from tui.store import View
from tui.store.query import parse_query


class ScopeKind(StrEnum):
    """The kinds of entries in the sources pane."""

    ALL = "all"
    UNREAD = "unread"
    SAVED = "saved"
    SEARCH = "search"
    TAG = "tag"
    SOURCE = "source"


@dataclass(frozen=True)
class Scope:
    """One sources pane entry; `query` is set for saved searches and the tags rules add."""

    kind: ScopeKind = ScopeKind.ALL
    name: str = ""
    query: str = ""
    key: str = field(init=False, repr=False, compare=False)
    """`all`, `unread`, `saved`, `tag:NAME`, `source:NAME` or `search:NAME`: one string for
    the pane's entries, made with the scope (a `cached_property` took a lock at each first
    read: 86 ms of the sources pane's 430 at 20,000 sources)."""

    def __post_init__(self) -> None:
        key = f"{self.kind.value}:{self.name}" if self.name else self.kind.value
        object.__setattr__(self, "key", key)

    @property
    def label(self) -> str:
        """How the header names the scope."""
        titles = {ScopeKind.ALL: "All", ScopeKind.UNREAD: "Unread", ScopeKind.SAVED: "Saved"}
        if self.kind in titles:
            return titles[self.kind]
        prefix = {ScopeKind.TAG: "#", ScopeKind.SEARCH: "Search: "}.get(self.kind, "")
        return prefix + self.name

    def view(self, stories: bool = False) -> View | None:
        """The store view to page through, or None for a search (which lists hits); with
        `stories`, each story once."""
        if self.query:
            return None
        views = {
            ScopeKind.ALL: View(stories=stories),
            ScopeKind.UNREAD: View(unread=True, stories=stories),
            ScopeKind.SAVED: View(saved=True, stories=stories),
            ScopeKind.TAG: View(tag=self.name, stories=stories),
            ScopeKind.SOURCE: View(source=self.name, stories=stories),
        }
        return views.get(self.kind)

    @classmethod
    def from_key(cls, key: str, query: str = "") -> Scope:
        """The scope a key names; an unknown key is All."""
        kind, _, name = key.partition(":")
        try:
            scope_kind = ScopeKind(kind)
        except ValueError:
            return cls()
        if scope_kind in (ScopeKind.TAG, ScopeKind.SOURCE, ScopeKind.SEARCH) and not name:
            return cls()
        return cls(scope_kind, name, query)


ALL = Scope()
UNREAD = Scope(ScopeKind.UNREAD)
SAVED = Scope(ScopeKind.SAVED)


def unread_view(view: View) -> View:
    """The same view limited to unread articles."""
    return view._replace(unread=True)


def rule_tags(rules: Iterable[Rule]) -> dict[str, str]:
    """The tags `[[rules]]` add to articles, by folded name: known from the config, so the
    sources pane lists them without reading the articles. A tag holding `"` is left out: no
    `tag:` query can name it."""
    return {
        rule.tag.casefold(): rule.tag
        for rule in rules
        if rule.action == "tag" and rule.tag and '"' not in rule.tag
    }


def tag_scope(name: str, added: Mapping[str, str]) -> Scope:
    """A tag's scope: its sources' articles (a View), or, for a tag rules add (`added`, from
    `rule_tags`), the search `tag:"NAME"`, which finds the articles carrying it as well."""
    return Scope(ScopeKind.TAG, name, f'tag:"{name}"' if name.casefold() in added else "")


@functools.lru_cache(maxsize=16)
def finds_hidden(query: str) -> bool:
    """Whether `query` lists hidden articles (`is:hidden`): those `U` shows again. Asked at
    each redraw of the footer, hence the cache."""
    return query.strip() != "" and parse_query(query).hidden
