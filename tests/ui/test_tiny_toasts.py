"""Toasts on a tiny terminal (30x10): a row or two, the cursor's row and the status line in
sight."""

from __future__ import annotations

from typing import Any

from textual.geometry import Region

from tests.ui.conftest import AppFactory, settle
from tui.ui.format import small_toast

CONFIG_ERROR = (
    "/home/someone/.config/newsdesk/feeds.toml:4:1: sources[0]: needs exactly one of 'url' "
    "and 'path' (a web feed or a local file or folder), not both"
)


def toast_rows(app: Any) -> list[str]:
    [toast] = app.screen.query("Toast")
    return [toast.render_line(y).text.strip() for y in range(toast.size.height)]


async def test_a_long_config_error_toast_at_30x10_takes_two_rows(new_app: AppFactory) -> None:
    # It took six of the ten rows, over the cursor's row and the status line, and broke
    # inside "feeds.toml:4:1:".
    app = new_app(config_error=CONFIG_ERROR)
    async with app.run_test(size=(30, 10), notifications=True) as pilot:
        await settle(pilot)
        [toast] = app.screen.query("Toast")
        assert toast.region.height <= 2
        rows = toast_rows(app)
        assert rows[-1].endswith("… (? shows it whole)")
        assert rows[0].startswith("Config error: /home/")
        articles = app.main.articles
        top = articles.region.y + articles.cursor - round(articles.scroll_y)
        assert not toast.region.overlaps(Region(0, top, 30, 1))


def test_a_small_toast_says_where_it_is_whole_only_when_help_shows_it() -> None:
    cut = small_toast("Page not saved", "unreachable: " + "the host did not answer " * 3, 25)
    assert cut.splitlines()[0] == "Page not saved:" and cut.endswith("the host …")
    assert small_toast("Saved", "page kept", 25) == "Saved: page kept"
