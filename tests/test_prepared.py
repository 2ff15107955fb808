"""The parser process's verdict that a body needs no segmenting for the search index is
never wrong: a body it passes is one the index would take unchanged."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.prepared import CJK_FROM, JOINER, NON_JOINER, index_as_is
from tui.store.cjk import segment


def test_the_first_segmented_character_and_the_join_controls_turn_the_verdict() -> None:
    below = chr(ord(CJK_FROM) - 1)
    assert index_as_is(f"a {below} “quoted” é".encode())
    segmented = (CJK_FROM, "\u2fff", "\u3000", "東", "\uffff", "\U00020000", NON_JOINER, JOINER)
    for char in segmented:
        assert not index_as_is(f"a {char} b".encode()), hex(ord(char))


@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_a_body_passed_as_index_as_is_is_indexed_unchanged(text: str) -> None:
    if index_as_is(text.encode()):
        assert segment(text) == text


@given(st.text(st.characters(min_codepoint=0x2E00, max_codepoint=0x4E10), min_size=1))
def test_a_body_with_a_segmented_character_is_never_passed(text: str) -> None:
    if segment(text) != text:
        assert not index_as_is(text.encode())
