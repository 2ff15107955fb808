"""A password in a feed's URL (`http://bob:secret@host/feed.xml`): sent with each fetch, shown
nowhere (`***` in every message, listing and `--json`), never in the cache's config memo."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from tests.feedserver import RSS, FeedServer, free_port, rss
from tui.cli import main

SECRET = "pa55w0rd"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    main(list(argv))
    out, err = capsys.readouterr()
    return out + err


def test_a_password_in_a_feed_url_is_sent_but_never_shown(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    feed_server.feed("/new.xml", rss("New", 1))
    moved = feed_server.redirect("/old.xml", "/new.xml", status=301)
    missing = feed_server.status("/gone.xml", 404)
    down = f"http://127.0.0.1:{free_port()}/x.xml"
    config = tmp_path / "config" / "feeds.toml"
    config.parent.mkdir()
    sources = {"Moved": moved, "Missing": missing, "Down": down}
    config.write_text(
        "".join(
            f'[[sources]]\nname = "{name}"\nurl = "{url.replace("://", f"://bob:{SECRET}@")}"\n'
            for name, url in sources.items()
        ),
        encoding="utf-8",
    )
    said = run(capsys, "refresh") + run(capsys, "sources") + run(capsys, "sources", "--json")
    assert SECRET not in said
    assert f"http://bob:***@127.0.0.1:{feed_server.port}/gone.xml" in said
    assert "moved permanently to http://bob:***@" in said
    locations = {
        row["name"]: row["location"] for row in json.loads(run(capsys, "sources", "--json"))
    }
    assert locations["Down"] == down.replace("://", "://bob:***@")
    sent = feed_server.requests("/gone.xml")[0].headers["authorization"]
    assert base64.b64decode(sent.removeprefix("Basic ")) == f"bob:{SECRET}".encode()
    assert not any(
        SECRET.encode() in path.read_bytes() for path in (tmp_path / "cache").glob("*.memo")
    )


def test_a_user_name_alone_is_a_token_shown_nowhere(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # `http://TOKEN@host/feed.xml`: the user name alone is the secret, sent as Basic auth.
    token = "SECRETTOKEN1"
    missing = feed_server.status("/gone.xml", 404)
    config = tmp_path / "config" / "feeds.toml"
    config.parent.mkdir()
    config.write_text(
        f'[[sources]]\nname = "Token"\nurl = "{missing.replace("://", f"://{token}@")}"\n',
        encoding="utf-8",
    )
    said = run(capsys, "refresh") + run(capsys, "sources")
    rows = json.loads(run(capsys, "sources", "--json"))
    assert token not in said + json.dumps(rows)
    assert rows[0]["location"] == missing.replace("://", "://***@")
    assert f"http://***@127.0.0.1:{feed_server.port}/gone.xml" in said
    assert not any(
        token.encode() in p.read_bytes()
        for p in (tmp_path / "cache").iterdir()
        if p.suffix == ".memo"
    )
    sent = feed_server.requests("/gone.xml")[0].headers["authorization"]
    assert base64.b64decode(sent.removeprefix("Basic ")) == f"{token}:".encode()


@pytest.mark.parametrize("command", [["refresh"], ["sources"], ["paths"]])
def test_a_password_in_a_url_that_cannot_be_parsed_is_hidden_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    config = tmp_path / "config" / "feeds.toml"
    config.parent.mkdir()
    config.write_text('[[sources]]\nname = "A"\nurl = "http://a:PWthree@[::1/x"\n')
    said = run(capsys, *command)
    assert "PWthree" not in said
    assert "sources[1].url: not a valid URL: 'http://a:***@[::1/x'" in said


def test_imports_hide_a_password_in_a_url_that_cannot_be_parsed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opml = tmp_path / "t.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline text="X" xmlUrl="http://u:OpmlPWv6@[::1/x"/></body></opml>'
    )
    urls = tmp_path / "urls"
    urls.write_text("http://n:NbPW@[::1/x\n")
    said = run(capsys, "feeds", "import", str(opml), "--dry-run")
    said += run(capsys, "feeds", "import", str(urls), "--dry-run")
    assert "OpmlPWv6" not in said and "NbPW" not in said
    assert "X (http://u:***@[::1/x): not a valid URL" in said
    assert "http://n:***@[::1/x: not a valid URL" in said


def test_adding_a_url_that_cannot_be_parsed_is_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["feeds", "add", "http://[::1/feed"]) == 2
    err = capsys.readouterr().err
    assert err == "newsdesk: not a web address: 'http://[::1/feed' (not a valid URL)\n"


def test_credentials_follow_a_redirect_within_the_origin_only(
    tmp_path: Path, feed_server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    def guarded(h: Any) -> None:
        if "authorization" in (k.lower() for k in h.headers):
            h.reply(200, rss("Guarded", 2), [("Content-Type", RSS)])
        else:
            h.reply(401, b"auth", [("WWW-Authenticate", 'Basic realm="x"')])

    guarded_url = feed_server.route("/auth/b.xml", guarded)
    redirects = {
        "Absolute": feed_server.redirect("/absolute", guarded_url, 302),
        "Relative": feed_server.redirect("/relative", "/auth/b.xml", 302),
    }
    with FeedServer() as elsewhere:
        elsewhere.feed("/feed.xml", rss("Elsewhere", 1))
        redirects["Other"] = feed_server.redirect("/other", elsewhere.url("/feed.xml"), 302)
        config = tmp_path / "config" / "feeds.toml"
        config.parent.mkdir()
        config.write_text(
            "".join(
                f'[[sources]]\nname = "{name}"\nurl = "{url.replace("://", "://erin:pw@")}"\n'
                for name, url in redirects.items()
            ),
            encoding="utf-8",
        )
        run(capsys, "refresh")
        rows = json.loads(run(capsys, "sources", "--json"))
        assert {row["name"]: row["error"] for row in rows} == dict.fromkeys(redirects)
        assert "authorization" not in elsewhere.requests("/feed.xml")[0].headers
