#!/usr/bin/env python3
"""Deterministic RSS 2.0 / Atom corpus generator for the reader benchmarks.

    python bench/gen_corpus.py OUTDIR                  # 200 feeds x 50 items
    python bench/gen_corpus.py OUTDIR --large          # 2000 feeds x 50 items (100k)
    python bench/gen_corpus.py OUTDIR --feeds 10 --items 5 --seed 7

Writes OUTDIR/feed_NNNN.xml (every 4th feed is Atom, the rest RSS 2.0) and OUTDIR/manifest.json
(file list, feed titles, item count). Same seed -> same bytes.

Ported from the shared reference harness (/work/shared/bench/gen_corpus.py, standard library
only) so that CI can run on a clean clone; the output is byte-identical to the reference for the
same arguments, so figures are comparable with the reference numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

# Small multilingual vocabulary drawn with Zipf-like weights, so words have a realistic spread
# of frequencies (useful for search benchmarks).
WORDS = {
    "en": "the of and to in a is that for it as was with be by on not he this are or his from at "
    "which but have an they you were her all she there would their we him been has when who will "
    "more no if out so said what up its about into than them can only other new some could time "
    "these two may then do first any my now such like our over man me even most made after also "
    "did many before must through back years where much your way well down should because each "
    "just those people how too little state good very make world still own see men work long get "
    "here between both life being under never day same another know while last might us great "
    "old year off come since against go came right used take three network kernel database "
    "market election climate research energy startup policy security browser protocol satellite "
    "vaccine budget league festival museum archive terminal compiler latency bandwidth zephyr "
    "quasar",
    "fr": "le la les de des un une et est dans pour sur avec pas plus été être année déjà très "
    "économie société élection français réseau sécurité médecin théâtre marché étudiant première "
    "île fenêtre ça voilà garçon château forêt",
    "de": "der die das und ist nicht mit für auf über größer Straße müssen können Bücher schön "
    "Mädchen Grüße Wärme Gebäude Regierung Forschung Wirtschaft Universität Brücke Käse",
    "es": "el la los las de y en que por para con año niño señor corazón información económico "
    "política educación mañana jamón está también",
}
VOCAB = {lang: ws.split() for lang, ws in WORDS.items()}
WEIGHTS = {lang: [1.0 / (i + 1) for i in range(len(ws))] for lang, ws in VOCAB.items()}
LANGS = ["en"] * 6 + ["fr", "de", "es"]  # mostly English, some accented text
FIRST = "Alice Bob Chloé José Jürgen Mei Olu Priya Sven Zoë".split()
LAST = "Smith Müller Dubois García Nakamura Okafor Novák Larsen Rossi Ødegaard".split()
BASE_TIME = datetime(2024, 1, 1, tzinfo=UTC)
NEEDLE = "xylophone"  # rare word (about 1 paragraph in 500) for search benchmarks


def words(rng: random.Random, lang: str, n: int) -> list[str]:
    """n words of `lang`, Zipf-weighted."""
    return rng.choices(VOCAB[lang], WEIGHTS[lang], k=n)


def sentence(rng: random.Random, lang: str) -> str:
    """A capitalised sentence of 8-20 words."""
    w = words(rng, lang, rng.randint(8, 20))
    return " ".join(w).capitalize() + "."


def paragraph(rng: random.Random, lang: str) -> str:
    """One HTML paragraph with occasional markup."""
    p = " ".join(sentence(rng, lang) for _ in range(rng.randint(2, 5)))
    if rng.random() < 0.3:
        ref = rng.randrange(10**6)
        p += f' <a href="https://example.org/ref/{ref}">{words(rng, lang, 1)[0]}</a>'
    if rng.random() < 0.2:
        p = f"<em>{words(rng, lang, 1)[0]}</em> " + p
    if rng.random() < 0.002:
        p += f" {NEEDLE}"
    return f"<p>{p}</p>"


def html_body(rng: random.Random, lang: str) -> str:
    """4-10 HTML paragraphs, roughly 1-3 KB."""
    return "\n".join(paragraph(rng, lang) for _ in range(rng.randint(4, 10)))


def make_feed(rng: random.Random, fi: int, n_items: int) -> tuple[str, str, str, list[dict]]:
    """(language, title, site, items) of feed number `fi`."""
    lang = rng.choice(LANGS)
    title = f"Feed {fi:04d} {' '.join(words(rng, lang, 2)).title()}"
    site = f"https://site{fi:04d}.example.com"
    items = []
    for ii in range(n_items):
        when = BASE_TIME - timedelta(minutes=fi * 7 + ii * 97 + rng.randrange(60))
        items.append(
            {
                "title": sentence(rng, lang)[:-1][:90],
                "link": f"{site}/posts/{ii}",
                "guid": f"{site}/guid/{fi:04d}-{ii:04d}",
                "date": when,
                "author": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                "body": html_body(rng, lang),
            }
        )
    return lang, title, site, items


def rss(lang: str, title: str, site: str, items: list[dict]) -> str:
    """An RSS 2.0 document."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>{site}</link><language>{lang}</language>",
        f"<description>Synthetic feed {escape(title)}</description>",
    ]
    for it in items:
        out.append(
            f"<item><title>{escape(it['title'])}</title><link>{it['link']}</link>"
            f'<guid isPermaLink="false">{it["guid"]}</guid>'
            f"<pubDate>{format_datetime(it['date'])}</pubDate>"
            f"<author>{escape(it['author'])}</author>"
            f"<description>{escape(it['body'])}</description></item>"
        )
    out.append("</channel></rss>\n")
    return "\n".join(out)


def atom(lang: str, title: str, site: str, items: list[dict]) -> str:
    """An Atom document."""
    upd = max(it["date"] for it in items).isoformat() if items else BASE_TIME.isoformat()
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
        f'<title>{escape(title)}</title><link href="{site}"/><id>{site}/</id>'
        f"<updated>{upd}</updated>",
    ]
    for it in items:
        out.append(
            f'<entry><title>{escape(it["title"])}</title><link href="{it["link"]}"/>'
            f"<id>{it['guid']}</id><updated>{it['date'].isoformat()}</updated>"
            f"<author><name>{escape(it['author'])}</name></author>"
            f'<content type="html">{escape(it["body"])}</content></entry>'
        )
    out.append("</feed>\n")
    return "\n".join(out)


def generate(outdir: str, feeds: int, items: int, seed: int = 42) -> dict:
    """Write the corpus and its manifest; returns the manifest."""
    os.makedirs(outdir, exist_ok=True)
    manifest: dict = {"seed": seed, "feeds": [], "items": feeds * items}
    for fi in range(feeds):
        rng = random.Random(f"{seed}-{fi}")  # per-feed stream: feeds independent of N
        lang, title, site, its = make_feed(rng, fi, items)
        name = f"feed_{fi:04d}.xml"
        kind = "atom" if fi % 4 == 3 else "rss"
        doc = (atom if kind == "atom" else rss)(lang, title, site, its)
        with open(os.path.join(outdir, name), "w", encoding="utf-8") as f:
            f.write(doc)
        manifest["feeds"].append({"file": name, "title": title, "format": kind})
    with open(os.path.join(outdir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
    return manifest


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("outdir")
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--large", action="store_true", help="shortcut for --feeds 2000 --items 50")
    a = ap.parse_args()
    if a.large:
        a.feeds, a.items = 2000, 50
    manifest = generate(a.outdir, a.feeds, a.items, a.seed)
    print(f"wrote {a.feeds} feeds, {manifest['items']} items to {a.outdir}")


if __name__ == "__main__":
    main()
