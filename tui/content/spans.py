"""A line's emphasis and code marks (`spans`), and a search snippet without the body's marks
(`plain_snippet`): what `newsdesk search` needs of the body's syntax, apart from `blocks`
(its patterns and dataclass cost ~1 ms to load).

A page's own `*`, `_`, `` ` `` and `\\` are written escaped in the body (`escaped`), and so is
what would start a block at a line's start (`literal_start`: `1986\\. A great year.`,
`\\- dash`), as CommonMark escapes them: `spans` and `blocks` read them as text and drop the
backslash (`unescaped`), so the reader, `show` and the exports show the characters as written.
"""

from __future__ import annotations

import re

PUNCTUATION = r"!-/:-@\[-`{-~"
"""ASCII punctuation: what a backslash escapes, as in CommonMark."""
_INLINE = re.compile(
    rf"\\[{PUNCTUATION}]"
    r"|(?P<strong>(\*\*|__)(?=\S)(?P<s>.+?)(?<=\S)(?<!\\)\2)"
    r"|(?<![\w*])\*(?=[^\s*])(?P<e>.+?)(?<=[^\s*])(?<!\\)\*(?![\w*])"
    r"|(?<![\w_])_(?=[^\s_])(?P<u>.+?)(?<=[^\s_])(?<!\\)_(?![\w_])"
    r"|`(?P<c>[^`\n]+)`"
)
_SNIPPET_MARK = re.compile(r"(?:^|(?<=\s))(?:#{1,6}|>+|```|~~~)(?=\s|$)")
_ESCAPE = re.compile(rf"\\([{PUNCTUATION}])")
_MARKUP = re.compile(r"[\\*_`]")
_BLOCK_START = re.compile(r"[-+>|~=#]|\d{1,9}(?P<dot>[.)])(?= |$)")
_CODE_OR_ESCAPE = re.compile(rf"(`[^`\n]+`)|\\([{PUNCTUATION}])")


def spans(line: str) -> list[tuple[str, str]]:
    """(text, kind) pieces of a line: kind is "", "strong", "em" or "code"; marks removed, and
    the escapes of the text (not of code)."""
    if "*" not in line and "_" not in line and "`" not in line and "\\" not in line:
        return [(line, "")] if line else []
    pieces: list[tuple[str, str]] = []
    pos = 0
    for match in _INLINE.finditer(line):
        if match.lastindex is None:  # an escaped character: text
            continue
        if match.start() > pos:
            pieces.append((unescaped(line[pos : match.start()]), ""))
        if match["strong"]:
            pieces.append((unescaped(match["s"]), "strong"))
        elif match["c"] is not None:
            pieces.append((match["c"], "code"))
        else:
            pieces.append((unescaped(match["e"] or match["u"]), "em"))
        pos = match.end()
    if pos < len(line):
        pieces.append((unescaped(line[pos:]), ""))
    return pieces


def unmarked(line: str) -> str:
    """A line's text without emphasis and code marks."""
    return "".join(text for text, _ in spans(line))


def plain_snippet(snippet: str) -> str:
    """A one-line search snippet without the marks of headings, quotes, fences and emphasis."""
    return " ".join(unmarked(_SNIPPET_MARK.sub("", snippet)).split())


def escaped(text: str) -> str:
    """A page's text with its `*`, `_`, `` ` `` and `\\` escaped: never read as marks."""
    # Most of a page's text pieces hold none: four C scans cost less than one substitution
    # (a refresh escapes every text piece of every body: ~40,000 of them per 3,000 articles).
    if "*" not in text and "_" not in text and "`" not in text and "\\" not in text:
        return text
    return _MARKUP.sub(r"\\\g<0>", text)


def escaped_lines(text: str) -> str:
    """Plain text as a body: each line's `*`, `_`, `` ` `` and `\\` escaped, but an indented
    line's (code, drawn as it is); its lists and headings stay."""
    return "\n".join(
        line if line.startswith(("    ", "\t")) else escaped(line) for line in text.split("\n")
    )


def literal_start(line: str) -> str:
    """A line of text whose start would read as a block's mark (`- `, `1986. `, `# `, `> `, a
    rule, a table's `|`) with that mark escaped."""
    found = _BLOCK_START.match(line)
    if found is None:
        return line
    at = found.start("dot") if found["dot"] else 0
    return f"{line[:at]}\\{line[at:]}"


def unescaped(text: str) -> str:
    """Text with its escapes dropped: `\\*` is `*`."""
    return _ESCAPE.sub(r"\1", text) if "\\" in text else text


def literal(line: str) -> str:
    """A line with its escapes dropped outside code spans, its marks kept (`show`)."""
    if "\\" not in line:
        return line
    return _CODE_OR_ESCAPE.sub(lambda found: found[1] or found[2], line)
