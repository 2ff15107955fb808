"""Bytes of a local text file -> str: BOMs, strict UTF-8, a declared charset, then a guess.

Order of trust: a byte-order mark, then valid UTF-8 (legacy text is almost never valid UTF-8
by accident), then a charset the document declares, then charset-normalizer's best guess on a
sample. Binary files (NUL bytes outside UTF-16/32, many control characters) are refused.
Line ends come back as `\\n`.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from charset_normalizer.models import CharsetMatch

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SAMPLE = 64 * 1024
"""Bytes given to charset detection and binary checks: enough to decide, cheap on huge files."""
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_MAX_CONTROL_RATIO = 0.02
_MAX_REPLACEMENT_RATIO = 0.05
_PREFERRED = "cp1252"
"""The most common legacy encoding; wins ties between equally plausible single-byte guesses."""
_SHORT = 2048
"""Below this many bytes charset-normalizer's language scores barely differ between readings."""
_SHORT_TOLERANCE = 0.06
_WESTERN = frozenset(
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßœšžðþÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŒŠŽŸÐÞ€‘’“”–—…«»°·§ªº¿¡"
)
"""What Western European text has beyond ASCII, in cp1252."""
_INSIDE_WORD = re.compile(r"(?<=[a-z])[^\x00-\x7f](?=[a-z])")
_ODD_INSIDE_WORDS = 0.05
_LOOSE = 0.5
"""The mess charset-normalizer accepts when its best reading is not word-shaped (`_word_shaped`):
it counts Finnish "ää" and "öö" in cp1252 as suspect accents, and leaves cp1252 out at its
default of 0.2."""
_HEARD = 3
"""The languages charset-normalizer hears a reading as that are taken at their word."""
_ALPHABETS = {
    "Croatian": "čćđšž",
    "Czech": "áčďéěíňóřšťúůýž",
    "Estonian": "äõöüšž",
    "Finnish": "äåöšž",
    "Hungarian": "áéíóöőúüű",
    "Lithuanian": "ąčęėįšųūž",
    "Polish": "ąćęłńóśźż",
    "Romanian": "âîășşțţ",
    "Slovak": "áäčďéíĺľňóôŕšťúýž",
    "Slovene": "čšž",
}
"""The letters beyond ASCII of languages written in more than one legacy code page (cp1250
and ISO-8859-2 differ in a few of them, cp1252 lacks most): a reading heard as one of these
languages is right when all its letters are the language's."""
_UNHEARD = {"Latvian": "āčēģīķļņšūž", "Turkish": "çğıöşü"}
"""Languages charset-normalizer does not know (Latvian), or on a sentence hears after others
(Turkish), with their letters beyond ASCII (`_one_alphabet`); not Turkish's rare â, î, û,
which Latvian's ā, ī in cp1257 are in cp1254."""
_ICELANDIC, _ICELANDIC_OWN = "áéíóúýðþæö", "áéíóúæ"
"""Icelandic's letters beyond ASCII, and those Turkish in cp1254 never spells read in cp1252:
its ý, þ and ð are that reading's ı, ş and ğ ("Ayþe Yýlmaz", "soðuk")."""
_WESTERN_ALPHABETS = (
    "àâæçéèêëîïôœùûüÿ", "äöüß", "áéíñóúü", "àáâãçéêíóôõú", "àèéìíîòóù", _ICELANDIC, "æøåéó",
    "åäöé", "àçèéíïòóúü", "éëïóöü", "äõöüšž",
)  # fmt: skip
"""The letters beyond ASCII of French, German, Spanish, Portuguese, Italian, Icelandic,
Danish and Norwegian, Swedish and Finnish, Catalan, Dutch, Estonian."""
_THORN_INSIDE = re.compile(r"(?<=[^\W\d_])þ")
_LONE_LETTERS = {"Hungarian": "ő"}
"""The letters beyond ASCII that are words on their own in `_ALPHABETS`' languages: a reading
that makes one of another a word ("A Milano č piovuto": Italian's "è" in cp1250) is not its
language's."""
_LONE_LETTER = re.compile(r"(?<![^\W\d_])[^\x00-\x7f](?![^\W\d_])")
_MOST_MARKS = 0.35
"""Thai runs at ~15-25 % combining marks, Hebrew and Arabic without points near none."""
_EAST_ASIAN = ("gb", "big5", "cp93", "cp94", "cp95", "euc_", "shift_jis", "johab", "iso2022")
"""charset-normalizer's names of the multi-byte Chinese, Japanese and Korean encodings."""
_TOUCHING_LATIN = re.compile(r"(?<=[A-Za-z])[^\x00-\x7f]|[^\x00-\x7f](?=[A-Za-z])")
_LABEL = r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]{1,40})"
_HEADER_CHARSET = re.compile(_LABEL, re.I)
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?" + _LABEL.encode(), re.I)
_META_WINDOW = 4096
"""Bytes of an HTML page searched for its `<meta charset>` (it belongs near the top)."""


_XML_ENCODING = re.compile(
    rb"\A(?:\xef\xbb\xbf)?<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)"
)


def declared_xml_encoding(data: bytes) -> str | None:
    """The encoding an XML declaration names (lower case), if it names one."""
    found = _XML_ENCODING.match(data)
    return found[1].decode("ascii").lower() if found else None


def header_charset(content_type: str | None) -> str | None:
    """The charset label a Content-Type header names, or None."""
    found = _HEADER_CHARSET.search(content_type or "")
    return found.group(1) if found else None


def meta_charset(html: bytes) -> str | None:
    """The charset label an HTML page's `<meta>` names near its top, or None."""
    found = _META_CHARSET.search(html[:_META_WINDOW])
    return found.group(1).decode("ascii") if found else None


@dataclass(frozen=True)
class Decoded:
    """A file's text and the encoding it was read with."""

    text: str
    encoding: str


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded | None:
    """Decode a text file's bytes; None when they look binary.

    `declared` is a charset the document names itself (`<meta charset>`), tried after UTF-8.
    A multi-byte character cut off at the end (a capped read) is dropped, not an error.
    """
    decoded = _decode(data, declared)
    if decoded is None or looks_binary(decoded.text[:_SAMPLE]):
        return None
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(text, decoded.encoding)


def looks_binary(text: str) -> bool:
    """True for text with many control or undecodable characters."""
    if not text:
        return False
    controls = len(_CONTROL.findall(text))
    if "\x00" in text or controls > len(text) * _MAX_CONTROL_RATIO:
        return True
    return text.count("\ufffd") > len(text) * _MAX_REPLACEMENT_RATIO


def _decode(data: bytes, declared: str | None) -> Decoded | None:
    """The first encoding that fits, in order of trust."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom) :].decode(codec, "replace"), codec)
    wide = _bomless_utf16(data[:_SAMPLE])
    if wide is not None:
        return Decoded(data.decode(wide, "replace"), wide)
    if b"\x00" in data[:_SAMPLE]:
        return None
    utf8 = _strict(data, "utf-8")
    if utf8 is not None:
        return Decoded(utf8, "utf-8")
    if declared and codec_name(declared):
        text = _strict(data, declared)
        if text is not None:
            return Decoded(text, declared)
    guess = guess_encoding(data[:_SAMPLE])
    if guess is None:
        return None
    return Decoded(data.decode(guess, "replace"), guess)


def _strict(data: bytes, codec: str) -> str | None:
    """Strict decode, forgiving only a character cut off by a capped read at the very end."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        if exc.reason != "unexpected end of data" or exc.start < len(data) - 4:
            return None
        return _strict(data[: exc.start], codec) if exc.start else ""
    except LookupError:
        return None


def codec_name(name: str) -> str | None:
    """The Python codec for a charset label, or None if unknown."""
    try:
        return codecs.lookup(name.strip()).name
    except (LookupError, ValueError):
        return None


def _bomless_utf16(sample: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII-heavy text has a NUL in every other byte."""
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    if odd.count(0) > half * 0.4 and even.count(0) < half * 0.01:
        return "utf-16-le"
    if even.count(0) > half * 0.4 and odd.count(0) < half * 0.01:
        return "utf-16-be"
    return None


def guess_encoding(sample: bytes) -> str | None:
    """charset-normalizer's guess, preferring cp1252 among equally good ones; None if binary."""
    import charset_normalizer  # 2.6 MiB, for the rare text that is neither UTF-8 nor declared

    matches = list(charset_normalizer.from_bytes(sample))
    results = [m for m in matches if _fits(m)]
    if matches and not results:  # it stops at a clean multi-byte reading: ask without it
        refused = [name for m in matches for name in _names(m)]
        results = [
            m for m in charset_normalizer.from_bytes(sample, cp_exclusion=refused) if _fits(m)
        ]
    if results and not _word_shaped(str(results[0])):
        loose = charset_normalizer.from_bytes(sample, threshold=_LOOSE)
        results = [m for m in loose if _fits(m) and _word_shaped(str(m))] or results
    if not results:
        return None
    best = results[0]  # charset-normalizer lists its matches best first
    if (fitting := _in_its_alphabet(results)) is not None:
        return fitting
    if len(sample) < _SHORT and (short := _short_guess(sample, results)) is not None:
        return short
    for match in results:
        tied = match.chaos <= best.chaos and match.coherence >= best.coherence
        if tied and _PREFERRED in _names(match):
            return _PREFERRED
    return str(best.encoding)


def _short_guess(sample: bytes, results: list[CharsetMatch]) -> str | None:
    """A short text's encoding where charset-normalizer's scores cannot tell (a note of a
    few lines: Italian read as Mac Central European, Russian KOI8-R as Hebrew), among the
    matches about as clean as the best: cp1252 when it reads every byte as a Western letter
    or sign; else the first reading that is not mostly combining marks (KOI8-R read as
    Hebrew or Thai is vowel points on vowel points), those heard as a language first, and
    among them Windows code pages first."""
    close = [m for m in results if m.chaos <= results[0].chaos + _SHORT_TOLERANCE]
    western = sample.decode(_PREFERRED, "replace")
    if (fitting := _one_alphabet(western, close)) is not None:
        return fitting
    if any(_PREFERRED in _names(m) for m in close) and all(
        char in _WESTERN for char in western if ord(char) > 127
    ):
        return _PREFERRED
    close.sort(key=lambda m: (m.coherence == 0, not _windows(m)))  # stable: ties keep their order
    plausible = next((m for m in close if _mark_share(str(m)) <= _MOST_MARKS), None)
    return None if plausible is None else str(plausible.encoding)


def _one_alphabet(western: str, close: list[CharsetMatch]) -> str | None:
    """The one reading in a Windows code page whose letters beyond ASCII are all those of
    one language (`_ALPHABETS`, `_UNHEARD`), when cp1252's (`western`) are those of no
    Western language: Turkish's ı and ş read in cp1252 are Icelandic's ý and þ beside
    German's ü, Latvian's ā and š French's â and Icelandic's ð."""
    if _western(western):
        return None
    languages = (*_ALPHABETS, *_UNHEARD)
    fitting = {
        str(match.encoding)
        for match in close
        if _windows(match)
        and not _mark_share(str(match))  # cp1256's reading of Latvian's š is a vowel mark
        and any(_in_alphabet(str(match), language) for language in languages)
    }
    return fitting.pop() if len(fitting) == 1 else None


def _western(text: str) -> bool:
    """Whether the letters beyond ASCII of `text`, read in cp1252, are all those of one
    Western language (`_WESTERN_ALPHABETS`)."""
    letters = _letters(text)
    others = (alphabet for alphabet in _WESTERN_ALPHABETS if alphabet != _ICELANDIC)
    return any(letters <= set(alphabet) for alphabet in others) or (
        letters <= set(_ICELANDIC) and _icelandic(text)
    )


def _icelandic(text: str) -> bool:
    """Whether `text`, holding no letters beyond ASCII but Icelandic's, is Icelandic, not
    Turkish read in cp1252: with one of Icelandic's own (the prepositions á and í, ...), or
    with þ and each þ at a word's start, as Icelandic writes it ("Þetta", "það"; Turkish's
    ş read as þ sits anywhere: "Ayþe", "akþam")."""
    lowered = text.lower()
    if set(lowered) & set(_ICELANDIC_OWN):
        return True
    return "þ" in lowered and _THORN_INSIDE.search(lowered) is None


def _in_alphabet(text: str, language: str) -> bool:
    """Whether `text` has letters beyond ASCII, all of `language`'s, and none of them alone
    as a word unless the language has such a word (`_LONE_LETTERS`: Hungarian's ő; Italian's
    "è" read in cp1250 is "A Milano č piovuto", which Czech never writes)."""
    lowered = text.lower()
    letters = _letters(lowered)
    alphabet = _ALPHABETS.get(language) or _UNHEARD[language]
    lone = {char for char in _LONE_LETTER.findall(lowered) if char.isalpha()}
    return (
        bool(letters) and letters <= set(alphabet) and lone <= set(_LONE_LETTERS.get(language, ""))
    )


def _letters(text: str) -> set[str]:
    """The letters beyond ASCII of `text`, in lower case."""
    return {char for char in text.lower() if ord(char) > 127 and char.isalpha()}


def _word_shaped(text: str) -> bool:
    """Whether the characters beyond ASCII met inside lower-case words read as lower-case
    letters ("äänestää"), not signs or capitals ("‰‰nest‰‰", Finnish cp1252 as Mac Icelandic
    reads it, "ŐŐ" as Mac Central European does). Text with none (Cyrillic, Greek, CJK) says
    nothing here."""
    import unicodedata

    inside = _INSIDE_WORD.findall(text)
    odd = sum(unicodedata.category(char) not in ("Ll", "Mn") for char in inside)
    return odd <= len(inside) * _ODD_INSIDE_WORDS


def _windows(match: CharsetMatch) -> bool:
    """True for a Windows code page or its ISO-8859 twin: what a legacy file on disk almost
    always is, where a Mac or DOS code page can win a few lines' scores by chance (Greek
    cp1253 heard as Mac Greek, Turkish cp1254 as DOS cp850, Hebrew cp1255 as KOI8-R)."""
    return any(name.startswith(("cp125", "iso8859")) for name in _names(match))


def _in_its_alphabet(results: list[CharsetMatch]) -> str | None:
    """Among the readings as clean and coherent as the best, the first whose letters beyond
    ASCII are all those of a language of `_ALPHABETS` it is heard as (among its first
    `_HEARD`): Czech in cp1250 is "čtvrtek" there and "ètvrtek" in cp1252 (scored the same),
    Czech in ISO-8859-2 "Pražský" there and "Praľský" in cp1250 (heard as Croatian first),
    Hungarian in cp1250 "repülőtér" there and "repülõtér" in cp1252 (the look-alike õ)."""
    best = results[0]
    for match in results:
        if match.chaos > best.chaos or match.coherence < best.coherence:
            continue
        heard = [language for language in match.languages[:_HEARD] if language in _ALPHABETS]
        if any(_in_alphabet(str(match), language) for language in heard):
            return str(match.encoding)
    return None


def _mark_share(text: str) -> float:
    """The share of combining marks among the non-ASCII characters."""
    import unicodedata

    wide = [char for char in text if ord(char) > 127]
    return sum(unicodedata.category(char) == "Mn" for char in wide) / len(wide) if wide else 0.0


def _names(match: CharsetMatch) -> tuple[str, ...]:
    """A match's encoding and the others that decode the sample the same."""
    return (str(match.encoding), *match.could_be_from_charset)


def _fits(match: CharsetMatch) -> bool:
    """A match other than the readings that win by chance (below)."""
    return _fits_cp1258(match) and _fits_shift_jis(match) and _fits_east_asian(match)


def _fits_cp1258(match: CharsetMatch) -> bool:
    """A match other than cp1258, or cp1258 read as Vietnamese (what it is for): cp1258 reads
    Western text almost as cp1252 does, but turns ò, ì, Ò, Ì into combining marks (Niccolò
    -> Niccoḷ), and can still score the language higher."""
    return match.encoding != "cp1258" or match.language == "Vietnamese"


def _fits_shift_jis(match: CharsetMatch) -> bool:
    """A match other than Shift-JIS, or Shift-JIS that is not mostly half-width katakana:
    KOI8's lower-case Cyrillic sits on those bytes, so a short KOI8-R or KOI8-U note read
    as Shift-JIS is all katakana, which Japanese text uses sparingly."""
    if "shift_jis" not in match.encoding and match.encoding != "cp932":
        return True
    wide = [char for char in str(match) if ord(char) > 127]
    return sum("\uff61" <= char <= "\uff9f" for char in wide) <= len(wide) / 2


def _fits_east_asian(match: CharsetMatch) -> bool:
    """A match other than a Chinese, Japanese or Korean multi-byte reading whose characters
    beyond ASCII mostly touch Latin letters: a Western letter before an ASCII one is a lead
    byte there, so a short Estonian note in cp1252 read as GB18030 is "t鋘a uus sild 黮e
    j鮡", where CJK text, in runs of its own characters, touches Latin words at their ends."""
    if not str(match.encoding).startswith(_EAST_ASIAN):
        return True
    text = str(match)
    touching = len(_TOUCHING_LATIN.findall(text))
    return touching * 2 <= sum(ord(char) > 127 for char in text)
