"""The reader's own keys: scrolling, paging on to the next unread article, zooming, copying
the text selected, the story's other outlets and the search matches (the article keys, `o`
and the links' among them, are the main screen's)."""

from __future__ import annotations

from textual.binding import Binding

from tui.ui.keys import motion_bindings

SCROLLS = ("scroll_down", "scroll_up", "scroll_home", "scroll_end", "page_down", "page_up")
"""The reader's scrolling actions, in `motion_bindings`' order."""

READER_BINDINGS = [
    *motion_bindings(SCROLLS, ends=("Top", "Bottom")),  # space: `reader.space`, below
    Binding(
        "space",
        "space",
        "More",
        id="reader.space",
        tooltip="Page down; at the end of the article, open the next unread one",
    ),
    Binding("z", "zoom", "Zoom", id="reader.zoom", tooltip="Reader on the whole screen / back"),
    Binding("ctrl+c", "screen.copy_text", "Copy", id="reader.copy", show=False),
    Binding(
        "A",
        "open_also",
        "Also reported",
        id="reader.also",
        show=False,
        tooltip="Open the same story from the next other outlet",
    ),
    Binding(
        "right_square_bracket",
        "next_match",
        "Next match",
        id="reader.next_match",
        show=False,
        tooltip="Next search match in the article",
    ),
    Binding(
        "left_square_bracket",
        "previous_match",
        "Previous match",
        id="reader.previous_match",
        show=False,
        tooltip="Previous search match in the article",
    ),
]
