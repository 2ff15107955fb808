#!/usr/bin/env python3
"""Issue 17: opening a 40-minute article with 10 images in the reader.

    python bench/reader_bench.py [--reps 7] [--words 9200] [--images 10] [--mode blocks]

A cache with two such articles (9,200 words: headings, lists, quotes, code, a table, and 10
local 1200x800 PNG images) is built in a temporary folder. Textual Pilot (headless, 120x40)
opens them in turn. Per open: `show` (the time the UI thread is blocked by `Reader.show`),
`text on screen` (until the body built in its worker is swapped in, laid out and painted, with
image placeholders of the pictures' height), `images drawn` (until every picture is decoded,
drawn into its rows and painted), the `longest stall` until the text, and until the images,
are on screen (the longest time the event loop did not run a ticking task: what a key press
could have waited), and the `longest UI-thread CPU burst` (the CPU time of the longest
event-loop callback: that stall without the time other processes and threads held the CPU).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageDraw  # noqa: E402

from tui.config import Config, Settings  # noqa: E402
from tui.models import Article, FetchOutcome, SourceKind  # noqa: E402
from tui.store import Store, View  # noqa: E402
from tui.ui import make_app  # noqa: E402

SENTENCE = "The harbour sensors record the water level every ten seconds for the dashboard. "


def make_images(folder: Path, count: int) -> list[str]:
    """`count` distinct 1200x800 PNGs; their file:// URLs."""
    urls = []
    for index in range(count):
        image = Image.new("RGB", (1200, 800), (20 * index % 255, 80, 140))
        ImageDraw.Draw(image).ellipse([100 + 40 * index, 100, 700, 700], fill=(240, 200, 60))
        path = folder / f"image-{index}.png"
        image.save(path)
        urls.append(path.as_uri())
    return urls


def long_body(words: int, images: list[str]) -> str:
    """A structured article of about `words` words with the images spread through it."""
    per_sentence = len(SENTENCE.split())
    sections = max(len(images), 1)
    sentences = max(1, words // per_sentence // sections)
    parts = []
    for number in range(sections):
        parts.append(f"## Part {number + 1}")
        parts.append((SENTENCE * (sentences // 2)).strip())
        parts.append("- first point\n- second point\n- third point")
        parts.append("> A quoted remark about the *tides* and the **sensors**.")
        parts.append("    depth = pressure / (density * g)\n    print(depth)")
        parts.append("Station | Depth\nNorth | 4.2\nSouth | 3.9")
        if number < len(images):
            parts.append(f"[image: figure {number + 1}] [{number + 1}]")
        parts.append((SENTENCE * (sentences - sentences // 2)).strip())
    return "\n\n".join(parts)


def build(folder: Path, words: int, count: int) -> Store:
    store = Store.open(folder / "cache" / "newsdesk.db")
    source = store.ensure_source("Bench", SourceKind.LOCAL, str(folder))
    urls = make_images(folder, count)
    body = long_body(words, urls)
    articles = []
    for n in (1, 2):
        # The reader draws a local note's images only from the note's own folder.
        note = folder / f"long-{n}.md"
        note.write_text(body, encoding="utf-8")
        articles.append(
            Article(title=f"Long read {n}", body=body, guid=f"file:{note}", links=tuple(urls))
        )
    store.record_refresh(source, articles, FetchOutcome(), now=2 * 10**9)
    return store


async def tick(stalls: list[float]) -> None:
    """Note how late the event loop runs a task that asks to run every millisecond."""
    while True:
        before = time.perf_counter()
        await asyncio.sleep(0.001)
        stalls.append(time.perf_counter() - before - 0.001)


class Bursts:
    """The longest CPU time the UI thread spent in one event-loop callback, while `on`: the
    stall a key press would meet on an idle machine (wall-clock stalls also hold the time
    other processes and the workers' threads took the CPU)."""

    def __init__(self) -> None:
        self.on, self.longest = False, 0.0
        run = asyncio.events.Handle._run

        def timed(handle: asyncio.events.Handle) -> None:
            before = time.thread_time()
            run(handle)
            if self.on:
                self.longest = max(self.longest, time.thread_time() - before)

        asyncio.events.Handle._run = timed  # type: ignore[method-assign,assignment]

    def start(self) -> None:
        self.on, self.longest = True, 0.0


async def measure(store: Store, reps: int, mode: str, folder: Path) -> dict[str, list[float]]:
    config = Config(path=folder / "feeds.toml", settings=Settings(refresh_minutes=0, images=mode))
    app = make_app(config, store, refresh_on_start=False)
    names = [
        "show",
        "text on screen",
        "images drawn",
        "longest stall, to text",
        "longest stall, to images",
        "longest UI-thread CPU burst, to text",
        "longest UI-thread CPU burst, to images",
    ]
    bursts = Bursts()
    timings: dict[str, list[float]] = {name: [] for name in names}
    ids = [row.id for row in store.page(View())]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        reader = app.screen.query_one("#reader")
        for rep in range(reps + 1):
            detail = store.article(ids[rep % 2])
            assert detail is not None
            stalls: list[float] = []
            ticker = asyncio.create_task(tick(stalls))
            await asyncio.sleep(0)
            bursts.start()
            start = time.perf_counter()
            reader.show(detail)  # type: ignore[attr-defined]
            shown = time.perf_counter()
            while reader.laying_out:  # type: ignore[attr-defined]
                await asyncio.sleep(0.001)  # pilot.pause() would wait for the app to be idle
            painted = time.perf_counter()
            text_stall, text_burst = max(stalls, default=0.0), bursts.longest
            body = reader.body  # type: ignore[attr-defined]
            while len(body.pictures.files) < len(detail.links) or body.waiting:
                await asyncio.sleep(0.001)
            await pilot.pause()
            drawn = time.perf_counter()
            ticker.cancel()
            bursts.on = False
            if rep:  # the first open warms imports and caches
                timings["show"].append((shown - start) * 1000)
                timings["text on screen"].append((painted - start) * 1000)
                timings["images drawn"].append((drawn - start) * 1000)
                timings["longest stall, to text"].append(text_stall * 1000)
                timings["longest stall, to images"].append(max(stalls, default=0.0) * 1000)
                timings["longest UI-thread CPU burst, to text"].append(text_burst * 1000)
                timings["longest UI-thread CPU burst, to images"].append(bursts.longest * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--words", type=int, default=9200)
    parser.add_argument("--images", type=int, default=10)
    parser.add_argument("--mode", default="blocks", choices=("auto", "blocks", "off"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = build(folder, args.words, args.images)
        timings = asyncio.run(measure(store, args.reps, args.mode, folder))
        store.close()
    print(f"reader open, {args.words} words, {args.images} images, mode {args.mode}, 120x40")
    print("| measure | min (ms) | median (ms) | max (ms) |\n|---|---|---|---|")
    for name, values in timings.items():
        low, mid, high = min(values), statistics.median(values), max(values)
        print(f"| {name} | {low:.1f} | {mid:.1f} | {high:.1f} |")


if __name__ == "__main__":
    main()
