"""The sanitizer: nothing that can drive a terminal survives it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.cli import main
from tui.text import clean_body, clean_line, plural

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


# -- what a broken sequence leaves: the text after it stays ---------------------------------


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # An OSC never ended: its introducer and command number go, the words stay.
        ("one \x1b]0;title two\nthree", "one title two\nthree"),
        ("see \x1b]8;;https://x.example/ the page", "see ;https://x.example/ the page"),
        # An OSC "ended" on a later line is no title: a line break is text, not its payload.
        ("a \x1b]0;t\nb\x07c", "a t\nbc"),
        # DCS, SOS, PM and APC never ended: the introducer goes, as a two-character escape.
        ("a\x1bPq more\nnext", "aq more\nnext"),
        ("a\x1bX b\x1b^ c\x1b_ d", "a b c d"),
        # A stray ESC keeps the markup after it (`<`, `&`, `[`, `]`) and a space.
        ("\x1b<b>bold</b> x", "<b>bold</b> x"),
        ("x\x1b&amp;y", "x&amp;y"),
        ("x\x1b hello", "x hello"),
        ("see [x\x1b](u) and \x1b[\n(y)", "see [x](u) and [\n(y)"),
        # U+009B is cp1252's `›` read as Latin-1 far more often than a CSI.
        ("Home \x9b News \x9b Today", "Home  News  Today"),
        ("\x9b<p>", "<p>"),
    ],
)
def test_a_broken_escape_sequence_takes_no_text_along(text: str, kept: str) -> None:
    assert clean_body(text) == kept


@pytest.mark.parametrize(
    "sequence",
    [
        "\x1b[31m",
        "\x1b[?25l",
        "\x1b[2 q",
        "\x1b]0;a title\x07",
        "\x1b]8;id=1;https://x.example/\x1b\\",
        "\x1b]52;c;aGk=\x9c",
        "\x1bPq#0;2;0;0;0\x1b\\",
        "\x1b_Gf=100;AAAA\x1b\\",
        "\x1b(B",
        "\x1b#8",
        "\x1b7",
        "\x1bc",
        "\x9b31m",
        "\x9b?1049h",
    ],
)
def test_a_whole_sequence_goes_whole(sequence: str) -> None:
    assert clean_body(f"before{sequence}after") == "beforeafter"


@pytest.mark.parametrize(
    ("count", "noun", "said"),
    [(1, "story", "1 story"), (2, "story", "2 stories"), (0, "entry", "0 entries"),
     (3, "day", "3 days"), (1, "byte", "1 byte"), (13, "byte", "13 bytes")],
)  # fmt: skip
def test_plural_says_a_count_and_its_noun(count: int, noun: str, said: str) -> None:
    assert plural(count, noun) == said


LINE_BREAKS = {
    "line separator": "\u2028",
    "paragraph separator": "\u2029",
    "next line (NEL)": "\x85",
    "vertical tab": "\x0b",
    "form feed": "\x0c",
    "record separator": "\x1e",
    "carriage return": "\r",
}


@pytest.mark.parametrize("brk", LINE_BREAKS.values(), ids=LINE_BREAKS.keys())
def test_a_line_break_of_any_kind_is_a_space_in_a_line_and_a_newline_in_a_body(brk: str) -> None:
    # U+2028 stayed in a title (drawn as nothing: "Zürichnews"); VT, FF and NEL were deleted
    # as controls, gluing the words on either side into one.
    assert clean_line(f"Zürich{brk}news {brk} today") == "Zürich news today"
    assert clean_line(f"plain{brk}ascii") == "plain ascii"
    assert clean_body(f"Zürich{brk}news") == "Zürich\nnews"


@given(st.text(st.characters() | st.sampled_from(list(LINE_BREAKS.values()))))
def test_a_cleaned_line_is_one_line(text: str) -> None:
    assert len(clean_line(text).splitlines()) <= 1


def test_a_feed_files_titles_with_line_separators_list_one_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = [
        {"id": name, "title": f"Breaking{brk}{name}", "author": {"name": f"Ada{brk}Lovelace"}}
        for name, brk in LINE_BREAKS.items()
    ]
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Wire", "items": items}
    (tmp_path / "wire.json").write_text(json.dumps(feed), encoding="utf-8")
    config = tmp_path / "feeds.toml"
    config.write_text('[[sources]]\nname = "Wire"\npath = "wire.json"\n', encoding="utf-8")
    assert main(["--config", str(config), "refresh"]) == 0
    capsys.readouterr()
    assert main(["--config", str(config), "list"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(LINE_BREAKS)
    assert main(["--config", str(config), "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert sorted(row["title"] for row in listed) == sorted(f"Breaking {n}" for n in LINE_BREAKS)
    assert {row["author"] for row in listed} == {"Ada Lovelace"}


def test_a_path_with_line_breaks_is_shown_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(tmp_path / "we\u2028ird" / "fe\neds.toml")  # a folder and a file name
    assert main(["--config", config, "paths"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert len(shown) == 4 and shown[0].startswith("config: ")
    assert "we\\u2028ird/fe\\neds.toml (missing: no sources)" in shown[0]
