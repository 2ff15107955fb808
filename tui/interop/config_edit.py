"""Add and remove `[[sources]]` tables in feeds.toml, leaving every other byte as it was.

The edit is made on the text: `toml_text` finds each top-level table with tomllib, so any valid
TOML is understood (a name holding `\'\'\'` or a header-like line inside a multi-line string
is just a string), and `[[sources]]` tables may sit anywhere among the others. A table is its
header line through its last key: the blank lines and comments below it belong to what
follows, and those above its header to what precedes, so removing a table never takes a
comment from outside it, and a new table goes right after the last source's last key.

Before the file is replaced (atomically: temp file + `os.replace`) the result is checked twice:
parsed, it must equal the old data plus or minus exactly those tables, and `load_config` must
accept it. A config that is already invalid is refused, so an edit never hides an old error;
so are sources written as an inline array (`sources = [...]`), which have no table to edit.
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

from tui.config import Config, ConfigError, SourceConfig, load_config
from tui.interop import InteropError, InteropFailed
from tui.interop.toml_text import Piece, cut_lines, insert_lines, own_end, split_tables
from tui.text import clean_line, name_key
from tui.weburl import is_web, port_problem, url_key, without_password

_BOM = b"\xef\xbb\xbf"
_NAME_CHARS = 80

Expect = Callable[[list[Any]], list[Any]]
"""The sources an edit should leave, given the config's parsed `sources` array."""


@dataclass(frozen=True)
class FeedSpec:
    """A web feed to subscribe to, as an importer found it."""

    name: str
    url: str
    tags: tuple[str, ...] = ()
    where: str = ""
    """Where the importer found it (`subs.opml:6`), the start of its skip line."""


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
    seen[key] = FeedSpec(earlier.name, earlier.url, merged, earlier.where)
    again = f"listed again in the file (first as {earlier.name!r})"
    return f"{spec.name} ({without_password(spec.url)}): {again}: one feed, with the tags of both"


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
    except ValueError:
        return "not a valid URL"
    if not is_web(parts):
        return port_problem(parts) or "only http and https feeds can be added"
    if clean_line(url) != url or " " in url or "\ufffd" in url:  # U+FFFD: a character lost
        return "not a valid URL (spaces or control characters)"
    return None


def name_from_url(url: str) -> str:
    """A readable stand-in name when a feed states no title: host (and its port, unless the
    scheme's own: two servers on one host are two feeds) and path."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")
        port = parts.port
    except ValueError:  # e.g. a malformed IPv6 literal, a port out of range
        return clean_name(url)
    if port not in (None, 80, 443):
        host += f":{port}"
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
        tables = [_fields(spec) for spec in accepted]
        _edit(
            config_path,
            lambda layout: _append(layout, tables),
            lambda sources: [*sources, *tables],
        )
    return report


def _plan(config: Config, specs: Sequence[FeedSpec]) -> tuple[ImportReport, list[FeedSpec]]:
    report = ImportReport()
    names = {name_key(s.name) for s in config.sources}
    urls = {url_key(s.url): s.name for s in config.sources if s.url}
    accepted: list[FeedSpec] = []
    for spec in specs:
        owner = urls.get(url_key(spec.url))
        if owner is not None:
            at = f"{spec.where}: " if spec.where else ""
            shown = without_password(spec.url)
            report.skipped.append(f"{at}{spec.name} ({shown}): same feed as {owner!r}")
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


def _fields(spec: FeedSpec) -> dict[str, Any]:
    """One new `[[sources]]` table's keys."""
    return {"name": spec.name, "url": spec.url, **({"tags": list(spec.tags)} if spec.tags else {})}


def _append(layout: _Layout, tables: list[dict[str, Any]]) -> str:
    """New tables go right after the last source's last key (or at the end of the file),
    a blank line apart; tomlkit quotes any name correctly."""
    rendered = [tomlkit.dumps({"sources": [table]}) for table in tables]
    block = "\n".join(rendered).replace("\n", layout.newline)  # values are one line each
    last = layout.tables[-1] if layout.tables else None
    at = own_end(layout.text, last) if last else len(layout.text)
    return insert_lines(layout.text, at, block, layout.newline)


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
        lambda layout: _delete(layout, index),
        lambda sources: sources[:index] + sources[index + 1 :],
    )
    return config.sources[index]


def _suggest(name: str, names: list[str]) -> str:
    folded = {n.casefold(): n for n in names}
    close = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.6)
    return f" (did you mean {folded[close[0]]!r}?)" if close else ""


def _delete(layout: _Layout, index: int) -> str:
    """The table's header line through its last key go; the lines around it stay."""
    table = layout.tables[index]  # the loader read the same tables in the same order
    return cut_lines(layout.text, table.start, own_end(layout.text, table))


# -- the edit itself ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """The config's text and where its `[[sources]]` tables are."""

    text: str
    tables: list[Piece]
    """The `[[sources]]` tables in file order, whatever tables sit between them."""
    newline: str
    """The line break new lines get: CRLF when every line of the file ends so, else LF."""


def _edit(config_path: Path, change: Callable[[_Layout], str], expect: Expect) -> None:
    """Make the config's new text, check it against the expected sources, then replace the
    file."""
    target = config_path.resolve()  # a symlinked config keeps its link; the target is edited
    raw = target.read_bytes() if target.exists() else b""
    text = raw.decode("utf-8-sig")
    new_text = change(_layout(target, text))
    _check(target, text, new_text, expect)
    data = (_BOM if raw.startswith(_BOM) else b"") + new_text.encode("utf-8")
    _replace(target, data)


def _layout(path: Path, text: str) -> _Layout:
    try:
        pieces = split_tables(text)
    except tomllib.TOMLDecodeError:  # changed since it was loaded
        raise _refuse(path) from None
    if "sources" in pieces[0].data:  # before any header: `sources = [...]`
        raise InteropError(
            f"{path}: the sources are an inline array (sources = [...]), not [[sources]] "
            "tables; please edit by hand"
        )
    tables = [piece for piece in pieces[1:] if isinstance(piece.data.get("sources"), list)]
    crlf = "\n" in text and text.count("\r\n") == text.count("\n")
    return _Layout(text, tables, "\r\n" if crlf else "\n")


def _check(path: Path, old_text: str, new_text: str, expect: Expect) -> None:
    old = tomllib.loads(old_text)
    try:
        new = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError:
        raise _refuse(path) from None
    old["sources"] = expect(old.get("sources", []))
    if not old["sources"]:
        del old["sources"]
    if old != new:
        raise _refuse(path)


def _refuse(path: Path) -> InteropError:
    # Better to refuse than to guess.
    return InteropError(f"{path}: cannot edit the [[sources]] tables safely; please edit by hand")


def _replace(target: Path, data: bytes) -> None:
    """Write a sibling temp file, make `load_config` accept it, then move it into place."""
    try:
        _write_checked(target, data)
    except OSError as exc:  # a read-only folder, a full disk: the file stays as it was
        raise InteropFailed(f"{target}: cannot write: {exc.strerror}") from None


def _write_checked(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # A new config is its owner's alone: a `[sync]` password may go in it.
        os.chmod(temp, target.stat().st_mode & 0o777 if target.exists() else 0o600)
        try:
            load_config(temp)
        except ConfigError as exc:  # name the real file, not the temp one
            raise ConfigError(target, exc.message, exc.key, exc.line) from None
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
