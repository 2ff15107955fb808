"""Modules and names imported on first use, so a command that never uses them does not pay
for loading them (a reading command never loads the store's write side; `tui.ui` loads its
app only when the TUI starts)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


class Later:
    """Stands for the module `name`, imported when one of its names is first read (the import
    system's lock makes that safe from any thread)."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


def later_modules(package: str, *names: str) -> list[Later]:
    """`Later`s for these modules of `package`."""
    return [Later(f"{package}.{name}") for name in names]


def names_from(module: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """A module-level `__getattr__` for `module`: each name of `homes` is read from the module
    it maps to, imported on first use; any other name is missing, as usual."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        return getattr(importlib.import_module(home), name)

    return __getattr__
