"""One test says what a web address is, for every door a URL comes through: the config, a
feed's links and enclosures, a fetch and its redirects, saving, pictures, OPML, exports."""

from __future__ import annotations

import pytest

from tui.ui.format import link_label
from tui.weburl import is_web_url, shown_address


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
        "http://127.0.0.1:99999/feed",  # no port: asyncio failed on it with an IndexError
        "http://example.org:http/feed",
    ],
)
def test_anything_else_is_not(url: str | None) -> None:
    assert not is_web_url(url)


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("http://раураl.com/", "http://xn--l-7sba6dbr.com/"),  # Cyrillic and a Latin `l`
        ("https://аррӏе.com/", "https://xn--80ak6aa92e.com/"),  # Latin lookalikes alone
        ("https://пример.рф/", "https://пример.рф/"),  # Cyrillic under a Cyrillic domain
        ("https://例子.com/", "https://例子.com/"),
        ("https://münchen.de/", "https://münchen.de/"),
        ("https://good.example@evil.example/", "https://evil.example/"),  # the host it opens
        ("http://раураl.com:8080/x", "http://xn--l-7sba6dbr.com:8080/x"),
        ("http://раураl.com:99999/x", "http://xn--l-7sba6dbr.com:99999/x"),  # no port: as is
    ],
)
def test_the_link_list_shows_the_host_a_link_leads_to(url: str, label: str) -> None:
    assert link_label(url) == label


@pytest.mark.parametrize(
    ("url", "address", "origin"),
    [
        ("http://u:p@host:0", "http://host:0", "http://host:0"),  # port 0 is written: shown
        ("//rss.example.org/tt/", "//rss.example.org/tt/", "//rss.example.org"),  # an account key
        ("//bob:pw@RSS.example.org:8443/", "//rss.example.org:8443/", "//rss.example.org:8443"),
        (
            "http://u:p@Bücher.example:8080/f?sid=1#x",
            "http://bücher.example:8080/f",
            "http://bücher.example:8080",
        ),
        ("https://пример.рф/api/", "https://пример.рф/api/", "https://пример.рф"),
        ("http://ann:s3cret@[::1]:8080/api/", "http://[::1]:8080/api/", "http://[::1]:8080"),
        ("HTTPS://RSS.Example.org", "https://rss.example.org", "https://rss.example.org"),
        (
            "socks5://ann:s3cret@127.0.0.1:1080",
            "socks5://127.0.0.1:1080",
            "socks5://127.0.0.1:1080",
        ),
    ],
)
def test_a_message_names_the_server_without_its_password(
    url: str, address: str, origin: str
) -> None:
    """A sync server's address (its path too) and a proxy's (its origin), as messages name them."""
    assert shown_address(url) == address
    assert shown_address(url, path=False) == origin


@pytest.mark.parametrize("url", ["http://u:p@host:99999/", "http://[::1/"])
def test_an_address_that_is_none_is_not_shown_as_one(url: str) -> None:
    with pytest.raises(ValueError):
        shown_address(url)
