"""The reader's own keys: scrolling, paging on to the next unread article, zooming, copying
the text selected, the story's other outlets and the search matches (the article keys, `o`
and the links' among them, are the main screen's)."""

from __future__ import annotations

from textual.binding import Binding

READER_BINDINGS = [
    Binding("j,down", "scroll_down", "Down", id="cursor.down", show=False),
    Binding("k,up", "scroll_up", "Up", id="cursor.up", show=False),
    Binding("g,home", "scroll_home", "Top", id="cursor.first", show=False),
    Binding("G,end", "scroll_end", "Bottom", id="cursor.last", show=False),
    Binding("pagedown", "page_down", "Page down", id="cursor.page_down", show=False),
    Binding("pageup", "page_up", "Page up", id="cursor.page_up", show=False),
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
