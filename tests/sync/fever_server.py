"""The real Fever API server of the sync tests: coldsweat (pinned in
servers/fever-requirements.txt), one per test on its own SQLite file and port.

Found at $NEWSDESK_TEST_COLDSWEAT, else .venv-coldsweat/bin/coldsweat (where .ci/run installs
it), else on PATH. The server side of a test (another device's marks, coldsweat fetching its
feeds) goes through the same API and commands.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import httpx

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "reader@example.org"
INSTALL = "install it with .ci/run (or pip install -r tests/sync/servers/fever-requirements.txt)"


def executable() -> str | None:
    candidates = [
        os.environ.get("NEWSDESK_TEST_COLDSWEAT"),
        str(ROOT / ".venv-coldsweat" / "bin" / "coldsweat"),
        shutil.which("coldsweat"),
    ]
    return next((c for c in candidates if c and Path(c).is_file()), None)


def unavailable() -> str | None:
    """Why coldsweat cannot run here, or None."""
    return None if executable() else f"coldsweat (a Fever API server) is not installed: {INSTALL}"


class Coldsweat:
    """A coldsweat server with one user; `url` is its Fever endpoint."""

    def __init__(self, home: Path) -> None:
        home.mkdir(parents=True)
        self.home = home
        self.password = "correct horse battery"
        self.port = _free_port()
        self.env = {**os.environ, "FLASK_DATABASE_URL": f"sqlite:///{home / 'coldsweat.db'}"}
        self.process: subprocess.Popen[bytes] | None = None
        self.command("setup", EMAIL, "-p", self.password)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/fever/"

    @property
    def key(self) -> str:
        return hashlib.md5(f"{EMAIL}:{self.password}".encode()).hexdigest()

    def command(self, *args: str) -> None:
        done = subprocess.run(
            [str(executable()), *args], env=self.env, cwd=self.home, capture_output=True
        )
        assert done.returncode == 0, done.stderr

    def subscribe(self, feeds: dict[str, str]) -> None:
        """Import feeds (url -> group) as OPML and fetch them."""
        outlines = "".join(
            f"<outline text={quoteattr(g)}><outline type='rss' text='x' xmlUrl={quoteattr(u)}/>"
            "</outline>"
            for u, g in feeds.items()
        )
        opml = self.home / "feeds.opml"
        opml.write_text(f"<opml version='2.0'><head/><body>{outlines}</body></opml>")
        self.command("import", str(opml), EMAIL, "-f")

    def fetch(self) -> None:
        """coldsweat fetches every feed now (it skips feeds checked in the last 3 minutes)."""
        with sqlite3.connect(self.home / "coldsweat.db") as db:
            db.execute("UPDATE feed SET last_checked_on = NULL, last_updated_on = NULL")
        self.command("fetch")

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(executable()), "run", "-h", "127.0.0.1", "-p", str(self.port)],
            env=self.env,
            cwd=self.home,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.call()
                return
            except httpx.HTTPError:
                time.sleep(0.1)  # waiting for the server process to listen, not for a result
        raise RuntimeError("coldsweat did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def call(self, *query: str, **form: Any) -> dict[str, Any]:
        """A Fever API call as another client of the same user makes it."""
        reply = httpx.post(
            self.url, params="api&" + "&".join(query), data={"api_key": self.key, **form}
        )
        reply.raise_for_status()
        data: dict[str, Any] = reply.json()
        return data

    def items(self) -> dict[str, dict[str, Any]]:
        """title -> item, every item."""
        found: dict[str, dict[str, Any]] = {}
        since = 0
        while page := self.call("items", f"since_id={since}").get("items"):
            found.update({i["title"]: i for i in page})
            since = max(i["id"] for i in page)
        return found

    def mark(self, titles: list[str], state: str) -> None:
        """Mark items (by title) read, unread, saved or unsaved."""
        items = self.items()
        for title in titles:
            self.call("mark", mark="item", id=items[title]["id"], **{"as": state})


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
