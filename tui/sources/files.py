"""Local files and folders -> Articles: plain text, Markdown, HTML pages and feed files.

Reading is capped and decoding forgiving (`tui.sources.encoding`); nothing a file contains
makes this raise: problems become one-line warnings naming the file. Plain text follows the
usual shape of a saved article (title line, optional byline, paragraphs, trailing newsletter
and share boilerplate); `tui.sources.plaintext` holds those heuristics.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from tui import __version__
from tui.cells import clusters
from tui.content.parse import first_text, parse_html
from tui.content.readable import html_to_text
from tui.content.urls import absolute_url
from tui.models import Article
from tui.sources.encoding import decode_bytes, meta_charset
from tui.sources.feeds import parse_feed
from tui.sources.markdown import parse_markdown
from tui.sources.plaintext import Parts, parse_plain
from tui.text import clean_line, clean_optional, file_guid, path_text
from tui.weburl import is_web_url

log = logging.getLogger(__name__)

_TEXT = frozenset({".txt", ".text"})
_MARKDOWN = frozenset({".md", ".markdown"})
_HTML = frozenset({".html", ".htm"})
_FEEDS = frozenset({".xml", ".rss", ".atom", ".json"})
SUPPORTED_SUFFIXES: frozenset[str] = _TEXT | _MARKDOWN | _HTML | _FEEDS
"""File name endings `load_local` imports (lower case); other files in a folder are ignored."""

_BACKUPS = {"logseq": frozenset({"bak", "version-files"})}
"""Folders where notes apps keep old copies of the notes (by the folder they are in), skipped
as hidden ones are (`.obsidian`, `.trash`, `.git`): Logseq's backups and file versions."""

_MB = 1024 * 1024
TEXT_CAP = 5 * _MB
"""Bytes read from a text, Markdown or HTML file; the rest is cut off with a warning."""
FEED_CAP = 32 * _MB
"""Bytes read from a feed file (a 10,000-entry feed is about 6 MB)."""
TITLE_CAP = 1000
"""Characters of a title kept (a 100 KB "title" filled 1,250 rows of the reader)."""
_CUT_TAIL = 64 * 1024
"""How far back from a cut a line end is looked for, before a word's end is."""
EXTRACT_LIMIT = 1 * _MB
"""Larger HTML pages skip main-text extraction, whose cost grows faster than the page."""

RACY_SECONDS = 2
"""How recent a modification time is too recent to tell two edits apart (file systems keep
it to a few milliseconds, some to two seconds)."""

_CANONICAL = (
    "//link[@rel='canonical']/@href",
    "//meta[@property='og:url']/@content",
)


@dataclass(frozen=True)
class LocalResult:
    """The articles found under a path and one warning line per problem file."""

    articles: list[Article]
    warnings: list[str]
    """One line each, naming the file: ``"notes/x.bin: skipped: binary file"``."""
    stamp: str = ""
    """Every file's path, size and modification time, hashed (`files_stamp`)."""
    unchanged: bool = False
    """The stamp is the one asked about: no file was read (`articles` is empty)."""


def load_local(path: Path, known: str | None = None) -> LocalResult:
    """Articles from a file, or from every supported file under a folder (sorted, no
    dotfiles); nothing is read when the files' stamp is still `known`."""
    folders: list[Path] = []  # a picture added beside a note changes its folder's time
    files = _walk(path, folders) if path.is_dir() else [(path, None)]
    stamp = files_stamp(path, [*folders, *(file for file, _ in files)])
    if stamp == known:
        return LocalResult([], [], stamp, unchanged=True)
    if not path.is_dir():
        articles, warning = load_file(path)
        return LocalResult(articles, [warning] if warning else [], stamp)
    result = LocalResult([], [], stamp)
    for file, problem in files:
        label = clean_line(path_text(file.relative_to(path)))
        found, warning = _load(file, label) if problem is None else ([], f"{label}: {problem}")
        result.articles.extend(found)
        if warning:
            result.warnings.append(warning)
    return result


def load_file(path: Path) -> tuple[list[Article], str | None]:
    """The articles in one file and an optional warning line (never raises)."""
    return _load(path, clean_line(path_text(Path(path.name))))


def files_stamp(root: Path, files: Iterable[Path]) -> str:
    """What tells the files under `root` changed: each one's path, size and modification
    time (a link's target's), and this version's reading of them (an upgrade reads them
    again). No stamp ("") while a file cannot be read (a `chmod` changes no time), or was
    modified within `RACY_SECONDS`: a second edit as quick, of the same size, may keep its
    time."""
    digest = hashlib.blake2b(f"{__version__}\0{root}".encode(errors="surrogateescape"))
    recent = time.time_ns() - RACY_SECONDS * 1_000_000_000
    for file in files:
        try:
            info = file.stat()
        except OSError:
            return ""
        if info.st_mtime_ns >= recent or not os.access(file, os.R_OK):
            return ""
        line = f"\0{file}\0{info.st_size}\0{info.st_mtime_ns}"
        digest.update(line.encode(errors="surrogateescape"))
    return digest.hexdigest()


def _walk(root: Path, folders: list[Path]) -> list[tuple[Path, str | None]]:
    """Supported files under `root` in sorted order; unreadable folders and links that lead
    out of `root` come with a problem. The folders walked are added to `folders`."""
    found: list[tuple[Path, str | None]] = []
    inside = root.resolve()

    def unreadable(error: OSError) -> None:
        found.append((Path(error.filename or root), f"skipped: unreadable ({error.strerror})"))

    for folder, dirs, files in os.walk(root, onerror=unreadable):
        folders.append(Path(folder))
        kept = _BACKUPS.get(Path(folder).name, frozenset())
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in kept)
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                file = Path(folder, name)
                found.append((file, _outside(file, inside)))
    return found


def _outside(file: Path, root: Path) -> str | None:
    """The problem with a link that leads out of the imported folder (`notes/x.txt` ->
    `/etc/passwd`): importing a folder must not read what lies elsewhere."""
    if not file.is_symlink() or file.resolve().is_relative_to(root):
        return None
    return "skipped: a link to a file outside the folder"


def _load(path: Path, label: str) -> tuple[list[Article], str | None]:
    """One file, with every problem turned into a warning that names it."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return [], f"{label}: skipped: unsupported file type"
    try:
        articles, problems = _load_supported(path, suffix)
    except OSError as exc:
        return [], f"{label}: skipped: unreadable ({exc.strerror or exc})"
    except Exception as exc:  # a parser bug must not stop the rest of a folder import
        # Debug level: Python prints unhandled warnings to stderr, which would draw over a TUI.
        log.debug("could not import %s", path, exc_info=True)
        return [], clean_line(f"{label}: skipped: could not parse ({type(exc).__name__})")
    return articles, clean_line(f"{label}: {'; '.join(problems)}") if problems else None


def _load_supported(path: Path, suffix: str) -> tuple[list[Article], list[str]]:
    """Read (capped) and parse one supported file, its titles capped (`TITLE_CAP`);
    problems are returned, not raised."""
    articles, problems = _parsed(path, suffix)
    capped = [
        replace(a, title=_capped(a.title)) if len(a.title) > TITLE_CAP else a for a in articles
    ]
    if capped != articles:
        problems.append(f"a title cut at {TITLE_CAP:,} characters")
    return capped, problems


def _parsed(path: Path, suffix: str) -> tuple[list[Article], list[str]]:
    """Read (capped) and parse one supported file."""
    cap = FEED_CAP if suffix in _FEEDS else TEXT_CAP
    data, mtime = _read(path, cap + 1)
    cut = len(data) > cap
    problems = [f"truncated at {cap // _MB} MB"] if cut else []
    data = data[:cap]
    if not data.strip():
        return [], ["skipped: empty file"]
    if suffix in _FEEDS:
        articles, problem = _from_feed(data, path)
        return articles, problems + ([problem] if problem else [])
    decoded = decode_bytes(data, meta_charset(data) if suffix in _HTML else None)
    if decoded is None:
        return [], ["skipped: binary file"]
    if not decoded.text.strip():
        return [], ["skipped: empty file"]
    # Markdown's relative images resolve against the file's folder.
    parse = _PARSERS.get(suffix) or partial(parse_markdown, folder=path.parent)
    parts = parse(_whole_lines(decoded.text) if cut else decoded.text)
    if cut:  # said in the article too, not only in the import's line
        parts.body = f"{parts.body}\n\n[cut: the file is larger than {cap // _MB} MB]"
    problems.extend(parts.problems)
    if not (parts.title or parts.body):
        return [], [*problems, "skipped: no text"]
    return [_article(parts, path, mtime)], problems


def _capped(title: str) -> str:
    """`title` in at most `TITLE_CAP` characters, cut between grapheme clusters, with `…`."""
    kept = 0
    for cluster in clusters(title):
        if kept + len(cluster) >= TITLE_CAP:
            break
        kept += len(cluster)
    return title[:kept].rstrip() + "…"


def _whole_lines(text: str) -> str:
    """`text` cut off by the read cap, without the line its end fell inside (where its last
    lines are long ones, the word): a cut never ends the article mid-word."""
    tail = max(0, len(text) - _CUT_TAIL)
    end = text.rfind("\n", tail)
    if end < 0:
        end = max(text.rfind(" ", tail), text.rfind("\t", tail))
    return text if end < 0 else text[:end]


def _read(path: Path, limit: int) -> tuple[bytes, datetime]:
    """Up to `limit` bytes of a regular file and its modification time (UTC)."""
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with open(fd, "rb", closefd=True) as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device never ends
            raise OSError(0, "not a regular file", str(path))
        return handle.read(limit), datetime.fromtimestamp(info.st_mtime, UTC)


def _article(parts: Parts, path: Path, mtime: datetime) -> Article:
    """The Article for a parsed text/Markdown/HTML file."""
    return Article(
        title=clean_line(parts.title) or clean_line(path_text(Path(path.stem))) or "untitled",
        body=parts.body,
        guid=file_guid(path),
        url=clean_optional(absolute_url(parts.url, None)) if parts.url else None,
        author=clean_optional(parts.author),
        published=parts.published or mtime,
        links=parts.links,
        tags=tuple(dict.fromkeys(t for t in map(clean_line, parts.tags) if t)),
    )


def _from_feed(data: bytes, path: Path) -> tuple[list[Article], str | None]:
    """A feed file's entries, their guids prefixed with the file so two files never collide."""
    parsed = parse_feed(data)
    if not parsed.is_feed:
        return [], "skipped: " + (parsed.warning or "not a feed")
    prefix = file_guid(path) + "#"
    articles = [replace(a, guid=prefix + a.dedupe_key) for a in parsed.articles]
    return articles, parsed.warning


def _from_html(html: str) -> Parts:
    """A saved web page: the main text (no navigation or banners) and its meta data."""
    # Imported here: trafilatura takes over a second to import, and most imports are text.
    from tui.content.extract import extract_article, page_metadata

    root = parse_html(html)
    if len(html) > EXTRACT_LIMIT:
        return _big_page(html, root)
    extracted = extract_article(html, text_dates=False)  # else the file's time
    if extracted is not None:
        parts = Parts(extracted.title, extracted.author, extracted.text, extracted.published)
        parts.links = extracted.links
    else:
        title, author, published = page_metadata(html, text_dates=False)
        readable = html_to_text(html)
        parts = Parts(title, author, readable.text, published)
        parts.links = readable.links
    parts.url = _canonical_url(root)
    if not parts.body.strip():  # a page of scripts, or of images alone
        parts.problems.append("no readable text found in the page")
    return parts


def _big_page(html: str, root: Any) -> Parts:
    """A page too big for main-text extraction: all of its text, titled by `<title>`/`<h1>`."""
    readable = html_to_text(html)
    title = first_text(root, "//title") or first_text(root, "//h1")
    parts = Parts(title, None, readable.text, None, _canonical_url(root), readable.links)
    parts.problems.append(f"over {EXTRACT_LIMIT // _MB} MB: imported whole, navigation included")
    return parts


def _canonical_url(root: Any) -> str | None:
    """The page's own http(s) address from `<link rel=canonical>` or `og:url`, if any."""
    for path in _CANONICAL if root is not None else ():
        for value in root.xpath(path):
            url = absolute_url(str(value), None)
            if is_web_url(url):
                return url
    return None


_PARSERS: dict[str, Callable[[str], Parts]] = {
    **dict.fromkeys(_TEXT, parse_plain),
    **dict.fromkeys(_HTML, _from_html),
}
