"""Hostile strings through every door (feed, file content, file name, config, command line,
server): what is stored and printed holds no escape sequence, control or bidi character, and
no lone surrogate; one bad string never costs the other items."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, rss
from tui.cli import main

OSC52 = "\x1b]52;c;aGVsbG8=\x07"
HOSTILE = f"{OSC52}\x1b[2J\x9b31m\x85\u202e\u2066\ud800"
# What must never come out: ESC, BEL, other C0 (but tab/newline), DEL, C1, bidi controls,
# lone surrogates (the U+FFFD that replaces one is fine).
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out + err


def assert_clean(text: str) -> None:
    found = UNSAFE.findall(text)
    assert not found, f"unsafe characters reached the output: {found!r}"
    assert "Traceback" not in text


def test_file_names_contents_and_import_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    # An .html without <title> is titled by its file name; this one is an OSC 52 + clear screen.
    (folder / f"{OSC52}\x1b[2Jevil.html").write_text("<p>Body text here.</p>", encoding="utf-8")
    escapes = HOSTILE.replace("\ud800", "")  # a UTF-8 file cannot hold a lone surrogate
    body = "words " * 300  # a few escapes in real text: a hostile file, not a binary one
    (folder / "text.txt").write_text(f"Title {escapes}\n\n{body}{escapes} end.\n", "utf-8")
    (folder / "front.md").write_text('---\ntitle: "Front \\ud800 \\e[2J"\n---\n\nBody.\n', "utf-8")
    (folder / os.fsdecode(b"caf\xe9.txt")).write_bytes(b"Cafe title\n\nLatin-1 name.\n")
    code, out = run(capsys, "import", str(folder), "--name", f"Mine{HOSTILE}")
    assert code == 0 and "4 new articles" in out
    assert_clean(out)
    code, out = run(capsys, "list", "--json")
    assert_clean(out)
    rows = json.loads(out)
    assert {row["source"] for row in rows} == {"Mine \ufffd"}  # NEL breaks the line: a space
    assert "evil" in {row["title"] for row in rows}
    code, out = run(capsys, "sources", "--json")
    assert_clean(out)


def test_feed_and_server_strings(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    items = "".join(
        f"<item><title>{title}</title><guid>{n}</guid><description>{body}</description></item>"
        for n, (title, body) in enumerate(
            [("Bad &#x1b;[2J &#xD800; one", "x&#xDFFF;y &#x9b;31m"), ("Good", "fine")]
        )
    )
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Feed &#x1b;]52;c;aGk=&#x7; &#xD800;</title>{items}</channel></rss>"
    ).encode()
    url = feed_server.feed("/f.xml", feed)
    moved = feed_server.redirect("/moved", "/f.xml\x1b[2J", status=302)
    config = tmp_path / "config" / "feeds.toml"
    code, out = run(capsys, "feeds", "add", url, "--tag", f"t{HOSTILE}")
    assert code == 0
    assert_clean(out + config.read_text(encoding="utf-8"))
    config.write_text(
        config.read_text(encoding="utf-8") + f'\n[[sources]]\nname = "Moved"\nurl = "{moved}"\n',
        encoding="utf-8",
    )
    code, out = run(capsys, "refresh")
    assert_clean(out)
    code, out = run(capsys, "list", "--json")
    assert_clean(out)
    titles = sorted(row["title"] for row in json.loads(out))
    assert titles == ["Bad \ufffd one", "Good"]  # the surrogate cost its item nothing
    code, out = run(capsys, "sources")
    assert_clean(out)


def test_a_config_path_with_escapes_is_shown_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], feed_server: FeedServer
) -> None:
    config = tmp_path / f"feeds{OSC52}\x1b[31m.toml"
    url = feed_server.feed("/f.xml", rss("Feed", [("Story", "Text.")]))
    base = ("--config", str(config), "--cache", str(tmp_path / "cache"))
    outputs = [
        run(capsys, *base, "rules", "list"),
        run(capsys, *base, "feeds", "add", url, "--name", "Feed"),
        run(capsys, *base, "feeds", "remove", "Feed"),
    ]
    opml = tmp_path / "in.opml"
    opml.write_text(f'<opml><body><outline text="Feed" xmlUrl="{url}"/></body></opml>')
    outputs.append(run(capsys, *base, "feeds", "import", str(opml)))
    for code, out in outputs:
        assert code == 0, out
        assert_clean(out)
        assert "feeds\\x1b]52;c;aGVsbG8=\\x07\\x1b[31m.toml" in out


def test_feeds_import_and_export_show_the_file_names_they_were_given_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # newsboat's urls file names each skipped line by the file's name; the export names its
    # target: both were printed raw (an OSC set the window title, a CSI cleared the screen).
    urls = tmp_path / f"urls{OSC52}\x1b[2J"
    urls.write_text("exec:foo\nhttps://a.example/feed\n", encoding="utf-8")
    code, out = run(capsys, "feeds", "import", "--newsboat", str(urls))
    assert code == 0, out
    assert_clean(out)
    assert "skipped: urls\\x1b]52;c;aGVsbG8=\\x07\\x1b[2J:1" in out
    target = tmp_path / f"out{OSC52}.opml"
    code, out = run(capsys, "feeds", "export", str(target))
    assert code == 0, out
    assert_clean(out)
    assert "out\\x1b]52;c;aGVsbG8=\\x07.opml" in out


def test_a_link_with_an_escape_sequence_is_stored_encoded_and_exported_as_such(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two items without guids, one linking to `…/a ESC[31m b`, the other to `…/ab`: both are
    # stored (dedupe by link keeps them apart), each time the feed is read, and the encoded
    # link is what `list` and the exports give: never the escape, never the other link.
    items = "".join(
        f"<item><title>{title}</title><link>{link}</link><description>{title} text.</description>"
        "</item>"
        for title, link in [
            ("Tinted", "https://example.com/a&#x1b;[31mb"),
            ("Plain", "https://example.com/ab"),
        ]
    )
    feed = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>'
    )
    url = feed_server.feed("/f.xml", feed.encode())
    assert run(capsys, "feeds", "add", url, "--name", "Feed")[0] == 0
    for _ in range(2):
        code, out = run(capsys, "refresh")
        assert code == 0
        assert_clean(out)
    code, out = run(capsys, "list", "--json")
    assert_clean(out)
    links = {row["title"]: row["url"] for row in json.loads(out)}
    assert links == {"Tinted": "https://example.com/a%1B[31mb", "Plain": "https://example.com/ab"}
    for form, output in (("md", tmp_path / "md"), ("html", tmp_path / "page.html")):
        assert (
            run(capsys, "export", "source:Feed", "--format", form, "--output", str(output))[0] == 0
        )
        files = output.glob("*.md") if output.is_dir() else [output]
        written = "".join(p.read_text(encoding="utf-8") for p in files)
        assert_clean(written)
        # In an HTML href, `[` is encoded too: what a URI may hold there.
        assert ("https://example.com/a%1B" + ("[31mb" if form == "md" else "%5B31mb")) in written


def one_item_feed(
    feed_server: FeedServer, capsys: pytest.CaptureFixture[str], item: dict[str, str]
) -> int:
    """A JSON Feed of `item` subscribed to as "Feed" and refreshed: the article's id."""
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "F", "items": [item]}
    url = feed_server.feed("/f.json", json.dumps(feed).encode(), content_type="application/json")
    assert run(capsys, "feeds", "add", url, "--name", "Feed")[0] == 0
    assert run(capsys, "refresh")[0] == 0
    (row,) = json.loads(run(capsys, "list", "--json")[1])
    return int(row["id"])


def test_a_link_in_a_body_keeps_its_escape_sequence_encoded_in_show_and_exports(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # A body linking to `…/a ESC[31m b` and to `…/ab`: two links, as `show` lists them and the
    # exports write them; the escape is encoded, never deleted, never raw on the terminal.
    body = (
        '<p>\u001b[31mTinted\u001b[0m <a href="https://example.com/a\u001b[31mb">one</a> and '
        '<a href="https://example.com/ab">two</a>.</p>'
    )
    article = one_item_feed(
        feed_server, capsys, {"id": "1", "title": "Links", "content_html": body}
    )
    code, out = run(capsys, "show", str(article))
    assert code == 0
    assert_clean(out)
    assert "Tinted one [1] and two [2]." in out
    assert "[1] https://example.com/a%1B[31mb\n[2] https://example.com/ab\n" in out
    output = tmp_path / "page.html"
    assert run(capsys, "export", "source:Feed", "--format", "html", "--output", str(output))[0] == 0
    written = output.read_text(encoding="utf-8")
    assert_clean(written)
    assert "https://example.com/a%1B%5B31mb" in written  # `[` too, as a URI holds it


UNSEEN = {"\u2028": "%E2%80%A8", "\u2029": "%E2%80%A9", "\u00ad": "%C2%AD", "\u00a0": "%C2%A0"}
UNSEEN |= {"\u3000": "%E3%80%80", "\u200a": "%E2%80%8A", "\ufe0f": "%EF%B8%8F"}


def test_a_link_holding_an_invisible_space_or_line_break_keeps_it_encoded(
    feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Kept raw, the reader drew `…/ab` while the browser got `…/a<U+2028>b`, `show` printed
    # the U+2028 as it is, and an item's link was stored with a space in its place.
    items = "".join(
        f"<item><title>T{n}</title><link>https://example.com/a&#x{ord(char):x};b</link>"
        f'<enclosure url="https://example.com/m&#x{ord(char):x};.mp3" type="audio/mpeg"/>'
        f"<description>&lt;a href='https://example.com/x&#x{ord(char):x};y'&gt;one&lt;/a&gt;"
        f"&lt;img src='https://example.com/i&#x{ord(char):x};.png' alt='pic'&gt;</description>"
        "</item>"
        for n, char in enumerate(UNSEEN)
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}'
    feed += "</channel></rss>"
    url = feed_server.feed("/f.xml", feed.encode())
    assert run(capsys, "feeds", "add", url, "--name", "Feed")[0] == 0
    assert run(capsys, "refresh")[0] == 0
    rows = sorted(json.loads(run(capsys, "list", "--json")[1]), key=lambda row: row["title"])
    for row, code in zip(rows, UNSEEN.values(), strict=True):
        assert row["url"] == f"https://example.com/a{code}b"
        out = run(capsys, "show", str(row["id"]))[1]
        assert f"[1] https://example.com/x{code}y\n[2] https://example.com/i{code}.png\n" in out
        assert f"    https://example.com/m{code}.mp3\n" in out


LOOKALIKE = "http://раураl.com/pay"  # Cyrillic but its `l`: in punycode, as a browser shows it
PUNY = "http://xn--l-7sba6dbr.com/pay"


def test_a_lookalike_host_is_shown_in_punycode_and_a_cyrillic_one_stays_readable(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    body = f"<a href='{LOOKALIKE}'>pay</a> <a href='https://пример.рф/'>рф</a>"
    item = {"id": "1", "title": "Pay", "url": LOOKALIKE, "content_html": body}
    article = one_item_feed(feed_server, capsys, item)
    (row,) = json.loads(run(capsys, "list", "--json")[1])
    assert row["url"] == PUNY
    out = run(capsys, "show", str(article))[1]
    assert f"\n{PUNY}\n" in out and f"[1] {PUNY}\n[2] https://пример.рф/\n" in out
    shown = json.loads(run(capsys, "show", str(article), "--json")[1])
    assert shown["links"] == [PUNY, "https://пример.рф/"]
    output = tmp_path / "page.html"
    assert run(capsys, "export", "source:Feed", "--format", "html", "--output", str(output))[0] == 0
    written = output.read_text(encoding="utf-8")
    assert "раураl" not in written and f'href="{PUNY}"' in written


DEEP = {
    "divs": "<div>" * 100_000 + "inner" + "</div>" * 100_000,
    "quotes": "<blockquote>" * 5_000 + "inner" + "</blockquote>" * 5_000,
    "lists": "<ul><li>" * 3_000 + "inner" + "</li></ul>" * 3_000,
}


@pytest.mark.parametrize("nested", DEEP)
def test_html_nested_past_the_parsers_depth_keeps_the_text_after_it(
    feed_server: FeedServer, capsys: pytest.CaptureFixture[str], nested: str
) -> None:
    # libxml2 stops at 256 levels: the text after them was lost ("end" never shown).
    body = f"<p>start</p>{DEEP[nested]}<p>end</p>"
    article = one_item_feed(feed_server, capsys, {"id": "1", "title": "Deep", "content_html": body})
    code, out = run(capsys, "show", str(article))
    assert code == 0
    words = out.split()
    assert words.index("start") < words.index("inner") < words.index("end")
