"""Deterministic test data for the UI: a small cache, a config, a frozen clock, a huge cache."""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tui.config import Config, SearchConfig, Settings, SourceConfig
from tui.content.spans import escaped
from tui.models import Article, FetchOutcome, SourceKind
from tui.names import fold
from tui.store import Store

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
"""The frozen "now" of every UI test."""
PINNED_CONFIG = Path("/home/ana/.config/newsdesk")
"""A config folder named the same at each run, for the pinned screens the help is on (it
names the config file; the file is never read there)."""


def frozen_now() -> datetime:
    return NOW


SOURCES = (
    ("World News", "https://world.example/feed.xml", ("world", "en")),
    ("Tech Daily", "https://tech.example/rss", ("tech", "en")),
    ("東京ニュース", "https://tokyo.example/rss", ("ja",)),
    ("Broken Feed", "https://broken.example/rss", ("tech",)),
)

BODY = (
    "The council met on Tuesday to discuss the new climate plan [1]. Members argued for "
    "hours about budgets, buses and bicycle lanes.\n\nA full report is available [2], and "
    "the minutes will follow next week. Literal brackets like [bold]this[/bold] and [99] "
    "stay as they are."
)

MARKUP_BODY = "Markup: [b]x[/b], an escaped \\[i]y[/i] and a [link=https://x.example]z[/link]."

ARTICLES: tuple[tuple[str, str, str | None, float, str], ...] = (
    # source, title, author, hours ago, body
    ("World News", "Climate plan approved after long debate", "Ana Lima", 2, BODY),
    (
        "Tech Daily",
        "New compiler makes builds twice as fast",
        "Sam Park",
        5,
        "Compilers are fast. " * 200,
    ),
    (
        "東京ニュース",
        "東京で新しい電池リサイクル工場が稼働 🔋",
        None,
        7,
        "電池の再利用が進む。" * 10,
    ),
    ("World News", "مرحبا بالعالم: a right-to-left headline", None, 20, "Bidi text body."),
    # As a page's text is stored: its backslash escaped, shown as written.
    ("Tech Daily", "[bold]Not bold[/bold] and [red]not red[/red]", "Eve", 26, escaped(MARKUP_BODY)),
    ("World News", "Markets calm as budget talks resume", "Ana Lima", 49, "Budget talks. " * 30),
    ("Tech Daily", "Browser security update ships today", None, 72, "Security. " * 25),
    ("World News", "Museum reopens with a new wing", "Ray", 24 * 9, "The museum reopened."),
    ("Tech Daily", "Quasar-based latency research wins award", "Sam Park", 24 * 40, "Research."),
    ("World News", "Festival draws record crowds to the old harbour", None, 24 * 400, "Crowds."),
)
LINKS = ("https://world.example/climate-plan", "https://world.example/report.pdf")


def make_config(tmp: Path, **settings: Any) -> Config:
    """A config naming the test sources (URLs that are never fetched: refresh is off)."""
    sources = tuple(SourceConfig(name, url=url, tags=tags) for name, url, tags in SOURCES)
    return Config(
        path=tmp / "feeds.toml",
        sources=sources,
        searches=(SearchConfig("Climate", "climate"),),
        settings=replace(Settings(refresh_minutes=0), **settings),
    )


def fill(store: Store) -> None:
    """Put the test articles in the store, with one failed source."""
    ids = {
        name: store.ensure_source(name, SourceKind.WEB, url, tags) for name, url, tags in SOURCES
    }
    stamp = NOW.timestamp()
    for source, title, author, hours, body in ARTICLES:
        published = NOW - timedelta(hours=hours)
        links = LINKS if body is BODY else ()
        article = Article(title=title, body=body, author=author, published=published,
                          url=f"https://{source.split()[0].lower()}.example/{hours}",
                          guid=title, links=links)  # fmt: skip
        store.record_refresh(ids[source], [article], FetchOutcome(status=200), now=stamp)
    failure = FetchOutcome(status=500, error="HTTP 500 Internal Server Error")
    store.record_refresh(ids["Broken Feed"], None, failure, now=stamp)


def make_store(path: Path) -> Store:
    store = Store.open(path)
    fill(store)
    return store


def build_big_cache(path: Path, count: int) -> None:
    """A cache with `count` articles, written directly in one transaction (seconds, not minutes)."""
    store = Store.open(path)
    source_id = store.ensure_source("Bulk", SourceKind.WEB, "https://bulk.example/rss", ("bulk",))
    store.close()
    conn = sqlite3.connect(path)
    conn.create_function("nd_segment", 1, lambda text: text or "", deterministic=True)
    conn.create_function("nd_fold", 1, fold, deterministic=True)  # the tag triggers'
    start = time.time() - count * 60
    rows = (
        (source_id, f"g:{i}", f"h{i}", f"Bulk article number {i}", start + i * 60,
         start + i * 60, start + i * 60, start + i * 60, f"Body of article {i}.", json.dumps([]))
        for i in range(count)
    )  # fmt: skip
    trigger = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'articles_fts_insert'"
    ).fetchone()
    with conn:  # one transaction; the index is filled in one statement, not row by row
        if trigger:
            conn.execute("DROP TRIGGER articles_fts_insert")
        conn.executemany(
            "INSERT INTO articles (source_id, dedupe_key, content_hash, title, published, "
            "first_seen, last_seen, sort_ts, body, links) VALUES (?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        conn.execute(
            "INSERT INTO articles_fts (rowid, title, author, body, source) "
            "SELECT id, title, '', body, 'Bulk' FROM articles"
        )
        if trigger:
            conn.execute(trigger[0])
    conn.execute("ANALYZE")
    conn.close()
