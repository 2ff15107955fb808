"""The query parser: what each piece of the language becomes, and that no text breaks it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.store.notices import PARENTHESES
from tui.store.query import (
    MAX_CHARS,
    MAX_TERMS,
    ParsedQuery,
    Term,
    nothing_to_find,
    parse_query,
    plain_words,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC).timestamp()
DAY = 86400.0


def parse(text: str) -> ParsedQuery:
    return parse_query(text, now=NOW)


def test_words_are_anded_and_quoted() -> None:
    parsed = parse("climate energy")
    assert parsed.match == '"climate" AND "energy"'
    assert parsed.terms == ("climate", "energy")
    assert parsed.notice is None


def test_phrase_or_not_and_prefix() -> None:
    parsed = parse('"prime minister" OR brexit -sport -"stock market" econ*')
    assert parsed.match == (
        '(("prime minister" OR "brexit") AND "econ" *) NOT ("sport" OR "stock market")'
    )
    assert parsed.terms == ("prime minister", "brexit", "econ*")  # a prefix, as highlighted


def test_not_keyword_and_prefix_phrase() -> None:
    assert parse("NOT sport").exclusion == '"sport"'
    assert parse('"central ban"*').match == '"central ban" *'


def test_operators_left_without_a_word_are_ignored() -> None:
    for text in ("-", "--", "*", "a OR", "AND a", "OR -", "NOT is:unread"):
        parsed = parse(text)
        assert parsed.match in (None, '"a"'), text
    assert parse("OR a").notice == "OR needs a word on each side: ignored"
    assert parse("NOT is:unread").unread is False  # a filter is NOT's operand


@pytest.mark.parametrize("text", ["OR", "AND", "NOT", "NOT OR"])
def test_operators_alone_are_the_words_searched_for(text: str) -> None:
    # `newsdesk search OR` was refused, and the search bar found nothing: there is no operand,
    # so whoever typed only the word wants the word.
    parsed = parse(text)
    assert parsed.match == " AND ".join(f'"{word.lower()}"' for word in text.split())
    assert parsed.notice is None


@pytest.mark.parametrize(
    ("text", "notice"),
    [
        ("genoa OR", "OR needs a word on each side: ignored"),
        ("genoa NOT", "NOT needs a word after it: ignored"),
        ("is:unread NOT", "NOT needs a word after it: ignored"),
        ("-", "- needs a word after it: ignored"),
        ("genoa - port", "- needs a word after it: ignored"),
        ("source:", "source: needs a value: ignored"),
        ("tag:", "tag: needs a value: ignored"),
        ("since:", "since: needs a value: ignored"),
        ("genoa title:", "title: needs a value: ignored"),
    ],
)
def test_a_mistake_that_changes_nothing_is_still_told(text: str, notice: str) -> None:
    assert parse(text).notice == notice


def test_user_text_is_never_fts_syntax() -> None:
    parsed = parse('NEAR(a b) ^c d:e {x} (y) a+b "q""')
    assert parsed.match == (
        '"NEAR(a" AND "b)" AND "^c" AND "d:e" AND "{x}" AND "(y)" AND "a+b" AND "q"'
    )
    assert parsed.notices == ("unbalanced quote: searched as plain words", PARENTHESES)


def test_terms_to_highlight_are_bare_words() -> None:
    assert parse('(brexit), "prime minister!" NEAR(x').terms == (
        "brexit",
        "prime minister",
        "NEAR(x",
    )


def test_quotes_inside_terms_are_doubled() -> None:
    assert Term('say "hi"').fts == '"say ""hi"""'


def test_cjk_word_becomes_its_pairs_of_characters() -> None:
    assert parse("東京").match == '"東京"'
    assert parse("经济 新闻").match == '"经济" AND "新闻"'
    assert parse("東京タワー*").match == '"東京 京タ タワ ワー" *'
    assert parse("京").match == '"京" *'  # a lone character starts pairs: a prefix
    assert parse("iPhone用").match == '"iPhone 用" *'


def test_filters() -> None:
    parsed = parse(
        'source:"Le Monde" source:BBC tag:tech -tag:sport author:müller title:"prime minister" '
        "is:unread is:saved"
    )
    assert parsed.sources == ("Le Monde", "BBC")
    assert parsed.tags == ("tech",) and parsed.excluded_tags == ("sport",)
    assert parsed.match == 'author : "müller" AND title : "prime minister"'
    assert parsed.terms == ("prime minister",)  # author names are not highlighted in titles
    assert (parsed.unread, parsed.saved, parsed.hidden) == (True, True, False)


def test_filter_keys_ignore_case_and_values_keep_it() -> None:
    parsed = parse("Source:Reuters IS:UNREAD")
    assert parsed.sources == ("Reuters",) and parsed.unread is True


def test_negated_states_and_dates() -> None:
    parsed = parse("-is:unread -is:saved -since:7d")
    assert (parsed.unread, parsed.saved) == (False, False)
    assert parsed.before == NOW - 7 * DAY and parsed.since is None


def test_absolute_and_relative_dates() -> None:
    parsed = parse("since:2026-01-31 before:2026-02")
    assert parsed.since == datetime(2026, 1, 31, tzinfo=UTC).timestamp()
    assert parsed.before == datetime(2026, 2, 1, tzinfo=UTC).timestamp()
    units = {"12h": 0.5 * DAY, "7d": 7 * DAY, "2w": 14 * DAY, "3m": 90 * DAY, "1y": 365 * DAY}
    for value, span in units.items():
        assert parse(f"since:{value}").since == NOW - span, value
    assert parse("since:2025 since:2026").since == datetime(2026, 1, 1, tzinfo=UTC).timestamp()


def test_bad_values_are_ignored_with_a_notice() -> None:
    parsed = parse("since:2026-13-01 before:yesterday is:weird news")
    assert parsed.since is None and parsed.before is None and parsed.unread is None
    assert parsed.match == '"news"'
    assert parsed.notice is not None
    assert "since:2026-13-01 is not a date" in parsed.notice
    assert "before:yesterday is not a date" in parsed.notice
    assert "is:weird is not a filter" in parsed.notice


def test_unknown_prefix_is_a_plain_word_and_an_empty_filter_is_told() -> None:
    assert parse("foo:bar").match == '"foo:bar"'
    assert parse("https://example.com/x").match == '"https://example.com/x"'
    parsed = parse("source: news")
    assert parsed.sources == () and parsed.match == '"news"'
    assert parsed.notice == "source: needs a value: ignored"


def test_only_filters_has_no_match() -> None:
    parsed = parse("is:unread source:X")
    assert parsed.match is None and parsed.exclusion is None


def test_text_without_letters_is_ignored_with_a_notice() -> None:
    parsed = parse("😀 ...")
    assert parsed.match is None
    assert parsed.notice == (
        "nothing to search for in '😀': ignored; nothing to search for in '...': ignored"
    )


def test_limits() -> None:
    many = parse(" ".join(f"w{i}" for i in range(100)))
    assert many.match is not None and many.match.count(" AND ") == MAX_TERMS - 1
    assert many.notice == f"too many words: only the first {MAX_TERMS} were used"
    long = parse("x" * (MAX_CHARS * 10))
    assert long.notice is not None and "query too long" in long.notice


def test_plain_words_fallback() -> None:
    parsed = plain_words('a "b OR -c source:d', "fallback")
    assert parsed.match == '"a" AND "b" AND "OR" AND "-c" AND "source:d"'
    assert parsed.notice == "fallback"


QUERY_TEXT = st.text(
    alphabet=st.sampled_from(list('"*^:()-+{}ORANDTNEAR東京é 😀\x00\n\t\ud800`,.;_'))
    | st.characters(),
    max_size=80,
)


@settings(max_examples=400, deadline=None)
@given(QUERY_TEXT)
def test_any_text_parses(text: str) -> None:
    parsed = parse(text)
    for term in [t for g in parsed.groups for t in g] + list(parsed.excluded):
        fts = term.fts.removeprefix(f"{term.column} : ") if term.column else term.fts
        body = fts.removesuffix(" *")
        body.encode("utf-8")  # SQLite gets text it can store (no lone surrogates)
        # One quoted string: every quote inside is doubled.
        assert body.startswith('"') and body.endswith('"')
        assert '"' not in body[1:-1].replace('""', "")


def test_a_newsboat_filter_typed_from_habit_points_to_the_query_language() -> None:
    for typed in ('unread = "yes"', 'title =~ "off"', 'tags # "news"'):
        first = parse_query(typed).notices[0]
        assert first.startswith("try is:unread,") and "newsboat's filters" in first
    assert parse_query("the title of a book").notices == ()
    assert parse_query("title:unread").notices == ()


def test_parentheses_are_said_to_be_ignored() -> None:
    # `nasa OR (esa AND mars)` was read as (nasa OR esa) AND mars without a word.
    parsed = parse("nasa OR (esa AND mars)")
    assert (
        parsed.notice
        == "parentheses do not group words: ignored (AND and OR join the words beside them)"
    )
    assert parse('"(brexit) deal"').notice is None  # in a phrase they are the text's


def test_a_lone_quote_is_not_said_to_be_searched() -> None:
    # It said "unbalanced quote: searched as plain words" beside "nothing to search for".
    assert parse('"').notices == ()
    assert parse('budget "').notices == ("unbalanced quote: searched as plain words",)


def test_a_long_word_is_quoted_back_cut() -> None:
    notice = parse("😀" * 900).notice
    assert notice is not None and len(notice) < 120 and "😀…'" in notice
    assert nothing_to_find("*" * 10_000) == f"'{'*' * 79}…' has nothing to search for or filter by"
