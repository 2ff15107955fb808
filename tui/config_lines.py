"""The lines a config's reading tells: where a key is written (its line, its label), the
error that refuses the file, and the lines read on past: a note for a value read other than
as written, a line for an entry left out (named as an earlier one but for case or spacing,
a broken rule or saved search).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Protocol, TypeVar

from tui.text import clean_line, name_key

if TYPE_CHECKING:
    import tomllib

Table = tuple[str, int | None]
"""A table of the config: its name, and its index in an array of tables (None for a table)."""


class ConfigError(Exception):
    """A config problem, printed as one line: `file:line: key: message`."""

    def __init__(self, path: Path, message: str, key: str = "", line: int | None = None) -> None:
        self.path, self.key, self.line, self.message = path, key, line, message
        where = f"{path}:{line}" if line else str(path)
        # A key is text from the file: a quoted one may hold escape sequences.
        text = f"{where}: {key}: {message}" if key else f"{where}: {message}"
        super().__init__(clean_line(text))


class _Entry(Protocol):
    @property
    def name(self) -> str: ...


_Named = TypeVar("_Named", bound=_Entry)
_E = TypeVar("_E")
"""An entry of an array of tables: a rule, a saved search."""


class ConfigLines:
    """A config file's text, and the lines its reading has to tell so far."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.left_out: list[str] = []
        self.notes: list[str] = []

    def distinct(self, array: str, entries: Sequence[_Named | None]) -> tuple[_Named, ...]:
        """Entries with distinct names. The same name twice is refused; a name an earlier
        entry has but for case or spacing ("bbc" after "BBC", which older versions took) is
        left out with a line: the two would read as one (`source:bbc`, the panes), and a
        source's name ties its cached articles to it, so neither is merged into the other.
        None stands for an entry skipped as broken, keeping the others' places."""
        kept: dict[str, _Named] = {}
        for index, entry in enumerate(entries):
            if entry is None:
                continue
            first = kept.setdefault(name_key(entry.name), entry)
            if first is entry:
                continue
            if first.name == entry.name:
                self.fail("name", f"duplicate name {entry.name!r}", (array, index))
            noun, kept_too = (
                ("source", ", its cached articles kept") if array == "sources" else ("search", "")
            )
            why = f"{entry.name!r} is {first.name!r} but for case or spacing: this {noun} is "
            why += f"left out{kept_too} (give it another name to use it)"
            self.left_out.append(str(self.error("name", why, (array, index))))
        return tuple(kept.values())

    def skipping(
        self,
        noun: str,
        read: Callable[[int, dict[str, Any]], _E],
        tables: list[dict[str, Any]],
    ) -> tuple[list[_E | None], tuple[str, ...]]:
        """Each of the tables read, None in place of a broken one, and a one-line
        error for each of those: a broken rule or saved search is skipped, never fatal."""
        entries: list[_E | None] = []
        errors: list[str] = []
        for index, table in enumerate(tables):
            try:
                entries.append(read(index, table))
            except ConfigError as exc:
                entries.append(None)
                errors.append(f"{exc} ({noun} skipped)")
        return entries, tuple(errors)

    def note(self, key: str, message: str, table: Table) -> None:
        """A value read other than as written, told in a line and read on."""
        self.notes.append(f"note: {self.error(key, message, table)}")

    def fail(self, key: str, message: str, table: Table | None) -> NoReturn:
        raise self.error(key, message, table)

    def error(self, key: str, message: str, table: Table | None) -> ConfigError:
        label = key if table is None else key_label(table, key)
        return ConfigError(self.path, message, key=label, line=key_line(self.lines, table, key))


def toml_error_line(exc: tomllib.TOMLDecodeError, text: str) -> int | None:
    """The line tomllib names; for a file that ends inside a string (cut short while
    saved), the line where that string starts."""
    if match := re.search(r"at line (\d+)", str(exc)):
        return int(match.group(1))
    if "at end of document" not in str(exc):
        return None
    return _open_string_line(text)


def _open_string_line(text: str) -> int:
    """Where the string a file ends inside starts: a one-line string meets the newline
    added after it on its own line, which tomllib then names; else the last multi-line
    string's opening quotes; else the last line."""
    import tomllib

    try:
        tomllib.loads(text + "\n")
    except tomllib.TOMLDecodeError as exc:
        if match := re.search(r"at line (\d+)", str(exc)):
            return int(match.group(1))
    opening = max(text.rfind('"""'), text.rfind("'''"))
    return text.count("\n", 0, opening if opening >= 0 else len(text.rstrip("\n"))) + 1


def key_label(table: Table, key: str) -> str:
    """`sources[2].name`, `settings.theme`: how an error line names a key."""
    name, index = table
    return f"{name}[{index + 1}].{key}" if index is not None else f"{name}.{key}"


def key_line(lines: list[str], table: Table | None, key: str) -> int | None:
    """Line of `key` inside the given table (or top level), found by scanning headers; the
    table's header line when the key is not written in it."""
    current: Table | None = None
    counts: dict[str, int] = {}
    header_line: int | None = None
    key_pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for number, line in enumerate(lines, start=1):
        header = re.match(r"^\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]\]?", line)
        if header:
            name = header.group(2)
            if header.group(1) == "[[":
                counts[name] = counts.get(name, -1) + 1
                current = (name, counts[name])
            else:
                current = (name, None)
            if current == table or (table is None and name == key):
                header_line = number
            continue
        if current == table and key_pattern.match(line):
            return number
    return header_line
