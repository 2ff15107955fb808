"""UI fixtures: an isolated cache filled with deterministic articles, and an app factory."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from tests.ui.data import build_big_cache, fill, frozen_now, make_config
from tui.config import Config
from tui.store import Store
from tui.ui import NewsdeskApp, make_app
from tui.ui.widgets.article_list import ArticleList

BIG = 100_000


@pytest.fixture(autouse=True)
def all_colours(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal of all colours, whatever the TERM the tests run under: on one of 16 the app
    starts in another theme (ansi-dark)."""
    monkeypatch.setenv("COLORTERM", "truecolor")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh cache with the test articles (one source failing)."""
    opened = Store.open(tmp_path / "cache" / "newsdesk.db")
    fill(opened)
    yield opened
    opened.close()


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path)


AppFactory = Callable[..., NewsdeskApp]


@pytest.fixture
def new_app(config: Config, store: Store) -> AppFactory:
    """Build an app on the test cache; keyword arguments go to `make_app`."""

    def build(**options: Any) -> NewsdeskApp:
        options.setdefault("refresh_on_start", False)
        options.setdefault("now", frozen_now)
        return make_app(options.pop("config", config), options.pop("store", store), **options)

    return build


@pytest.fixture(scope="session")
def big_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 100,000-article cache, built once per session."""
    path = tmp_path_factory.mktemp("big") / "newsdesk.db"
    build_big_cache(path, BIG)
    return path


@pytest.fixture
def big_store(big_cache: Path, tmp_path: Path) -> Iterator[Store]:
    """A private copy of the big cache (tests may change flags)."""
    target = tmp_path / "big" / "newsdesk.db"
    target.parent.mkdir()
    shutil.copy(big_cache, target)
    opened = Store.open(target)
    yield opened
    opened.close()


def record_calls(
    monkeypatch: pytest.MonkeyPatch, owner: object, name: str
) -> list[tuple[Any, ...]]:
    """The positional arguments of each call of `owner.name` from now on (the calls still
    go through): how often the app draws, restyles or builds something."""
    calls: list[tuple[Any, ...]] = []
    original = getattr(owner, name)

    def recorded(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, recorded)
    return calls


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish and their messages (and the workers those start) be handled."""
    for _ in range(4):
        await pilot.pause()
        with suppress(WorkerCancelled):  # a newer exclusive worker took its place
            await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def pressed(pilot: Pilot[Any], *keys: str) -> None:
    """`keys` pressed, then what they started settled."""
    await pilot.press(*keys)
    await settle(pilot)


async def wait_for_rows(pilot: Pilot[Any]) -> None:
    """Pause until the article list shows rows: with a refresh that never ends (a hanging
    server), `settle` would wait for that worker forever."""
    articles = pilot.app.screen.query_one(ArticleList)
    for _ in range(20):
        await pilot.pause()
        if articles.rows.total:
            return


def record_notifications(app: Any) -> list[tuple[str, str]]:
    notes: list[tuple[str, str]] = []
    notify = app.notify

    def spy(message: str, **options: Any) -> None:
        notes.append((options.get("title", ""), message))
        notify(message, **options)

    app.notify = spy
    return notes
