"""Moving in from newsboat and other readers: passwords in feed URLs are never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.interop import feeds_cli


def test_skip_lines_show_no_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # "same feed as", "listed again" and a refused URL showed http://bob:s3cret@... in clear.
    secret = "http://bob:s3cret@127.0.0.1:8765/pw/a.xml"
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[sources]]\nname = "Mine"\nurl = "{secret}"\n')
    urls = tmp_path / "urls"
    urls.write_text(f"{secret}\n{secret} again\nftp://bob:s3cret@127.0.0.1/b.xml\n")
    opml = tmp_path / "subs.opml"
    opml.write_text(
        f'<opml version="2.0"><body><outline text="A" xmlUrl="{secret}"/>'
        f'<outline text="B" xmlUrl="{secret}"/></body></opml>'
    )
    shown = "http://bob:***@127.0.0.1:8765/pw/a.xml"
    outputs = [
        feeds_cli(monkeypatch, capsys, "feeds", "import", *source, "--config", str(config))
        for source in (("--newsboat", str(urls)), (str(opml),))
    ]
    for code, out, _ in outputs:
        assert code == 0 and "s3cret" not in out
        assert f"({shown}): same feed as 'Mine'" in out
        assert f"({shown}): listed again in the file" in out
    assert "ftp://bob:***@127.0.0.1/b.xml: only http and https feeds can be added" in outputs[0][1]
