"""Article bodies as the cache stores them: zlib-compressed (`tui.prepared.deflate`), marked
for the index.

A feed's text takes a third to a half of its size compressed, and the body is most of an
article row. A body is stored as a BLOB, one byte saying whether the full-text index sees its
text changed (CJK segmented, Greek, Cyrillic or ß folded, see `cjk.segment`) and then its
compressed UTF-8; or as TEXT when compressing does not make it smaller (short bodies). The
index reads a body back for the snippets of the hits shown, so the mark spares it a scan of
every body.
SQL reaches these through the `nd_body`, `nd_indexed_body` and `nd_pack` functions every
connection registers (see `db`).
"""

from __future__ import annotations

import zlib

from tui.prepared import Prepared, deflate
from tui.store.cjk import segment

_PLAIN, _CJK = b"\x00", b"\x01"

Stored = bytes | str


def pack(text: str, indexed: str | None = None) -> Stored:
    """`text` as the `body` column holds it; `indexed` is `segment(text)` if known."""
    return packed(text, deflate(text), indexed)


def packed(text: str, deflated: bytes | None, indexed: str | None = None) -> Stored:
    """`pack(text, indexed)` given `deflate(text)` (made where the text was parsed)."""
    if deflated is None:
        return text
    indexed = segment(text) if indexed is None else indexed
    return (_PLAIN if indexed == text else _CJK) + deflated


def index_text(text: str, prepared: Prepared | None) -> str:
    """`text` as the full-text index sees it (`segment`), taken as it is when the parser
    process found no character the index changes."""
    return text if prepared is not None and prepared.as_is else segment(text)


def text(stored: Stored) -> str:
    """A stored body as text."""
    if isinstance(stored, bytes):
        return zlib.decompress(memoryview(stored)[1:]).decode()
    return stored


def utf8(stored: Stored) -> bytes:
    """A stored body's text as UTF-8."""
    if isinstance(stored, bytes):
        return zlib.decompress(memoryview(stored)[1:])
    return stored.encode()


def longer_than(stored: Stored, size: int) -> bool:
    """Whether a stored body's text is over `size` bytes of UTF-8 (characters, for one
    stored uncompressed), inflating no more."""
    if isinstance(stored, str):
        return len(stored) > size
    return len(zlib.decompressobj().decompress(memoryview(stored)[1:], size + 1)) > size


def indexed_as_is(stored: Stored) -> bool:
    """Whether the index saw a stored body's text unchanged (known without reading it)."""
    return isinstance(stored, bytes) and stored[:1] == _PLAIN


def indexed(stored: Stored) -> str:
    """A stored body as the full-text index sees it: `segment` of its text."""
    if isinstance(stored, str):
        return segment(stored)
    unpacked = zlib.decompress(memoryview(stored)[1:]).decode()
    return unpacked if indexed_as_is(stored) else segment(unpacked)


def start(stored: Stored, chars: int) -> str:
    """About the first `chars` characters of a stored body, inflating only those."""
    if isinstance(stored, str):
        return stored[:chars]
    inflate = zlib.decompressobj()
    data = inflate.decompress(memoryview(stored)[1:], chars)  # enough for ASCII text
    if len(data) == chars and not data.isascii():  # up to 4 bytes a character
        data += inflate.decompress(inflate.unconsumed_tail, chars * 3)
    return data.decode(errors="ignore")[:chars]  # UTF-8: a character cut at the end is dropped
