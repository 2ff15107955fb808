"""Modules of the store imported on first use: a reading command (`newsdesk search`, `list`)
never loads the write side (refresh writes, rules, saving, sync)."""

from __future__ import annotations

import importlib
from typing import Any


class Later:
    """Stands for the module `name`, imported when one of its names is first read (the import
    system's lock makes that safe from any thread)."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


def store_modules(*names: str) -> list[Later]:
    """`Later`s for these modules of `tui.store`."""
    return [Later(f"tui.store.{name}") for name in names]
