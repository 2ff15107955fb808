"""Search as the user sees it: which articles come back, in what order, with what snippet."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sql import connection, sql
from tests.store.test_index_text import assert_index_matches_articles
from tui.models import MATCH_CLOSE, MATCH_OPEN, Article, FetchOutcome, Rule, SourceKind
from tui.store import InvalidQuery, Store, View, counting, search_newest
from tui.store import search as search_module
from tui.store.search import SearchResult
from tui.text import strip_unsafe

OK = FetchOutcome(status=200)
NOW = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "cache" / "newsdesk.db")
    yield opened
    opened.close()


def art(title: str, body: str = "", days_ago: float = 1, **fields: object) -> Article:
    values: dict[str, object] = {
        "title": title,
        "body": body or f"About {title}.",
        "guid": title,
        "published": NOW - timedelta(days=days_ago),
    }
    values.update(fields)
    return Article(**values)  # type: ignore[arg-type]


def add(store: Store, source: str, *articles: Article, tags: tuple[str, ...] = ()) -> int:
    source_id = store.ensure_source(source, SourceKind.WEB, f"https://{len(source)}.example", tags)
    store.record_refresh(source_id, list(articles), OK, now=NOW.timestamp())
    return source_id


def find(store: Store, query: str, **options: object) -> SearchResult:
    return store.search(query, now=NOW.timestamp(), **options)  # type: ignore[arg-type]


def titles(store: Store, query: str, **options: object) -> list[str]:
    return [hit.row.title for hit in find(store, query, **options).hits]


def id_of_source(store: Store, name: str) -> int:
    return int(sql(store, "SELECT id FROM sources WHERE name = ?", (name,))[0][0])


def id_of(store: Store, title: str) -> int:
    return next(r.id for r in store.page(View(), limit=1000) if r.title == title)


# -- words ----------------------------------------------------------------------------------


def test_accents_and_case_do_not_matter_either_way(store: Store) -> None:
    add(
        store,
        "Feed",
        art("Perché la NATO", "Spiegazione."),
        art("Muller speaks", "Plain spelling."),
        art("Café culture", "Crème brûlée."),
        art("Jürgen Müller interview", "Gespräch."),
    )
    assert titles(store, "perche") == ["Perché la NATO"]
    assert titles(store, "PERCHÉ") == ["Perché la NATO"]
    assert titles(store, "nato") == ["Perché la NATO"]
    both = {"Muller speaks", "Jürgen Müller interview"}
    assert set(titles(store, "Müller")) == both and set(titles(store, "muller")) == both
    assert titles(store, "jurgen gesprach") == ["Jürgen Müller interview"]
    assert titles(store, "creme brulee") == ["Café culture"]


def test_phrase_or_not_prefix(store: Store) -> None:
    add(
        store,
        "Feed",
        art("Prime minister resigns", "The prime minister left."),
        art("Minister says prime time", "Minister of culture on prime time TV."),
        art("Economy grows", "Economics of sport."),
        art("Sport results", "Football."),
    )
    assert titles(store, '"prime minister"') == ["Prime minister resigns"]
    assert set(titles(store, "resigns OR football")) == {"Prime minister resigns", "Sport results"}
    assert set(titles(store, "minister -culture")) == {"Prime minister resigns"}
    assert set(titles(store, 'minister -"prime minister"')) == {"Minister says prime time"}
    assert titles(store, "econ*") == ["Economy grows"]
    assert set(titles(store, "-sport")) == {"Prime minister resigns", "Minister says prime time"}


def test_cjk_word_in_the_middle_of_a_sentence(store: Store) -> None:
    add(
        store,
        "ニュース",
        art("天気", "今日は東京都で大きな会議が開かれました。"),
        art("大阪", "大阪の天気は晴れです。"),
        art("经济新闻", "今年中国经济增长速度放缓。"),
    )
    assert titles(store, "東京") == ["天気"]
    assert titles(store, "会議") == ["天気"]
    assert titles(store, "经济增长") == ["经济新闻"]
    assert titles(store, "增长 速度") == ["经济新闻"]
    assert titles(store, "京都大") == []  # not a sequence in any text
    assert titles(store, "東京都") == ["天気"]  # three characters: a phrase of pairs
    assert titles(store, "晴れです") == ["大阪"]  # at the end of a run
    assert set(titles(store, "京")) == {"天気"}  # one character: inside a word too
    assert set(titles(store, "天")) == {"天気", "大阪"}  # a title, and mid-sentence


def test_persian_words_keep_their_non_joiner_and_are_found_typed_with_or_without_it(
    store: Store,
) -> None:
    # Persian writes U+200C inside words ("می‌خواهم"): the stored text keeps it (it is part of
    # the spelling), the index and the query drop it, so either way of typing finds the word,
    # whether the parser process prepared the article or the store did.
    from tui.prepared import prepare

    title, body = "کتاب\u200cهای تازه", "او می\u200cخواهم بگوید که کتاب\u200cها رسید. " * 30
    article = art(strip_unsafe(title), strip_unsafe(body))
    assert article.title == title  # as sources store it
    add(store, "Persian", article)
    prepared = art("خبر دوم", "روزنامه\u200cها نوشتند " * 30)
    source = store.ensure_source("Prepared", SourceKind.WEB, "https://fa.example/rss")
    store.record_refresh(source, [prepared], OK, now=NOW.timestamp(), prepared=[prepare(prepared)])
    for typed in ("می\u200cخواهم", "میخواهم", "کتاب\u200cهای"):
        assert titles(store, typed) == [title], typed
    for typed in ("روزنامه\u200cها", "روزنامهها"):
        assert titles(store, typed) == ["خبر دوم"], typed
    assert_index_matches_articles(store)


def test_words_written_with_the_joiner_keep_it_and_are_found_typed_with_or_without_it(
    store: Store,
) -> None:
    # Sinhala writes U+200D inside words ("ශ්‍රී", Sri), Hindi in half forms ("क्‍ष"): the
    # stored text keeps it, the index and the query drop it (the index would split the word
    # there), so the word is found however it is typed, prepared by the parser process or not.
    from tui.prepared import prepare

    title, body = "ශ්\u200dරී ලංකා", "ශ්\u200dරී ලංකාවේ තේ වතු ව්\u200dයාපෘතිය. " * 30
    article = art(strip_unsafe(title), strip_unsafe(body))
    assert (article.title, article.body) == (title, body)  # as sources store it
    add(store, "Sinhala", article)
    prepared = art("नई नीति", "नई शिक्\u200dषा नीति लागू हुई " * 30)
    source = store.ensure_source("Prepared", SourceKind.WEB, "https://hi.example/rss")
    store.record_refresh(source, [prepared], OK, now=NOW.timestamp(), prepared=[prepare(prepared)])
    for typed in ("ශ්\u200dරී", "ශ්රී", "ව්යාපෘතිය", "ව්\u200dයාපෘතිය"):
        assert titles(store, typed) == [title], typed
    for typed in ("शिक्\u200dषा", "शिक्षा"):
        assert titles(store, typed) == ["नई नीति"], typed
    assert_index_matches_articles(store)


def test_title_match_outranks_body_only_then_newer_first(store: Store) -> None:
    add(
        store,
        "Feed",
        art("Budget news", "The election is coming, election day soon.", days_ago=0.1),
        art("Election results", "Counting continues.", days_ago=30),
        art("Old twin", "Same words here.", days_ago=5),
        art("New twin", "Same words here.", days_ago=2),
    )
    assert titles(store, "election") == ["Election results", "Budget news"]
    hits = find(store, "election").hits
    assert hits[0].score > hits[1].score > 0
    assert titles(store, "same words") == ["New twin", "Old twin"]


def test_snippet_marks_the_match(store: Store) -> None:
    body = "Intro text. " * 20 + "The central bank raised rates today. " + "Filler. " * 20
    add(store, "Feed", art("Rates", body), art("東京", "今日は東京都で大きな会議が開かれました。"))
    (hit,) = find(store, '"central bank"').hits
    assert f"{MATCH_OPEN}central bank{MATCH_CLOSE}" in hit.snippet
    assert "\n" not in hit.snippet and len(hit.snippet) < 200
    (cjk,) = find(store, "会議").hits
    assert f"東京都で大きな{MATCH_OPEN}会議{MATCH_CLOSE}が開かれました" in cjk.snippet


def test_fts_snippet_of_mixed_text_reads_naturally(store: Store) -> None:
    add(store, "Feed", art("Tokyo", "Visit 東京 today: 東京タワー is tall. 大阪、京都 too."))
    (hit,) = find(store, "tokyo visit").hits  # a Latin query: FTS5 cuts the snippet
    plain = hit.snippet.replace(MATCH_OPEN, "").replace(MATCH_CLOSE, "")
    assert plain == "Visit 東京 today: 東京タワー is tall. 大阪、京都 too."
    (hit,) = find(store, "東京 tall").hits
    assert f"{MATCH_OPEN}東京{MATCH_CLOSE}タワー is {MATCH_OPEN}tall{MATCH_CLOSE}" in hit.snippet


def test_terms_for_highlighting(store: Store) -> None:
    result = find(store, '"prime minister" econ* author:smith -sport')
    assert result.terms == ("prime minister", "econ*")


# -- filters --------------------------------------------------------------------------------


@pytest.fixture
def filled(store: Store) -> Store:
    add(
        store,
        "Le Monde",
        art("Paris news", "Politique et economy.", days_ago=1, author="Léa Dubois"),
        art("Old Paris", "Politique.", days_ago=400, tags=("Archive",)),
        tags=("france", "world"),
    )
    add(
        store,
        "Reuters",
        art("Markets news", "Bank and economy.", days_ago=3, author="Jane Smith"),
        art("Tech news", "Chips and economy.", days_ago=10, tags=("Technology",)),
        tags=("world",),
    )
    add(store, "Reuters Japan", art("Tokyo news", "Economy of Japan.", days_ago=2))
    return store


def test_source_filter(filled: Store) -> None:
    assert titles(filled, 'source:"Le Monde"') == ["Paris news", "Old Paris"]
    assert titles(filled, "source:le-monde") == []  # not a part of any name
    assert titles(filled, 'source:"le monde" economy') == ["Paris news"]
    assert set(titles(filled, "source:reuters economy")) == {"Markets news", "Tech news"}
    assert titles(filled, "source:japan") == ["Tokyo news"]  # part of a name
    assert titles(filled, "source:Reuters source:Japan") == [
        "Tokyo news",
        "Markets news",
        "Tech news",
    ]
    assert set(titles(filled, "economy -source:reuters")) == {"Paris news", "Tokyo news"}
    missing = find(filled, "source:Nowhere economy")
    assert missing.hits == [] and missing.notice == "no source named 'Nowhere'"


def test_source_filter_follows_new_and_renamed_sources(filled: Store) -> None:
    assert titles(filled, "source:japan") == ["Tokyo news"]
    sql(filled, "UPDATE sources SET name = 'Nihon Times' WHERE name LIKE '%Japan%'")  # elsewhere
    assert titles(filled, "source:japan") == [] and titles(filled, "source:nihon") == ["Tokyo news"]
    add(filled, "Japan Today", art("Osaka news", "Trade."))  # this process
    assert titles(filled, "source:japan") == ["Osaka news"]


def test_source_filter_finds_the_names_a_search_is_given_for_that_search_alone(
    filled: Store,
) -> None:
    # Names a command set on the connection applied to every later search on it.
    [japan] = [s.id for s in filled.sources() if "Japan" in s.name]
    also = {japan: "Nihon Times"}
    assert [h.row.title for h in filled.search("source:nihon", also_named=also).hits] == [
        "Tokyo news"
    ]
    assert filled.search_count("source:nihon", also_named=also) == 1
    assert titles(filled, "source:nihon") == [] and filled.search_count("source:nihon") == 0


def test_tag_filter_matches_source_tags_and_article_tags(filled: Store) -> None:
    assert titles(filled, "tag:france") == ["Paris news", "Old Paris"]
    assert set(titles(filled, "tag:WORLD economy")) == {"Paris news", "Markets news", "Tech news"}
    assert titles(filled, "tag:technology") == ["Tech news"]
    assert titles(filled, "tag:archive politique") == ["Old Paris"]
    assert titles(filled, "economy -tag:world") == ["Tokyo news"]
    missing = find(filled, "tag:politcs economy")  # a typo says so, as a source's name does
    assert missing.hits == [] and missing.notice == "no source or article tagged 'politcs'"
    assert find(filled, "economy -tag:politcs").notice is None


def test_each_filter_naming_nothing_is_told_beside_the_other_notices(filled: Store) -> None:
    # Only the last was told, and none after a "nothing to search for in '('" notice.
    assert find(filled, "economy source:zzz tag:xxx").notices == (
        "no source named 'zzz'",
        "no source or article tagged 'xxx'",
    )
    assert find(filled, "economy tag:xxx (").notices[-1] == "no source or article tagged 'xxx'"
    assert find(filled, '"').notices[-1] == "nothing to search for or filter by"


def test_tag_filter_on_feed_categories_and_rule_tags_ignores_case(store: Store) -> None:
    add(
        store,
        "Feed",
        art("Budget vote", "Parliament votes.", tags=("Politics",)),
        art("Cup final", "Parliament team wins.", tags=("Sport", "sport")),
        art("Weather", "Rain in parliament square."),
    )
    store.apply_rules([Rule("rain", "tag", tag="Local")])
    assert titles(store, "tag:POLITICS") == ["Budget vote"]
    assert titles(store, "tag:sport parliament") == ["Cup final"]
    assert titles(store, "tag:local") == ["Weather"]
    assert titles(store, "tag:local parliament") == ["Weather"]  # a rule's tag, with words
    assert set(titles(store, "tag:local tag:politics")) == {"Weather", "Budget vote"}
    assert set(titles(store, "parliament -tag:sport")) == {"Budget vote", "Weather"}
    assert store.search_count("tag:politics", unread_only=True) == 1


def test_tag_filter_on_rule_tags_ignores_accents_and_any_case(store: Store) -> None:
    # A rule tag `économie` was found by `tag:économie` alone: ASCII case only.
    add(store, "Feed", art("Budget vote", "Budget talks."), art("Cup final", "Goals."))
    store.apply_rules([Rule("budget", "tag", tag="économie"), Rule("goals", "tag", tag="ΣΠΟΡ")])
    for query in ("tag:économie", "tag:Économie", "tag:ÉCONOMIE", "tag:economie budget"):
        assert titles(store, query) == ["Budget vote"], query
    assert titles(store, "tag:σπορ") == ["Cup final"]
    assert titles(store, "goals -tag:Economie") == ["Cup final"]
    assert find(store, "tag:economie").notice is None


def test_tag_filter_follows_changed_and_removed_tags(store: Store) -> None:
    add(store, "Feed", art("Story", "Text.", tags=("Draft", "World")))
    assert titles(store, "tag:draft") == ["Story"]
    add(store, "Feed", art("Story", "New text.", tags=("Final",)))  # updated in place
    assert titles(store, "tag:final") == ["Story"]
    assert titles(store, "tag:draft") == ["Story"]  # a stored article keeps its tags
    sql(store, "UPDATE articles SET tags = '[\"Final\"]'")
    assert titles(store, "tag:draft") == [] and titles(store, "tag:final") == ["Story"]
    assert titles(store, "tag:draft text") == [] and titles(store, "tag:final text") == ["Story"]
    later = (NOW + timedelta(days=400)).timestamp()
    store.record_refresh(id_of_source(store, "Feed"), [], OK, now=later)
    assert store.prune(30, now=later) == 1
    assert sql(store, "SELECT count(*) FROM article_tags")[0] == (0,)


def test_author_and_title_filters(filled: Store) -> None:
    assert titles(filled, "author:dubois") == ["Paris news"]
    assert titles(filled, "author:lea") == ["Paris news"]
    assert titles(filled, 'author:"jane smith" economy') == ["Markets news"]
    assert set(titles(filled, "author:smith OR author:dubois")) == {"Paris news", "Markets news"}
    assert len(titles(filled, "title:news economy")) == 4
    assert titles(filled, "title:economy") == []  # only in bodies
    assert set(titles(filled, "title:par*")) == {"Paris news", "Old Paris"}


def test_state_filters(filled: Store) -> None:
    filled.set_read([id_of(filled, "Paris news"), id_of(filled, "Tech news")])
    filled.set_saved([id_of(filled, "Tech news")])
    assert set(titles(filled, "is:unread economy")) == {"Tokyo news", "Markets news"}
    assert titles(filled, "is:read") == ["Paris news", "Tech news"]
    assert titles(filled, "is:saved") == ["Tech news"]
    assert set(titles(filled, "economy -is:saved")) == {"Paris news", "Tokyo news", "Markets news"}


def test_hidden_articles_only_with_is_hidden(filled: Store) -> None:
    hidden = id_of(filled, "Markets news")
    sql(filled, "UPDATE articles SET hidden = 1 WHERE id = ?", (hidden,))
    assert "Markets news" not in titles(filled, "economy")
    assert "Markets news" not in titles(filled, "source:reuters")
    assert titles(filled, "is:hidden") == ["Markets news"]
    assert titles(filled, "is:hidden bank") == ["Markets news"]
    assert titles(filled, "is:hidden", view=View(source="Reuters")) == ["Markets news"]
    assert filled.search_count("economy") == 3


def test_date_filters(filled: Store) -> None:
    assert titles(filled, "since:7d") == ["Paris news", "Tokyo news", "Markets news"]
    assert titles(filled, "before:7d") == ["Tech news", "Old Paris"]
    assert len(titles(filled, "since:2026-05-29 economy")) == 3
    assert titles(filled, "since:2026-05-29 -economy") == []
    assert titles(filled, "before:2026-05-30 since:2026-05-29") == ["Markets news"]
    assert titles(filled, "since:1y") == ["Paris news", "Tokyo news", "Markets news", "Tech news"]
    assert titles(filled, "before:2026") == ["Old Paris"]
    bad = find(filled, "since:someday economy")
    assert len(bad.hits) == 4 and bad.notice is not None and "is not a date" in bad.notice


def test_filter_only_query_lists_newest_first_with_a_lead(filled: Store) -> None:
    result = find(filled, "tag:world")
    assert [h.row.title for h in result.hits] == [
        "Paris news",
        "Markets news",
        "Tech news",
        "Old Paris",
    ]
    assert result.hits[0].snippet == "Politique et economy." and result.notice is None
    everything = [row.title for row in filled.page(View(), limit=100)]
    assert titles(filled, "is:unread") == everything  # everything is unread
    assert titles(filled, "") == titles(filled, "-is:hidden") == []  # a query of nothing


def test_view_restricts_the_search(filled: Store) -> None:
    assert set(titles(filled, "economy", view=View(source="Reuters"))) == {
        "Markets news",
        "Tech news",
    }
    assert titles(filled, "economy", view=View(tag="france")) == ["Paris news"]
    filled.set_read([id_of(filled, "Markets news")])
    assert set(titles(filled, "economy", view=View(unread=True, tag="world"))) == {
        "Paris news",
        "Tech news",
    }
    assert titles(filled, "source:Reuters", view=View(tag="france")) == []


def test_listing_and_search_agree(filled: Store) -> None:
    filled.set_read([id_of(filled, "Tech news")])
    for view, query in [
        (View(source="Reuters", unread=True), "is:unread source:Reuters"),
        (View(tag="world"), "tag:world"),
        (View(saved=True), "is:saved"),
        (View(unread=True), "is:unread"),
    ]:
        listed = filled.page(view, limit=100)
        found = find(filled, query, limit=100).hits
        assert [h.row.id for h in found] == [r.id for r in listed], query
        assert [h.row for h in found] == listed


def test_filter_only_pages_of_a_common_tag_agree_with_the_list(filled: Store) -> None:
    # Small pages of a tag most articles carry are read newest first through the date index;
    # they must list what the tag's view lists, page after page, read or not.
    filled.set_read([id_of(filled, "Markets news")])
    for view, query in [(View(tag="world"), "tag:world"), (View(unread=True), "is:unread")]:
        listed = [r.id for r in filled.page(view, limit=100)]
        for size in (1, 2):
            assert page_through(filled, query, size) == listed, (query, size)
    unread_world = [r.id for r in filled.page(View(tag="world", unread=True), limit=100)]
    assert page_through(filled, "tag:world is:unread", 1) == unread_world
    assert page_through(filled, "tag:world", 1, view=View(unread=True)) == unread_world


# -- paging ---------------------------------------------------------------------------------


def many(store: Store, n: int = 9) -> None:
    add(
        store,
        "Feed",
        *[art(f"Story {i}", "common word " * (i % 3 + 1), days_ago=i % 4) for i in range(n)],
    )


def page_through(store: Store, query: str, size: int, **options: object) -> list[int]:
    seen: list[int] = []
    key = None
    while True:
        hits = find(store, query, limit=size, offset_key=key, **options).hits
        if not hits:
            return seen
        seen += [h.row.id for h in hits]
        key = hits[-1].row.sort_key


def test_paging_through_a_large_group_of_equal_scores_loses_no_hit(store: Store) -> None:
    add(store, "Feed", *[art(f"Item {i}", "same words", days_ago=i % 7) for i in range(1200)])
    paged = page_through(store, "same", 100)
    assert len(paged) == len(set(paged)) == 1200
    assert paged == [h.row.id for h in find(store, "same", limit=2000).hits]


@pytest.mark.parametrize("size", [1, 2])
def test_pages_with_tiny_limits(store: Store, size: int) -> None:
    many(store)
    for query in ["common", "is:unread", "common -story"]:
        whole = [h.row.id for h in find(store, query, limit=100).hits]
        assert page_through(store, query, size) == whole, query
    for limit in range(1, 11):  # growing limits extend the same order
        grown = [h.row.id for h in find(store, "common", limit=limit).hits]
        assert grown == [h.row.id for h in find(store, "common", limit=100).hits][:limit]


def test_listing_pages_agree_with_store_pages(store: Store) -> None:
    many(store)
    listed = [r.id for r in store.page(View(), limit=100)]
    assert page_through(store, "is:unread", 2) == listed


def test_common_words_rank_in_tiers_by_arrival(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    many(store, 30)
    everything = set(titles(store, "common", limit=100))
    monkeypatch.setattr(search_module, "RANK_WINDOW", 2)  # tiers: newest 2, 8, 32 matches
    tiered = titles(store, "common", limit=100)
    assert set(tiered) == everything and len(tiered) == 30
    newest = [r.title for r in store.page(View(), limit=100)]
    arrival = sorted(newest, key=lambda t: -id_of(store, t))
    assert set(tiered[:2]) == set(arrival[:2]) and set(tiered[2:8]) == set(arrival[2:8])
    for limit in (1, 2, 3, 9, 11):  # growing limits extend the same order
        assert titles(store, "common", limit=limit) == tiered[:limit]
    hits = find(store, "common", limit=100).hits
    assert page_through(store, "common", 3) == [h.row.id for h in hits]
    store.set_read([id_of(store, t) for t in tiered[:-1]])  # filters reach into later tiers
    assert titles(store, "common is:unread", limit=5) == tiered[-1:]


def test_date_filters_with_words_reach_every_tier(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ids run opposite to dates here, so the date window is at the oldest end of the tiers.
    add(store, "Feed", *[art(f"Story {i}", "common word", days_ago=i + 0.5) for i in range(30)])
    monkeypatch.setattr(search_module, "RANK_WINDOW", 2)
    old = {f"Story {i}" for i in range(20, 30)}
    assert set(titles(store, "common before:20d", limit=100)) == old
    assert set(titles(store, "common since:3d", limit=100)) == {"Story 0", "Story 1", "Story 2"}
    assert titles(store, "common since:25d before:24d") == ["Story 24"]
    assert titles(store, "common since:2026-05-20 before:2026-05-01") == []
    whole = [h.row.id for h in find(store, "common before:20d", limit=100).hits]
    assert page_through(store, "common before:20d", 3) == whole
    assert store.search_count("common before:20d", now=NOW.timestamp()) == len(whole) == 10


def test_an_article_a_feed_redates_into_a_date_window_is_found_in_a_later_tier(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ids run opposite to dates; then the feed moves a middle story's date to today.
    add(store, "Feed", *[art(f"Story {i}", "common word", days_ago=i + 0.5) for i in range(30)])
    monkeypatch.setattr(search_module, "RANK_WINDOW", 2)
    add(store, "Feed", art("Story 15", "common word, updated", days_ago=0.2))
    recent = {"Story 0", "Story 1", "Story 2", "Story 15"}
    assert set(titles(store, "common since:3d", limit=100)) == recent
    assert store.search_count("common since:3d", now=NOW.timestamp()) == 4


def test_words_too_common_to_rank_list_their_matches_newest_first(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    many(store, 12)
    add(store, "Other", art("Rare", "common xylophone", days_ago=9))
    ranked = titles(store, "common", limit=100)
    monkeypatch.setattr(search_newest, "PROBE", 1)
    monkeypatch.setattr(search_newest, "RANK_BUDGET", 5)
    newest_first = titles(store, "common", limit=100)
    assert set(newest_first) == set(ranked) and newest_first != ranked
    arrival = sorted(newest_first, key=lambda t: -id_of(store, t))
    assert newest_first == arrival and newest_first[0] == "Rare"
    hits = find(store, "common", limit=100).hits
    assert page_through(store, "common", 5) == [h.row.id for h in hits]
    assert titles(store, "common", limit=3) == newest_first[:3]
    assert titles(store, "common source:Feed", limit=100) == newest_first[1:]
    assert titles(store, "xylophone") == ["Rare"]  # too few matches to cost anything
    assert MATCH_OPEN + "common" + MATCH_CLOSE in hits[0].snippet


def test_words_too_common_to_rank_find_an_old_date_window(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ids run opposite to dates: the newest matches by id are the oldest articles.
    add(store, "Feed", *[art(f"Story {i}", "common word", days_ago=i + 0.5) for i in range(30)])
    monkeypatch.setattr(search_newest, "PROBE", 1)
    monkeypatch.setattr(search_newest, "RANK_BUDGET", 5)
    monkeypatch.setattr(search_module, "RANK_WINDOW", 2)
    recent = titles(store, "common since:5d", limit=100)
    assert recent == ["Story 4", "Story 3", "Story 2", "Story 1", "Story 0"]  # newest id first
    assert titles(store, "common since:5d", limit=2) == recent[:2]
    whole = [h.row.id for h in find(store, "common since:5d", limit=100).hits]
    assert page_through(store, "common since:5d", 2) == whole
    assert titles(store, "common since:2026-05-20 before:2026-05-01") == []
    assert len(titles(store, "common before:5d", limit=100)) == 25


def test_a_prefix_too_common_to_rank_is_listed_from_one_merge(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each MATCH statement of a prefix merges the lists of every word it starts: the cost
    # estimate's read cuts the first page's snippets, so listing it takes no second merge.
    words = ["common", "commons", "commonly", "commerce"]
    bodies = [f"the {words[i % 4]} word {'and more ' * (i % 3)}" for i in range(40)]
    add(store, "Feed", *[art(f"Story {i}", b, days_ago=i % 5) for i, b in enumerate(bodies)])
    add(store, "Other", *[art(f"Other {i}", "commons ground", days_ago=0.5) for i in range(6)])
    store.set_read([id_of(store, "Other 5"), id_of(store, "Other 3"), id_of(store, "Story 2")])
    monkeypatch.setattr(search_newest, "PROBE", 1)
    monkeypatch.setattr(search_newest, "RANK_BUDGET", 5)
    searches = [(q, n) for q in ("comm*", "comm* is:unread", "comm* since:1d") for n in (3, 50)]
    searches += [("comm* source:Feed", 3), ("com*", 100), ("c*", 2)]

    def run(query: str, limit: int) -> tuple[list[tuple[int, str]], int]:
        merges: list[str] = []
        with connection(store) as conn:
            conn.set_trace_callback(lambda s: merges.append(s) if "MATCH" in s else None)
            found = search_module.search(conn, query, limit=limit, now=NOW.timestamp())
        return [(h.row.id, h.snippet) for h in found.hits], len(merges)

    once = {s: run(*s) for s in searches}
    monkeypatch.setattr(search_module, "_one_merge", lambda *args: False)
    twice = {s: run(*s) for s in searches}
    assert {s: hits for s, (hits, _) in once.items()} == {s: h for s, (h, _) in twice.items()}
    # A source filter is a MATCH of its own; two of the newest three matches are read.
    two = {("comm* source:Feed", 3), ("comm* is:unread", 3)}
    assert {s for s, (_, n) in once.items() if n == 1} == set(searches) - two
    assert all(n == 2 for _, n in twice.values())
    newest = sorted((i for i, _ in once["com*", 100][0]), reverse=True)
    assert [i for i, _ in once["comm*", 50][0]] == newest
    unread = [i for i, _ in once["comm* is:unread", 3][0]]
    assert unread == [i for i in newest if i not in read_ids(store)][:3]
    assert MATCH_OPEN + "commons" + MATCH_CLOSE in once["comm*", 3][0][0][1]


def read_ids(store: Store) -> set[int]:
    return {int(r[0]) for r in sql(store, "SELECT id FROM articles WHERE read = 1")}


# -- index kept in sync ---------------------------------------------------------------------


def test_updated_text_is_found_and_old_text_is_not(store: Store) -> None:
    add(store, "Feed", art("Story", "The original wording."))
    assert titles(store, "original") == ["Story"]
    add(store, "Feed", art("Story", "A corrected wording."))
    assert titles(store, "original") == []
    assert titles(store, "corrected") == ["Story"]
    assert store.search_count("original") == 0 and store.search_count("corrected") == 1


def test_pruned_articles_are_not_found(store: Store) -> None:
    source = add(store, "Feed", art("Gone", "Ephemeral words.", days_ago=100))
    later = (NOW + timedelta(days=1)).timestamp()
    store.record_refresh(source, [art("Kept", "Lasting words.")], OK, now=later)
    assert store.prune(30, now=later) == 1
    assert titles(store, "words") == ["Kept"]
    assert titles(store, "ephemeral") == []


# -- counts, notices, robustness ------------------------------------------------------------


def test_count_agrees_with_search(filled: Store) -> None:
    filled.set_read([id_of(filled, "Paris news")])
    for query in ["economy", "tag:world", "economy -source:reuters", "source:nowhere", "東京"]:
        assert filled.search_count(query) == len(find(filled, query, limit=100).hits), query
        unread = find(filled, query + " is:unread", limit=100).hits
        assert filled.search_count(query, unread_only=True) == len(unread), query


def test_count_with_many_matches_uses_the_unread_index(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    many(store, 12)
    store.set_read([id_of(store, "Story 1"), id_of(store, "Story 2")])
    monkeypatch.setattr(counting, "PROBE_MATCHES", 3)
    assert store.search_count("common", unread_only=True) == 10
    assert store.search_count("common") == 12


def test_reinterpreted_queries_say_so(filled: Store) -> None:
    result = find(filled, '"economy of')
    assert result.notice == "unbalanced quote: searched as plain words"
    assert [h.row.title for h in result.hits] == ["Tokyo news"]


def test_an_unbalanced_quote_opening_a_filters_value_keeps_the_filter(filled: Store) -> None:
    result = find(filled, 'source:"Japan')
    assert result.notice == "unbalanced quote: searched as plain words"
    assert [h.row.title for h in result.hits] == ["Tokyo news"]
    assert set(titles(filled, 'economy -source:"japan')) == {
        "Paris news",
        "Markets news",
        "Tech news",
    }
    assert titles(filled, 'title:"markets') == ["Markets news"]


def test_an_fts_error_falls_back_to_plain_words(
    filled: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = search_module._ranked
    calls: list[str] = []

    def failing_once(*args: object) -> object:
        calls.append("x")
        if len(calls) == 1:
            raise InvalidQuery("fts5: syntax error near x")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(search_module, "_ranked", failing_once)
    result = find(filled, '"tokyo" -japan')
    assert result.notice is not None and "plain words" in result.notice
    assert [h.row.title for h in result.hits] == ["Tokyo news"]  # `-japan` became a word


def test_sqlite_errors_become_invalid_query() -> None:
    import sqlite3

    with pytest.raises(InvalidQuery):
        with search_module.query_errors():
            raise sqlite3.OperationalError('fts5: syntax error near "\'"')
    with pytest.raises(sqlite3.OperationalError):
        with search_module.query_errors():
            raise sqlite3.OperationalError("database is locked")


HOSTILE = st.text(
    alphabet=st.sampled_from(list('"*^:()-+{}[]ORANDNEAR東京é😀 \\\ud800.,;_')) | st.characters(),
    max_size=60,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=HOSTILE)
def test_any_query_searches_without_raising(filled: Store, text: str) -> None:
    result = find(filled, text, limit=5)
    assert isinstance(result.hits, list)
    assert filled.search_count(text) >= 0


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        '"',
        '"""',
        "OR",
        "AND",
        "NOT",
        "-",
        "*",
        "^",
        ":",
        "NEAR(a b, 2)",
        "a:b:c",
        "{title}: x",
        "title:",
        "source:",
        '-"',
        "😀😀",
        "\x00",
        "a\ud800b",
        "x" * 10_000,
        "word " * 2_000,
    ],
)
def test_hostile_queries(filled: Store, text: str) -> None:
    result = find(filled, text)
    assert isinstance(result.hits, list)


def test_a_count_stops_at_its_limit(store: Store) -> None:
    many(store, 9)
    sql(store, "UPDATE articles SET read = 1 WHERE title IN ('Story 0', 'Story 1')")
    assert store.search_count("common", unread_only=True) == 7
    assert store.search_count("common", unread_only=True, limit=5) == 5
    assert store.search_count("common", unread_only=True, limit=50) == 7
    assert store.search_count("is:unread", limit=3) == 3
    assert store.search_count("is:unread -common", limit=3) == 0
    assert store.search_count("common -word", unread_only=True, limit=3) == 0
