"""The first start's line about the starter config, printed before the full screen opened
over it, is said in the app too."""

from __future__ import annotations

from tests.ui.conftest import AppFactory

WROTE = "no config found: wrote a starter config to {} (edit it to add feeds)"


async def test_the_starter_config_written_is_told_in_a_toast(new_app: AppFactory) -> None:
    app = new_app(notice=WROTE.format("/home/\x1b[2Jana/.config/newsdesk/feeds.toml"))
    async with app.run_test() as pilot:
        await pilot.pause()
        toasts = [(n.title, n.message) for n in app._notifications]
    shown = WROTE.format("/home/\\x1b[2Jana/.config/newsdesk/feeds.toml")  # HOME's, escaped
    assert ("First start", shown) in toasts
