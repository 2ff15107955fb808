"""Footnote references written `[^1]`, as Markdown writes them.

`<sup><a href="#fn1">1</a></sup>` (or `<a href="#fn1"><sup>1</sup></a>`) read as a bare digit
glued to the word before it (`second link [2].1`), or, once a saved page's links were made
absolute, as a numbered link to the page itself (`[2].1 [3]`). A `<sup>` is a footnote
reference when all its text is one link within the page (`#...`) whose text is a short label
(`1`, `[2]`, `a`, `*`); a superscript that links nowhere (`x<sup>2</sup>`) stays text.
"""

from __future__ import annotations

import re

from tui.content.parse import Element
from tui.content.urls import in_page

_LABEL = re.compile(r"\[?([^\s\[\]]{1,8})\]?")


def mark_footnotes(root: Element) -> None:
    """Replace each footnote reference in the tree with the text `[^label]`."""
    for sup in list(root.iter("sup")):
        found = _reference(sup)
        if found is not None:
            reference, label = found
            _replace_with_text(reference, f"[^{label}]")


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
