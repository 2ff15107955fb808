"""The base of the line-API lists: a `ScrollView` that a layout of the screen or a move of
the focus does not restyle or draw again beyond what changed. `LeftClickOptions`: Textual's
option lists (the reader's attachments, the link picker) taking the lists' mouse rule."""

from __future__ import annotations

from typing import Self

from textual import events
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollDown, ScrollTo, ScrollUp
from textual.widgets import OptionList


class LineView(ScrollView):
    """A `ScrollView` (its rows drawn through the line API, its virtual size its own) that
    draws its focus itself: no CSS rule selects it by `:focus`, its cursor's two looks are
    component classes (`...--cursor`, `...--cursor-focused`), so the focus coming or going
    draws it again without restyling it (Textual restyles a widget and its scrollbars at each
    change of its focus: ~1.5 ms, and the scrollbar drawn again, of every Tab and `/`). Nor
    does it draw every row again, as Textual's focus and blur handlers ask: the cursor's row
    alone changes (~1.4 ms of the list's 35 rows at each Tab and `/`).

    Textual's `ScrollView` updates its scrollbars whenever the virtual size a layout gives
    differs from its own, and a layout gives the content box, never the widget's own rows
    (100,000 against 12 for the article list): so every layout of the screen (a key that
    opens the search bar, moves the focus or opens the reader) redrew both lists' scrollbars,
    ~0.8 ms each. Here they are updated when the widget's size, its container's or its own
    virtual size changed since the last update.
    """

    ALLOW_SELECT = False  # lists of rows, not text: a drag selects nothing

    _scrolled_for: Size | None = None
    """The virtual size the scrollbars were last updated for."""

    _cursor_only = False
    """The whole repaint asked for next is the focus's (see the class)."""

    _last_click: events.Click | None = None
    """The click before, to tell a double click begun here from one begun elsewhere."""

    def watch_has_focus(self, has_focus: bool) -> None:
        # Textual's focus and blur handlers set `has_focus`, then ask for a whole repaint.
        self._cursor_only = self.is_mounted

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        if self._cursor_only and not (regions or layout or recompose):
            self._cursor_only = False
            self.redraw_cursor()
            return self
        self._cursor_only = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def redraw_cursor(self) -> None:
        """Draw the cursor's row again (its look follows the focus)."""
        raise NotImplementedError

    def _cursor_on_screen(self) -> None:
        """Bring the cursor onto the lines on screen, if it is off them."""
        raise NotImplementedError

    # -- the mouse -----------------------------------------------------------------------

    def acts_on(self, click: events.Click) -> bool:
        """Whether `click` moves the cursor or opens: the left button's only, and not the
        second click of a double click begun on another widget (on a narrow screen, a
        source's first click puts the list in its place, under the pointer)."""
        before, self._last_click = self._last_click, click
        if click.button != 1:
            return False
        return click.chain == 1 or (
            before is not None
            and before.chain == click.chain - 1
            and click.time - before.time <= self.app.CLICK_CHAIN_TIME_THRESHOLD
        )

    # The wheel and the scrollbar bring the cursor along, so the highlighted line is on
    # screen: Enter (or `j`) acts on what the user sees.

    def on_mouse_scroll_down(self) -> None:
        self.call_after_refresh(self._cursor_on_screen)  # once Textual's handler scrolled

    def on_mouse_scroll_up(self) -> None:
        self.call_after_refresh(self._cursor_on_screen)

    def on_scroll_to(self, message: ScrollTo) -> None:
        """The scrollbar's thumb dragged (not animated, as every scroll of the lists)."""
        message.prevent_default()
        self.scroll_to(message.x, message.y, animate=False, on_complete=self._cursor_on_screen)

    def on_scroll_up(self, message: ScrollUp) -> None:
        """A click on the scrollbar's track above the thumb."""
        message.prevent_default()
        self.scroll_page_up(animate=False, on_complete=self._cursor_on_screen)

    def on_scroll_down(self, message: ScrollDown) -> None:
        """A click on the scrollbar's track below the thumb."""
        message.prevent_default()
        self.scroll_page_down(animate=False, on_complete=self._cursor_on_screen)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        if self._scrolled_for == self.virtual_size:
            virtual_size = self.virtual_size  # only the content box differs: nothing to show
        self._scrolled_for = self.virtual_size
        return super()._size_updated(size, virtual_size, container_size, layout)


class LeftClickOptions(OptionList):
    """An option list whose rows the left button alone picks, as in the lists (`acts_on`):
    a right or middle click on a row played an attachment or opened a link."""

    def on_click(self, event: events.Click) -> None:
        if event.button != 1:
            event.prevent_default()  # Textual's own handler, which selects, does not run
