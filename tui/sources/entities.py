"""Entities a feed's DOCTYPE declares, expanded by hand before any XML parser reads it.

Why: `tui.sources.feeds` cuts the DTD's internal subset out (billion-laughs bombs, external
entities), so a well-formed feed declaring `<!ENTITY company "Acme Corp">` showed `&company;`
raw and was called malformed. Only plain text values are kept, which cannot recurse: no
reference in a value but a character reference, no external or parameter entity; their
number, length and the document's total growth are capped. An RSS 0.91 DOCTYPE declares
the HTML names of ISO Latin-1 (`&eacute;`) through its DTD, which is never loaded.
"""

from __future__ import annotations

import re
from html.entities import name2codepoint

_MAX_ENTITIES = 256
_MAX_GROWTH = 1024 * 1024
"""Bytes the expansion may add to a document; references past it stay as they are."""

_DECLARATION = re.compile(
    rb"<!ENTITY\s+([A-Za-z_][\w.-]{0,63})\s+"
    rb"(?:\"((?:[^\"&%<]|&#[0-9]{1,7};|&#x[0-9a-fA-F]{1,6};){0,1000}+)\""
    rb"|'((?:[^'&%<]|&#[0-9]{1,7};|&#x[0-9a-fA-F]{1,6};){0,1000}+)')\s*>"
)
# A reference, or a CDATA section or comment, whose text is not to be touched; an unclosed
# one runs to the end (so the scan stays linear however many there are).
_REFERENCE = re.compile(
    rb"<!\[CDATA\[(?:[^\]]|\](?!\]>))*+(?:\]\]>|\Z)"
    rb"|<!--(?:[^-]|-(?!->))*+(?:-->|\Z)"
    rb"|&([A-Za-z_][\w.-]{0,63});"
)
_PREDEFINED = frozenset((b"amp", b"lt", b"gt", b"quot", b"apos"))
_RSS_091 = re.compile(rb"-//Netscape Communications//DTD RSS 0\.91//EN")
_LATIN_1 = {
    name.encode(): f"&#{code};".encode() for name, code in name2codepoint.items() if code < 256
}


def declared_entities(doctype: bytes, subset: bytes) -> dict[bytes, bytes]:
    """The plain text entities of a DOCTYPE (the one before its `[`) and its internal
    subset, each as its replacement text, escaped for an attribute as well as for text."""
    entities = dict(_LATIN_1) if _RSS_091.search(doctype) else {}
    for found in _DECLARATION.finditer(subset):
        name, value = found[1], found[2] if found[2] is not None else found[3]
        if name in _PREDEFINED or len(entities) >= _MAX_ENTITIES + len(_LATIN_1):
            continue
        # The first declaration of a name is the binding one (XML 1.0, 4.2).
        entities.setdefault(name, value.replace(b'"', b"&quot;").replace(b"'", b"&apos;"))
    return entities


def expand(document: bytes, entities: dict[bytes, bytes]) -> bytes:
    """`document` with each reference to one of `entities` replaced by its text, until the
    growth cap (the rest stay references: feedparser shows them as written)."""
    if not entities:
        return document
    room = _MAX_GROWTH

    def replaced(found: re.Match[bytes]) -> bytes:
        nonlocal room
        value = entities.get(found[1]) if found[1] is not None else None
        if value is None or len(value) > room:
            return found[0]
        room -= len(value)
        return value

    return _REFERENCE.sub(replaced, document)
