"""The story keys of the articles a connection stored, kept for the stories pass.

The pass after a refresh, an import or a sync needs each new article's candidate keys
(`tui.stories.features.key_hashes`). They come with the article from a refresh's parser
process (`tui.prepared`), or are computed as it is written, from the text in hand, so the pass
does not read every new article back, inflate its body and compute its keys again (~37 us an
article: 28 s of a 1,000,000-article import). Kept in flat arrays, the keys themselves (~36
bytes an article) moved to a temporary file a megabyte at a time, so memory holds ~21 bytes
an article; undone with the transaction that wrote them, and dropped with the connection (a
refresh's, an import's or a sync's writer).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from tui.prepared import Prepared

MOST = 4_000_000
"""Articles remembered at most (~84 MB in memory): past that, the pass reads the rest back."""
SPILL_KEYS = 1 << 18
"""Keys held in memory before they move to the temporary file (1 MiB)."""


class Keys(NamedTuple):
    """A new article as the pass indexes it."""

    id: int
    ts: float
    sentences: int
    """How many of `keys` are sentences (the rest are names and numbers)."""
    keys: tuple[int, ...]


class Written:
    """Keys of stored articles, in the order they were written (ids ascending).

    Article `i`'s keys are positions `_ends[i - 1]` to `_ends[i]` of one sequence whose first
    `_spilled` keys are in the temporary file and the rest in `_keys`. Only whole articles'
    keys move to the file, so an article's keys are in one place or the other. A file that
    cannot be written (a full disk) ends the remembering: the pass reads the rest back.
    """

    def __init__(self) -> None:
        self._ids = array("q")
        self._ts = array("d")
        self._sentences = array("B")
        self._ends = array("I")
        self._keys = array("I")
        self._spilled = 0
        self._file: IO[bytes] | None = None
        self._full = False
        self.changed: list[int] = []
        """Stored articles this connection changed in place (their text is new too)."""

    def add(self, articles: Iterable[tuple[int, float, str, str, Prepared | None]]) -> None:
        """Remember (id, date, title, body, what was prepared of it) of articles just inserted;
        the keys of an article not prepared are computed here."""
        from tui.stories.features import key_hashes  # here: a reading command never needs it

        for article_id, ts, title, body, prepared in articles:
            if self._ids and article_id <= self._ids[-1]:  # deleted since: its id is reused
                self.undo(bisect_left(self._ids, article_id))
            if self._full or len(self._ids) >= MOST:
                return  # not found later: the pass reads it back
            if prepared is None:
                sentences, hashes = key_hashes(title, body)
            else:
                sentences, hashes = prepared.sentences, prepared.keys
            self._ids.append(article_id)
            self._ts.append(ts)
            self._sentences.append(sentences)
            self._keys.extend(hashes)
            self._ends.append(self._spilled + len(self._keys))
            if len(self._keys) >= SPILL_KEYS:
                self._spill()

    def __len__(self) -> int:
        return len(self._ids)

    def undo(self, count: int) -> None:
        """Forget all but the first `count` (rolled back, or deleted)."""
        end = self._ends[count - 1] if count else 0
        del self._ids[count:], self._ts[count:], self._sentences[count:], self._ends[count:]
        if end >= self._spilled:
            del self._keys[end - self._spilled :]
            return
        del self._keys[:]
        self._spilled = end  # the next spill writes over the file's rest

    def get(self, article_id: int) -> Keys | None:
        """The keys of `article_id`, if this connection wrote it."""
        at = bisect_left(self._ids, article_id)
        if at == len(self._ids) or self._ids[at] != article_id:
            return None
        start, end = self._ends[at - 1] if at else 0, self._ends[at]
        if start >= self._spilled:
            keys = tuple(self._keys[start - self._spilled : end - self._spilled])
        elif (read := self._read(start, end)) is not None:
            keys = read
        else:
            return None  # the file failed: the pass reads the article back
        return Keys(article_id, self._ts[at], self._sentences[at], keys)

    def _spill(self) -> None:
        """Move the keys in memory to the end of the temporary file."""
        import tempfile  # here: shutil, random and the compressors, which a reading command skips

        data = self._keys.tobytes()
        try:
            if self._file is None:
                self._file = tempfile.TemporaryFile(prefix="newsdesk-keys-", buffering=0)
            self._file.seek(self._spilled * self._keys.itemsize)
            moved = self._file.write(data) == len(data)
        except OSError:
            moved = False
        if not moved:
            self._full = True  # the keys in memory stay; later articles are read back
            return
        self._spilled += len(self._keys)
        del self._keys[:]

    def _read(self, start: int, end: int) -> tuple[int, ...] | None:
        """Keys `start` to `end` from the file (None if it cannot be read)."""
        assert self._file is not None  # keys below `_spilled` are in it
        size = self._keys.itemsize
        try:
            self._file.seek(start * size)
            data = self._file.read((end - start) * size)
        except OSError:
            return None
        if len(data) != (end - start) * size:
            return None
        keys = array("I")
        keys.frombytes(data)
        return tuple(keys)
