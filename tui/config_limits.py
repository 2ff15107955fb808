"""Limits and messages of config values: the range of each number, where a too-deep value
starts, and how a wrong value is shown in an error line (where a key is written:
`tui.config_lines`).

Below its range a value is a slip or an attack, not a preference, and is refused (a 0 s
deadline fails every fetch, a negative interval means nothing; 100,000 nested arrays exhaust
the parser's recursion); past it, a value means "as much as can be" (older versions took
`retention_days = 99999999`) and is read as the most, with a note (1e308 MB would overflow).
"""

from __future__ import annotations

import re
from typing import Any

RANGES: dict[str, tuple[float, float]] = {
    "refresh_minutes": (0, 525_600),  # a year
    "concurrency": (1, 1000),
    "per_host": (1, 100),
    "timeout_seconds": (0.0, 86_400.0),
    "max_body_mb": (0.0, 1024.0),
    "media_max_mb": (0.0, 1048576.0),
    "retention_days": (0, 36_500),
}
"""Inclusive bounds of numbers (low, high); a float's low itself is refused, a number past
its high is read as the high."""

# Where a value opens many arrays or inline tables at once (no config needs even three).
_DEEP = re.compile(r"[\[{](?:[^\[\]{}\n\"']{0,80}?[\[{]){31}")


def deep_value(text: str) -> tuple[str, int | None]:
    """The key and line where a value nested too deeply to read starts ("" and None if unseen)."""
    match = _DEEP.search(text)
    if match is None:
        return "", None
    start = text.rfind("\n", 0, match.start()) + 1
    key = text[start : match.start()].split("=")[0].strip()
    return key, text.count("\n", 0, match.start()) + 1


def number_text(value: float) -> str:
    """A number as a config writes it: `5000` (TOML's integer read as a float is no
    `5000.0`), `2.5`, `1e+308`."""
    if isinstance(value, int) or (value.is_integer() and abs(value) < 1e15):
        return str(int(value))
    return repr(value)


def shown(value: Any, most: int = 60) -> str:
    """A value for an error line: its repr, cut short (a deeply nested list is huge)."""
    text = repr(value)
    return text if len(text) <= most else text[: most - 1] + "…"


def type_name(kind: type | None) -> str:
    names: dict[type | None, str] = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        list: "a list",
    }
    return names.get(kind, kind.__name__ if kind else "a value")


def list_name(item: type) -> str:
    """`a list of strings`: what a list of `item` is called in an error line."""
    return "a list of " + type_name(item).partition(" ")[2] + "s"
