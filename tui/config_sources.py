"""The sources a rule or a saved search names, checked against the config's: a name that
finds no source (one renamed or removed since) is told in a `note:` line, with its file
and line, by `paths`, a refresh and the TUI."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from tui.config_lines import ConfigLines
from tui.names import fold, matching


def note_unknown_sources(
    lines: ConfigLines, arrays: Mapping[str, list[dict[str, Any]]], known: Sequence[str]
) -> None:
    """A note for each table of these arrays (`rules`, `searches`) naming a source none of
    the `known` ones is: it acts on, or lists, nothing of that source."""
    folded = [(name, fold(name)) for name in known]
    for array, tables in arrays.items():
        for index, table in enumerate(tables):
            for key, names in _unknown(folded, table):
                said = " or ".join(map(repr, names))
                lines.note(key, f"no source is named {said} (renamed or removed?)", (array, index))


def _unknown(
    folded: Sequence[tuple[str, str]], table: Mapping[str, Any]
) -> Iterator[tuple[str, list[str]]]:
    """Each key of the table (`sources`, the `query`'s `source:` filters) with the names in
    it that find no source, as `source:` finds them. A value of the wrong type is the
    config's other checks' to refuse."""
    sources = table.get("sources")
    named = {"sources": sources if isinstance(sources, list) else []}
    if isinstance(query := table.get("query"), str):
        from tui.store.query import parse_query  # the search's own reading of a query

        parsed = parse_query(query)
        named["query"] = [*parsed.sources, *parsed.excluded_sources]
    for key, names in named.items():
        if unknown := [n for n in names if isinstance(n, str) and not matching(folded, n)]:
            yield key, unknown
