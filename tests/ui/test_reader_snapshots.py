"""Pinned reader screens at 120x40 and 80x24: the structured sample with its image drawn in
half blocks, zoomed with `z`, a search match highlighted, list rows in several scripts, and
the shapes a tester's pages have (nested lists, wrapped code, CJK, a table of 12 columns, a
long link). Each SVG was looked at before it was kept."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.ui.conftest import AppFactory
from tests.ui.data import NOW, PINNED_CONFIG, make_config
from tests.ui.test_reader_media import SAMPLE, add_sample
from tests.ui.test_snapshots import NARROW, WIDE, Compare, after
from tui.config import Config, SourceConfig
from tui.models import Enclosure, FetchOutcome, SourceKind
from tui.sources.files import load_file
from tui.store import Store

ATTACHMENTS = (
    Enclosure("https://pod.example.org/ep/episode%2012.mp3", "audio/mpeg", 45_000_000, 3723),
    Enclosure("https://pod.example.org/ep/walkthrough.mp4", "video/mp4", None, 95),
    Enclosure("https://pod.example.org/ep/notes.pdf"),
)
SIZES = pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
SHAPES = Path(__file__).parents[1] / "fixtures" / "reader" / "shapes.md"


def with_samples(tmp_path: Path) -> Config:
    """The test config naming the source `add_sample` and `add_script_rows` fill (a source
    the config does not name is greyed in the pane)."""
    config = make_config(tmp_path)
    samples = SourceConfig("Samples", path=SAMPLE.parent)
    return dataclasses.replace(config, sources=(*config.sources, samples))


def add_script_rows(store: Store) -> None:
    """The Hindi, Arabic and Thai samples in the store."""
    source = store.ensure_source("Samples", SourceKind.LOCAL, str(SAMPLE.parent))
    names = ("hi-water-harvesting.md", "ar-desert-library.md", "th-night-market.md")
    articles = [load_file(SAMPLE.parent / name)[0][0] for name in names]
    articles = [dataclasses.replace(a, published=None) for a in articles]
    store.record_refresh(source, articles, FetchOutcome(), now=NOW.timestamp())


@SIZES
def test_structured_article_with_image(
    snap_compare: Compare, new_app: AppFactory, store: Store, tmp_path: Path, size: tuple[int, int]
) -> None:
    add_sample(store)
    app = new_app(config=make_config(tmp_path, images="blocks"))
    assert snap_compare(app, terminal_size=size, run_before=after("g", "enter", "z", "space"))


def add_shapes(store: Store) -> None:
    """The shapes fixture in the store, undated (its age does not move)."""
    [article], _ = load_file(SHAPES)
    source = store.ensure_source("Notes", SourceKind.LOCAL, str(SHAPES.parent))
    articles = [dataclasses.replace(article, published=None)]
    store.record_refresh(source, articles, FetchOutcome(), now=NOW.timestamp())


@pytest.mark.parametrize(
    ("size", "keys"),
    [(WIDE, ()), (NARROW, ()), (NARROW, ("G",))],  # at 80 cells, the table a row at a time
    ids=["top-120x40", "top-80x24", "end-80x24"],
)
def test_shapes_of_a_testers_pages(
    snap_compare: Compare,
    new_app: AppFactory,
    store: Store,
    size: tuple[int, int],
    keys: tuple[str, ...],
) -> None:
    add_shapes(store)
    assert snap_compare(new_app(), terminal_size=size, run_before=after("g", "enter", "z", *keys))


@SIZES
def test_search_match_in_the_reader(
    snap_compare: Compare, new_app: AppFactory, store: Store, size: tuple[int, int]
) -> None:
    add_sample(store)
    keys = ("slash", *"sensors", "enter", "enter", "z")
    assert snap_compare(new_app(), terminal_size=size, run_before=after(*keys))


@SIZES
def test_rows_in_every_script(
    snap_compare: Compare, new_app: AppFactory, store: Store, tmp_path: Path, size: tuple[int, int]
) -> None:
    add_script_rows(store)
    app = new_app(config=with_samples(tmp_path))
    assert snap_compare(app, terminal_size=size, run_before=after())


@SIZES
def test_help_over_rows_in_every_script(
    snap_compare: Compare, new_app: AppFactory, store: Store, size: tuple[int, int]
) -> None:
    """The part of each row right of the help stays whole (Hindi rows too)."""
    add_script_rows(store)
    app = new_app(config=with_samples(PINNED_CONFIG))
    assert snap_compare(app, terminal_size=size, run_before=after("question_mark"))


@SIZES
def test_attachments_in_the_reader(
    snap_compare: Compare, new_app: AppFactory, store: Store, size: tuple[int, int]
) -> None:
    add_sample(store, ATTACHMENTS)
    keys = ("g", "enter", "z", "e", "down")  # several: e brings the cursor to the list
    assert snap_compare(new_app(), terminal_size=size, run_before=after(*keys))


@SIZES
def test_attachments_in_the_link_picker(
    snap_compare: Compare, new_app: AppFactory, store: Store, tmp_path: Path, size: tuple[int, int]
) -> None:
    add_sample(store, ATTACHMENTS)
    keys = ("g", "L", "down", "down", "down")  # the cursor on the second attachment
    app = new_app(config=with_samples(tmp_path))
    assert snap_compare(app, terminal_size=size, run_before=after(*keys))
