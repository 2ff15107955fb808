"""OPML 1.0/2.0 in and out: the subscription lists every feed reader exports.

Import: outlines with an `xmlUrl` are feeds; the folders (outlines without one) they sit in
become their tags, outermost first, and an OPML 2.0 `category` attribute adds more. The name
comes from `text` (what the reader showed: the user's rename), else `title` (the feed's own),
else the URL. Each outline skipped is told with its file and line (`subs.opml:12: ...`), as a
newsboat urls file's lines are. A file given to the wrong import is said to be what it looks
like (an HTML page, a newsboat urls file), not a malformed OPML. The XML parser never touches
the network or the disk and resolves no entities; a document that declares entities is refused
outright (no subscription list needs them, and that is how entity bombs and XXE arrive).
Three faults that exporters write are mended, with a notice, once the document fails to parse:
HTML's named entities (`&eacute;`), a legacy encoding it does not declare (Latin-1 read as
UTF-8), and characters XML forbids (`&#x1b;`, a raw control byte, copied from a feed's title),
read as U+FFFD.

Export: OPML 2.0 with one folder outline per source's first tag; its other tags go into the
`category` attribute (`category="daily,en"`), so an export imports back to the same names,
URLs and tags.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from email.utils import formatdate
from html.entities import name2codepoint
from pathlib import Path

from lxml import etree

from tui.config import Config, SourceConfig
from tui.files import write_atomic
from tui.interop import InteropError, InteropFailed
from tui.interop.config_edit import (
    FeedSpec,
    ImportReport,
    add_sources,
    clean_name,
    merge_repeat,
    name_from_url,
    url_problem,
)
from tui.sources.encoding import codec_name, decode_bytes
from tui.text import clean_line
from tui.weburl import is_web_url, without_password

MAX_BYTES = 20 * 1024 * 1024
"""Larger files are refused: even 10,000 subscriptions are a few megabytes."""
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_HTML_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")
_HTML_ONLY = frozenset(name2codepoint) - {"amp", "lt", "gt", "quot"}
"""HTML's named entities that XML does not define (XML has those four and `apos`)."""
_CHAR_REFERENCE = re.compile(r"&#(?:[xX]([0-9A-Fa-f]{1,8})|([0-9]{1,10}));")
_RAW_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DECLARATION = re.compile(rb"\s*<\?xml(?:[^>]*?\bencoding\s*=\s*[\"']([^\"']*)[\"'])?[^>]*\?>")
_DECLARATION_TEXT = re.compile(r"\A\s*<\?xml[^>]*\?>")
_FEED_TYPES = {"rss", "atom", "feed", "json", "rdf"}
_SCRAPING_TYPES = ("xpath", "dotnotation")
"""FreshRSS's web-scraping outlines (`HTML+XPath`, `XML+XPath`, `JSON+DotNotation`): pages
it turns into feeds itself, which newsdesk would fetch as feeds and fail on."""
_HTML_START = re.compile(
    r"\A\ufeff?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]",
    re.IGNORECASE | re.DOTALL,
)
_HEAD_BYTES = 4096
"""How much of a file tells what it is."""
_URLS_SCHEMES = ("http://", "https://", "query:", "exec:", "filter:")
"""How each line of a newsboat urls file starts (a query's quoted)."""


@dataclass
class OpmlFeeds:
    """What an OPML document lists."""

    title: str | None = None
    feeds: list[FeedSpec] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """One line per outline that is not a usable feed (not http(s), a repeat, ...)."""
    notices: list[str] = field(default_factory=list)
    """One line per fault of the document that was mended to read it."""


def import_opml(config_path: Path, opml_path: Path, *, dry_run: bool = False) -> ImportReport:
    """Add the feeds of an OPML file to the config; a malformed file changes nothing."""
    found = parse_opml(_read(opml_path), str(opml_path))
    report = add_sources(config_path, found.feeds, dry_run=dry_run)
    report.skipped[:0] = found.skipped
    report.notices[:0] = found.notices
    return report


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InteropError(f"{path}: {size // 1024 // 1024} MB is too large for an OPML file")
        return path.read_bytes()
    except OSError as exc:
        raise InteropError(f"{path}: cannot read: {exc.strerror}") from None


# -- parsing ----------------------------------------------------------------------------


def parse_opml(data: bytes, origin: str = "OPML") -> OpmlFeeds:
    """The feeds an OPML document lists; `InteropError` (naming `origin`) if it is not OPML."""
    notices: list[str] = []
    _refuse_html(data, origin)
    root = _parse_xml(data, origin, notices)
    if etree.QName(root).localname.lower() != "opml":
        raise InteropError(f"{origin}: not OPML (the document is <{etree.QName(root).localname}>)")
    body = next((el for el in root if _local(el) == "body"), None)
    if body is None:
        raise InteropError(f"{origin}: not OPML (no <body> element)")
    head = next((el for el in root if _local(el) == "head"), None)
    title = head.findtext("title") if head is not None else None
    found = OpmlFeeds(title=clean_line(title) or None, notices=notices)
    walk = _Walk(found, Path(origin).name)
    walk.outlines(body, ())
    found.feeds = list(walk.seen.values())
    return found


def is_opml(path: Path) -> bool:
    """Whether the file at `path` starts as an OPML document (False when it cannot be read:
    the import that reads it says why)."""
    try:
        with path.open("rb") as file:
            head = _head_text(file.read(_HEAD_BYTES))
    except OSError:
        return False
    return head.lstrip("\ufeff \t\r\n").startswith("<") and "<opml" in head.lower()


def _head_text(data: bytes) -> str:
    """The start of a document as text, enough to tell what it is (UTF-16 by its mark)."""
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    return data[:_HEAD_BYTES].decode("utf-16" if utf16 else "utf-8", "replace")


def is_urls_file(path: Path) -> bool:
    """Whether the file at `path` reads as a newsboat urls file (False when it cannot be
    read: the import that reads it says why)."""
    try:
        with path.open("rb") as file:
            return _urls_file(file.read(MAX_BYTES))
    except OSError:
        return False


def _refuse_html(data: bytes, origin: str) -> None:
    """An HTML page is said to be one, not a malformed OPML."""
    if _HTML_START.match(_head_text(data)):
        raise InteropError(f"{origin}: not OPML (an HTML page)")


def _urls_file(data: bytes) -> bool:
    """Whether `data` is no markup and every line but blanks and comments starts as a urls
    file's does."""
    if data[:_HEAD_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return False
    lines = [line.strip() for line in data.decode("utf-8", "replace").splitlines()]
    listed = [line.lstrip('"') for line in lines if line and not line.startswith("#")]
    return bool(listed) and all(line.startswith(_URLS_SCHEMES) for line in listed)


def _parse_xml(data: bytes, origin: str, notices: list[str]) -> etree._Element:
    """The document's root; `notices` gets a line per fault mended to read it."""
    # Entities are only declared before the root element: a cheap check before parsing.
    # (A UTF-16 file slips past it, but then the check on the parsed DTD below catches it.)
    if _ENTITY_DECL.search(data[: data.find(b"<opml")] if b"<opml" in data else data):
        raise _entities(origin)
    try:
        root = _xml(data)
    except etree.XMLSyntaxError as exc:
        mended = _mended(data, notices)
        if mended is None:
            raise _malformed(origin, exc) from None
        try:
            root = _xml(mended)
        except etree.XMLSyntaxError as again:
            raise _malformed(origin, again) from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise _entities(origin)
    return root


def _xml(data: bytes) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )
    return etree.fromstring(data, parser)


def _malformed(origin: str, exc: etree.XMLSyntaxError) -> InteropError:
    line = f":{exc.lineno}" if exc.lineno else ""
    return InteropError(f"{origin}{line}: malformed OPML: {clean_line(exc.msg)}")


def _mended(data: bytes, notices: list[str]) -> bytes | None:
    """`data` as UTF-8 with numeric character references for HTML's named entities, when it
    needed either (a notice each); None when it needed neither."""
    text = _as_utf8(data, notices)
    if text is None:
        return None
    found = {m[1] for m in _HTML_ENTITY.finditer(text) if m[1] in _HTML_ONLY}
    if found:
        text = _HTML_ENTITY.sub(_numeric_reference, text)
        named = ", ".join(f"&{name};" for name in sorted(found)[:3])
        notices.append(f"HTML entities ({named}) read as the characters they name")
    text = _forbidden_replaced(text, notices)
    mended = text.encode()
    return None if mended == data else mended


def _as_utf8(data: bytes, notices: list[str]) -> str | None:
    """The document's text without its XML declaration, so that the parser reads the UTF-8 it
    becomes: its byte order mark's, else UTF-8, else the encoding it declares, else the one
    its bytes fit (told)."""
    head = _DECLARATION.match(data)
    declared = head[1].decode("ascii", "replace") if head is not None and head[1] else None
    decoded = decode_bytes(data, declared)
    if decoded is None:
        return None
    read_as = codecs.lookup(decoded.encoding).name
    if not read_as.startswith("utf") and read_as != codec_name(declared or "utf-8"):
        said = f"declares {declared}" if declared else "declares none"  # the file's own text
        notices.append(clean_line(f"read as {decoded.encoding}: the file is not UTF-8 and {said}"))
    return _DECLARATION_TEXT.sub("", decoded.text, count=1)


def _forbidden_replaced(text: str, notices: list[str]) -> str:
    """`text` with the characters XML forbids (referred to or raw) as U+FFFD, told: a title
    shows where one was, and a URL holding one is skipped (never subscribed to with a
    character silently gone)."""
    found: list[str] = []

    def replaced(match: re.Match[str]) -> str:
        code = int(match[1], 16) if match[1] else int(match[2])
        if _xml_allows(code):
            return match[0]
        found.append(match[0])
        return "\ufffd"

    text = _CHAR_REFERENCE.sub(replaced, text)
    found += (f"&#x{ord(char):x};" for char in _RAW_FORBIDDEN.findall(text))
    if found:
        text = _RAW_FORBIDDEN.sub("\ufffd", text)
        shown = ", ".join(list(dict.fromkeys(found))[:3])
        notices.append(f"characters XML forbids ({shown}) replaced with U+FFFD (\ufffd)")
    return text


def _xml_allows(code: int) -> bool:
    """Whether XML 1.0 admits the character `code` in a document."""
    ranges = ((0x20, 0xD7FF), (0xE000, 0xFFFD), (0x10000, 0x10FFFF))
    return code in (0x9, 0xA, 0xD) or any(low <= code <= high for low, high in ranges)


def _numeric_reference(match: re.Match[str]) -> str:
    name = match[1]
    return f"&#{name2codepoint[name]};" if name in _HTML_ONLY else match[0]


def _entities(origin: str) -> InteropError:
    return InteropError(f"{origin}: refused: the OPML declares XML entities (<!ENTITY>)")


@dataclass
class _Walk:
    """One document's outlines read: what it lists, its feeds by URL (a repeat joins the
    first) and the file name its skip lines start with."""

    found: OpmlFeeds
    file: str
    seen: dict[str, FeedSpec] = field(default_factory=dict)

    def outlines(self, parent: etree._Element, folders: tuple[str, ...]) -> None:
        """Collect feeds depth-first; a folder's name is added to the tags of what it holds."""
        for outline in parent:
            if _local(outline) == "outline":
                self._outline(outline, folders)

    def _outline(self, outline: etree._Element, folders: tuple[str, ...]) -> None:
        attrs = {key.lower(): value for key, value in outline.attrib.items()}
        url = _feed_url(attrs)
        label = clean_name(attrs.get("text") or attrs.get("title"))
        kind = attrs.get("type", "").lower()
        if url is None and len(outline):
            self.outlines(outline, _add_tag(folders, label))
        elif url is not None and any(word in kind for word in _SCRAPING_TYPES):
            reason = "a FreshRSS web-scraping feed: newsdesk reads only feeds"
            self._skip(outline, f"{label or name_from_url(url)}: {reason}")
        elif url is not None:
            self._feed(outline, label, url, _tags(folders, attrs.get("category")))
            self.outlines(outline, folders)  # some exporters nest feeds under feeds
        elif attrs.get("url") or attrs.get("htmlurl"):
            link = label or clean_line(attrs.get("url") or attrs.get("htmlurl"))[:200]
            self._skip(outline, f"{link}: a web link, not a feed")
        elif kind in _FEED_TYPES:
            self._skip(outline, f"{label or 'an untitled outline'}: a feed without an xmlUrl")

    def _feed(self, outline: etree._Element, label: str, url: str, tags: tuple[str, ...]) -> None:
        name = label or name_from_url(url)
        if problem := url_problem(url):
            self._skip(outline, f"{name} ({clean_line(without_password(url))[:200]}): {problem}")
        elif again := merge_repeat(self.seen, FeedSpec(name, url, tags, self._where(outline))):
            self._skip(outline, again)

    def _skip(self, outline: etree._Element, reason: str) -> None:
        self.found.skipped.append(f"{self._where(outline)}: {reason}")

    def _where(self, outline: etree._Element) -> str:
        return f"{self.file}:{outline.sourceline}"


def _feed_url(attrs: dict[str, str]) -> str | None:
    url = attrs.get("xmlurl")
    if not url and attrs.get("type", "").lower() in _FEED_TYPES:
        url = attrs.get("url")  # old OPML 1.0 exporters
    url = (url or "").strip()
    if url.lower().startswith("feed:"):  # feed://host/x and feed:https://host/x
        rest = url[5:]
        url = rest if is_web_url(rest) else "http:" + rest
    return url or None


def _add_tag(tags: tuple[str, ...], tag: str) -> tuple[str, ...]:
    return tags if not tag or tag in tags else (*tags, tag)


def _tags(folders: tuple[str, ...], category: str | None) -> tuple[str, ...]:
    """Folder names, then OPML 2.0 categories ("/News,/Tech/Linux" -> News, Tech/Linux)."""
    tags = folders
    for part in (category or "").split(","):
        tags = _add_tag(tags, clean_line(part.strip().strip("/")))
    return tags


def _local(el: etree._Element) -> str:
    tag = el.tag
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


# -- export -----------------------------------------------------------------------------


def export_opml(config: Config, title: str = "newsdesk subscriptions") -> str:
    """The config's web feeds as an OPML 2.0 document (local sources have no URL to share)."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = formatdate(usegmt=True)
    body = etree.SubElement(root, "body")
    folders: dict[str, etree._Element] = {}
    for source in config.sources:
        if source.url is None:
            continue
        _outline(_folder(body, source.tags[0], folders) if source.tags else body, source)
    data: bytes = etree.tostring(root, encoding="UTF-8", pretty_print=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + data.decode("utf-8")


def write_opml(path: Path, config: Config) -> tuple[int, list[str]]:
    """Write `export_opml` to `path`, replacing the file whole or not at all (a full disk
    leaves the old one); a new file is its owner's alone (0600), as the config: it holds the
    feeds' passwords. Returns how many feeds it holds and the local sources left out.
    An InteropError (one line) when the file cannot be written."""
    try:
        write_atomic(path, export_opml(config).encode("utf-8"), private=True)
    except OSError as exc:
        raise InteropFailed(f"{path}: cannot write: {exc.strerror}") from None
    return sum(1 for s in config.sources if s.url is not None), unexported(config)


def unexported(config: Config) -> list[str]:
    """The names of the local sources, which an OPML file leaves out (no URL to share)."""
    return [source.name for source in config.sources if source.url is None]


def _folder(body: etree._Element, tag: str, folders: dict[str, etree._Element]) -> etree._Element:
    """The folder outline for `tag`, created on first use."""
    if tag not in folders:
        folders[tag] = etree.SubElement(body, "outline", text=tag, title=tag)
    return folders[tag]


def _outline(parent: etree._Element, source: SourceConfig) -> None:
    attrs = {"type": "rss", "text": source.name, "title": source.name, "xmlUrl": source.url or ""}
    if len(source.tags) > 1:
        attrs["category"] = ",".join(source.tags[1:])  # no slashes: OPML 2.0's form for tags
    etree.SubElement(parent, "outline", attrs)
