"""One test says what a web address is, for every door a URL comes through: the config, a
feed's links and enclosures, a fetch and its redirects, saving, pictures, OPML, exports."""

from __future__ import annotations

import pytest

from tui.weburl import is_web_url


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/feed",
        "HTTP://Example.org",
        " http://127.0.0.1:8080/x ",
        "http://[::1]/",
    ],
)
def test_http_and_https_addresses_with_a_host_are_web(url: str) -> None:
    assert is_web_url(url)


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "ftp://example.org/feed",
        "file:///etc/passwd",
        "mailto:desk@example.org",
        "javascript:alert(1)",
        "https://",
        "http:///path-without-host",
        "//example.org/no-scheme",
        "http://[::1/",  # a malformed IPv6 literal
    ],
)
def test_anything_else_is_not(url: str | None) -> None:
    assert not is_web_url(url)
