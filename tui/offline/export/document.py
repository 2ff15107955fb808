"""What every export format shares: the articles with their images, their text as blocks
(`tui.content.blocks` parses the store's Markdown-ish text), language and direction."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from tui.content.blocks import IMAGE_LINE, Block, blocks, image_label
from tui.local_time import day_only, day_text
from tui.models import ArticleDetail, ArticleRow
from tui.text import clean_line
from tui.weburl import is_web_url, readable_host

__all__ = ["Block", "blocks"]  # the writers take both from here

ImageSource = Callable[[str], str | None]
"""Image URL -> what an `<img src>` or Markdown image should point at (None: no local copy)."""

MARKER = re.compile(r"(\[image(?:: ([^\]\n]*))?\]) \[(\d+)\]|\[(\d+)\]")
"""A link marker `[N]` or an image marker `[image: alt] [N]` or `[image] [N]` (no alt):
groups 1 the image's label, 2 its alt, 3 its number; 4 a link's number."""
_SPACED_MARKER = re.compile(" ?(?:" + MARKER.pattern + ")")
"""A marker with the space before it (the same groups)."""
LOCAL_FILES = "Local files (not in the export):"
"""Over the list of the files a local note's `[N]` markers stand for (`local_links`)."""


class ExportError(Exception):
    """The export could not be written; one line naming the path."""


class ExportFailed(ExportError):
    """Not an output of the wrong kind (a folder for a file): the disk refused the writes, or
    no article was left to export (the command line's exit status 1, not 2)."""


@dataclass(frozen=True)
class Item:
    """One article to export with the local copies of its images."""

    detail: ArticleDetail
    images: dict[str, Path]

    @property
    def row(self) -> ArticleRow:
        return self.detail.row


# Scripts that name their language well enough for `lang`.
_SCRIPTS = (
    (re.compile("[\u3040-\u30ff]"), "ja"),
    (re.compile("[\uac00-\ud7af]"), "ko"),
    (re.compile("[\u4e00-\u9fff]"), "zh"),
    (re.compile("[\u0900-\u097f]"), "hi"),
    (re.compile("[\u0980-\u09ff]"), "bn"),
    (re.compile("[\u0b80-\u0bff]"), "ta"),
    (re.compile("[\u0e00-\u0e7f]"), "th"),
    (re.compile("[\u0590-\u05ff]"), "he"),
    (re.compile("[\u0600-\u06ff\u0750-\u077f]"), "ar"),
)
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_LETTER = re.compile(r"[^\W\d_]")
_SAMPLE = 4000
"""How much of an article's text tells its script."""


def language(item: Item) -> tuple[str | None, str]:
    """The article's language as far as its script tells (None for Latin and the rest) and
    its direction, "rtl" or "ltr": from the script most letters of its text are written in
    (the title's where the text has none), not from the title, whose language may differ."""
    text = IMAGE_LINE.sub(lambda marker: marker["alt"] or "", item.detail.text[:_SAMPLE])
    letters = "".join(_LETTER.findall(text)) or "".join(_LETTER.findall(item.row.title))
    counts = {code: len(pattern.findall(letters)) for pattern, code in _SCRIPTS}
    if counts["ja"]:  # kana: the Han characters beside them are Japanese kanji
        counts["ja"] += counts.pop("zh")
    code, most = max(counts.items(), key=lambda count: count[1])
    others = len(letters) - sum(counts.values())  # Latin, Cyrillic, Greek, ...
    rtl = len(_RTL.findall(letters))
    return code if most > others else None, "rtl" if rtl * 2 > len(letters) else "ltr"


def text_of(item: Item) -> str:
    """The article's text with its image markers as `[image: alt] [N]` (the size a page
    stated for an image is for the reader's placeholder, not for exports), and without the
    markers of links an export neither links to nor lists (`javascript:`): they would point
    at nothing."""
    text = IMAGE_LINE.sub(lambda marker: image_label(marker[0]), item.detail.text)
    links = item.detail.links

    def kept(match: re.Match[str]) -> str:
        number = int(match[3] or match[4])
        url = links[number - 1] if 0 < number <= len(links) else None
        if url is None or is_safe(url) or is_local(url):
            return match[0]
        return match[0][: -len(f"[{number}]")].rstrip(" ") if match[1] else ""

    return _SPACED_MARKER.sub(kept, text)


def is_safe(url: str | None) -> bool:
    """True for the URLs an export may link to: http(s) and mailto."""
    return is_web_url(url) or (url is not None and url.lower().startswith("mailto:"))


_NOT_IN_URI = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]|%(?![0-9A-Fa-f]{2})")
"""What a URI may not hold as it is (RFC 3986): a space, `"<>\\^`{|}`, a control or
non-ASCII character, a `%` starting no escape."""
_AUTHORITY = re.compile(r"[a-z][a-z0-9+.-]*://[^/?#]*", re.I)


def uri_text(address: str) -> str:
    """`address` as an `href` or `src` may hold it (epubcheck and tidy read them as URIs): its
    host as `readable_host` shows it, the rest with what a URI may not hold percent-encoded,
    and `[`, `]` too (a URI allows them in an IPv6 host alone): `…/a%1B[31mb` is
    `…/a%1B%5B31mb`, the same address to a browser."""
    address = readable_host(address)
    authority = _AUTHORITY.match(address)
    start = authority.end() if authority else 0
    rest = _NOT_IN_URI.sub(lambda c: quote(c[0], safe=""), address[start:])
    return address[:start] + rest.replace("[", "%5B").replace("]", "%5D")


def is_local(url: str) -> bool:
    """A local note's link to a file (`file://`): never a link in an export, but listed."""
    return url[:7].lower() == "file://"


def local_links(item: Item, image_src: ImageSource) -> list[tuple[int, str]]:
    """The local files the text's markers stand for, as (number, path cleaned to one line):
    listed so that each `[N]` points at something. A picture the export shows is not."""
    links, found = item.detail.links, {}
    for match in MARKER.finditer(text_of(item)):
        number = int(match[3] or match[4])
        url = links[number - 1] if 0 < number <= len(links) else None
        if url is not None and is_local(url) and not (match[1] and image_src(url)):
            found[number] = clean_line(unquote(urlsplit(url).path))
    return sorted(found.items())


ATTACHMENTS = "Attachments:"
"""Over the list of the article's podcasts, videos and files, each a link."""


def attachments(item: Item) -> list[tuple[str, str]]:
    """The article's enclosures an export links to (http(s)), as (URL, the line the reader
    shows: kind, type, file name, size, playing time)."""
    from tui.offline.media import describe  # the exports' own loading stays light

    found = item.detail.enclosures
    return [(e.url, describe(e).line()) for e in found if is_web_url(e.url)]


def heading_level(level: int) -> int:
    """A heading level below the article title, which is the one h1."""
    return min(6, max(2, level))


def byline(row: ArticleRow) -> list[str]:
    """Author, date and source, those that are known; an undated article's first-seen time
    as such, never as its date."""
    date = _utc_text(row.published) if row.published else ""
    date = date if row.dated or not date else f"first seen {date}"
    return [part for part in (row.author or "", date, row.source) if part]


def _utc_text(moment: datetime) -> str:
    """The date in UTC (an export is read anywhere), the day alone when no time is stated."""
    return day_text(moment) if day_only(moment) else f"{moment:%Y-%m-%d %H:%M} UTC"


def prepare_file(output: Path) -> None:
    """Check that `output` can be a file and create its folder."""
    if output.is_dir():
        raise ExportError(f"{output} is a folder; give a file name for this format")
    output.parent.mkdir(parents=True, exist_ok=True)
