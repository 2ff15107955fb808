"""Pure text formatting for the UI: relative dates, reading time, list rows, highlights, and
the one-line strips the line-API lists draw.

Everything untrusted becomes `rich.text.Text` here (never markup), as `drawable` text (no
joiner Rich would miscount), and every width is measured in terminal cells so CJK, emoji and
right-to-left titles keep the columns aligned.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from textwrap import shorten, wrap
from typing import NamedTuple

from rich.cells import cell_len
from rich.color import Color
from rich.color_triplet import ColorTriplet
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import RenderOptions, Visual

from tui.cells import cut_to_cells, ellipsized, uncounted_cells
from tui.cells import drawable as drawable  # what the UI draws of untrusted text
from tui.cells import terminal_cells as terminal_cells  # the list's widths, and the sources'
from tui.content.spans import plain_snippet
from tui.dates import relative_age as relative_age  # the list's dates, and the reader's
from tui.models import MATCH_CLOSE, MATCH_OPEN, SAVED_INCOMPLETE, ArticleDetail, ArticleRow
from tui.offline.image_paths import file_of
from tui.store.matching import term_spans
from tui.text import visible
from tui.weburl import shown_link

WORDS_PER_MINUTE = 230
UNREAD_MARK = "●"
SAVED_MARK = "★"
UNDATED_MARK = "~"
"""Before a row's age when its article states no date: the age is since it was first seen."""
DATE_WIDTH = 4


def count_cells_like_terminals() -> None:
    """Give the spacing vowel signs one cell in Rich's own width table, as terminals do, and
    the skin tones two on a terminal that draws them apart from their emoji.

    Textual wraps text, pads lines and cuts them where a window covers them (the help, a
    dialog) by Rich's count; while that count is short by one cell per vowel sign, a line of
    Hindi spills past its pane's border, and the part of a list row right of a dialog is
    lost. Rich has no setting for this, so its loaded table is edited in place (once, at app
    start, once the terminal has said how it draws emoji); if Rich keeps its table
    differently some day, nothing is changed and rows still fit by `terminal_cells`.
    """
    try:
        from rich import _unicode_data
        from rich.cells import cached_cell_len, get_character_cell_size
        from rich.segment import Segment

        widths = _unicode_data.load("auto").widths
    except (ImportError, AttributeError):
        return
    if isinstance(widths, list):
        widths[:] = [piece for entry in widths for piece in _uncounted_split_out(*entry)]
        # Widths measured before are cached: forget them, or a cut would still use them.
        for cached in (get_character_cell_size, cached_cell_len, Segment._split_cells):
            getattr(cached, "cache_clear", lambda: None)()


def _uncounted_split_out(start: int, end: int, width: int) -> list[tuple[int, int, int]]:
    """One range of Rich's table, with the characters it gives no cell that terminals do
    (`uncounted_cells`) split out at their width."""
    points = range(start, end + 1) if width == 0 else range(0)
    uncounted = [(p, cells) for p in points if (cells := uncounted_cells(chr(p)))]
    pieces, rest = [], start
    for point, cells in uncounted:
        pieces += [(rest, point - 1, 0)] if rest < point else []
        pieces.append((point, point, cells))
        rest = point + 1
    return pieces + ([(rest, end, width)] if rest <= end else [])


def fit(text: Text, width: int) -> Text:
    """`text` cut with an ellipsis or padded so that a terminal draws it in exactly `width`
    cells (Rich may then count fewer, see `terminal_cells`): cut by `ellipsized`, between
    grapheme clusters, the padding after the `…` (Rich's own cut pads first where a wide
    character does not fit: `人民日报 海 …`)."""
    text.plain = ellipsized(text.plain, width)  # styles over the cut go on over the `…`
    text.append(" " * max(0, width - terminal_cells(text.plain)))
    return text


def fitted_strip(
    text: Text, width: int, style: Style, console: Console, *, highlighted: bool = False
) -> Strip:
    """`text` as one line of a list, `fit` to `width` cells, `style` under its own styles. The
    strip's length is given as `width`, as the terminal counts it (Rich may count fewer).

    A `highlighted` line (a list's cursor) takes `style`'s colours over its own, keeping their
    bold and underline: greys and accents chosen for the list's background are unreadable on
    the cursor's (grey on dark blue in a light theme).
    """
    segments = fit(text, width).render(console)
    if highlighted:
        cursor = Style(color=style.color, bgcolor=style.bgcolor)
        segments = Segment.apply_style(segments, post_style=cursor)
    return Strip(list(segments), width).apply_style(style)


def reading_time(text: str) -> str:
    """`N min read`, from the word count."""
    minutes = max(1, round(len(text.split()) / WORDS_PER_MINUTE))
    return f"{minutes} min read"


def highlight_terms(text: Text, terms: Iterable[str], style: Style | str) -> Text:
    """Stylize every match of the search terms, found as the search found them."""
    for start, end in term_spans(text.plain, terms):
        text.stylize(style, start, end)
    return text


def snippet_text(snippet: str, match_style: Style | str) -> Text:
    """A search snippet as Text, its MATCH_OPEN/MATCH_CLOSE markers turned into highlights."""
    text = Text(no_wrap=True, overflow="ellipsis")
    parts = drawable(plain_snippet(snippet)).split(MATCH_OPEN)
    text.append(parts[0].replace(MATCH_CLOSE, ""))
    for part in parts[1:]:
        matched, _, rest = part.partition(MATCH_CLOSE)
        text.append(matched, match_style)
        text.append(rest.replace(MATCH_CLOSE, ""))
    return text


def without_background(style: Style) -> Style:
    """The style's colour and attributes only, to lay over rows with their own background.

    Widgets resolve theme colours such as `$text-muted` ("auto 60%") against their background,
    so component styles are read whole and their background dropped here.
    """
    return Style(
        color=style.color,
        bold=style.bold,
        dim=style.dim,
        italic=style.italic,
        underline=style.underline,
        strike=style.strike,
        reverse=style.reverse,
    )


READABLE = 4.5
"""The least contrast of text with its background (WCAG's AA for body text)."""
BLACK, WHITE = ColorTriplet(0, 0, 0), ColorTriplet(255, 255, 255)


def readable(style: Style) -> Style:
    """`style` with its colour pushed to white or black when it falls short of `READABLE` on
    its background: a theme's cursor text ("auto 87%", white let through the cursor's colour)
    reads at 3.8:1 on textual-dark's blue, 3.2:1 on solarized-light's. The colour keeps its
    side (light text turns white) if that reads, else turns over (black on solarized's blue).
    """
    color, background = style.color, style.bgcolor
    if color is None or background is None or color.is_default or background.is_default:
        return style  # the terminal's own colours, or reverse video: nothing to weigh
    text, under = color.get_truecolor(), background.get_truecolor()
    if contrast(text, under) >= READABLE:
        return style
    near, far = (WHITE, BLACK) if _luminance(text) > _luminance(under) else (BLACK, WHITE)
    best = (
        near
        if contrast(near, under) >= READABLE
        else max((near, far), key=lambda colour: contrast(colour, under))
    )
    return style + Style(color=Color.from_triplet(best))


def contrast(one: ColorTriplet, other: ColorTriplet) -> float:
    """WCAG's contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: ColorTriplet) -> float:
    """WCAG's relative luminance of an sRGB colour."""
    linear = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
              for v in (c / 255 for c in colour)]  # fmt: skip
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@dataclass(frozen=True)
class RowStyles:
    """Styles of the parts of a list row (resolved from the widget's component classes)."""

    unread: Style = Style(bold=True)
    read: Style = Style()
    mark: Style = Style()
    source: Style = Style(dim=True)
    date: Style = Style(dim=True)
    match: Style = Style(reverse=True)


def row_text(
    row: ArticleRow,
    width: int,
    now: datetime,
    styles: RowStyles,
    terms: Iterable[str] = (),
    *,
    with_source: bool = True,
    with_others: bool = True,
) -> Text:
    """One list row in exactly `width` cells: marks, title, source (unless `with_source` is
    False: a one-source view), relative date; `+N` other outlets of its story unless
    `with_others` is False (stories not grouped)."""
    source_width = 0 if width < 50 or not with_source else min(18, max(8, width // 6))
    title_width = max(1, width - 3 - (source_width + 1 if source_width else 0) - DATE_WIDTH - 1)
    marks = Text(UNREAD_MARK if not row.read else " ", styles.mark)
    marks.append(SAVED_MARK if row.saved or row.story_saved else " ", styles.mark)
    marks.append(" ")
    title = Text(drawable(row.title) or "(untitled)", styles.read if row.read else styles.unread)
    highlight_terms(title, terms, styles.match)
    others = f" +{row.others}" if row.others and with_others else ""  # other outlets, same story
    title = fit(title, max(1, title_width - len(others)))
    if others:  # right after the title, not after its padding
        title.rstrip()
        title.append(others, styles.source)
        title = fit(title, title_width)
    line = Text.assemble(marks, title, " ", no_wrap=True)
    if source_width:
        line.append_text(fit(Text(drawable(row.source), styles.source), source_width))
        line.append(" ")
    age = row_age(row, now)
    date_style = styles.date if row.dated else styles.date + Style(italic=True)
    line.append(" " * (DATE_WIDTH - cell_len(age)) + age, date_style)
    return fit(line, width)


def row_age(row: ArticleRow, now: datetime) -> str:
    """The row's age, `~3h` when its article states no date (`10mo` and `11mo` have no
    room for the mark: italic alone says it there)."""
    age = relative_age(row.published, now)
    marked = age if row.dated else UNDATED_MARK + age
    return marked if cell_len(marked) <= DATE_WIDTH else age


def saved_note(article: ArticleDetail) -> str:
    """The marker for saved articles: full text, pending, or why the page could not be saved.
    An article not saved may still hold its full text (a `full_text` source's, or one unsaved
    since, until it is pruned): no ★ then."""
    if not article.row.saved:
        return "full text (offline copy)" if article.full_text else ""
    state = article.save_state
    if article.full_text and state and state.startswith(SAVED_INCOMPLETE):
        return f"★ saved full text (offline copy) · {state.removeprefix(SAVED_INCOMPLETE)}"
    if article.full_text:
        return "★ saved full text (offline copy)"
    if state in (None, "ok"):
        return "★ saved"
    if state == "pending":
        return "★ saved · full text pending"
    return f"★ saved · full text unavailable: {state}"


class Marked(Visual):
    """Lines of a mark and a text (`[12] ` and a link), each text wrapped beside its mark and
    going on under its own start: a link too long for the width is folded there, where a
    wrapped Text leaves the mark alone on its row and starts the link below it. At every
    width, never cut: links alike but for their ends are told apart. `str` is the text."""

    def __init__(self, *lines: tuple[Text, Text]) -> None:
        self.lines = [(Content.from_rich_text(m), Content.from_rich_text(t)) for m, t in lines]

    def __str__(self) -> str:
        return "\n".join(mark.plain + text.plain for mark, text in self.lines)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((mark.cell_length + text.cell_length for mark, text in self.lines), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return sum(text.get_height(rules, _room(mark, width)) for mark, text in self.lines)

    def render_strips(
        self, width: int, height: int | None, style: VisualStyle, options: RenderOptions
    ) -> list[Strip]:
        strips: list[Strip] = []
        for mark, text in self.lines:
            [first] = mark.render_strips(mark.cell_length, 1, style, options) or [Strip([])]
            indent = Strip.blank(mark.cell_length, style.rich_style)
            wrapped = text.render_strips(_room(mark, width), None, style, options)
            strips += [Strip.join([indent if n else first, row]) for n, row in enumerate(wrapped)]
        return strips[:height]


class Line(NamedTuple):
    """A line of `Parted`: its parts, and how many cells in each of its rows starts."""

    parts: tuple[Text, ...]
    indent: int = 0
    most: int | None = None
    """The most rows each of its rows wraps into: past them it ends in `…` (a 100 KB title
    filled 1,250 rows of the reader)."""


class Parted(Visual):
    """Lines, each wrapped at the width; a line of parts (`Reuters · Ada · 1 min read`)
    breaks between its parts, never inside one: a row holds the parts that fit, joined by
    `separator`, and only a part wider than the width alone is wrapped. `str` is the text."""

    def __init__(self, lines: list[Line], separator: Text) -> None:
        self.lines = [
            (tuple(Content.from_rich_text(part) for part in line.parts), line.indent, line.most)
            for line in lines
        ]
        self.separator = Content.from_rich_text(separator)

    def __str__(self) -> str:
        return "\n".join(
            " " * indent + self.separator.plain.join(part.plain for part in parts)
            for parts, indent, _ in self.lines
        )

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((row.cell_length + indent for row, indent, _ in self._rows(None)), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        heights = [
            (row.get_height(rules, max(1, width - n)), most) for row, n, most in self._rows(width)
        ]
        return sum(height if most is None else min(height, most) for height, most in heights)

    def render_strips(
        self, width: int, height: int | None, style: VisualStyle, options: RenderOptions
    ) -> list[Strip]:
        strips: list[Strip] = []
        for row, indent, most in self._rows(width):
            margin = Strip.blank(indent, style.rich_style)
            wrapped = row.render_strips(max(1, width - indent), None, style, options)
            wrapped = _at_most(wrapped, most, max(1, width - indent))
            strips += [Strip.join([margin, strip]) if indent else strip for strip in wrapped]
        return strips[:height]

    def _rows(self, width: int | None) -> list[tuple[Content, int, int | None]]:
        """Each line's parts in rows of `width` cells (one row each without a width)."""
        rows: list[tuple[Content, int, int | None]] = []
        for parts, indent, most in self.lines:
            row = parts[0]
            for part in parts[1:]:
                joined = row + self.separator + part
                if width is None or joined.cell_length <= width - indent:
                    row = joined
                else:
                    rows.append((row.simplify(), indent, most))
                    row = part
            rows.append((row.simplify(), indent, most))  # its parts one run where alike
        return rows


def _at_most(rows: list[Strip], most: int | None, width: int) -> list[Strip]:
    """`rows`, or their first `most`, the last ending in `…` right after its text (in its
    last cell, where the text fills it)."""
    if most is None or len(rows) <= most:
        return rows
    last = rows[most - 1]
    kept = last.crop(0, min(cell_len(last.text.rstrip()), width - 1))
    style = next((segment.style for segment in reversed(list(kept)) if segment.style), None)
    ended = Strip.join([kept, Strip([Segment("…", style)])])
    return [*rows[: most - 1], ended.extend_cell_length(last.cell_length, style)]


def _room(mark: Content, width: int) -> int:
    return max(1, width - mark.cell_length)


def link_label(url: str) -> str:
    """A link as the reader and the link picker list it: a local file by its name, whose
    escape sequences (decoded from the link's `%1B`) are written out, not sent to the
    terminal; any other link as stored (already encoded), but its host in punycode where a
    browser would show it so, and without a user name (`shown_link`)."""
    local = file_of(url)
    return f"{visible(local.name)} (local file)" if local else shown_link(url)


LINK_NUMBER = "newsdesk.link"
"""The style meta a link's text carries in the reader: its number in the article's links (0:
the article's own address), what a click on it opens. A number, never the URL itself."""


def clickable(style: Style, number: int) -> Style:
    """`style` on the text of link `number`, which a click opens (`LINK_NUMBER`)."""
    return style + Style.from_meta({LINK_NUMBER: number})


WHOLE_IN_HELP = " (? shows it whole)"
SEE_HELP = " (see ?)"
"""A toast title's end: `?` shows its message whole (the config's problems)."""
SMALL_TOAST_ROWS = 2
"""The rows of a toast on a small terminal, its title in the first (it covers the rest)."""


def cut_for_toast(text: str, most: int) -> str:
    """`text` in at most `most` characters, saying where it is whole when cut."""
    short = shorten(text, most - len(WHOLE_IN_HELP), placeholder=" …")
    return text if len(text) <= most else short + WHOLE_IN_HELP


def small_toast(title: str, message: str, width: int) -> str:
    """A toast's title and message in `SMALL_TOAST_ROWS` rows of `width` cells, broken
    between words, the last cut with `…` (and where `?` shows it whole, when it does)."""
    text = f"{title.removesuffix(SEE_HELP)}: {message}" if title else message
    rows = wrap(text, width, break_on_hyphens=False) or [""]
    if len(rows) > SMALL_TOAST_ROWS:
        tail = " …" + (WHOLE_IN_HELP if title.endswith(SEE_HELP) else "")
        tail = tail if len(tail) < width else "…"
        last = rows[SMALL_TOAST_ROWS - 1]
        kept = cut_to_cells(last, width - len(tail))
        if kept != last and " " in kept:  # a word cut goes whole
            kept = kept.rsplit(" ", 1)[0]
        rows[SMALL_TOAST_ROWS - 1] = kept.rstrip() + tail
    return "\n".join(rows[:SMALL_TOAST_ROWS])
