"""The real Tiny Tiny RSS server of the sync tests (started by servers/ttrss-up.sh, as .ci/run
does): a fresh user per test, and the server side of a test (another device's reads and
stars, the server fetching its feeds) through the same JSON API.

Environment (the defaults are ttrss-up.sh's): NEWSDESK_TEST_TTRSS_URL, TTRSS_PG_PORT,
TTRSS_DB_PASS.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

URL = os.environ.get("NEWSDESK_TEST_TTRSS_URL", "http://127.0.0.1:8280/")
PG_PORT = os.environ.get("TTRSS_PG_PORT", "55432")
DB_PASS = os.environ.get("TTRSS_DB_PASS", "ttrss-db-pw")
CATEGORIES = ("News", "Tech")
START = "run tests/sync/servers/ttrss-up.sh as root (Debian 12) to start it"

# A user with API access and two categories (the API cannot create either), as ttrss-up.sh
# makes its admin; the password is stored as TT-RSS's MODE2 hash.
_NEW_USER = """
INSERT INTO ttrss_users (login, pwd_hash, access_level, created) VALUES (:'u', '', 0, NOW());
UPDATE ttrss_users SET salt = md5('nd' || :'p'),
  pwd_hash = 'MODE2:' || encode(sha256(convert_to(md5('nd' || :'p') || :'p', 'UTF8')), 'hex')
  WHERE login = :'u';
INSERT INTO ttrss_user_prefs (owner_uid, pref_name, value, profile)
  SELECT u.id, p.pref_name, p.def_value, NULL FROM ttrss_prefs p, ttrss_users u
  WHERE u.login = :'u';
UPDATE ttrss_user_prefs SET value = 'true' WHERE pref_name = 'ENABLE_API_ACCESS'
  AND owner_uid = (SELECT id FROM ttrss_users WHERE login = :'u');
INSERT INTO ttrss_feed_categories (owner_uid, title)
  SELECT id, c FROM ttrss_users, unnest(ARRAY['News', 'Tech']) AS c WHERE login = :'u';
"""


def unavailable() -> str | None:
    """Why the server cannot be used here, or None."""
    if shutil.which("psql") is None:
        return f"Tiny Tiny RSS is not installed (no psql): {START}"
    try:
        reply = httpx.post(URL + "api/", json={"op": "getApiLevel"}, timeout=5).json()
    except (httpx.HTTPError, ValueError) as exc:
        return f"no Tiny Tiny RSS at {URL} ({type(exc).__name__}): {START}"
    if "status" not in reply:
        return f"{URL} does not answer like Tiny Tiny RSS: {START}"
    return None


@dataclass
class TtRssUser:
    """A user of the test server, and the API as another device of theirs uses it."""

    login: str
    password: str
    url: str = URL
    session: str | None = None
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=60))

    def call(self, op: str, **params: Any) -> Any:
        body = {"op": op, **params}
        if self.session:
            body["sid"] = self.session
        reply = self.http.post(self.url + "api/", json=body, headers={"User-Agent": "phone"}).json()
        assert reply["status"] == 0, reply
        return reply["content"]

    def login_api(self) -> None:
        self.session = self.call("login", user=self.login, password=self.password)["session_id"]

    def category(self, title: str) -> int:
        categories = self.call("getCategories", include_empty=True)
        return next(c["id"] for c in categories if c["title"] == title)

    def subscribe(self, feed_url: str, category: str | None = None) -> int:
        cat = self.category(category) if category else 0
        status = self.call("subscribeToFeed", feed_url=feed_url, category_id=cat)["status"]
        assert status["code"] in (0, 1), status
        feed_id = int(status["feed_id"])
        self.update(feed_id)
        return feed_id

    def update(self, feed_id: int) -> None:
        """The server fetches the feed now."""
        self.call("updateFeed", feed_id=feed_id)

    def feeds(self) -> dict[str, int]:
        return {f["title"]: f["id"] for f in self.call("getFeeds", cat_id=-3)}

    def headlines(self) -> dict[str, dict[str, Any]]:
        """title -> headline, every article of the user."""
        found: dict[str, dict[str, Any]] = {}
        while True:
            page = self.call("getHeadlines", feed_id=-4, limit=200, skip=len(found))
            found.update({h["title"]: h for h in page})
            if len(page) < 200:
                return found

    def set(self, titles: list[str], field: str, on: bool) -> None:
        """Mark articles (by title) unread/read ("unread") or starred ("starred")."""
        heads = self.headlines()
        ids = ",".join(str(heads[t]["id"]) for t in titles)
        code = {"starred": 0, "unread": 2}[field]
        self.call("updateArticle", article_ids=ids, mode=int(on), field=code)


def new_user() -> TtRssUser:
    """A fresh user with API access (each test its own: tests run in parallel)."""
    user = TtRssUser(f"nd{uuid.uuid4().hex[:12]}", uuid.uuid4().hex)
    done = subprocess.run(
        [
            *("psql", "-h", "127.0.0.1", "-p", PG_PORT, "-U", "ttrss", "-d", "ttrss"),
            *("-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", f"u={user.login}"),
            *("-v", f"p={user.password}"),
        ],
        input=_NEW_USER,
        env={**os.environ, "PGPASSWORD": DB_PASS},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    user.login_api()
    return user
