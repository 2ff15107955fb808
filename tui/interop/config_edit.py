"""Add and remove `[[sources]]` tables in feeds.toml, leaving every other byte as it was.

The edit is made on tomlkit's document model, so any valid TOML is understood (a name holding
`\'\'\'` or a header-like line inside a multi-line string is just a string). One rule is added
to tomlkit's: the blank lines and comments after a table's last key belong to what follows
(tomlkit keeps them inside the table above, so `# Saved searches ...` would slide above an
appended source, or vanish with a removed one). So they are moved: after a new last source,
or in front of the header that followed a removed one.

Before the file is replaced (atomically: temp file + `os.replace`) the result is checked twice:
parsed, it must equal the old data plus or minus exactly those tables, and `load_config` must
accept it. A config that is already invalid is refused, so an edit never hides an old error;
so is a layout tomlkit cannot write back unchanged (inline `sources = [...]`, sources split
around other tables).
"""

from __future__ import annotations

import difflib
import os
import tempfile
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tomlkit
from tomlkit.items import AoT, Comment, Item, Table, Whitespace
from tomlkit.toml_document import TOMLDocument

from tui.config import Config, ConfigError, SourceConfig, load_config
from tui.interop import InteropError
from tui.text import clean_line, name_key
from tui.weburl import is_web

_BOM = b"\xef\xbb\xbf"
_NAME_CHARS = 80

Change = Callable[[TOMLDocument, AoT | None], None]
"""Edits the document in place, given its `[[sources]]` array (None when it has none)."""
Expect = Callable[[list[Any]], list[Any]]
Trivia = Comment | Whitespace
"""Blank lines and comment lines: what sits between a table's last key and the next header."""


@dataclass(frozen=True)
class FeedSpec:
    """A web feed to subscribe to, as an importer found it."""

    name: str
    url: str
    tags: tuple[str, ...] = ()


@dataclass
class ImportReport:
    """What an import or add did to the config."""

    added: list[str] = field(default_factory=list)
    """Names of the sources written to the config (after any renaming)."""
    skipped: list[str] = field(default_factory=list)
    """One line per entry that was not added, saying why (duplicate, unsupported, ...)."""
    notices: list[str] = field(default_factory=list)
    """One line per entry added with a change worth knowing (renamed, was hidden, ...)."""

    def merge(self, other: ImportReport) -> None:
        """Append another report's lines to this one."""
        self.added += other.added
        self.skipped += other.skipped
        self.notices += other.notices


def merge_repeat(seen: dict[str, FeedSpec], spec: FeedSpec) -> str | None:
    """Keep `spec` among the feeds an importer found so far (by `url_key`). A feed listed
    again (Feedly lists one per folder; a urls file may repeat a line) joins the first, its
    tags added; returns the line saying so (None for a feed not seen before)."""
    key = url_key(spec.url)
    earlier = seen.get(key)
    if earlier is None:
        seen[key] = spec
        return None
    merged = earlier.tags + tuple(t for t in spec.tags if t not in earlier.tags)
    seen[key] = FeedSpec(earlier.name, earlier.url, merged)
    again = f"listed again in the file (first as {earlier.name!r})"
    return f"{spec.name} ({spec.url}): {again}: one feed, with the tags of both"


def url_key(url: str) -> str:
    """What makes two feed URLs the same subscription: host, port, path, query (not scheme)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    netloc = (parts.hostname or "").lower()
    if port not in (None, 80, 443):
        netloc += f":{port}"
    key = netloc + parts.path.rstrip("/")
    return f"{key}?{parts.query}" if parts.query else key


def find_duplicate(config: Config, url: str) -> SourceConfig | None:
    """The configured source that already fetches `url`, if any."""
    key = url_key(url)
    return next((s for s in config.sources if s.url and url_key(s.url) == key), None)


def clean_name(text: str | None) -> str:
    """A source name from untrusted text: sanitized, one line, not absurdly long."""
    name = clean_line(text)
    return name if len(name) <= _NAME_CHARS else name[: _NAME_CHARS - 1].rstrip() + "…"


def url_problem(url: str) -> str | None:
    """Why `url` cannot be a feed source (not http(s), hidden characters), or None if it can."""
    try:
        web = is_web(urlsplit(url))
    except ValueError:
        return "not a valid URL"
    if not web:
        return "only http and https feeds can be added"
    if clean_line(url) != url or " " in url:
        return "not a valid URL (spaces or control characters)"
    return None


def name_from_url(url: str) -> str:
    """A readable stand-in name when a feed states no title: host and path."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:  # e.g. a malformed IPv6 literal
        return clean_name(url)
    return clean_name(host + parts.path.rstrip("/")) or clean_name(url)


# -- adding -----------------------------------------------------------------------------


def add_sources(
    config_path: Path, specs: Sequence[FeedSpec], *, dry_run: bool = False
) -> ImportReport:
    """Append sources to the config: same URL as a configured one is skipped, a taken name
    gets a number ("Blog (2)"). With `dry_run` the report is made but nothing is written."""
    config = load_config(config_path)
    report, accepted = _plan(config, specs)
    if accepted and not dry_run:
        _edit(config_path, lambda doc, sources: _append(doc, sources, accepted), _added(accepted))
    return report


def _plan(config: Config, specs: Sequence[FeedSpec]) -> tuple[ImportReport, list[FeedSpec]]:
    report = ImportReport()
    names = {name_key(s.name) for s in config.sources}
    urls = {url_key(s.url): s.name for s in config.sources if s.url}
    accepted: list[FeedSpec] = []
    for spec in specs:
        owner = urls.get(url_key(spec.url))
        if owner is not None:
            report.skipped.append(f"{spec.name} ({spec.url}): same feed as {owner!r}")
            continue
        name = _unique(spec.name, names)
        if name != spec.name:
            report.notices.append(f"{spec.name!r} is taken: added as {name!r}")
        names.add(name_key(name))
        urls[url_key(spec.url)] = name
        accepted.append(FeedSpec(name, spec.url, spec.tags))
        report.added.append(name)
    return report, accepted


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    while name_key(candidate) in taken:
        number += 1
        candidate = f"{name} ({number})"
    return candidate


def _append(doc: TOMLDocument, sources: AoT | None, specs: Sequence[FeedSpec]) -> None:
    """New tables go right after the last source's own lines (or at the end of the file)."""
    tables = [_table(spec) for spec in specs]
    if sources is None:
        _end_with_blank(doc)
        doc.append("sources", tomlkit.aot())
        sources = doc["sources"]
        trail: list[Trivia] = []
    else:
        trail = _take_trail(sources[-1])
        sources[-1].add(tomlkit.nl())
    for number, table in enumerate(tables):
        if number:
            tables[number - 1].add(tomlkit.nl())
        sources.append(table)
    for item in trail:
        tables[-1].add(item)


def _end_with_blank(doc: TOMLDocument) -> None:
    """A blank line at the end of a file that has text, to set new tables apart."""
    last = _last_table(doc.body[-1][1]) if doc.body else None
    if last is not None and not _ends_blank(last):
        (last if isinstance(last, Table) else doc).add(tomlkit.nl())


def _table(spec: FeedSpec) -> Table:
    """One `[[sources]]` table; tomlkit quotes any name correctly."""
    table = tomlkit.table()
    table.add("name", spec.name)
    table.add("url", spec.url)
    if spec.tags:
        table.add("tags", list(spec.tags))
    return table


def _added(specs: Sequence[FeedSpec]) -> Expect:
    tables = [
        {"name": s.name, "url": s.url, **({"tags": list(s.tags)} if s.tags else {})} for s in specs
    ]
    return lambda sources: [*sources, *tables]


# -- removing ---------------------------------------------------------------------------


def remove_source(config_path: Path, name: str) -> SourceConfig:
    """Delete the source called `name` from the config; returns what it was."""
    config = load_config(config_path)
    names = [s.name for s in config.sources]
    if name not in names:
        raise InteropError(f"{config_path}: no source named {name!r}{_suggest(name, names)}")
    index = names.index(name)
    _edit(
        config_path,
        lambda doc, sources: _delete(doc, sources, index),
        lambda sources: sources[:index] + sources[index + 1 :],
    )
    return config.sources[index]


def _suggest(name: str, names: list[str]) -> str:
    folded = {n.casefold(): n for n in names}
    close = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.6)
    return f" (did you mean {folded[close[0]]!r}?)" if close else ""


def _delete(doc: TOMLDocument, sources: AoT | None, index: int) -> None:
    """Remove one table; the blank lines and comments below it stay where they were."""
    assert sources is not None  # the source was found in the config
    item_before, item_after = _neighbours(doc, sources)
    before = _last_table(sources[index - 1] if index else item_before)
    trail = _take_trail(sources[index])
    del sources[index]
    after = sources[index] if index < len(sources) else item_after
    if not sources:
        doc.remove("sources")
    _tidy_gap(before, trail, at_end=after is None)
    _put_before(doc, after, trail)


def _tidy_gap(before: Item | None, trail: list[Trivia], at_end: bool) -> None:
    """Keep the gap a removed table leaves to one blank line, and to none at the end."""
    blank_before = before is None or _ends_blank(before)
    if trail and isinstance(trail[0], Whitespace) and blank_before:
        trail.pop(0)
    if not at_end:
        return
    while trail and isinstance(trail[-1], Whitespace):
        trail.pop()
    while not trail and isinstance(before, Table) and _ends_blank(before):
        del before.value.body[-1]


def _take_trail(table: Table) -> list[Trivia]:
    """Remove and return the blank lines and comments after the table's last key."""
    body = table.value.body
    start = len(body)
    while (
        start
        and body[start - 1][0] is None
        and isinstance(body[start - 1][1], Whitespace | Comment)
    ):
        start -= 1
    trail = [item for _, item in body[start:] if isinstance(item, Whitespace | Comment)]
    del body[start:]
    return trail


def _put_before(doc: TOMLDocument, header: Item | None, trail: list[Trivia]) -> None:
    """Lines that sat in front of `header` (a table; None: the end of the file) go back there."""
    if header is None:
        for item in trail:
            doc.add(item)
        return
    table = header[0] if isinstance(header, AoT) else header
    if not isinstance(table, Table) or table.is_super_table():  # no header line of its own
        raise _Unwritable
    # tomlkit writes a header's indent as it is: the moved lines become part of it.
    table.trivia.indent = "".join(item.as_string() for item in trail) + table.trivia.indent


def _neighbours(doc: TOMLDocument, sources: AoT) -> tuple[Item | None, Item | None]:
    """The document's items just before and just after the `[[sources]]` tables."""
    items = [item for _, item in doc.body]
    at = next(i for i, item in enumerate(items) if item is sources)
    return (items[at - 1] if at else None), (items[at + 1] if at + 1 < len(items) else None)


def _last_table(item: Item | None) -> Item | None:
    """The table whose lines end `item` (the last of an array of tables)."""
    return item[-1] if isinstance(item, AoT) and len(item) else item


def _ends_blank(item: Item) -> bool:
    """Whether the text of `item` ends with a blank line."""
    if isinstance(item, Table):
        body = item.value.body
        return bool(body) and isinstance(body[-1][1], Whitespace)
    return isinstance(item, Whitespace)


# -- the edit itself ----------------------------------------------------------------------


def _edit(config_path: Path, change: Change, expect: Expect) -> None:
    """Apply a change to the document, check it against the expected sources, then replace
    the file."""
    target = config_path.resolve()  # a symlinked config keeps its link; the target is edited
    raw = target.read_bytes() if target.exists() else b""
    text = raw.decode("utf-8-sig")
    crlf = "\n" in text and text.count("\r\n") == text.count("\n")
    doc = tomlkit.parse(text)
    if doc.as_string() != text:  # tomlkit would move something: do not guess
        raise _refuse(target)
    try:
        change(doc, _sources(doc))
    except _Unwritable:
        raise _refuse(target) from None
    new_text = doc.as_string()
    if new_text and not new_text.endswith("\n"):
        new_text += "\n"
    if crlf:  # the new lines come with "\n" alone
        new_text = new_text.replace("\r\n", "\n").replace("\n", "\r\n")
    _check(target, text, new_text, expect)
    data = (_BOM if raw.startswith(_BOM) else b"") + new_text.encode("utf-8")
    _replace(target, data)


def _sources(doc: TOMLDocument) -> AoT | None:
    """The `[[sources]]` array of tables; refused when sources are written some other way."""
    if "sources" not in doc:
        return None
    sources = doc.item("sources")
    if not isinstance(sources, AoT):  # e.g. `sources = [{ name = ... }]`
        raise _Unwritable
    return sources


def _check(path: Path, old_text: str, new_text: str, expect: Expect) -> None:
    old, new = tomllib.loads(old_text), tomllib.loads(new_text)
    old["sources"] = expect(old.get("sources", []))
    if not old["sources"]:
        del old["sources"]
    if old != new:
        raise _refuse(path)


class _Unwritable(Exception):
    """The document has a layout this edit cannot write back as it was."""


def _refuse(path: Path) -> InteropError:
    # Better to refuse than to guess.
    return InteropError(f"{path}: cannot edit the [[sources]] tables safely; please edit by hand")


def _replace(target: Path, data: bytes) -> None:
    """Write a sibling temp file, make `load_config` accept it, then move it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        try:
            load_config(temp)
        except ConfigError as exc:  # name the real file, not the temp one
            raise ConfigError(target, exc.message, exc.key, exc.line) from None
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
