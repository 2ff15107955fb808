"""Add and remove `[[sources]]` tables in feeds.toml, leaving every other byte as it was.

Why not round-trip the document through tomlkit alone: tomlkit keeps the comment that sits
above a table header inside the *previous* table, so appending after the last source slides
`# Saved searches ...` above the new source, and removing the last source deletes it. So the
edit is made on lines: tomlkit renders the new table (quoting is always right) and it goes
right after the last source's own lines; a removed table loses only its header and key lines.
Comments outside a table are never deleted.

Before the file is replaced (atomically: temp file + `os.replace`) the result is checked twice:
parsed, it must equal the old data plus or minus exactly those tables, and `load_config` must
accept it. A config that is already invalid is refused, so an edit never hides an old error.
"""

from __future__ import annotations

import difflib
import os
import re
import tempfile
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tomlkit

from tui.config import Config, ConfigError, SourceConfig, load_config
from tui.interop import InteropError
from tui.text import clean_line

_BOM = b"\xef\xbb\xbf"
_NAME_CHARS = 80
# A table header line: `[name]` or `[[name]]`, maybe followed by a comment.
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]#]*?)\s*\]\]?\s*(?:#.*)?$")
_SOURCES = {"sources", '"sources"', "'sources'"}

Block = tuple[int, int]
"""A `[[sources]]` table in the text: index of its header line, index after its last key."""
Change = Callable[[list[str], list[Block]], list[str]]
Expect = Callable[[list[Any]], list[Any]]


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
        parts = urlsplit(url)
        scheme, host = parts.scheme.lower(), parts.hostname
    except ValueError:
        return "not a valid URL"
    if scheme not in ("http", "https") or not host:
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
        _edit(config_path, lambda lines, blocks: _append(lines, blocks, accepted), _added(accepted))
    return report


def _plan(config: Config, specs: Sequence[FeedSpec]) -> tuple[ImportReport, list[FeedSpec]]:
    report = ImportReport()
    names = {s.name for s in config.sources}
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
        names.add(name)
        urls[url_key(spec.url)] = name
        accepted.append(FeedSpec(name, spec.url, spec.tags))
        report.added.append(name)
    return report, accepted


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name} ({number})"
    return candidate


def _append(lines: list[str], blocks: list[Block], specs: Sequence[FeedSpec]) -> list[str]:
    """New tables go right after the last source's own lines (or at the end of the file)."""
    at = blocks[-1][1] if blocks else _content_end(lines)
    new: list[str] = []
    for spec in specs:
        new += ([""] if at or new else []) + _render(spec)
    return lines[:at] + new + lines[at:]


def _render(spec: FeedSpec) -> list[str]:
    """One `[[sources]]` table as lines, rendered by tomlkit so any name quotes correctly."""
    table = tomlkit.table()
    table.add("name", spec.name)
    table.add("url", spec.url)
    if spec.tags:
        table.add("tags", list(spec.tags))
    tables = tomlkit.aot()
    tables.append(table)
    document = tomlkit.document()
    document.add("sources", tables)
    return document.as_string().strip("\n").split("\n")


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
        lambda lines, blocks: _delete(lines, blocks[index]),
        lambda sources: sources[:index] + sources[index + 1 :],
    )
    return config.sources[index]


def _suggest(name: str, names: list[str]) -> str:
    folded = {n.casefold(): n for n in names}
    close = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.6)
    return f" (did you mean {folded[close[0]]!r}?)" if close else ""


def _delete(lines: list[str], block: Block) -> list[str]:
    start, end = block
    # Take one neighbouring blank line too, so the gap left behind stays a single blank line.
    if end < len(lines) and not lines[end].strip() and (start == 0 or not lines[start - 1].strip()):
        end += 1
    return lines[:start] + lines[end:]


# -- the edit itself ----------------------------------------------------------------------


def _edit(config_path: Path, change: Change, expect: Expect) -> None:
    """Apply a line change, check it against the expected sources, then replace the file."""
    target = config_path.resolve()  # a symlinked config keeps its link; the target is edited
    raw = target.read_bytes() if target.exists() else b""
    text = raw.decode("utf-8-sig")
    lines, crlf = _split(text)
    blocks = _source_blocks(lines)
    if len(blocks) != len(tomllib.loads(text).get("sources", [])):
        raise _refuse(target)
    new_text = _join(change(lines, blocks), crlf)
    _check(target, text, new_text, expect)
    data = (_BOM if raw.startswith(_BOM) else b"") + new_text.encode("utf-8")
    _replace(target, data)


def _check(path: Path, old_text: str, new_text: str, expect: Expect) -> None:
    old, new = tomllib.loads(old_text), tomllib.loads(new_text)
    old["sources"] = expect(old.get("sources", []))
    if not old["sources"]:
        del old["sources"]
    if old != new:
        raise _refuse(path)


def _refuse(path: Path) -> InteropError:
    # The text scan met a layout it does not understand: better to refuse than to guess.
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


# -- finding tables in the text -----------------------------------------------------------


def _split(text: str) -> tuple[list[str], bool]:
    """Lines, and whether the file uses CRLF throughout (new lines then use it too)."""
    # Split on newlines only: str.splitlines would also split strings at U+2028 and friends.
    crlf = "\n" in text and text.count("\r\n") == text.count("\n")
    return text.split("\r\n" if crlf else "\n"), crlf


def _join(lines: list[str], crlf: bool) -> str:
    newline = "\r\n" if crlf else "\n"
    text = newline.join(lines)
    return text + newline if text and not text.endswith("\n") else text


def _source_blocks(lines: list[str]) -> list[Block]:
    """(first, after-last) line index of each `[[sources]]` table's own lines.

    A table owns its header and the lines up to its last key; blank lines and comments after
    that belong to whatever follows (they usually introduce the next header)."""
    headers = _headers(lines)
    blocks = []
    for number, (start, is_source) in enumerate(headers):
        if not is_source:
            continue
        stop = headers[number + 1][0] if number + 1 < len(headers) else len(lines)
        end = start + 1
        for index in range(start + 1, stop):
            if _is_content(lines[index]):
                end = index + 1
        blocks.append((start, end))
    return blocks


def _headers(lines: list[str]) -> list[tuple[int, bool]]:
    """Line index of every table header, and whether it opens a `[[sources]]` table."""
    found: list[tuple[int, bool]] = []
    open_string: str | None = None
    for index, line in enumerate(lines):
        match = _HEADER.match(line) if open_string is None else None
        if match:
            found.append((index, match.group(1) == "[[" and match.group(2) in _SOURCES))
        open_string = _multiline_string(line, open_string)
    return found


def _multiline_string(line: str, current: str | None) -> str | None:
    """Track `\"\"\"`/`'''` strings so a header-like line inside one is not taken for a header."""
    for quotes in ('"""', "'''"):
        if current in (None, quotes) and line.count(quotes) % 2:
            return None if current == quotes else quotes
    return current


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _content_end(lines: list[str]) -> int:
    """Index after the last non-blank line (comments count: new tables go below them)."""
    return max((i + 1 for i, line in enumerate(lines) if line.strip()), default=0)
