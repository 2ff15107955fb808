"""What the user set against a rule's action, kept so the rules leave it (`tui.store.rules`):
a part of the schema, without code (the schema loads it at every start)."""

from __future__ import annotations


def _choice_trigger(action: str, column: str) -> str:
    return f"""
CREATE TRIGGER user_choices_{action} AFTER UPDATE OF {column} ON articles
WHEN old.{column} = 1 AND new.{column} = 0 BEGIN
    INSERT OR IGNORE INTO user_choices (article_id, action) VALUES (new.id, '{action}');
END;"""


# Flags the user set against a rule's action (unhid, marked unread, unsaved: here, or on a sync
# server): a rule with that action leaves the article as the user left it. No rule sets a flag
# to 0, so a change to 0 is the user's; one that changes nothing is no choice.
USER_CHOICES = f"""
CREATE TABLE user_choices (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    action TEXT NOT NULL,
    PRIMARY KEY (article_id, action)
) WITHOUT ROWID;
{_choice_trigger("hide", "hidden")}
{_choice_trigger("read", "read")}
{_choice_trigger("save", "saved")}
"""
"""A part of the schema (see `schema.py`)."""
