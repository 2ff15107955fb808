"""A refresh's answers that are the network's rather than its sources': a captive portal's
login page in the feeds' place (`tui.sources.portal` says what portals do).

Such a failure is the network's, as no answer at all is: its back-off is the short one
(`schedule.NO_ANSWER_RETRY`: after the login, the next automatic refresh is minutes away, not
hours), its stored error says so, the run says it once, in one line, and saves no pages (each
would be the login page). It is:
- HTTP 511 Network Authentication Required;
- a redirect that ended on a login page (the feed's address in its query, a login path, a
  private address);
- the same page (its visible text) answered in place of two sources' feeds or more, when no
  source of the run answered a feed. That is known once every source has answered: those
  failures are recorded then (`settle`); a site's own page stays the site's failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from tui.sources.portal import AUTH_REQUIRED, NETWORK_LOGIN, fingerprint, login_redirect
from tui.text import clean_line, plural

Job = TypeVar("Job")


@dataclass(frozen=True)
class NotFeed(Generic[Job]):
    """A source's answer that was no feed, recorded once the run knows whose failure it is."""

    job: Job
    reason: str
    status: int
    url: str
    """Where the answer came from, after redirects."""
    seen: str
    """Its visible text, hashed."""


def not_feed_reason(warning: str | None, alternate: str | None, asked: str, final: str) -> str:
    """Why an answer is no feed, naming where a redirect ended (a login page, a home page)."""
    reason = f"not a feed (HTML page); try {alternate}" if alternate else warning or "not a feed"
    return clean_line(reason if final == asked else f"{reason} (redirected to {final})")


@dataclass
class Network(Generic[Job]):
    """What a run's web sources answered, to tell a portal's page from a site's."""

    fed: bool = False
    """A source answered a feed (or that its feed is unchanged): the network lets them by."""
    answered: bool = False
    """A source's site answered at all (an error, a page): the network is up."""
    logins: list[str] = field(default_factory=list)
    """Where each answer the network's login gave came from."""
    pages: list[NotFeed[Job]] = field(default_factory=list)

    def login_error(self, status: int | None, error: str, url: str) -> str | None:
        """The line for a failed download that is the network's (HTTP 511), else None."""
        if status != AUTH_REQUIRED:
            return None
        self.logins.append(url)
        return f"{NETWORK_LOGIN}: {error}"

    def login_redirect(self, asked: str, final: str) -> str | None:
        """The line for an answer a redirect to a login page gave, else None."""
        if not login_redirect(asked, final):
            return None
        self.logins.append(final)
        return clean_line(f"{NETWORK_LOGIN}: redirected to {final}")

    def hold(self, job: Job, reason: str, status: int, url: str, body: bytes) -> None:
        """Keep an answer that was no feed until `settle` knows whose failure it is."""
        self.pages.append(NotFeed(job, reason, status, url, fingerprint(body)))

    def settle(self) -> list[tuple[NotFeed[Job], str | None]]:
        """Each answer held, with the network's line for it when it is the network's page."""
        counts: dict[str, int] = {}
        for page in self.pages:
            counts[page.seen] = counts.get(page.seen, 0) + 1
        settled: list[tuple[NotFeed[Job], str | None]] = []
        for page in self.pages:
            network = not self.fed and counts[page.seen] > 1
            if network:
                self.logins.append(page.url)
            settled.append((page, f"{NETWORK_LOGIN}: {page.reason}" if network else None))
        return settled

    @property
    def asks_login(self) -> bool:
        """No feed came through, and the network answered with its login."""
        return bool(self.logins) and not self.fed

    def notice(self) -> str | None:
        """The run's one line about the network's login, if it asked for one."""
        if not self.logins:
            return None
        answers = plural(len(self.logins), "source")
        where = clean_line(self.logins[0])
        return f"{NETWORK_LOGIN}: {answers} answered with its page ({where}); log in, then refresh"
