"""OPML from real readers' exports in, OPML 2.0 out; hostile and broken files change nothing."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from tests.interop import feeds_cli
from tui.config import load_config
from tui.interop import InteropError
from tui.interop.opml import export_opml, import_opml, parse_opml

FIXTURES = Path(__file__).parent.parent / "fixtures" / "opml"

CONFIG = """\
# Hand-written config: these comments must survive an import.
[settings]
refresh_minutes = 30  # half an hour

[[sources]]
name = "Existing Name"
url = "https://existing.example/feed"

[[sources]]
name = "Already"
url = "https://already.example/rss"

# Saved searches.
[[searches]]
name = "All news"
query = "tag:News"
"""

ARS = "https://feeds.arstechnica.com/arstechnica/index"


def feeds(name: str) -> list[tuple[str, str, tuple[str, ...]]]:
    found = parse_opml((FIXTURES / name).read_bytes(), name)
    return [(f.name, f.url, f.tags) for f in found.feeds]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "conf" / "feeds.toml"
    path.parent.mkdir()
    path.write_text(CONFIG, encoding="utf-8")
    return path


# -- readers' export formats ----------------------------------------------------------------


def test_feedly_lists_a_feed_per_folder_and_it_becomes_one_source_with_both_tags() -> None:
    assert feeds("feedly.opml") == [
        ("Ars Technica", ARS, ("Tech", "News")),
        ("The Verge - All Posts", "https://www.theverge.com/rss/index.xml", ("Tech",)),
        ("BBC News - World", "http://feeds.bbci.co.uk/news/world/rss.xml", ("News",)),
    ]
    found = parse_opml((FIXTURES / "feedly.opml").read_bytes())
    assert found.title == "Alex subscriptions in feedly Cloud"
    assert found.skipped == [
        f"OPML:14: Ars Technica ({ARS}): listed again in the file (first as 'Ars Technica'): "
        "one feed, with the tags of both"
    ]


def test_inoreader_folder_with_an_escaped_ampersand() -> None:
    assert feeds("inoreader.xml") == [
        (
            "NASA Breaking News",
            "https://www.nasa.gov/rss/dyn/breaking_news.rss",
            ("Science & Space",),
        ),
        ("Quanta Magazine", "https://api.quantamagazine.org/feed/", ("Science & Space",)),
        ("xkcd.com", "https://xkcd.com/rss.xml", ()),
    ]


def test_netnewswire_opml_1_1_with_a_comment_and_json_feed() -> None:
    assert feeds("netnewswire.opml") == [
        ("Daring Fireball", "https://daringfireball.net/feeds/main", ()),
        ("Six Colors", "https://feedpress.me/sixcolors", ("Apple",)),
        ("Michael Tsai", "https://mjtsai.com/blog/feed/", ("Apple",)),
        ("JSON Feed", "https://www.jsonfeed.org/feed.json", ()),
    ]


def test_miniflux_opml_2_without_type_attributes() -> None:
    assert feeds("miniflux.opml") == [
        ("Hacker News: Front Page", "https://hnrss.org/frontpage", ("All",)),
        ("LWN.net", "https://lwn.net/headlines/rss", ("Linux",)),
    ]


def test_newsboat_export_is_flat_and_an_empty_title_falls_back_to_the_url() -> None:
    assert feeds("newsboat-export.opml") == [
        ("The Linux Kernel Archives", "https://www.kernel.org/feeds/kdist.xml", ()),
        ("Planet Debian", "https://planet.debian.org/rss20.xml", ()),
        ("example.org/untitled.xml", "https://example.org/untitled.xml", ()),
    ]


def test_opml_1_0_latin1_url_attribute_feed_scheme_and_non_feeds() -> None:
    found = parse_opml((FIXTURES / "opml1.opml").read_bytes(), "opml1.opml")
    assert [(f.name, f.url) for f in found.feeds] == [
        ("CNET News.com", "http://news.com.com/2547-1_3-0-5.xml"),
        ("Café Babel", "http://example.com/cafe.xml"),
        ("Scripting News", "http://scripting.com/rss.xml"),
    ]
    assert found.skipped == [
        "opml1.opml:12: Dave home page: a web link, not a feed",
        "opml1.opml:13: Gopher hole (gopher://example.org/feed): "
        "only http and https feeds can be added",
    ]


def test_a_feed_outline_without_an_address_is_told() -> None:
    opml = b"""<opml version="2.0"><body><outline type="rss" text="Lost feed"/>
    <outline type="atom"/><outline text="A folder, empty"/></body></opml>"""
    found = parse_opml(opml)
    assert found.feeds == []
    assert found.skipped == [
        "OPML:1: Lost feed: a feed without an xmlUrl",
        "OPML:2: an untitled outline: a feed without an xmlUrl",
    ]


def test_nested_folders_become_tags_outermost_first_and_categories_add_more() -> None:
    assert feeds("nested.opml") == [
        ("LWN.net", "https://lwn.net/headlines/rss", ("Reading", "Tech", "Linux")),
        ("Ars Technica", ARS, ("Reading", "Tech", "daily", "en")),
        ("Top level", "https://example.org/top.xml", ()),
    ]


# -- importing into the config --------------------------------------------------------------


def test_import_adds_feeds_keeps_comments_and_the_config_loads(config: Path) -> None:
    report = import_opml(config, FIXTURES / "nested.opml")
    assert report.added == ["LWN.net", "Ars Technica", "Top level"]
    text = config.read_text(encoding="utf-8")
    for comment in ("# Hand-written config", "# half an hour", "# Saved searches."):
        assert comment in text
    assert text.index("# Saved searches.") > text.index('name = "Top level"')
    loaded = load_config(config)
    assert loaded.source("LWN.net") is not None
    assert loaded.source("LWN.net").tags == ("Reading", "Tech", "Linux")  # type: ignore[union-attr]
    assert loaded.searches[0].name == "All news"


def test_importing_twice_adds_nothing_the_second_time(config: Path) -> None:
    import_opml(config, FIXTURES / "feedly.opml")
    before = config.read_bytes()
    report = import_opml(config, FIXTURES / "feedly.opml")
    assert report.added == []
    assert len(report.skipped) == 4  # the repeat inside the file and the three feeds
    assert config.read_bytes() == before


def test_duplicates_are_skipped_and_reported_and_taken_names_renamed(config: Path) -> None:
    report = import_opml(config, FIXTURES / "duplicates.opml")
    assert report.added == ["Same feed", "Existing Name (2)"]
    assert report.skipped == [
        "duplicates.opml:9: Same feed again (https://dup.example/feed.xml): listed again in the "
        "file (first as 'Same feed'): one feed, with the tags of both",
        "duplicates.opml:11: Already configured (http://already.example/rss/): same feed as "
        "'Already'",  # its line too, as every other skip has (it had none)
    ]
    assert load_config(config).source("Same feed").tags == ("One", "Two")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("malformed.opml", r"malformed\.opml:6: malformed OPML: .*"),
        ("entity-bomb.opml", r"refused: the OPML declares XML entities"),
        ("xxe.opml", r"refused: the OPML declares XML entities"),
    ],
)
def test_malformed_and_hostile_files_change_nothing(
    config: Path, fixture: str, message: str
) -> None:
    started = time.monotonic()
    with pytest.raises(InteropError, match=message):
        import_opml(config, FIXTURES / fixture)
    assert time.monotonic() - started < 2
    assert config.read_text(encoding="utf-8") == CONFIG


def test_html_entities_an_exporter_wrote_are_read_and_told(
    config: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    opml = tmp_path / "export.opml"
    opml.write_bytes(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<opml version="1.0"><body>\n'
        b'<outline text="Caf&eacute; &amp; Cr&egrave;me" type="rss" xmlUrl="https://cafe.example/rss"/>'
        b"\n</body></opml>"
    )
    code, out, _ = feeds_cli(
        monkeypatch, capsys, "--config", str(config), "feeds", "import", str(opml)
    )
    assert code == 0
    assert "+ Café & Crème" in out
    assert "note: HTML entities (&eacute;, &egrave;) read as the characters they name" in out
    assert load_config(config).source("Café & Crème") is not None


def test_characters_xml_forbids_are_replaced_and_told_and_the_import_goes_on(
    config: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # One `&#x1b;` (copied from a feed's colored title) refused the whole file.
    opml = tmp_path / "export.opml"
    opml.write_bytes(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><body>\n'
        b'<outline text="Red&#x1b;[31m &#0;Alert&#x7;" xmlUrl="https://red.example/rss"/>\n'
        b'<outline text="Wire" xmlUrl="https://wire.example/f&#x1b;eed"/>\n'
        b'<outline text="Nul" xmlUrl="https://nul.example/&#0;"/>\n'
        b'<outline text="Bell" xmlUrl="https://bell.example/&#x7;"/>\n'
        b'<outline text="Raw\x1bbyte &#xe9; &#x1F600;" xmlUrl="https://raw.example/rss"/>\n'
        b"</body></opml>"
    )
    code, out, _ = feeds_cli(
        monkeypatch, capsys, "--config", str(config), "feeds", "import", str(opml)
    )
    assert code == 0
    invalid = "not a valid URL (spaces or control characters)"
    assert out.splitlines()[:6] == [
        "+ Red\ufffd[31m \ufffdAlert\ufffd",
        "+ Raw\ufffdbyte é 😀",
        f"skipped: export.opml:4: Wire (https://wire.example/f\ufffdeed): {invalid}",
        f"skipped: export.opml:5: Nul (https://nul.example/\ufffd): {invalid}",
        f"skipped: export.opml:6: Bell (https://bell.example/\ufffd): {invalid}",
        "note: characters XML forbids (&#x1b;, &#0;, &#x7;) replaced with U+FFFD (\ufffd)",
    ]
    loaded = load_config(config)  # never a URL with a character silently gone
    assert [s.url for s in loaded.sources[-2:]] == [
        "https://red.example/rss",
        "https://raw.example/rss",
    ]


@pytest.mark.parametrize(
    ("declaration", "said"),
    [("", "declares none"), ('<?xml version="1.0" encoding="UTF-8"?>\n', "declares UTF-8")],
)
def test_a_legacy_encoding_the_file_does_not_declare_is_read_and_told(
    declaration: str, said: str
) -> None:
    text = (
        f'{declaration}<opml version="2.0"><head><title>Abonnements été</title></head><body>'
        '<outline text="Économie française" type="rss" xmlUrl="https://eco.example/rss"/>'
        "</body></opml>"
    )
    found = parse_opml(text.encode("cp1252"), "abonnements.opml")
    assert [feed.name for feed in found.feeds] == ["Économie française"]
    assert found.title == "Abonnements été"
    assert found.notices == [f"read as cp1252: the file is not UTF-8 and {said}"]


def test_an_escape_sequence_in_the_declared_encoding_never_reaches_the_notice() -> None:
    outlines = "".join(
        f'<outline text="Économie {n}" type="rss" xmlUrl="https://eco.example/{n}"/>'
        for n in range(300)  # enough text that one escape does not make it look binary
    )
    declaration = '<?xml version="1.0" encoding="x\x1b]0;pwned\x07evil"?>'
    text = f"{declaration}<opml><body>{outlines}</body></opml>"
    found = parse_opml(text.encode("latin-1"))
    assert len(found.feeds) == 300
    [notice] = found.notices
    assert notice.endswith("declares xevil")  # the title-setting sequence taken out whole


def test_a_declared_legacy_encoding_is_read_without_a_notice() -> None:
    text = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><opml version="2.0"><body>'
        '<outline text="Caf&eacute; crème" type="rss" xmlUrl="https://cafe.example/rss"/>'
        "</body></opml>"
    )
    found = parse_opml(text.encode("latin-1"))
    assert [feed.name for feed in found.feeds] == ["Café crème"]
    assert found.notices == ["HTML entities (&eacute;) read as the characters they name"]


def test_an_entity_no_one_defines_is_still_malformed(config: Path, tmp_path: Path) -> None:
    opml = tmp_path / "odd.opml"
    opml.write_bytes(
        b'<opml><body>\n<outline text="&caf;" xmlUrl="https://x.example/"/></body></opml>'
    )
    with pytest.raises(
        InteropError, match=r"odd\.opml:2: malformed OPML: Entity 'caf' not defined"
    ):
        import_opml(config, opml)
    assert config.read_text(encoding="utf-8") == CONFIG


def test_entities_in_a_utf16_file_are_refused_after_parsing() -> None:
    data = (FIXTURES / "xxe.opml").read_text().replace('<?xml version="1.0"?>', "")
    with pytest.raises(InteropError, match="declares XML entities"):
        parse_opml(data.encode("utf-16"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "malformed OPML"),
        (b"\x00\xff garbage", "malformed OPML"),
        (b'<rss version="2.0"><channel/></rss>', r"not OPML \(the document is <rss>\)"),
        (b'<opml version="2.0"><head/></opml>', r"not OPML \(no <body> element\)"),
    ],
)
def test_not_opml_is_a_one_line_error(data: bytes, message: str) -> None:
    with pytest.raises(InteropError, match=message) as caught:
        parse_opml(data, "in.opml")
    assert "\n" not in str(caught.value)


def test_missing_file_is_a_clear_error(config: Path, tmp_path: Path) -> None:
    with pytest.raises(InteropError, match="nope.opml: cannot read: No such file"):
        import_opml(config, tmp_path / "nope.opml")


def test_titles_are_sanitized(config: Path) -> None:
    data = (
        b'<opml version="2.0"><body><outline text="Evil&#x9b;31m red &#x202e;txt" '
        b'xmlUrl="https://evil.example/feed"/></body></opml>'
    )
    assert parse_opml(data).feeds[0].name == "Evil red txt"


def test_absurdly_deep_nesting_is_refused_by_the_parser() -> None:
    deep = b'<outline text="f">' * 5000
    data = b"<opml><body>" + deep + b"</outline>" * 5000 + b"</body></opml>"
    with pytest.raises(InteropError, match="malformed OPML: Excessive depth"):
        parse_opml(data)


def test_urls_with_hidden_characters_are_skipped() -> None:
    data = (
        b'<opml version="2.0"><body>'
        b'<outline text="Bidi" xmlUrl="https://a.example/&#x202e;lmx.beef"/>'
        b'<outline text="Space" xmlUrl="https://a.example/my feed.xml"/>'
        b'<outline text="No host" xmlUrl="https:///feed.xml"/>'
        b'<outline xmlUrl="http://[bad/feed"/>'
        b"</body></opml>"
    )
    found = parse_opml(data)
    assert found.feeds == []
    assert [line.rsplit(": ", 1)[1] for line in found.skipped] == [
        "not a valid URL (spaces or control characters)",
        "not a valid URL (spaces or control characters)",
        "only http and https feeds can be added",
        "not a valid URL",
    ]


# -- export ---------------------------------------------------------------------------------


def test_export_is_opml_2_with_a_folder_per_first_tag(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(
        '[[sources]]\nname = "Local"\npath = "notes"\n\n'
        '[[sources]]\nname = "A & <B>"\nurl = "https://a.example/feed?x=1&y=2"\n'
        'tags = ["tech", "daily", "en"]\n\n'
        '[[sources]]\nname = "C \\"quoted\\""\nurl = "https://c.example/rss"\ntags = ["tech"]\n\n'
        '[[sources]]\nname = "Plain"\nurl = "https://plain.example/atom.xml"\n',
        encoding="utf-8",
    )
    document = export_opml(load_config(path))
    root = etree.fromstring(document.encode())
    assert root.get("version") == "2.0"
    assert root.findtext("head/title") == "newsdesk subscriptions"
    folders = [o for o in root.find("body") if o.get("xmlUrl") is None]
    assert [f.get("text") for f in folders] == ["tech"]
    assert [o.get("title") for o in folders[0]] == ["A & <B>", 'C "quoted"']
    assert folders[0][0].get("category") == "daily,en"
    assert document.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert "Local" not in document


def test_export_then_import_round_trips_names_urls_and_tags(tmp_path: Path) -> None:
    import_opml(tmp_path / "a.toml", FIXTURES / "nested.opml")
    import_opml(tmp_path / "a.toml", FIXTURES / "feedly.opml")
    first = load_config(tmp_path / "a.toml")
    (tmp_path / "out.opml").write_text(export_opml(first), encoding="utf-8")
    import_opml(tmp_path / "b.toml", tmp_path / "out.opml")
    second = load_config(tmp_path / "b.toml")
    assert {(s.name, s.url, s.tags) for s in second.sources} == {
        (s.name, s.url, s.tags) for s in first.sources
    }


# -- the CLI --------------------------------------------------------------------------------


def test_cli_import_and_export(
    config: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    opml = str(FIXTURES / "duplicates.opml")
    code, out, _ = feeds_cli(monkeypatch, capsys, "feeds", "import", opml, "--config", str(config))
    assert code == 0
    assert "skipped: duplicates.opml:11: Already configured" in out
    assert "note: 'Existing Name' is taken: added as 'Existing Name (2)'" in out
    assert f"added 2 feeds to {config} (2 skipped)" in out

    code, out, _ = feeds_cli(monkeypatch, capsys, "feeds", "export", "--config", str(config))
    assert code == 0
    assert etree.fromstring(out.encode()).get("version") == "2.0"
    assert out.count("xmlUrl=") == 4

    target = tmp_path / "subs.opml"
    code, out, _ = feeds_cli(
        monkeypatch, capsys, "feeds", "export", str(target), "--config", str(config)
    )
    assert code == 0
    assert out == f"exported 4 feeds to {target}\n"
    assert len(parse_opml(target.read_bytes()).feeds) == 4


def test_cli_dry_run_and_errors(
    config: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    nested = str(FIXTURES / "nested.opml")
    args = ("--config", str(config))
    code, out, _ = feeds_cli(monkeypatch, capsys, "feeds", "import", nested, "--dry-run", *args)
    assert code == 0 and "would add 3 feeds" in out
    assert config.read_text(encoding="utf-8") == CONFIG

    bad = str(FIXTURES / "malformed.opml")
    code, out, err = feeds_cli(monkeypatch, capsys, "feeds", "import", bad, *args)
    assert (code, out) == (2, "")
    assert err.startswith("newsdesk: ") and err.count("\n") == 1 and "malformed OPML" in err

    code, _, err = feeds_cli(monkeypatch, capsys, "feeds", "import", *args)
    assert code == 2 and "needs FILE.opml" in err
    assert config.read_text(encoding="utf-8") == CONFIG


def test_interop_modules_do_not_import_textual() -> None:
    modules = "tui.cli.feeds, tui.interop.opml, tui.interop.newsboat, tui.interop.discover"
    code = f"import sys, {modules}; print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_an_export_that_cannot_be_written_keeps_the_old_file(tmp_path: Path) -> None:
    # It was truncated, then written: a full disk (here a file size limit) left it empty.
    config = tmp_path / "feeds.toml"
    sources = "".join(
        f'[[sources]]\nname = "Feed {n}"\nurl = "https://example.org/{n}/feed.xml"\n'
        for n in range(40)
    )
    config.write_text(sources, encoding="utf-8")
    target = tmp_path / "subs.opml"
    old = '<?xml version="1.0"?><opml version="2.0"><body/></opml>\n'
    target.write_text(old, encoding="utf-8")
    base = ["--config", str(config), "--cache", str(tmp_path / "cache")]
    code = (
        "import resource, signal, sys; from tui.cli import main; "
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
        "resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048)); "
        f"sys.exit(main({[*base, 'feeds', 'export', str(target)]!r}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr  # the work could not be done
    assert done.stderr == f"newsdesk: {target}: cannot write: File too large\n"
    assert done.stdout == ""
    assert target.read_text(encoding="utf-8") == old
    assert not list(tmp_path.glob("*.part"))
