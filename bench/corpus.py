"""A synthetic but realistic newsdesk cache for benchmarks: `build_cache(path, n_articles)`.

Articles in English, Italian, German, French and Japanese, written into the cache through
`Store.record_refresh` (the real insert path, FTS triggers included), oldest first, in feed-sized
batches per source. Words follow a Zipf distribution over a hand-written head (function words
and news vocabulary, accents included) and a generated tail, so a query for "the" matches most
English articles while a tail word matches a handful. Bodies are ~200-2000 characters, dates
span the year before `CORPUS_END`; 80% of articles older than a month are read (30% of the
last month's) and 1% are saved. Source tags come from `ensure_source`, 30% of articles carry
tags of their own.
Everything is seeded: the same `(n_articles, seed)` always builds the same cache.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store, View

CORPUS_END = datetime(2026, 5, 1, tzinfo=UTC).timestamp()
"""The corpus's "now": articles are dated during the year before it (pass it as `now=`)."""
YEAR = 365 * 86400.0
ROUND = 400
"""Articles per round of refreshes: every source stores its share (~15) in one call."""

# -- vocabulary ----------------------------------------------------------------------------
# Head words, most frequent first; multi-word entries give phrase queries something to find.

_HEAD = {
    "en": """the of and to in a is that for on was with he it as said by at from his an be
    has have are but not were this which they had their been will would who more its also after
    one new two year people government minister president police state country city court
    election party world report officials week years first last million percent company market
    prices economy bank military war health public security since may could than over
    against about during under talks support because children workers climate energy school
    university research scientists study data technology software internet phone users
    prime_minister central_bank climate_change interest_rates artificial_intelligence
    supply_chain european_union united_nations white_house stock_market
    football match season team coach league final title win record
    said_on according_to spokesperson announced warned expected plans deal crisis inflation
    nato brexit ukraine russia china japan germany france italy london washington berlin paris
    rome tokyo brussels""",
    "it": """di e il la che in a per è un non del una con le si da i al della sono più
    anche ha come ma dei nel alla ci lo gli perché città governo presidente ministro paese
    anni anno lavoro società economia mercato prezzi banca italia roma milano napoli torino
    elezioni partito polizia tribunale scuola università ricerca dati tecnologia salute
    presidente_del_consiglio banca_centrale cambiamento_climatico unione_europea
    calcio squadra campionato partita allenatore stagione vittoria così già però quindi
    mentre secondo dopo prima oggi ieri domani settimana giorni caffè attività qualità""",
    "de": """der die und in den von zu das mit sich des auf für ist im dem nicht ein eine
    als auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem
    über einen so zum war haben nur oder aber vor zur bis mehr durch man sein wurde
    regierung bundeskanzler minister präsident land stadt jahr jahre prozent millionen
    unternehmen markt preise wirtschaft bank polizei gericht wahl partei schule universität
    forschung daten technik gesundheit müller schäfer größe straße grün
    europäische_union zentralbank klimawandel künstliche_intelligenz
    fußball mannschaft saison trainer spiel bundesliga berlin münchen hamburg köln""",
    "fr": """de la le et les des en un du une que est pour qui dans a par plus pas au sur
    ne se ce il sont avec ou été son mais elle comme nous aux ont cette ses leur même
    gouvernement président ministre pays ville année ans millions entreprise marché prix
    économie banque police tribunal élection parti école université recherche données
    technologie santé société français française été déjà très après être où
    premier_ministre banque_centrale changement_climatique union_européenne
    football équipe saison entraîneur match victoire paris lyon marseille bruxelles""",
}

_JA_WORDS = """日本 政府 東京 大阪 首相 経済 会議 発表 問題 社会 国会 選挙 企業 市場 価格 銀行
円安 物価 景気 地震 台風 気象庁 警察 事件 裁判 学校 大学 研究 技術 開発 情報 世界 米国 中国
韓国 欧州 ロシア ウクライナ 外交 防衛 安全 保障 環境 気候 変動 エネルギー 原発 電力 人工知能
半導体 自動車 輸出 輸入 貿易 野球 サッカー 試合 優勝 選手 監督 東京都 知事 議員 政党 与党 野党
新聞 記者 関係者 調査 結果 今年 昨年 来年 今日 明日 午前 午後 全国 各地 地域 住民 観光 文化
音楽 映画 病院 医療 患者 感染 対策 予算 税金 年金 子ども 高齢者 労働 賃金 雇用""".split()
_JA_PARTICLES = ("は", "が", "を", "に", "で", "と", "の", "も", "から", "まで", "について")
_JA_ENDINGS = ("。", "しました。", "です。", "と発表した。", "となった。", "が明らかになった。")
_KANJI = "人日本年大中出国会時行見月分後前生下間内高長事自社者地業方新場員立開手力問代明動"

_SYLLABLES = {
    "en": "ar en ter ing tion ex pro con al ly er ow str ight ent ble ca de mo ri st".split(),
    "it": "ca to ri na zio ne men te la so pre con ta ti co lo gi re ve an".split(),
    "de": "ver ge ung en sch ber lich keit hei mat stra ein ten kon zen tra be".split(),
    "fr": "ment tion con re de pre ai eau ch ou ier ette eur in par que té".split(),
}

_FIRST = {
    "en": ["James", "Mary", "Sarah", "David", "Emily", "Michael", "Olivia", "Daniel"],
    "it": ["Giulia", "Marco", "Niccolò", "Francesca", "Luca", "Chiara", "Matteo", "Sofia"],
    "de": ["Anna", "Jürgen", "Lukas", "Sophie", "Jörg", "Lena", "Maximilian", "Käthe"],
    "fr": ["Léa", "François", "Chloé", "Hélène", "Étienne", "Camille", "Jérôme", "Zoé"],
    "ja": ["太郎", "花子", "健一", "由美", "翔太", "美咲", "大輔", "陽子"],
}
_LAST = {
    "en": ["Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Clarke"],
    "it": ["Rossi", "Bianchi", "Esposito", "Romano", "Colombo", "Ricci", "Marino", "Greco"],
    "de": ["Müller", "Schäfer", "Schneider", "Fischer", "Weiß", "Köhler", "Becker", "Groß"],
    "fr": ["Dubois", "Lefèvre", "Martin", "Bernard", "Moreau", "Girard", "Lemaître", "Faure"],
    "ja": ["田中", "佐藤", "鈴木", "高橋", "渡辺", "伊藤", "山本", "中村"],
}

_SOURCES: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "en": [
        ("BBC World", ("world", "uk")),
        ("The Guardian", ("world", "uk")),
        ("Reuters", ("world", "economy")),
        ("Ars Technica", ("tech",)),
        ("NPR News", ("world", "us")),
        ("Nature News", ("science",)),
        ("The Verge", ("tech",)),
        ("Financial Times", ("economy",)),
        ("ESPN", ("sport",)),
        ("Hacker News", ("tech",)),
        ("Local Notes", ("notes",)),
    ],
    "it": [
        ("Corriere della Sera", ("italia", "world")),
        ("la Repubblica", ("italia",)),
        ("Il Post", ("italia",)),
        ("Il Sole 24 Ore", ("italia", "economy")),
        ("Gazzetta dello Sport", ("italia", "sport")),
    ],
    "de": [
        ("Der Spiegel", ("deutschland", "world")),
        ("Die Zeit", ("deutschland",)),
        ("Süddeutsche Zeitung", ("deutschland",)),
        ("heise online", ("deutschland", "tech")),
        ("Tagesschau", ("deutschland", "world")),
    ],
    "fr": [
        ("Le Monde", ("france", "world")),
        ("Libération", ("france",)),
        ("Le Figaro", ("france",)),
        ("Les Échos", ("france", "economy")),
        ("L'Équipe", ("france", "sport")),
    ],
    "ja": [
        ("NHK ニュース", ("japan", "world")),
        ("朝日新聞", ("japan",)),
        ("日本経済新聞", ("japan", "economy")),
        ("読売新聞", ("japan",)),
    ],
}
_LANGUAGE_WEIGHTS = {"en": 0.40, "it": 0.15, "de": 0.15, "fr": 0.15, "ja": 0.15}
_ARTICLE_TAGS = {
    "en": ["Politics", "Business", "Science", "Sport", "Opinion", "Technology"],
    "it": ["Politica", "Economia", "Cronaca", "Sport", "Cultura"],
    "de": ["Politik", "Wirtschaft", "Wissen", "Sport", "Kultur"],
    "fr": ["Politique", "Économie", "Société", "Sport", "Culture"],
    "ja": ["政治", "経済", "社会", "スポーツ", "文化"],
}


@dataclass(frozen=True)
class _Vocabulary:
    """Words of one language with cumulative Zipf weights for fast sampling."""

    words: tuple[str, ...]
    cumulative: tuple[float, ...]

    def sample(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=k)


def _zipf(words: Sequence[str]) -> _Vocabulary:
    # Exponent ~1 like natural text; +2 keeps the very top words from swamping everything.
    weights = [1.0 / (rank + 2) ** 1.05 for rank in range(len(words))]
    return _Vocabulary(tuple(words), tuple(itertools.accumulate(weights)))


def _vocabulary(language: str, rng: random.Random) -> _Vocabulary:
    if language == "ja":
        compounds = {a + b for a in _KANJI for b in _KANJI}
        return _zipf(_JA_WORDS + sorted(compounds))
    head = [w.replace("_", " ") for w in _HEAD[language].split()]
    syllables = _SYLLABLES[language]
    tail = {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(8000)}
    return _zipf(head + sorted(tail - set(head)))


# -- articles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Draft:
    """An article before it is stored: which source it belongs to and when it appeared."""

    source: str
    stamp: float
    article: Article


def _sentence(language: str, vocab: _Vocabulary, rng: random.Random) -> str:
    if language == "ja":
        words = vocab.sample(rng, rng.randint(3, 8))
        parts = [w + rng.choice(_JA_PARTICLES) for w in words[:-1]]
        return "".join(parts) + words[-1] + rng.choice(_JA_ENDINGS)
    words = vocab.sample(rng, rng.randint(6, 20))
    return " ".join(words).capitalize() + "."


def _body(language: str, vocab: _Vocabulary, rng: random.Random) -> str:
    target = int(200 * 10 ** rng.uniform(0, 1))  # 200-2000 characters, log-uniform
    paragraphs: list[str] = []
    length = 0
    while length < target:
        paragraph = " ".join(_sentence(language, vocab, rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        length += len(paragraph)
    return "\n\n".join(paragraphs)[: max(target, 200)]


def _title(language: str, vocab: _Vocabulary, rng: random.Random) -> str:
    if language == "ja":
        words = vocab.sample(rng, rng.randint(2, 4))
        return rng.choice(_JA_PARTICLES).join(words)
    return " ".join(vocab.sample(rng, rng.randint(4, 10))).capitalize()


def _draft(number: int, language: str, vocab: _Vocabulary, rng: random.Random) -> _Draft:
    source = rng.choice(_SOURCES[language])[0]
    stamp = CORPUS_END - rng.random() * YEAR
    dated = rng.random() > 0.02  # a few feeds state no date: the store uses first-seen
    author = None
    if rng.random() < 0.7:
        first, last = rng.choice(_FIRST[language]), rng.choice(_LAST[language])
        author = f"{last} {first}" if language == "ja" else f"{first} {last}"
    tags: tuple[str, ...] = ()
    if rng.random() < 0.3:
        tags = tuple(rng.sample(_ARTICLE_TAGS[language], rng.randint(1, 2)))
    article = Article(
        title=_title(language, vocab, rng),
        body=_body(language, vocab, rng),
        guid=f"bench-{number}",
        url=f"https://news.example/{language}/{number}",
        author=author,
        published=datetime.fromtimestamp(stamp, UTC) if dated else None,
        tags=tags,
    )
    return _Draft(source, stamp, article)


def drafts(n_articles: int, seed: int = 1) -> list[_Draft]:
    """The corpus's articles, oldest first (deterministic for a seed)."""
    rng = random.Random(seed)
    vocabularies = {language: _vocabulary(language, rng) for language in _LANGUAGE_WEIGHTS}
    languages = rng.choices(
        list(_LANGUAGE_WEIGHTS), weights=list(_LANGUAGE_WEIGHTS.values()), k=n_articles
    )
    made = [_draft(i, lang, vocabularies[lang], rng) for i, lang in enumerate(languages)]
    return sorted(made, key=lambda d: d.stamp)


def _refreshes(items: list[_Draft]) -> Iterator[tuple[float, dict[str, list[Article]]]]:
    """Chunks of the timeline, each as one refresh of every source that had news in it."""
    for start in range(0, len(items), ROUND):
        chunk = items[start : start + ROUND]
        by_source: dict[str, list[Article]] = {}
        for draft in chunk:
            by_source.setdefault(draft.source, []).append(draft.article)
        yield chunk[-1].stamp, by_source


# -- the cache -----------------------------------------------------------------------------


def build_cache(db_path: Path, n_articles: int, seed: int = 1) -> None:
    """Fill a newsdesk cache at `db_path` with `n_articles` articles through `Store`."""
    items = drafts(n_articles, seed)
    store = Store.open(db_path)
    try:
        ids = {
            name: store.ensure_source(name, SourceKind.WEB, _location(name), tags)
            for sources in _SOURCES.values()
            for name, tags in sources
        }
        for now, by_source in _refreshes(items):
            for name, articles in by_source.items():
                store.record_refresh(ids[name], articles, FetchOutcome(status=200), now=now)
        _set_flags(store, random.Random(seed + 1))
        store.analyze()
    finally:
        store.close()


def _location(name: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in name.lower())
    return f"https://feeds.example/{slug}.xml"


def _set_flags(store: Store, rng: random.Random) -> None:
    """Most older articles read, a third of the last month's; 1% saved."""
    month_ago = CORPUS_END - 30 * 86400
    read: list[int] = []
    saved: list[int] = []
    rows = sorted(store.page(View(), limit=1 << 30), key=lambda row: row.id)  # in id order
    for article_id, stamp in ((row.id, row.sort_key[0]) for row in rows):
        if rng.random() < (0.8 if stamp < month_ago else 0.3):
            read.append(article_id)
        if rng.random() < 0.01:
            saved.append(article_id)
    store.set_read(read)
    store.set_saved(saved)
