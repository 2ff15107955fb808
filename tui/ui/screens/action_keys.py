"""The article keys, acting where the list or the reader has the focus (not in the sources
pane): their bindings (`?` lists them, `[keys]` moves them by id) and the actions that need
an article. What they do is `actions.py`'s."""

from __future__ import annotations

from textual.binding import Binding

ARTICLE_ACTIONS = frozenset(
    {
        "toggle_read", "toggle_saved", "open_in_browser", "copy_link", "pick_link",
        "open_link", "next_article", "previous_article", "next_unread", "mark_all_read",
        "attachment",
    }
)  # fmt: skip
"""The actions that act on an article: allowed only while one is targeted and the list or
the reader is in front, never in the sources pane (`ArticleActions.allowed`)."""

_LINK_KEYS = Binding.Group("Open numbered link")

ACTION_BINDINGS = [
    Binding("n", "next_article", "Next", id="article.next", show=False),
    Binding("p", "previous_article", "Previous", id="article.previous", show=False),
    Binding("N", "next_unread", "Unread", id="article.next_unread", tooltip="Next unread article"),
    Binding("m", "toggle_read", "Read", id="article.read", tooltip="Mark read / unread"),
    Binding("s", "toggle_saved", "Save", id="article.save", tooltip="Save for offline / unsave"),
    Binding(
        "M",
        "mark_all_read",
        "Mark all read",
        id="view.mark_read",
        show=False,
        tooltip="Mark every article in this view read",
    ),  # fmt: skip
    Binding("u", "undo", "Undo", id="view.undo", show=False, tooltip="Undo mark all read"),
    Binding(
        "U",
        "unhide",
        "Unhide",
        id="article.unhide",
        tooltip="Show a hidden article again (is:hidden lists them)",
    ),  # fmt: skip
    Binding(
        "o",
        "open_in_browser",
        "Browser",
        id="article.browser",
        show=False,
        tooltip="Open the article in the browser (http/https only)",
    ),  # fmt: skip
    Binding("y", "copy_link", "Copy link", id="article.copy", show=False, tooltip="Copy its link"),
    Binding("L", "pick_link", "Links", id="article.links", show=False, tooltip="Pick a link"),
    Binding(
        "e",
        "attachment(False)",
        "Play",
        id="article.play",
        show=False,
        tooltip="Play its podcast, video or attachment (several: pick one)",
    ),  # fmt: skip
    Binding(
        "E",
        "attachment(True)",
        "Download",
        id="article.download",
        show=False,
        tooltip="Download its podcast, video or attachment for offline use",
    ),  # fmt: skip
    *(
        Binding(
            str(n),
            f"open_link({n})",
            f"Open link {n}",
            id=f"article.link{n}",
            show=False,
            group=_LINK_KEYS,
        )  # fmt: skip
        for n in range(1, 10)
    ),
]
