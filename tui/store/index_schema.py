"""The full-text index's SQL, shared by `schema`'s current schema and its migrations: the
articles' columns as the index sees them (`nd_segment`), the index with its tokenizer, and
the triggers keeping it in step with the articles.

The index keeps no copy of the text (it was a third of the cache): its content is the view
`articles_fts_text`, the articles as the index sees them, read back only for the snippets of
the hits shown. New rows are indexed by `upsert`; changed and deleted rows by the triggers,
which give FTS5 the old row's indexed text to take out (as an external-content index needs),
also when a source is renamed.
"""

from __future__ import annotations

from collections.abc import Sequence

from tui.store.cjk import segment

WORDS_V21 = "'unicode61 remove_diacritics 2'"
"""The tokenizer up to schema 21: letters, digits and private use make words (FTS5's
default), so a word was split at each vowel sign of Hindi, Thai, Tamil... ("परियोजना" was
"पर", "य", "जन")."""
WORDS = "\"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\""
"""The tokenizer: marks (vowel signs, viramas) are part of their word, as letters are."""


def indexed(expr: str) -> str:
    """SQL giving `expr` as the full-text index sees it (see `cjk.segment`)."""
    return f"nd_segment({expr})"


def indexed_tags(row: str) -> str:
    """SQL giving `tag_text` of the tags of `row` (an alias of `articles`)."""
    joined = indexed("group_concat(value, ' ')")
    return f"(SELECT {joined} FROM json_each({row}.tags))"


def tag_text(tags: Sequence[str]) -> str:
    """An article's tags as the full-text index's `tags` column holds them."""
    return segment(" ".join(tags))


def stored_tag_text(tags: str) -> str:
    """`tag_text` of the `tags` column (SQL's `nd_tags`: FTS5 cannot read its content through
    a view that calls `json_each`)."""
    import json  # not at import: a reading command whose hits have no tags never needs it

    return tag_text(json.loads(tags))


def index_articles(where: str = "") -> str:
    """SQL indexing the articles `where` selects (alias `a`) in the full-text index."""
    return (
        "INSERT INTO articles_fts (rowid, title, author, body, source, tags) "
        "SELECT a.id, nd_segment(a.title), nd_segment(a.author), "
        f"nd_segment(coalesce(a.full_text, a.body)), nd_segment(s.name), {indexed_tags('a')} "
        f"FROM articles a JOIN sources s ON s.id = a.source_id {where}"
    )


def fts_columns(row: str, source: str | None = None) -> str:
    """SQL of the five indexed columns of `row` (an alias of `articles`); `source` is the
    SQL of its source's name (default: looked up)."""
    name = source or f"(SELECT name FROM sources WHERE id = {row}.source_id)"
    return (
        f"{indexed(f'{row}.title')}, {indexed(f'{row}.author')}, "
        f"CASE WHEN {row}.full_text IS NULL THEN nd_indexed_body({row}.body) "
        f"ELSE {indexed(f'{row}.full_text')} END, "
        f"{indexed(name)}, CASE {row}.tags WHEN '[]' THEN '' ELSE nd_tags({row}.tags) END"
    )


FTS_COLUMNS = "title, author, body, source, tags"
FTS_VIEW = f"""
CREATE VIEW articles_fts_text (id, {FTS_COLUMNS}) AS
    SELECT a.id, {fts_columns("a")} FROM articles a;
"""


def fts_table(words: str) -> str:
    """The index of the view's text, its words as the tokenizer `words` makes them."""
    return f"""
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    {FTS_COLUMNS},
    content = 'articles_fts_text', content_rowid = 'id',
    tokenize = {words},
    prefix = '2'
);
"""


FTS_UNINDEX = f"INSERT INTO articles_fts (articles_fts, rowid, {FTS_COLUMNS})"
FTS_INDEX = f"INSERT INTO articles_fts (rowid, {FTS_COLUMNS})"
FTS_TEXT_TRIGGERS = f"""
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    {FTS_UNINDEX} VALUES ('delete', old.id, {fts_columns("old")});
END;
CREATE TRIGGER articles_fts_update
AFTER UPDATE OF title, author, body, full_text, tags ON articles BEGIN
    {FTS_UNINDEX} VALUES ('delete', old.id, {fts_columns("old")});
    {FTS_INDEX} VALUES (new.id, {fts_columns("new")});
END;
CREATE TRIGGER articles_fts_rename AFTER UPDATE OF name ON sources WHEN new.name != old.name
BEGIN
    {FTS_UNINDEX} SELECT 'delete', a.id, {fts_columns("a", "old.name")}
        FROM articles a WHERE a.source_id = old.id;
    {FTS_INDEX} SELECT a.id, {fts_columns("a", "new.name")}
        FROM articles a WHERE a.source_id = new.id;
END;
"""
