"""`newsdesk import PATH...`: read local files into the cache as one source, no config edit."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from tui.models import Article, FetchOutcome, Rule, SourceKind
from tui.refresh.summary import RefreshSummary, join_warnings, sweeping
from tui.store import Store
from tui.stories.grouping import settle_intake
from tui.text import clean_line, path_text


class NameTaken(ValueError):
    """The import's source name is a web source's: one line for the user."""


def import_paths(
    store: Store,
    paths: Sequence[Path],
    source_name: str | None = None,
    rules: Sequence[Rule] = (),
    stored: Callable[[int], None] | None = None,
) -> RefreshSummary:
    """`newsdesk import PATH...`: read local files into the cache without editing the config.

    The source is `source_name` (sanitized: it comes from the command line), else the folder's
    name for a single folder, else "Imported". Importing again adds nothing new; a changed file
    updates its article in place. `stored` is told how many new articles the cache took,
    as soon as it took them (before their stories are looked for).
    """
    name = clean_line(source_name) or _import_name(paths)
    existing = store.source_state(name)
    if existing is not None and existing.kind is not SourceKind.LOCAL:
        raise NameTaken(f"{name!r} is a web source; choose another name for the import")
    location = clean_line(import_location(paths))
    source_id = store.ensure_source(name, SourceKind.LOCAL, location, follows=False)
    articles, warnings, errors = _load_all(paths)
    # Not `complete`: an import adds to the source, it does not say what has left it.
    outcome = FetchOutcome(warning=join_warnings(warnings), complete=False)
    result = store.record_refresh(source_id, articles, outcome, rules=rules)
    if stored is not None:
        stored(result.shown + result.hidden)
    notices = [f"{name}: {w}" for w in warnings]
    if result.rules:
        notices += sweeping(result.rules.hid, result.shown + result.hidden)
    stories = settle_intake(store, result.new_ids)
    if stories:
        notices.append(stories)
    errs = [f"{name}: {e}" for e in errors]
    ok = int(bool(articles) or not errors)
    return RefreshSummary(
        ok=ok, failed=1 - ok, new=result.shown, hidden=result.hidden, errors=errs, notices=notices
    )


def import_location(paths: Sequence[Path]) -> str:
    """The location an import stores: its paths (resolved, so absolute) joined by the
    platform's separator (`:`), as `PATH` is."""
    return os.pathsep.join(path_text(p) for p in paths)


def located_paths(location: str) -> list[str]:
    """The paths `import_location` joined: split at a separator only where an absolute path
    follows, so a name holding one (`10:30 notes.md`) stays whole."""
    paths: list[str] = []
    for part in location.split(os.pathsep):
        if paths and not Path(part).is_absolute():
            paths[-1] += os.pathsep + part
        else:
            paths.append(part)
    return paths


def _load_all(paths: Sequence[Path]) -> tuple[list[Article], list[str], list[str]]:
    from tui.sources.files import load_local  # ~110 ms of imports (trafilatura)

    articles: list[Article] = []
    warnings: list[str] = []
    errors: list[str] = []
    for path in paths:
        if not path.exists():
            errors.append(clean_line(f"no such file or folder: {path_text(path)}"))
            continue
        result = load_local(path)
        articles.extend(result.articles)
        warnings.extend(result.warnings)
    return articles, warnings, errors


def _import_name(paths: Sequence[Path]) -> str:
    if len(paths) == 1 and paths[0].is_dir():
        return clean_line(path_text(Path(paths[0].resolve().name))) or "Imported"
    return "Imported"
