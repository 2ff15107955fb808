"""URLs found in HTML: resolving links safely, links within the page (`in_page`), finding an
image's real source, tracking pixels.

Only http(s) and mailto links survive `absolute_url`; everything else (javascript:, data:,
relative links without a base) becomes None, so no caller has to check the scheme again.
Control, format, space and line-break characters in a link are percent-encoded, never dropped
(`encode_unsafe`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote, urljoin, urlsplit

from tui.content.parse import Element
from tui.text import encode_unsafe
from tui.weburl import is_web

_PIXEL_SIZES = frozenset({"0", "1", "0px", "1px"})
_PIXEL_SRC = re.compile(r"/pixel|1x1|/track|/beacon|spacer\.gif|feedburner\.com/~r/", re.I)
# An absolute http(s) URL of printable ASCII with no dot segments to resolve.
_PLAIN_ABSOLUTE = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][!-~]*)?\Z")


@lru_cache(maxsize=4096)
def absolute_url(href: str | None, base_url: str | None) -> str | None:
    """`href` resolved against `base_url` if it is an http(s) or mailto URL, else None."""
    if not href or in_page(href):
        return None
    if not (href.isascii() and href.isprintable()):
        href = encode_unsafe(href)
    href = href.strip().replace(" ", "%20")
    if not href:
        return None
    if _PLAIN_ABSOLUTE.match(href) and "/." not in href:
        return href  # already absolute and normal: urljoin would return it unchanged
    try:
        url = urljoin(base_url, href) if base_url else href
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() == "mailto" or is_web(parts):
        return url
    return None


_IN_PAGE = re.compile(r"[\x00-\x20\s]*#")
"""A link within the page: `#` after what a browser strips from a link's start (control
characters and spaces, tabs and line breaks; the other spaces Python strips too)."""


def in_page(href: str | None) -> bool:
    """A link within the page (`#details`): no page to list or follow, a footnote's mark."""
    return bool(href and _IN_PAGE.match(href))


def anchor(href: str | None) -> str | None:
    """The `id` a link within the page leads to (`#fn%201` -> `fn 1`), None for any other."""
    found = _IN_PAGE.match(href) if href else None
    return unquote(href[found.end() :]) if href and found else None


_MAX_SIDE = 20000
"""A stated image side above this many pixels is not believed."""


def image_src(el: Element) -> str | None:
    """The image URL, looking past `data:` placeholders to lazy-loading attributes."""
    src: str | None = el.get("src")
    if src and not src.lstrip().lower().startswith("data:"):
        return src
    return el.get("data-src") or el.get("data-original") or src


def image_size(el: Element) -> tuple[int, int] | None:
    """The `width` and `height` an `<img>` states in pixels (`640`, `640px`), when both are
    plain numbers: what the reader keeps rows for until the picture arrives."""
    sizes = [_pixels(el.get(name)) for name in ("width", "height")]
    return (sizes[0], sizes[1]) if sizes[0] and sizes[1] else None


def _pixels(value: str | None) -> int | None:
    text = (value or "").strip().lower().removesuffix("px").strip()
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) <= _MAX_SIDE else None


def is_tracking_pixel(el: Element, src: str | None) -> bool:
    """True for an `<img>` that is a tracking pixel: 0/1-pixel sizes or a typical beacon URL."""
    for size in (el.get("width"), el.get("height")):
        if size is not None and size.strip().lower() in _PIXEL_SIZES:
            return True
    return bool(src) and _PIXEL_SRC.search(src or "") is not None
