"""What notes apps (Obsidian, Logseq, Foam) add to Markdown: `[[wikilinks]]` and inline
`#tags`. A wikilink reads as the note it names (`[[Compost|the heap]]` as "the heap"), an
embedded picture (`![[photo.png]]`) as any picture of the note; an inline tag is one of the
note's tags, as the app lists it."""

from __future__ import annotations

import re
from collections.abc import Iterable

WIKILINK = re.compile(
    r"(?P<img>!)?\[\[(?P<target>[^\[\]|\n]{1,500})(?:\|(?P<alias>[^\[\]\n]{0,500}))?\]\]"
)
EMBEDDED_PICTURES = (  # what a notes app embeds as a picture (the reader draws fewer)
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".svg",
    ".bmp",
    ".avif",
)
_INLINE_TAG = re.compile(r"(?<![\w/#&`])#(?P<tag>[\w/-]*[^\W\d][\w/-]*)")
"""`#tag`, `#nested/tag`: not after a word, a slash or `&` (an address's `/#part`, an entity's
`&#39;`), and never digits alone (`#1` is a number, as the apps read it)."""
_CODE_SPAN = re.compile(r"(`+).*?\1")


def shown_name(found: re.Match[str]) -> str:
    """What a wikilink reads as: its alias, else the note's name with its heading
    (`[[Plan#Costs]]` as "Plan > Costs"; a block's `^id` left out)."""
    alias = (found["alias"] or "").strip()
    if alias:
        return alias
    page, _, heading = found["target"].partition("#")
    page, heading = page.strip(), heading.strip()
    if heading.startswith("^"):
        return page or heading
    return f"{page} > {heading}" if page and heading else page or heading


def embedded_image(found: re.Match[str]) -> str | None:
    """The file an embed `![[photo.png]]` shows, if it names a picture."""
    target = found["target"].partition("#")[0].strip()
    return target if found["img"] and target.lower().endswith(EMBEDDED_PICTURES) else None


def inline_tags(lines: Iterable[str]) -> list[str]:
    """The `#tags` written in the text (not in code), in order, each once."""
    found: dict[str, None] = {}
    for line in lines:
        for tag in _INLINE_TAG.finditer(_CODE_SPAN.sub("", line)):
            found.setdefault(tag["tag"].rstrip("/-"), None)
    return [tag for tag in found if tag]
