"""The names an export writes: an article's Markdown file, kept by that article at each export
into the same folder, and its pictures' files, safe on any disk (FAT, Windows)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from itertools import islice
from pathlib import Path

from tui.models import ArticleRow
from tui.prepared import unjoined

_ID_LINE = re.compile(r"id: (\d{1,18})\n")
_FRONT_MATTER_LINES = 16
"""The front matter's lines, at most: where a file's `id` is looked for."""
_NOT_ON_FAT = re.compile(r'[\x00-\x1f\x7f"*/:<>?\\|()\[\]\s]+')
"""What a file name may not hold on FAT or Windows, and what a Markdown image's address
would have to enclose: spaces, brackets."""
_RESERVED = re.compile(r"(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\..*)?", re.I)
"""Names Windows keeps for its devices, with any extension (`nul.png` too)."""


def article_names(rows: Sequence[ArticleRow], output: Path) -> list[str]:
    """Each article's file name (without `.md`): its date and title's slug; where several
    articles' slugs are one, the name goes to the article an earlier export wrote there (its
    front matter's `id`), else to the lowest id, and the others add `-ID`: a re-export never
    swaps articles between files, whatever its order. Undated articles have no date in it."""
    bare = [_dated_slug(row) for row in rows]
    claims: dict[str, list[int]] = {}
    for name, row in zip(bare, rows, strict=True):
        claims.setdefault(name, []).append(row.id)
    owners = {name: exported_id(output / f"{name}.md") or min(ids) for name, ids in claims.items()}
    return [
        name if owners[name] == row.id else f"{name}-{row.id}"
        for name, row in zip(bare, rows, strict=True)
    ]


def _dated_slug(row: ArticleRow) -> str:
    date = row.published.strftime("%Y-%m-%d-") if row.published and row.dated else ""
    return date + slugify(row.title, f"article-{row.id}")


def exported_id(path: Path) -> int | None:
    """The article id in the front matter of the Markdown file at `path`, if one is there."""
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            head = list(islice(file, _FRONT_MATTER_LINES))
    except OSError:  # none there, or no file
        return None
    found = next((m for line in head if (m := _ID_LINE.fullmatch(line))), None)
    return int(found[1]) if found else None


def slugify(title: str, fallback: str) -> str:
    """A file-name-safe slug: lower case words joined by `-`, at most 60 characters. A word
    keeps its marks (the vowel signs and viramas of Hindi, Thai, Tamil...: `re`'s `\\w` has
    none), not the invisible joiners."""
    text = unjoined(unicodedata.normalize("NFKC", title).casefold())
    kept = "".join(c if c.isalnum() or unicodedata.category(c)[0] == "M" else "-" for c in text)
    slug = re.sub("-+", "-", kept).strip("-")[:60].strip("-")
    return slug or fallback


def picture_names(images: Mapping[str, Path]) -> dict[str, str]:
    """Each picture's file name in an export, by its URL: its own name with what FAT and
    Windows refuse (and spaces, brackets) as `-`, never a device's name, one per picture."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for url, path in images.items():
        stem = _NOT_ON_FAT.sub("-", Path(path.name).stem).strip(" .-")[:80] or "image"
        suffix = _NOT_ON_FAT.sub("", path.suffix)
        name = f"{stem}{suffix}"
        if _RESERVED.fullmatch(name):
            name = f"{stem}-{suffix}"
        number = 1
        while name.casefold() in taken:  # FAT and Windows: `A.png` is `a.png`
            number += 1
            name = f"{stem}-{number}{suffix}"
        taken.add(name.casefold())
        names[url] = name
    return names
