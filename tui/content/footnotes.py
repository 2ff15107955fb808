"""Footnote references written `[^1]`, as Markdown writes them, and their notes.

`<sup><a href="#fn1">1</a></sup>` (or `<a href="#fn1"><sup>1</sup></a>`) read as a bare digit
glued to the word before it (`second link [2].1`), or, once a saved page's links were made
absolute, as a numbered link to the page itself (`[2].1 [3]`). A `<sup>` is a footnote
reference when all its text is one link within the page (`#...`) whose text is a short label
(`1`, `[2]`, `a`, `*`); a superscript that links nowhere (`x<sup>2</sup>`) stays text.

A reference must point at a note: one whose note is not in the page (a teaser) is dropped,
and a saved page whose main text lost the notes under it gets them back at its end, written
`[^1]: note` as Markdown writes them.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from tui.content.parse import Element
from tui.content.urls import anchor, in_page

_LABEL = re.compile(r"\[?([^\s\[\]]{1,8})\]?")
_MAX_NOTE = 3000
"""A longer element is a part of the page the link leads to, not a note."""


def mark_footnotes(root: Element) -> dict[str, Element]:
    """Replace each footnote reference in the tree with the text `[^label]`, or drop it
    where the tree holds no note for it. Returns the notes of those marked, each as the
    paragraph `[^label]: note`, for a part of the tree (a page's main text) to get back."""
    notes: dict[str, Element] = {}
    targets: dict[str, Element] | None = None
    for sup in list(root.iter("sup")):
        found = _reference(sup)
        if found is None:
            continue
        reference, label = found
        if targets is None:  # read once, and only for a page with footnotes
            targets = {el.get("id") or el.get("name"): el for el in root.xpath("//*[@id or @name]")}
        note = targets.get(anchor(reference.get("href") or _link(reference).get("href")) or "")
        if note is None or not _is_note(note, reference):
            _replace_with_text(reference, "")
            continue
        notes.setdefault(label, _paragraph(note, label))
        _replace_with_text(reference, f"[^{label}]")
    return notes


def keep_notes(text: Element, notes: dict[str, Element]) -> None:
    """Put back at the end of `text`, a part of the tree `notes` came from, the notes of the
    references it holds that it lost (the extractor drops the notes under an article)."""
    held = _letters(text)
    for label, note in notes.items():
        if f"[^{label}]" in held and _letters(note).removeprefix(f"[^{label}]:") not in held:
            text.append(note)


def _reference(sup: Element) -> tuple[Element, str] | None:
    """The element that is the whole footnote reference around `sup`, and its label."""
    text = _text(sup)
    parent = sup.getparent()
    if (
        parent is not None
        and parent.tag == "a"
        and in_page(parent.get("href"))
        and _text(parent) == text
    ):
        reference = parent
    elif any(in_page(a.get("href")) and _text(a) == text for a in sup.iter("a")):
        reference = sup
    else:
        return None
    label = _LABEL.fullmatch(text)
    return (reference, label[1]) if label else None


def _link(reference: Element) -> Element:
    """The link of a `<sup>` reference (an `<a>` reference is its own)."""
    return next((a for a in reference.iter("a") if in_page(a.get("href"))), reference)


def _is_note(target: Element, reference: Element) -> bool:
    """A note is short and apart from the reference (not the section holding it)."""
    inside = any(el is target for el in reference.iterancestors())
    return not inside and len(_text(target)) <= _MAX_NOTE


def _paragraph(note: Element, label: str) -> Element:
    """The note as one paragraph `[^label]: note`, without its links back to the text."""
    paragraph = copy.deepcopy(note)
    paragraph.tail = None
    for back in [a for a in paragraph.iter("a") if in_page(a.get("href"))]:
        _replace_with_text(back, "")
    etree.strip_tags(paragraph, "p", "div")
    paragraph.tag = "p"
    paragraph.attrib.clear()
    paragraph.text = f"[^{label}]: " + (paragraph.text or "").lstrip()
    return paragraph


def _letters(el: Element) -> str:
    """The element's text without any whitespace: the same words however they were split
    between elements."""
    return "".join("".join(el.itertext()).split())


def _text(el: Element) -> str:
    return "".join(el.itertext()).strip()


def _replace_with_text(el: Element, text: str) -> None:
    """Put `text` (and the element's tail) where `el` was."""
    parent, before = el.getparent(), el.getprevious()
    if parent is None:
        return
    joined = text + (el.tail or "")
    if before is not None:
        before.tail = (before.tail or "") + joined
    else:
        parent.text = (parent.text or "") + joined
    parent.remove(el)
