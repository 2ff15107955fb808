"""Links: the browser (http/https only), numbered links, the picker and copying."""

from __future__ import annotations

import webbrowser
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import OptionList, Static

from tests.ui.conftest import AppFactory, record_notifications, settle
from tests.ui.data import LINKS, make_config
from tests.ui.test_reading import parts
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store
from tui.ui import NewsdeskApp
from tui.ui.links import browser_command
from tui.ui.screens.dialogs import LinkPicker
from tui.weburl import is_web_url


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """URLs the app asked the desktop's browser to open (no browser is started)."""
    monkeypatch.delenv("BROWSER", raising=False)
    urls: list[str] = []

    def fake_open(url: str) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr("tui.ui.screens.link_actions.open_in_browser", fake_open)
    return urls


async def test_number_keys_open_numbered_links(new_app: AppFactory, opened: list[str]) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "2")
        await settle(pilot)
        assert opened == [LINKS[1]]
        await pilot.press("9")
        await settle(pilot)
        assert opened == [LINKS[1]]


async def test_o_opens_the_article_and_y_copies_its_link(
    new_app: AppFactory, opened: list[str]
) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, articles, _ = parts(app)
        assert articles.current is not None
        url = articles.current.url
        await pilot.press("o", "y")
        await settle(pilot)
        assert opened == [url]
        assert app.clipboard == url


async def test_link_picker_opens_the_chosen_link(new_app: AppFactory, opened: list[str]) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "L")
        await settle(pilot)
        assert isinstance(app.screen, LinkPicker)
        options = app.screen.query_one(OptionList)
        await pilot.press("G")  # g and G as in the lists (7,000 links are far down with j)
        assert options.highlighted == options.option_count - 1
        await pilot.press("g")
        assert options.highlighted == 0
        await pilot.press("down", "enter")
        await settle(pilot)
        assert opened == [LINKS[1]]
        assert not isinstance(app.screen, LinkPicker)


async def test_only_web_links_are_opened(
    new_app: AppFactory, store: Store, opened: list[str]
) -> None:
    source = store.ensure_source("Odd", SourceKind.WEB, "https://odd.example/")
    article = Article("Odd links", "See [1] and [2].", guid="odd", url="file:///etc/passwd",
                      links=("javascript:alert(1)", "https://ok.example/"))  # fmt: skip
    store.record_refresh(source, [article], FetchOutcome(status=200))
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "o", "1", "2")  # the odd article is the newest
        await settle(pilot)
        assert opened == ["https://ok.example/"]


def record_suspends(app: NewsdeskApp, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each time `app` hands its terminal over (a headless run cannot give it away)."""
    suspended: list[bool] = []

    @contextmanager
    def suspend() -> Iterator[None]:
        suspended.append(True)
        yield

    monkeypatch.setattr(app, "suspend", suspend)
    return suspended


async def test_o_hands_the_terminal_to_the_browser_command(
    new_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # newsboat's `browser "w3m %u"`: the command gets the terminal, then the app comes back.
    log = tmp_path / "opened.txt"
    browser = tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\necho "$@" >> {log}\n')
    browser.chmod(0o755)
    base = make_config(tmp_path)
    settings = replace(base.settings, browser=f"{browser} --tab %u")
    app = new_app(config=replace(base, settings=settings))
    suspended = record_suspends(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        url = parts(app)[1].current.url  # type: ignore[union-attr]
        await pilot.press("o")
        await settle(pilot)
        assert log.read_text() == f"--tab {url}\n" and suspended == [True]
        assert app.is_running


async def test_a_url_holding_placeholders_reaches_the_browser_command_as_it_is(
    new_app: AppFactory, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A search page's own link `…?q=%s`: the command's `%u` is filled in once, so the URL
    # arrives whole, not with the URL again in place of its `%s`.
    url = "https://search.example/?q=%s&then=%u&rate=100%%"
    source = store.ensure_source("Search", SourceKind.WEB, "https://search.example/feed")
    article = Article("Template", "Body.", guid="t", url=url)
    store.record_refresh(source, [article], FetchOutcome(status=200))
    log = tmp_path / "argv.txt"
    browser = tmp_path / "browser"
    browser.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > {log}\n")  # one argument a line
    browser.chmod(0o755)
    base = make_config(tmp_path)
    settings = replace(base.settings, browser=f"{browser} --zoom=100%% %u")
    app = new_app(config=replace(base, settings=settings))
    suspended = record_suspends(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "o")  # the search page's article is the newest
        await settle(pilot)
        assert log.read_text().splitlines() == ["--zoom=100%", url] and suspended == [True]


async def test_o_without_a_browser_says_what_is_missing_and_what_to_set(
    new_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It said "Cannot start '…/firefox': [Errno 2] No such file or directory: '…/firefox'".
    nowhere = tmp_path / "nowhere"
    nowhere.mkdir()
    monkeypatch.setenv("PATH", str(nowhere))
    monkeypatch.setenv("BROWSER", str(nowhere / "firefox"))
    app = new_app()
    record_suspends(app, monkeypatch)
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        monkeypatch.delenv("BROWSER")  # nor a desktop browser on the PATH (looked up again)
        # Unavoidable: webbrowser looks for browsers once per process and keeps them in
        # these two, which an earlier test in this worker may have filled with the real
        # PATH's; emptied, they are looked up again with this PATH and no $BROWSER.
        monkeypatch.setattr(webbrowser, "_tryorder", None)
        monkeypatch.setattr(webbrowser, "_browsers", {})
        await pilot.press("o")
        await settle(pilot)
    assert [note for _, note in notes] == [
        f"No web browser found: '{nowhere / 'firefox'}' is not installed; set $BROWSER or "
        "`browser` in feeds.toml's [settings]",
        "No web browser found: link copied instead; set $BROWSER or `browser` in feeds.toml's "
        "[settings]",
    ]


def test_browser_command_from_the_setting_or_browser_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = "https://example.org/a b"
    monkeypatch.delenv("BROWSER", raising=False)
    assert browser_command("", url) is None  # the desktop's browser is asked
    assert browser_command("w3m", url) == ["w3m", url]
    assert browser_command("'my browser' -T %u --x", url) == ["my browser", "-T", url, "--x"]
    monkeypatch.setenv("BROWSER", "lynx -accept_all_cookies %s:w3m")
    assert browser_command("", url) == ["lynx", "-accept_all_cookies", url]
    assert browser_command("elinks", url) == ["elinks", url]  # the setting comes first
    with pytest.raises(ValueError):
        browser_command('"unbalanced', url)


def test_browser_command_fills_its_placeholders_once_and_percent_percent_is_a_percent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = "https://e.example/find?q=%s&u=%u&p=%%"
    monkeypatch.setenv("BROWSER", "firefox --new-tab %s")
    assert browser_command("", url) == ["firefox", "--new-tab", url]
    assert browser_command("w3m -o %%u=1 %u", url) == ["w3m", "-o", "%u=1", url]
    # No placeholder, `%%` aside: the URL still comes last.
    assert browser_command("cmd --zoom=100%%", url) == ["cmd", "--zoom=100%", url]
    assert browser_command("cmd 5%d", url) == ["cmd", "5%d", url]  # other `%`s stay


def test_is_web_url() -> None:
    assert is_web_url("https://example.org/a") and is_web_url("HTTP://x.example")
    for bad in (None, "", "javascript:alert(1)", "file:///etc", "https://", "ftp://x.example"):
        assert not is_web_url(bad)


LONG_LINK = "https://long.example/path/" + "segment-" * 12 + "end?q=1"


def folded_beside_its_number(lines: list[str]) -> bool:
    """Whether link [2] starts on the row of its number and goes on under its own start."""
    first = next(n for n, line in enumerate(lines) if "[2]" in line)
    column = lines[first].index("[2] ") + 4
    rest = [line for line in lines[first + 1 : first + 8] if line.strip()]
    under = all(len(line) - len(line.lstrip()) == column for line in rest)
    return under and "".join(line[column:] for line in [lines[first], *rest]) == LONG_LINK


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_a_long_link_starts_beside_its_number_in_the_links_and_the_picker(
    new_app: AppFactory, store: Store, size: tuple[int, int]
) -> None:
    # `[2]` stood alone on its row, the link below it from the first cell.
    source = store.ensure_source("Long", SourceKind.WEB, "https://long.example/")
    article = Article("Long link", "See [1] and [2].", guid="long",
                      links=("https://ok.example/", LONG_LINK))  # fmt: skip
    store.record_refresh(source, [article], FetchOutcome(status=200))
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("enter", "z")
        await settle(pilot)
        listed = app.screen.query_one("#reader-links", Static)
        rows = [strip.text.rstrip() for strip in listed.render_lines(Region(0, 0, *listed.size))]
        await pilot.press("L")
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        region = options.region.reset_offset
        picked = [strip.text.rstrip() for strip in options.render_lines(region)]
    assert folded_beside_its_number(rows)
    assert folded_beside_its_number(picked)  # also at 40 columns: cut, links read alike
