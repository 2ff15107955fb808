"""Key bindings as data: the ids users may remap (and their friendly names), and the help
rows with the keys in force.

Help rows are computed by applying the keymap to each class's `BINDINGS` the way Textual
does (`BindingsMap.apply_keymap`), so `?` always shows what the keys really are.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from textual.binding import Binding, BindingsMap, BindingType
from textual.dom import DOMNode

from tui.config import ConfigError

Keymap = Mapping[str, str]


@dataclass(frozen=True)
class HelpSection:
    """A titled group of bindings, e.g. "Article list"."""

    title: str
    bindings: Sequence[BindingType]


@dataclass(frozen=True)
class HelpRow:
    """One line of the help screen: keys, what they do, and the id that remaps them."""

    keys: tuple[str, ...]
    description: str
    binding_id: str = ""

    @property
    def key_text(self) -> str:
        """The keys for display; a run of many (the digits) as `first…last`."""
        if len(self.keys) > 3:
            return f"{self.keys[0]}…{self.keys[-1]}"
        return " ".join(self.keys)


LIST_MOTIONS = ("cursor_down", "cursor_up", "first", "last", "page_down", "page_up")
"""The actions of a list's cursor keys (`LineView`), in `motion_bindings`' order."""


def motion_bindings(
    actions: Sequence[str] = LIST_MOTIONS,
    *,
    space_pages: bool = False,
    ends: tuple[str, str] = ("First", "Last"),
    paging_shown: bool = False,
) -> list[Binding]:
    """The six keys that move a cursor or scroll (their ids, `cursor.*`, remap all of them at
    once): down, up, first, last, page down and page up, run as `actions` (in that order).
    `space_pages`: space pages down too; `ends`: how the help names the first and the last;
    `paging_shown`: the footer shows the page keys."""
    down, up, first, last, page_down, page_up = actions
    return [
        Binding("j,down", down, "Down", id="cursor.down", show=False),
        Binding("k,up", up, "Up", id="cursor.up", show=False),
        Binding("g,home", first, ends[0], id="cursor.first", show=False),
        Binding("G,end", last, ends[1], id="cursor.last", show=False),
        Binding(
            "pagedown,space" if space_pages else "pagedown",
            page_down,
            "Page down",
            id="cursor.page_down",
            show=paging_shown,
        ),  # fmt: skip
        Binding("pageup", page_up, "Page up", id="cursor.page_up", show=paging_shown),
    ]


def section(title: str, *classes: type[DOMNode]) -> HelpSection:
    """A help section made of the bindings declared on these classes."""
    return HelpSection(title, [b for cls in classes for b in cls.BINDINGS])


def known_ids(sections: Iterable[HelpSection]) -> set[str]:
    """Every binding id a `[keys]` table may name."""
    return {
        binding.id
        for help_section in sections
        for binding in Binding.make_bindings(help_section.bindings)
        if binding.id
    }


def aliases(sections: Iterable[HelpSection]) -> dict[str, str]:
    """Friendly names `[keys]` may use for a binding id: its action (`next_article` for
    `article.next`) and the id with `_` for `.` (`article_next`). A name that would stand for
    two different ids is left out."""
    names: dict[str, set[str]] = {}
    for help_section in sections:
        for binding in Binding.make_bindings(help_section.bindings):
            if binding.id and "(" not in binding.action:
                for name in (binding.action.rpartition(".")[2], binding.id.replace(".", "_")):
                    names.setdefault(name, set()).add(binding.id)
    for name, new in _renamed().items():
        names.setdefault(name, set()).add(new)
    return {name: next(iter(ids)) for name, ids in names.items() if len(ids) == 1}


RENAMED = {"reader.play": "article.play", "reader.download": "article.download"}
"""Binding ids of earlier versions that a `[keys]` table may still name: `e` and `E` moved
from the reader to every article (the list's too)."""


def _renamed() -> dict[str, str]:
    """Each name `RENAMED` lets a `[keys]` table use (the id, and with `_` for `.`) -> the
    id it is now."""
    return {name: new for old, new in RENAMED.items() for name in (old, old.replace(".", "_"))}


def renamed_notes(keys: Keymap, path: Path) -> list[str]:
    """A `note:` line for each `[keys]` entry naming a binding by an earlier id: it applies,
    and the line says the id to write from now on."""
    renamed = _renamed()
    return [f"note: {_entry_error(path, name, f'renamed {renamed[name]}: read as it')}"
            for name in keys if name in renamed]  # fmt: skip


def checked_keymap(
    keys: Keymap, path: Path, sections: Sequence[HelpSection]
) -> tuple[dict[str, str], list[str]]:
    """`[keys]` by binding id (friendly names translated), and a one-line error for each entry
    left out: one that is neither an id nor a friendly name, or one giving a key another
    binding holds. The other entries apply."""
    known, friendly = known_ids(sections), aliases(sections)
    errors = [unknown_entry(name, known | friendly.keys(), path) for name in keys
              if name not in known and name not in friendly]  # fmt: skip
    unusable = {name: why for name, value in keys.items() if (why := key_problem(value))}
    errors += [_entry_error(path, name, why) for name, why in unusable.items()]
    keymap = {friendly.get(name, name): value for name, value in keys.items()
              if name not in unusable}  # fmt: skip
    keymap = {binding_id: value for binding_id, value in keymap.items() if binding_id in known}
    clashes = dict(_clashes(keymap, sections))  # such an entry would do nothing but
    errors += [_entry_error(path, name, why) for name, why in clashes.items()]  # take a key away
    return {k: v for k, v in keymap.items() if k not in clashes}, errors


_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}


def key_problem(value: str) -> str | None:
    """Why a `[keys]` value (keys separated by commas) is not one Textual can bind: an entry
    giving none, or a name it does not know, would take the action's key away."""
    keys = [key.strip() for key in value.split(",")]
    if not any(keys):
        return "gives no key (leave the entry out to keep the action's own key)"
    for key in keys:
        *modifiers, name = key.split("+")
        if not _is_key_name(name) or not set(modifiers) <= _MODIFIERS:
            return f"{key!r} is not a key (keys are written 'n', 'N', 'ctrl+r', 'f5', 'space')"
    return None


def _is_key_name(name: str) -> bool:
    """A key Textual knows by this name: a character, a named key, or a character's name."""
    from textual.keys import key_to_character

    return len(name) == 1 or name in _key_names() or key_to_character(name) is not None


@functools.cache
def _key_names() -> frozenset[str]:
    from textual.keys import KEY_ALIASES, Keys, _character_to_key

    keys = [key.value for key in Keys] + [key for keys in KEY_ALIASES.values() for key in keys]
    characters = (_character_to_key(chr(code)) for code in range(32, 127))
    return frozenset({key.rpartition("+")[2] for key in keys} | set(characters))


def line_of(path: Path, name: str) -> int | None:
    """The line of the config that sets `name` (bare, quoted or dotted: `"a.b" = ...`)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeError):
        return None
    wanted = name + "="
    for number, text in enumerate(lines, 1):
        if "".join(text.split()).replace('"', "").replace("'", "").startswith(wanted):
            return number
    return None


SCREEN_WIDE = {"Everywhere", "Panes, views and search", "Articles"}
"""Sections whose keys the app or the screen handles: only when the focused pane's widget
has no binding for the key."""
IN_PANES = {"Article list", "Reader", "Sources pane"}


def _clashes(keymap: Keymap, sections: Sequence[HelpSection]) -> list[tuple[str, str]]:
    """Remapped bindings given a key another binding holds where both are in force (the
    same section, or a pane's widget and the screen, where the widget's takes it first):
    (binding id, why), in the keymap's order. A binding keeping its own key is not at fault:
    the entry taking that key from it is (`"cursor.down" = "j,ctrl+n"` beside
    `"article.save" = "j"` leaves out the save, not both)."""
    taken = _taken(sections, keymap)
    own = {(title, key, name) for title, key, name, _ in _taken(sections, {})}
    found: list[tuple[str, str]] = []
    for binding_id in keymap:
        mine = [(title, key) for title, key, name, _ in taken
                if name == binding_id and (title, key, name) not in own]  # fmt: skip
        clash = next(
            (
                (key, other, description, where)
                for title, key in mine
                for where, other_key, other, description in taken
                if other_key == key and other != binding_id and _meet(title, where)
            ),
            None,
        )
        if clash is not None:
            key, other, description, where = clash
            why = f"{key!r} is already {description or other} ({where}); entry left out"
            found.append((binding_id, why))
    return found


def _taken(sections: Sequence[HelpSection], keymap: Keymap) -> list[tuple[str, str, str, str]]:
    """(section, key, binding id, description) of every key in force with this keymap."""
    return [
        (help_section.title, key, binding.id or binding.action, binding.description)
        for help_section in sections
        for key, binding in in_force(help_section, keymap)
    ]


def _meet(one: str, other: str) -> bool:
    """Whether bindings of these two sections can be in force at once."""
    together = SCREEN_WIDE | IN_PANES
    return (
        one == other
        or (one in SCREEN_WIDE and other in together)
        or (other in SCREEN_WIDE and one in together)
    )


def normalize(keymap: Keymap) -> dict[str, str]:
    """Keys in Textual's long form (`?` becomes `question_mark`), as bindings store them."""
    return {
        binding_id: ",".join(b.key for b in Binding.make_bindings([Binding(keys, "noop")]))
        for binding_id, keys in keymap.items()
    }


def in_force(help_section: HelpSection, keymap: Keymap) -> Iterator[tuple[str, Binding]]:
    """(key, binding) for each key of the section's bindings once the keymap is applied, as
    Textual applies it (`BindingsMap.apply_keymap`)."""
    bindings = BindingsMap(help_section.bindings)
    bindings.apply_keymap(normalize(keymap))
    for key, bound in bindings.key_to_bindings.items():
        for binding in bound:
            yield key, binding


def help_rows(
    help_section: HelpSection, keymap: Keymap, display: Callable[[Binding], str]
) -> list[HelpRow]:
    """The section's bindings with their keys after the keymap, in declaration order.

    Bindings in one `Binding.Group` (the digit keys) share a row.
    """
    keys: dict[str, list[str]] = {}
    for key, binding in in_force(help_section, keymap):
        keys.setdefault(_row_name(binding), []).append(display(binding.with_key(key)))
    rows: dict[str, HelpRow] = {}
    for binding in Binding.make_bindings(help_section.bindings):
        if binding.system:
            continue
        name = _row_name(binding)
        if name in keys and name not in rows:
            description = binding.group.description if binding.group else binding.description
            description = binding.tooltip or description
            binding_id = f"{binding.id[:-1]}N" if binding.group and binding.id else binding.id
            rows[name] = HelpRow(tuple(dict.fromkeys(keys[name])), description, binding_id or "")
    return list(rows.values())


def _row_name(binding: Binding) -> str:
    if binding.group is not None:
        return "group:" + binding.group.description
    return binding.id or binding.action


def unknown_entry(binding_id: str, known_ids: set[str], path: Path) -> str:
    """The error for a `[keys]` entry that names no binding, in one line: the closest
    name, not all of them."""
    close = difflib.get_close_matches(binding_id, known_ids, n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    return _entry_error(path, binding_id, f"unknown binding id ({hint}press ? in the app for all)")


def _entry_error(path: Path, binding_id: str, message: str) -> str:
    """One line about a `[keys]` entry: `file:line: keys.NAME: message`."""
    return str(ConfigError(path, message, key=f"keys.{binding_id}", line=line_of(path, binding_id)))
