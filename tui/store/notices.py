"""What a search says of a query in its notices and errors: the texts other parts check for,
and what the user typed quoted back, cut where it is long."""

NOTHING = "nothing to search for"
"""How a notice saying that a word or the query has nothing to find starts."""
UNBALANCED = "unbalanced quote: searched as plain words"
PARENTHESES = "parentheses do not group words: ignored (AND and OR join the words beside them)"


QUOTED_CHARS = 80
"""Of what the user typed, quoted back in a notice or an error line: a pasted page is not a
line."""


def quoted_back(text: str) -> str:
    """`text` as a notice or an error quotes it, cut at `QUOTED_CHARS` with "…"."""
    return text if len(text) <= QUOTED_CHARS else text[: QUOTED_CHARS - 1] + "…"


def quote(text: str) -> str:
    """`text` in quotes for a notice or an error line, cut where it is long."""
    return repr(quoted_back(text))
