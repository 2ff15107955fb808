"""A line's emphasis and code marks (`spans`), and a search snippet without the body's marks
(`plain_snippet`): what `newsdesk search` needs of the body's syntax, apart from `blocks`
(its patterns and dataclass cost ~1 ms to load).
"""

from __future__ import annotations

import re

_INLINE = re.compile(
    r"(?P<strong>(\*\*|__)(?=\S)(?P<s>.+?)(?<=\S)\2)"
    r"|(?<![\w*])\*(?=[^\s*])(?P<e>.+?)(?<=[^\s*])\*(?![\w*])"
    r"|(?<![\w_])_(?=[^\s_])(?P<u>.+?)(?<=[^\s_])_(?![\w_])"
    r"|`(?P<c>[^`\n]+)`"
)
_SNIPPET_MARK = re.compile(r"(?:^|(?<=\s))(?:#{1,6}|>+|```|~~~)(?=\s|$)")


def spans(line: str) -> list[tuple[str, str]]:
    """(text, kind) pieces of a line: kind is "", "strong", "em" or "code"; marks removed."""
    if "*" not in line and "_" not in line and "`" not in line:
        return [(line, "")] if line else []
    pieces: list[tuple[str, str]] = []
    pos = 0
    for match in _INLINE.finditer(line):
        if match.start() > pos:
            pieces.append((line[pos : match.start()], ""))
        if match["strong"]:
            pieces.append((match["s"], "strong"))
        elif match["c"] is not None:
            pieces.append((match["c"], "code"))
        else:
            pieces.append((match["e"] or match["u"], "em"))
        pos = match.end()
    if pos < len(line):
        pieces.append((line[pos:], ""))
    return pieces


def unmarked(line: str) -> str:
    """A line's text without emphasis and code marks."""
    return "".join(text for text, _ in spans(line))


def plain_snippet(snippet: str) -> str:
    """A one-line search snippet without the marks of headings, quotes, fences and emphasis."""
    return " ".join(unmarked(_SNIPPET_MARK.sub("", snippet)).split())
