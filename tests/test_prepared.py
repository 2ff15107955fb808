"""The parser process's verdict that a body needs no segmenting for the search index is
never wrong: a body it passes is one the index would take unchanged."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.prepared import CJK_FROM, below_cjk
from tui.store.cjk import segment


def test_the_first_segmented_character_is_where_the_verdict_turns() -> None:
    below = chr(ord(CJK_FROM) - 1)
    assert below_cjk(f"a {below} “quoted” é".encode())
    for char in (CJK_FROM, "\u2fff", "\u3000", "東", "\uffff", "\U00020000"):
        assert not below_cjk(f"a {char} b".encode()), hex(ord(char))


@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_a_body_passed_as_below_cjk_is_indexed_unchanged(text: str) -> None:
    if below_cjk(text.encode()):
        assert segment(text) == text


@given(st.text(st.characters(min_codepoint=0x2E00, max_codepoint=0x4E10), min_size=1))
def test_a_body_with_a_segmented_character_is_never_passed(text: str) -> None:
    if segment(text) != text:
        assert not below_cjk(text.encode())
