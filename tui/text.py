"""The one sanitizer: untrusted text is made safe for a terminal on its way into the store.

Removes ANSI/OSC/DCS escape sequences, C0/C1 control characters (newline and tab survive),
bidi override/isolate characters and other invisible format characters that can reorder or
hide text, replaces lone surrogates (which no file or database can encode) with U+FFFD, then
tidies whitespace. Three format characters are spelling and stay: the zero-width non-joiner
(Persian writes it inside words), the joiner after a character it joins (emoji sequences
such as 👩‍💻, Indic half forms, Arabic joining forms), and the zero-width space between two
words (Thai, Khmer, Lao and Burmese mark word breaks with it; the search index breaks words
there, terminals draw nothing); a joiner at a word's start joins nothing and goes, a
zero-width space beside a space or at a line's end breaks nothing and goes (how the UI
draws one is `tui.cells.drawable`'s job). Rich markup is
not touched here (`[/]` is a fine name): the UI never reads text as markup, as it passes it
to Textual as `rich.text.Text`, or to widgets and toasts made with `markup=False` (which
tests/test_layers.py checks); the CLI's refresh bar escapes it. (`plural`, `noun_for` and
`one_line` are the other text helpers every layer shares.)
"""

from __future__ import annotations

import os
import re
import unicodedata
from typing import TYPE_CHECKING

from tui.prepared import JOINER, ZERO_WIDTH_SPACE, unjoined

if TYPE_CHECKING:
    from pathlib import Path

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC
# (ESC P/X/^/_ ... ST), and two-character escapes; the 8-bit CSI. What a broken one takes is
# bounded, so a stray introducer never takes the article after it along. An OSC's or a
# string's text ends on its own line, before any control or `<` (a body's HTML is cleaned
# before it is parsed); not ended there, only its introducer goes (an OSC's command number
# too), and its text stays, harmless without the ESC. A stray ESC takes no space and no
# markup: `<` and `&` (HTML's), `[` and `]` (Markdown's) unless a CSI or an OSC's number
# follows. U+009B is mostly cp1252's `›` read as Latin-1 ("Home › News"): it takes only
# parameters and a final; the other 8-bit introducers (U+0090, U+009D...), mojibake too, are
# removed alone with the C1 controls below.
_ESCAPES = re.compile(
    r"""
    \x1b(?:
        \[[0-?]*+[ -/]*+[@-~]                            # CSI
      | \][^\x00-\x1f\x7f-\x9f<]*+(?:\x07|\x1b\\|\x9c)   # OSC, ended by BEL or ST
      | [PX^_][^\x00-\x1f\x7f-\x9f<]*+(?:\x1b\\|\x9c)      # DCS, SOS, PM, APC, ended by ST
      | \][0-9]{1,4};                                   # OSC never ended
      | [!-%'-/]{0,2}[0-;=-Z\\^-~]                       # other escapes
    )?                                                  # (or a lone ESC)
  | \x9b[0-;=-?]++[@-~]                                 # 8-bit CSI
    """,
    re.VERBOSE,
)
# Every escape sequence starts with one of these; most text has none, so the slow pass is skipped.
_ESCAPE_START = re.compile(r"[\x1b\x9b]")
# C0 except \t and \n, DEL, C1 (\r is normalised to \n before this runs); bidi
# embeddings/overrides/isolates and marks, other invisible formatters than U+200B-U+200D,
# the zero-width space, non-joiner and joiner. (`tui.content.parse` finds the tags
# holding one with it.)
UNSAFE_CLASS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u206a-\u206f\ufeff\ufff9-\ufffb"
    "\ud800-\udfff"  # lone surrogates: replaced (not removed) before this class deletes
)
_UNSAFE = re.compile(f"[{UNSAFE_CLASS}]")
_UNSEEN = re.compile(f"[{UNSAFE_CLASS}\n\u2028\u2029{ZERO_WIDTH_SPACE}]")  # `visible` escapes
# A joiner at a line's start, after a space or after another joiner joins nothing. One after
# a letter stays even before a space: after a virama it asks for the half form, as Malayalam
# text from before Unicode 5.1 spells its word-final chillu letters ("അവന്‍ പോയി").
_LOOSE_JOINER = re.compile("(?<![^\\s\u200d])\u200d")
# A zero-width space at a line's start or end, or beside a space, breaks no word.
_LOOSE_BREAK = re.compile(f"(?<!\\S){ZERO_WIDTH_SPACE}+|{ZERO_WIDTH_SPACE}+(?!\\S)")
_UNSAFE_IN_ADDRESS = re.compile(f"[{UNSAFE_CLASS}{ZERO_WIDTH_SPACE}]")
# In a link every character a reader cannot see or tell from a space is encoded, as browsers
# encode them (Chrome's address bar shows them encoded): the unsafe ones, both joiners (an
# address is no text to join), the soft hyphen, every space and line break but ASCII's
# (NBSP, U+3000, U+2028...), the Hangul fillers, variation selectors and tag characters. Left
# raw, the reader drew `…/ab` for `…/a<U+2028>b`, and a one-line cleaning made one a space.
URL_UNSEEN_CLASS = (
    f"{UNSAFE_CLASS}\u00a0\u00ad\u034f\u061c\u115f\u1160\u1680\u17b4\u17b5\u180b-\u180f"
    "\u2000-\u200d\u2028\u2029\u202f\u205f\u2065\u3000\u3164\ufe00-\ufe0f\uffa0"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
_UNSAFE_IN_URL = re.compile(f"[{URL_UNSEEN_CLASS}]")
# Lone surrogates come from `&#xD800;`, JSON's "\ud800" and undecodable file names; SQLite and
# UTF-8 output cannot encode them, so each becomes U+FFFD (a visible "something was here").
_SURROGATES = re.compile("[\ud800-\udfff]")
# Every line break Python knows (`str.splitlines`): LF, CR, VT, FF, the file, group and record
# separators, NEL, and Unicode's line and paragraph separators. Terminals draw none of the
# others as a break, and the sanitizer would delete the controls, gluing the words together.
_LINE_BREAK = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_OTHER_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""The line breaks other than a newline, looked for one by one (C searches: 0.5 us for a
2.7 KB body where the expression's scan took 20, 0.2 s of CPU in a 10,000-article refresh)."""
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")


# Printable ASCII plus tab and newline: deleting these from ASCII text leaves its controls.
_PLAIN_ASCII = bytes([0x09, 0x0A, *range(0x20, 0x7F)])


def has_unsafe(text: str) -> bool:
    """True when `strip_unsafe` would change `text` (a carriage return counts)."""
    if text.isascii():  # O(1) to ask; then only C0 controls and DEL can be there: a C scan
        return bool(text.encode("ascii").translate(None, _PLAIN_ASCII))
    if _UNSAFE.search(text) is not None:  # the class holds \r too
        return True
    if ZERO_WIDTH_SPACE in text and _LOOSE_BREAK.search(text) is not None:
        return True
    return JOINER in text and _LOOSE_JOINER.search(text) is not None


def strip_unsafe(text: str) -> str:
    """Remove escape sequences, control characters and invisible bidi/format characters;
    replace lone surrogates with U+FFFD."""
    if not has_unsafe(text):  # most text: one fast scan, and nothing to remove
        return text
    text = _SURROGATES.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))
    if _ESCAPE_START.search(text):
        text = _ESCAPES.sub("", text)
    text = _UNSAFE.sub("", text)
    if ZERO_WIDTH_SPACE in text:
        text = _LOOSE_BREAK.sub("", text)
    return _LOOSE_JOINER.sub("", text) if JOINER in text else text


def encode_unsafe(url: str) -> str:
    """`url` with each character `strip_unsafe` would remove, and each other invisible one
    (`URL_UNSEEN_CLASS`: U+2028, NBSP, a soft hyphen...), percent-encoded instead (ESC as
    `%1B`, U+202E as `%E2%80%AE`), as browsers encode them: a link holding one stays that
    link, distinct from the one without it, and prints as the address it is. Tabs and
    newlines go, as browsers drop them (a link wrapped across lines in a feed's XML)."""
    url = url.replace("\t", "").replace("\n", "").replace("\r", "")
    if url.isascii() and url.isprintable():
        return url
    return _UNSAFE_IN_URL.sub(_percent, _SURROGATES.sub("\ufffd", url))


def url_has_unseen(url: str) -> bool:
    """True when `encode_unsafe` would encode a character of `url`."""
    return not (url.isascii() and url.isprintable()) and _UNSAFE_IN_URL.search(url) is not None


def unsafe_at(text: str) -> str | None:
    """Where the first character `strip_unsafe` would remove sits in `text` ("U+001B at
    character 25"), or a zero-width space (a word break in text, unseen in an address: two
    addresses would look alike), None when there is none: what a refusal of a URL or path
    names, since its cleaned form would be another address."""
    found = _UNSAFE_IN_ADDRESS.search(text) or _LOOSE_JOINER.search(text)
    return None if found is None else f"U+{ord(found[0]):04X} at character {found.start() + 1}"


def _percent(found: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in found[0].encode())


def visible(text: str) -> str:
    """`text` on one line with each unsafe character and line break written as its escape
    (ESC as `\\x1b`, a newline as `\\n`): a path shown as it is, which the terminal never
    acts on."""
    return _UNSEEN.sub(lambda found: ascii(found[0])[1:-1], text)


def clean_body(text: str) -> str:
    """Sanitize a multi-line body: safe characters, trimmed lines, at most one blank line;
    each line break a newline (a form feed's page, U+2028's line)."""
    text = unicodedata.normalize("NFC", strip_unsafe(_breaks_as(text, "\n")))
    text = "\n".join([line.rstrip() for line in text.split("\n")])
    if "\n\n\n" in text:  # a substring search in C first: the regex scans slowly
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip("\n")


def clean_line(text: str | None) -> str:
    """Sanitize a one-line field (title, author, source name): safe, single-spaced, stripped;
    a line break of any kind (U+2028, NEL, a form feed...) is a space."""
    if not text:
        return ""
    if text.isascii() and text.isprintable():  # most titles, links and ids: nothing to remove
        return " ".join(text.split())
    text = unicodedata.normalize("NFC", strip_unsafe(_breaks_as(text.replace("\n", " "), " ")))
    return _SPACES.sub(" ", text).strip()


def _breaks_as(text: str, mark: str) -> str:
    """`text` with each line break other than a newline (CR LF as one) made `mark`."""
    if not any(char in text for char in _OTHER_BREAKS):
        return text
    return _LINE_BREAK.sub(mark, text)


def name_key(name: str) -> str:
    """How the config tells source names apart: case and spacing aside ("A", "a", "A ")."""
    return " ".join(unjoined(name).replace(ZERO_WIDTH_SPACE, "").split()).casefold()  # unseen


def plural(count: int, noun: str) -> str:
    """`1 source`, `3 sources`, `2 stories`: a count and its noun, for messages."""
    return f"{count:,} {noun_for(count, noun)}"


def noun_for(count: int, noun: str) -> str:
    """`noun` as `count` of it is said: `source`/`sources`, `entry`/`entries` (a consonant
    and y), `day`/`days` (a vowel and y)."""
    if count == 1:
        return noun
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return noun[:-1] + "ies"
    return noun + "s"


COUNT_CAP = 1_000
"""Counts of matches (a saved search's, a rule tag's, a rule's) stop just past this and say
"1,000+": an exact count reads every match (~0.7 s for a common word at 1,000,000
articles), and the sources pane counts at every start and after each refresh."""


def counted(count: int) -> str:
    """A count made up to just past `COUNT_CAP`: `1,234`, or `1,000+` past the cap."""
    return f"{COUNT_CAP:,}+" if count > COUNT_CAP else f"{count:,}"


def one_line(error: BaseException) -> str:
    """An error's message as one line, for a toast, a status line or a report: it may quote
    what a feed, a page, a server or a file held, so it passes the sanitizer."""
    return clean_line(str(error)) or type(error).__name__


def clean_optional(text: str | None) -> str | None:
    """Like `clean_line`, but an empty result is None (author, URL and other optional fields)."""
    return clean_line(text) or None


def path_text(path: os.PathLike[str]) -> str:
    """A path as text any file or database can hold: bytes of a file name that are not UTF-8
    (a Latin-1 `caf\\xe9.txt`) stay visible as `\\xe9`, so two such names never become one."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def file_guid(path: Path) -> str:
    """The guid of a local file's article (a feed file's entries add `#` and their own): its
    resolved path, so the same file named two ways is one article. A backslash in a name
    (POSIX) is doubled, so a name written `bad\\xff.md` is never the file whose name holds
    the byte 0xff: one guid per file (an ordinary name's is its path as written)."""
    raw = os.fsencode(path.resolve())
    if os.sep == "/":  # Windows names hold no backslash: it is their separator
        raw = raw.replace(b"\\", b"\\\\")
    return "file:" + raw.decode("utf-8", "backslashreplace")


def guid_file(guid: str) -> str:
    """The path of the file a local file's guid names (`file_guid` read back)."""
    text = guid.removeprefix("file:")
    if os.sep != "/":
        return text
    return os.fsdecode(_GUID_ESCAPE.sub(_unescaped, text.encode("utf-8", "surrogateescape")))


_GUID_ESCAPE = re.compile(rb"\\(\\|x[0-9a-f]{2})")
"""A doubled backslash or a byte `file_guid` wrote as `\\xNN`."""


def _unescaped(found: re.Match[bytes]) -> bytes:
    return b"\\" if found[1] == b"\\" else bytes([int(found[1][1:], 16)])
