"""The sanitizer: nothing that can drive a terminal survives it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.text import clean_body, clean_line

HOSTILE = (
    "\x1b[2J\x1b[31mred\x1b[0m \x1b]0;pwned\x07 \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ "
    "\x9b31m \x1bP1$qm\x1b\\ \u202egnp.exe\u202c \u2066iso\u2069 nul\x00 bell\x07 del\x7f"
)


def test_escapes_controls_and_bidi_removed() -> None:
    cleaned = clean_line(HOSTILE)
    assert cleaned == "red link gnp.exe iso nul bell del"


def test_body_keeps_paragraphs_and_tabs() -> None:
    assert clean_body("one\r\ntwo\r\rthree\n\n\n\n\tfour  ") == "one\ntwo\n\nthree\n\n\tfour"


def test_the_non_joiner_of_persian_spelling_stays() -> None:
    assert clean_line("کتاب\u200cها \u200bرسید") == "کتاب\u200cها رسید"


@pytest.mark.parametrize(
    "text",
    [
        "\U0001f469\u200d\U0001f4bb coding",  # woman technologist: one emoji, not two
        "\U0001f468\u200d\U0001f469\u200d\U0001f467 family",
        "\U0001f3f3\ufe0f\u200d\U0001f308 flag",
        "क्\u200dष",  # Devanagari: the half form of क before ष
        "ශ්\u200dරී ලංකා",  # Sinhala: Sri Lanka's own name
        "അവന്\u200d പോയി",  # Malayalam before Unicode 5.1: a word-final chillu letter
        "لا\u200d",  # Arabic: a letter's joining form shown alone
    ],
)
def test_the_joiner_stays_after_the_character_it_joins(text: str) -> None:
    assert clean_line(text) == text and clean_body(text) == text


def test_a_joiner_that_joins_nothing_goes_with_the_bidi_controls() -> None:
    assert clean_line("\u200dstart a \u200d b") == "start a b"
    assert clean_body("one\n\u200dtwo\u200d\u200dthree") == "one\ntwo\u200dthree"
    assert clean_line("a\u200d\u202eb \u2066c\u2069") == "a\u200db c"


def test_rich_markup_is_left_literal() -> None:
    assert clean_line("[bold red]not markup[/]") == "[bold red]not markup[/]"


@given(st.text())
def test_no_control_character_survives(text: str) -> None:
    for cleaned in (clean_line(text), clean_body(text)):
        assert not any(ord(c) < 32 and c not in "\n\t" or 0x7F <= ord(c) <= 0x9F for c in cleaned)
        assert "\u202e" not in cleaned and "\x1b" not in cleaned


def test_a_stray_c1_character_is_removed_alone() -> None:
    """Mojibake leaves lone U+0090/U+009D/...: they must not take the rest of the text along."""
    assert clean_line("caf\x90e and the rest") == "cafe and the rest"
    assert clean_body("one\x9dtwo\nthree\x98four\x9ffive") == "onetwo\nthreefourfive"


def test_lone_surrogates_become_replacement_characters() -> None:
    # No UTF-8 file, terminal or SQLite text can hold a lone surrogate: it would fail there.
    assert clean_line("caf\udce9 \ud800x") == "caf\ufffd \ufffdx"
    assert clean_body("a\udfff\nb") == "a\ufffd\nb"
    clean_line("\ud800\x1b[2J").encode("utf-8")  # encodable: no exception


@given(st.text(alphabet=st.characters(codec=None, categories=["Cs", "Cc", "Lu"])))
def test_every_cleaned_text_can_be_encoded(text: str) -> None:
    for cleaned in (clean_line(text), clean_body(text)):
        cleaned.encode("utf-8")
