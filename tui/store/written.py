"""The story keys of the articles a connection stored, kept for the stories pass.

The pass after a refresh, an import or a sync needs each new article's candidate keys
(`tui.stories.features.key_hashes`). They come with the article from a refresh's parser
process (`tui.prepared`), or are computed as it is written, from the text in hand, so the pass
does not read every new article back and inflate its body (a quarter of its cost). Kept in
flat arrays (about 50 bytes an article), undone with the transaction that wrote them, and
dropped with the connection (a refresh's, an import's or a sync's writer).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable
from typing import NamedTuple

from tui.prepared import Prepared

MOST = 250_000
"""Articles remembered at most (~12 MB): past that, the pass reads the rest back."""


class Keys(NamedTuple):
    """A new article as the pass indexes it."""

    id: int
    ts: float
    sentences: int
    """How many of `keys` are sentences (the rest are names and numbers)."""
    keys: tuple[int, ...]


class Written:
    """Keys of stored articles, in the order they were written (ids ascending)."""

    def __init__(self) -> None:
        self._ids = array("q")
        self._ts = array("d")
        self._sentences = array("B")
        self._ends = array("I")
        self._keys = array("I")

    def add(self, articles: Iterable[tuple[int, float, str, str, Prepared | None]]) -> None:
        """Remember (id, date, title, body, what was prepared of it) of articles just inserted;
        the keys of an article not prepared are computed here."""
        from tui.stories.features import key_hashes  # here: a reading command never needs it

        for article_id, ts, title, body, prepared in articles:
            if self._ids and article_id <= self._ids[-1]:  # deleted since: its id is reused
                self.undo(bisect_left(self._ids, article_id))
            if len(self._ids) >= MOST:
                return  # not found later: the pass reads it back
            if prepared is None:
                sentences, hashes = key_hashes(title, body)
            else:
                sentences, hashes = prepared.sentences, prepared.keys
            self._ids.append(article_id)
            self._ts.append(ts)
            self._sentences.append(sentences)
            self._keys.extend(hashes)
            self._ends.append(len(self._keys))

    def __len__(self) -> int:
        return len(self._ids)

    def undo(self, count: int) -> None:
        """Forget all but the first `count` (rolled back, or deleted)."""
        del self._ids[count:], self._ts[count:], self._sentences[count:]
        del self._keys[self._ends[count - 1] if count else 0 :], self._ends[count:]

    def get(self, article_id: int) -> Keys | None:
        """The keys of `article_id`, if this connection wrote it."""
        at = bisect_left(self._ids, article_id)
        if at == len(self._ids) or self._ids[at] != article_id:
            return None
        start = self._ends[at - 1] if at else 0
        keys = tuple(self._keys[start : self._ends[at]])
        return Keys(article_id, self._ts[at], self._sentences[at], keys)
