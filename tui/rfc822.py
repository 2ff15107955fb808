"""RFC 822 dates as feeds write them: any common zone name, no zone at all, and the day and
month names of other languages (`Fr, 04 Dez 2026 08:00:00 +0100`).

Why: Python's email.utils and feedparser know the North American zone names alone and read
any other as UTC (`12:00 CEST` became 12:00 UTC, two hours late), and read no German or
French names at all (the article became undated). `read_rfc822` is the one reader for both
feed paths: the fast path calls it, `tui.sources.feeds` puts it first in feedparser's
handlers, and `tui.dates.parse_date` (JSON Feed, web pages) tries it before email.utils.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from tui.local_time import stated_day
from tui.names import fold
from tui.sources.wordlists import MONTHS

_ZONE_HOURS = {
    # RFC 822's own, and the short forms feedparser reads (`ET`, `MEST`...)
    "ut": 0, "utc": 0, "gmt": 0, "z": 0,
    "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
    "et": -5, "ct": -6, "mt": -7, "pt": -8, "at": -4, "ast": -4, "adt": -3,
    "akst": -9, "akdt": -8, "hst": -10, "nst": -3.5, "ndt": -2.5, "brt": -3, "art": -3,
    # Europe and Africa
    "wet": 0, "west": 1, "bst": 1, "cet": 1, "cest": 2, "met": 1, "mest": 2, "mez": 1, "mesz": 2,
    "eet": 2, "eest": 3, "msk": 3, "wat": 1, "cat": 2, "sast": 2, "eat": 3,
    # IST is also Irish (+1) and Israel (+2) Standard Time; India's is by far the most
    # common in feeds, so it wins.
    "ist": 5.5,
    # Asia and Oceania (CST stays North American Central, as RFC 822 has it, not China's)
    "pkt": 5, "npt": 5.75, "ict": 7, "wib": 7, "hkt": 8, "sgt": 8, "pht": 8, "awst": 8,
    "kst": 9, "jst": 9, "acst": 9.5, "acdt": 10.5, "aest": 10, "aedt": 11,
    "nzst": 12, "nzdt": 13,
}  # fmt: skip
"""Zone abbreviations to their offset from UTC in hours. A name not here is read as UTC: a
date a few hours off still sorts and shows the right day nearly always, none would not."""

_DATE = re.compile(
    r"(?:[^\W\d_]{2,}\.?,?\s+)?"  # the day's name, in any language: not needed
    r"(\d{1,2})\.?\s+([^\W\d_]{3,})\.?\s+(\d{4})"
    r"(?:\s+(\d{1,2}):(\d\d)(?::(\d\d))?(?:\s*([ap])\.?m\.?)?"  # `10:00 PM`, `2:30 p.m.`
    r"(?:\s*([+-])(\d\d):?(\d\d)|\s+(z|[^\W\d_]{2,5}))?)?\Z"
)


def read_rfc822(text: str) -> datetime | None:
    """`Thu, 03 Dec 2026 12:00:00 CEST` as an aware UTC datetime (10:00); `10:00 PM EST`
    is 03:00 the next day; a day without a time (`Thu, 03 Dec 2026`) is `stated_day`'s, that
    day in every zone. None when `text` is not a day, month name and four-digit year, with a
    time (and a zone or none, read as UTC) or none."""
    found = _DATE.match(text.strip().casefold())
    if found is None:
        return None
    day, month_name, year, hour, minute, second, half, sign, hours, minutes, name = found.groups()
    month = MONTHS.get(fold(month_name))  # `févr` -> `fevr`: the table is written without accents
    if month is None:
        return None
    if sign:
        offset = (-1 if sign == "-" else 1) * timedelta(hours=int(hours), minutes=int(minutes))
    else:
        offset = timedelta(hours=_ZONE_HOURS.get(name or "utc", 0))
    try:
        if hour is None:
            return stated_day(date(int(year), month, int(day)))
        clock = _hour(int(hour), half)
        moment = datetime(int(year), month, int(day), clock, int(minute), int(second or 0))
        return moment.replace(tzinfo=timezone(offset)).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _hour(hour: int, half: str | None) -> int:
    """The 24-hour clock's hour of `hour` in the `a`(m) or `p`(m) half of the day, if any."""
    if half is None:
        return hour
    if not 1 <= hour <= 12:
        raise ValueError(f"{hour} {half}m")
    return hour % 12 + (12 if half == "p" else 0)
