"""Markdown articles: YAML/TOML front matter, a `# Title`, and links numbered like HTML ones.

The Markdown itself stays as written (it reads well in a terminal); only links change, to
`text [N]` and `[image: alt] [N]` with the URLs in `links`, the way `html_to_text` renders
HTML. Bylines, stated dates and trailing boilerplate work as in plain text.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from tui.content.blocks import image_marker
from tui.content.urls import absolute_url
from tui.local_time import stated_day
from tui.sources.notes_syntax import WIKILINK, embedded_image, inline_tags, shown_name
from tui.sources.plaintext import (
    Parts,
    fold,
    parse_date_line,
    take_byline,
    take_date,
    take_title,
    trim_tail,
)
from tui.text import clean_body, clean_line, encode_unsafe, url_has_unseen

_MAX_FRONT_MATTER = 64 * 1024
_FRONT_MATTER = (
    (re.compile(r"\A---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*$\n?", re.S | re.M), "YAML"),
    (re.compile(r"\A\+\+\+[ \t]*\n(.*?)^\+\+\+[ \t]*$\n?", re.S | re.M), "TOML"),
)
_OPENER = re.compile(r"\A(---|\+\+\+)[ \t]*\n")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_ATX_TITLE = re.compile(r"^\s{0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT_RULE = re.compile(r"^\s{0,3}=+[ \t]*$")
# Character classes stop at brackets and angle brackets and quantifiers are possessive or
# bounded, so a hostile line of unclosed links costs linear time, not quadratic.
_LINK_TITLE = r"(?:\s+(?:\"[^\"\n]{0,300}\"|'[^'\n]{0,300}'|\([^)\n]{0,300}\)))?"
_URL_PART = (
    r"\(\s*+<?(?P<url>[^\s()<>\[\]]*+(?:\([^\s()<>\[\]]*+\)[^\s()<>\[\]]*+)*+)>?"
    + _LINK_TITLE
    + r"\s*\)"
)
_INLINE = re.compile(
    r"(?P<img>!)?\[(?P<text>(?:[^\[\]]++|\[[^\[\]]*+\])*+)\]"
    r"(?:" + _URL_PART + r"|\[(?P<ref>[^\[\]]*+)\])?"
    r"|<(?P<auto>(?:https?://|mailto:)[^<>\s]++)>"
)
_REFERENCE = re.compile(
    r"^\s{0,3}\[(?P<label>[^\[\]^][^\[\]]*+)\]:\s*<?(?P<url>[^\s<>]++)>?" + _LINK_TITLE + r"\s*$"
)
"""A link's reference definition; `[^1]: note` is a footnote's, kept as written."""
# Where a link's address starts (after a link's or an image's `](`, a reference definition's
# `]:`, an autolink's `<`) and the address, up to a space, a bracket or a parenthesis.
_ADDRESS = re.compile(
    r"(\]\([ \t]*+<?|^[ \t]{0,3}\[[^\[\]]++\]:[ \t]*+<?|<(?=https?://|mailto:))"
    r"([^ \t\r()<>\[\]]++)"
)
_NOT_A_TITLE = re.compile(
    r"\s{0,3}(?:[-+*](?:\s|$)|[>|<]|\d{1,9}[.)](?:\s|$)|```|~~~)|[\w-]+::(?:\s|$)"
)
"""A first line that is Markdown's structure, not a title: a list item, a quote, a table, HTML,
a code fence, a Logseq property."""
_MARKS = re.compile(r"(?P<mark>\*\*|__|\*|_|~~|==|`)(?P<text>\S(?:.*?\S)?)(?P=mark)")
"""Emphasis, strike-through, highlight and code around some text."""
_TITLE_KEYS = ("title",)
_AUTHOR_KEYS = ("author", "authors", "byline", "creator")
_DATE_KEYS = ("date", "published", "pubdate", "publishdate", "published_at", "created")
_URL_KEYS = ("url", "link", "canonical_url", "canonical", "source")
_TAG_KEYS = ("tags", "categories", "keywords")


def parse_markdown(text: str, folder: Path | None = None) -> Parts:
    """Split a Markdown article into front matter fields, title, author, date and body.

    With `folder` (the file's own), images by relative path to a file inside it get a
    `file://` link, so the reader lists them and draws those it can.
    """
    meta, rest, problem = split_front_matter(text)
    lines = clean_body(_encode_addresses(rest)).split("\n")
    title = _meta_text(meta, _TITLE_KEYS)
    if title is None:
        title = _take_heading(lines) or _take_plain_title(lines)
    else:
        _drop_repeated_heading(lines, title)
    author = _meta_author(meta)
    named, stated = (None, None) if author else take_byline(lines)
    author = author or named
    published = _meta_date(meta) or take_date(lines) or stated
    trim_tail(lines, title)
    url = _meta_text(meta, _URL_KEYS)
    body, links = number_links("\n".join(lines), url, folder)
    body = clean_body(body)
    parts = Parts(title or "", author, body, published, url, links)
    written = inline_tags(line for _, line in _unfenced(body.split("\n")))
    parts.tags = _unique([*_meta_tags(meta), *written])
    parts.problems = [problem] if problem else []
    return parts


def split_front_matter(text: str) -> tuple[dict[str, Any], str, str | None]:
    """Front matter fields, the text after them, and a problem if they could not be read."""
    for pattern, kind in _FRONT_MATTER:
        match = pattern.match(text)
        if match is None:
            continue
        rest = text[match.end() :]
        if len(match.group(1)) > _MAX_FRONT_MATTER:
            return {}, rest, f"{kind} front matter too large, ignored"
        try:
            meta = _load(match.group(1), kind)
        except (yaml.YAMLError, ValueError, RecursionError) as exc:
            return {}, rest, f"bad {kind} front matter ({_first_line(exc)}), ignored"
        if not isinstance(meta, dict):
            return {}, rest, f"{kind} front matter is not a set of keys, ignored"
        return {str(k).lower(): v for k, v in meta.items()}, rest, None
    opener = _OPENER.match(text)
    if opener is None:
        return {}, text, None
    # A fence never closed: its fields are read up to the first blank line, if they parse
    # (its first line was the title, "---").
    block, _, after = text[opener.end() :].partition("\n\n")
    problem = f"front matter never closed (no second {opener[1]})"
    try:
        meta = _load(block, "YAML" if opener[1] == "---" else "TOML")
    except (yaml.YAMLError, ValueError, RecursionError):
        meta = None
    if isinstance(meta, dict):
        return {str(k).lower(): v for k, v in meta.items()}, after, problem
    return {}, text[opener.end() :], problem


def _load(block: str, kind: str) -> Any:
    """Parse a front matter block (safe loaders only: no Python objects from YAML tags)."""
    return yaml.safe_load(block) if kind == "YAML" else tomllib.loads(block)


def _first_line(exc: BaseException) -> str:
    """An error message's first line, for a one-line warning."""
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}: " if mark is not None else ""
    text = str(getattr(exc, "problem", None) or exc).strip().split("\n")[0]
    return clean_line(where + text)[:120]


def _take_heading(lines: list[str]) -> str | None:
    """Remove and return the first level-1 heading outside code blocks."""
    for index, line in _unfenced(lines):
        atx = _ATX_TITLE.match(line)
        if atx:
            del lines[index]
            return clean_line(atx.group(1)) or None
        below = lines[index + 1] if index + 1 < len(lines) else ""
        if line.strip() and _SETEXT_RULE.match(below):
            del lines[index : index + 2]
            return clean_line(line) or None
    return None


def _take_plain_title(lines: list[str]) -> str | None:
    """Remove and return the first line as the title if it is a plain one, its emphasis and
    code marks removed; not an image, a list item, a quote, a Logseq property (`title:: My
    Page`) or a line with a link, which stay in the body (a note is then titled by its file's
    name, as the notes app shows it)."""
    first = next((line for line in lines if line.strip()), "")
    if _NOT_A_TITLE.match(first) or _INLINE.search(first) or "[[" in first:
        return None
    title = take_title(lines)
    return _MARKS.sub(r"\g<text>", title) if title else None


def _drop_repeated_heading(lines: list[str], title: str) -> None:
    """Remove a leading `# Title` that repeats the front matter's title."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    heading = _ATX_TITLE.match(lines[first]) if first is not None else None
    if first is not None and heading and fold(heading.group(1)) == fold(title):
        del lines[first]


def _unfenced(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(index, line) of the lines outside fenced code blocks."""
    fence: str | None = None
    for index, line in enumerate(lines):
        marker = _FENCE.match(line)
        if marker and (fence is None or marker.group(1) == fence):
            fence = None if fence else marker.group(1)
        elif fence is None:
            yield index, line


# -- links ----------------------------------------------------------------------------------


def _encode_addresses(text: str) -> str:
    """`text` with the unseen characters in its links' addresses percent-encoded, as a
    feed's are (`encode_unsafe`), before the cleaning that deletes them elsewhere: deleted,
    `…/b<ESC>c` became the address `…/bc`, another page. Code blocks are left alone."""
    if not url_has_unseen(text):
        return text
    lines = text.split("\n")
    for index, line in _unfenced(lines):
        lines[index] = _ADDRESS.sub(_encoded_address, line)
    return "\n".join(lines)


def _encoded_address(found: re.Match[str]) -> str:
    start, address = found.groups()
    return start + encode_unsafe(address) if url_has_unseen(address) else found[0]


def number_links(
    text: str, base_url: str | None, folder: Path | None = None
) -> tuple[str, tuple[str, ...]]:
    """`[text](url)` -> `text [N]`, `![alt](src)` -> `[image: alt] [N]`, outside code blocks.

    Only http(s) and mailto URLs get a number; other links keep just their text.
    """
    lines = text.split("\n")
    references: dict[str, str] = {}
    for index, line in list(_unfenced(lines)):
        definition = _REFERENCE.match(line)
        if definition:
            references.setdefault(fold(definition["label"]), definition["url"])
            lines[index] = "\x00"  # removed below; keeps indexes stable meanwhile
    numbering = _Numbering(base_url, references, folder)
    for index, line in list(_unfenced(lines)):
        lines[index] = numbering.convert(line)
    return "\n".join(line for line in lines if line != "\x00"), tuple(numbering.urls)


class _Numbering:
    """Gives each distinct URL its number, in reading order."""

    def __init__(
        self, base_url: str | None, references: dict[str, str], folder: Path | None
    ) -> None:
        self.base_url = base_url
        self.references = references
        self.folder = folder
        self.urls: dict[str, int] = {}

    def convert(self, text: str) -> str:
        """The text with its links replaced, wikilinks first (`[[a]]` is no link of its own)."""
        pieces, start = [], 0
        for wikilink in WIKILINK.finditer(text):
            pieces += [_INLINE.sub(self._replace, text[start : wikilink.start()])]
            pieces += [self._wikilink(wikilink)]
            start = wikilink.end()
        return "".join([*pieces, _INLINE.sub(self._replace, text[start:])])

    def _wikilink(self, found: re.Match[str]) -> str:
        """A note's name as the notes app shows it; an embedded picture as any picture."""
        picture = embedded_image(found)
        if picture is None:
            return shown_name(found)
        alias = (found["alias"] or "").strip()
        return image_marker(alias or Path(picture).name) + self._marker(
            local_image(picture, self.folder)
        )

    def _replace(self, match: re.Match[str]) -> str:
        """One link, image, reference or autolink."""
        auto = match["auto"]
        if auto:
            return f"{auto}{self._marker(auto)}"
        url = match["url"]
        if url is None:
            url = self.references.get(fold(match["ref"] or match["text"]))
            if url is None:
                return match[0]  # "[sic]" and other plain brackets
        inner = self.convert(match["text"]).strip()
        if match["img"]:
            # The file beside the note first: a front matter `url` is the note's page on
            # the web, and its images may be nowhere there.
            marker = self._marker(local_image(url, self.folder)) or self._marker(url)
            return image_marker(inner) + marker
        return f"{inner}{self._marker(url)}" if inner else self._marker(url).strip()

    def _marker(self, url: str | None) -> str:
        """` [N]` for a URL we can show, else nothing."""
        if url is None:
            return ""
        absolute = url if url.startswith("file://") else absolute_url(url, self.base_url)
        if absolute is None:
            return ""
        number = self.urls.setdefault(absolute, len(self.urls) + 1)
        return f" [{number}]"


def local_image(src: str, folder: Path | None) -> str | None:
    """The `file://` URI of an image's file given by a path relative to `folder` and inside
    it, when there is one: numbered like any picture of the note, also one the reader cannot
    draw (an SVG; `note_images` says which are drawn and exported)."""
    if folder is None or ":" in src or src.startswith(("/", "\\")):
        return None
    try:
        path = (folder / unquote(src)).resolve()
    except (OSError, ValueError):
        return None
    inside = path.is_relative_to(folder.resolve())
    return path.as_uri() if inside and path.is_file() else None


# -- front matter fields --------------------------------------------------------------------


def _meta_text(meta: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    """The first of `keys` holding a string (or a number), cleaned to one line."""
    for key in keys:
        value = meta.get(key)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return clean_line(str(value)) or None
    return None


def _meta_author(meta: dict[str, Any]) -> str | None:
    """Author names: a string, a list of strings, or `{name: ...}` entries."""
    for key in _AUTHOR_KEYS:
        value = meta.get(key)
        people = value if isinstance(value, list) else [value]
        names = [p.get("name") if isinstance(p, dict) else p for p in people]
        found = [clean_line(n) for n in names if isinstance(n, str) and clean_line(n)]
        if found:
            return ", ".join(dict.fromkeys(found))
    return None


def _meta_date(meta: dict[str, Any]) -> datetime | None:
    """The publication date: YAML/TOML dates and date-times, or a date string."""
    for key in _DATE_KEYS:
        value = meta.get(key)
        if isinstance(value, datetime):  # without a zone: the writer's local time
            return value.astimezone(UTC).replace(microsecond=0)  # no fake day mark
        if isinstance(value, date):
            return stated_day(value)
        stated = parse_date_line(value) if isinstance(value, str) else None
        if stated is not None:
            return stated
    return None


def _unique(tags: list[str]) -> tuple[str, ...]:
    """Each tag once, as first written (`#Garden` after `tags: [garden]` is the same tag)."""
    kept: dict[str, str] = {}
    for tag in tags:
        kept.setdefault(tag.casefold(), tag)
    return tuple(kept.values())


def _meta_tags(meta: dict[str, Any]) -> tuple[str, ...]:
    """Tags from a list or a comma-separated string."""
    for key in _TAG_KEYS:
        value = meta.get(key)
        items = value.split(",") if isinstance(value, str) else value
        if isinstance(items, list):
            tags = (clean_line(str(t)) for t in items if isinstance(t, str | int | float))
            return tuple(dict.fromkeys(t for t in tags if t))
    return ()
