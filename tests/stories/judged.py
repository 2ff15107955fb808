"""The judged sets: articles written for the project, stored in a real cache and grouped as a
refresh groups them, then scored by pairs.

- "tuning" (articles.json, truth in pairs.tsv): the half the thresholds were set on;
- "heldout" (heldout.json, truth in each article's `story`): written before any tuning and
  only measured.

A predicted pair is two articles with the same story id. Precision = right predicted pairs /
predicted pairs; recall = right predicted pairs / true pairs.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store
from tui.stories.grouping import group_stories

FIXTURES = Path(__file__).parent.parent / "fixtures" / "stories"


@dataclass(frozen=True)
class Judgement:
    """Pair counts of one judged run."""

    true: int
    predicted: int
    right: int

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.true if self.true else 1.0

    def line(self) -> str:
        return (
            f"{self.true} true pairs, {self.predicted} predicted, {self.right} right: "
            f"precision {self.precision:.3f}, recall {self.recall:.3f}"
        )


def load(name: str) -> tuple[list[dict[str, str]], set[frozenset[str]]]:
    """The articles of a judged set and its true pairs."""
    if name == "tuning":
        articles = json.loads((FIXTURES / "articles.json").read_text(encoding="utf-8"))
        lines = (FIXTURES / "pairs.tsv").read_text(encoding="utf-8").splitlines()
        return articles, {frozenset(ln.split("\t")) for ln in lines if not ln.startswith("#")}
    articles = json.loads((FIXTURES / "heldout.json").read_text(encoding="utf-8"))
    truth = {
        frozenset((a["id"], b["id"]))
        for a, b in itertools.combinations(articles, 2)
        if a["story"] is not None and a["story"] == b["story"]
    }
    return articles, truth


def judge(name: str, path: Path, *, one_by_one: bool = True) -> Judgement:
    """Store a judged set oldest first (each article as its own refresh, or all as one
    import) and count the pairs its story ids make."""
    articles, truth = load(name)
    store = Store.open(path)
    try:
        ids = _store_all(store, sorted(articles, key=lambda a: a["published"]), one_by_one)
        stories = {key: row.story for key, i in ids.items() if (row := store.row(i))}
    finally:
        store.close()
    predicted = {
        frozenset(pair)
        for pair in itertools.combinations(stories, 2)
        if stories[pair[0]] is not None and stories[pair[0]] == stories[pair[1]]
    }
    return Judgement(len(truth), len(predicted), len(predicted & truth))


def _store_all(store: Store, articles: list[dict[str, str]], one_by_one: bool) -> dict[str, int]:
    sources: dict[str, int] = {}
    ids: dict[str, int] = {}
    for item in articles:
        name = item["source"]
        if name not in sources:
            sources[name] = store.ensure_source(
                name, SourceKind.WEB, f"https://{name}.example/feed"
            )
        published = datetime.fromisoformat(item["published"].replace("Z", "+00:00"))
        article = Article(
            title=item["title"], body=item["body"], guid=item["id"], published=published
        )
        result = store.record_refresh(sources[name], [article], FetchOutcome(complete=False))
        ids[item["id"]] = result.new_ids[0]
        if one_by_one:
            group_stories(store, result.new_ids)
    if not one_by_one:
        group_stories(store, sorted(ids.values()))
    return ids
