"""The real Fever API server of the sync tests: coldsweat (pinned in
servers/fever-requirements.txt), one process per test worker (servers/coldsweat_driver.py)
and one user per test, reached through a forwarder the test can take down.

Found at $NEWSDESK_TEST_COLDSWEAT, else .venv-coldsweat/bin/coldsweat (where .ci/run installs
it), else on PATH; the driver runs with the Python beside it. The server side of a test
(another device's marks, coldsweat fetching its feeds) goes through the same API.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

import httpx

from tests.sync.proxy import Proxy

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).parent / "servers" / "coldsweat_driver.py"
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
    """One coldsweat process: its Fever endpoint, and commands on its stdin."""

    def __init__(self, home: Path) -> None:
        self.port = _free_port()
        python = Path(str(executable())).parent / "python"
        env = {**os.environ, "FLASK_DATABASE_URL": f"sqlite:///{home / 'coldsweat.db'}"}
        self.process = subprocess.Popen(
            [str(python), str(DRIVER), str(self.port)],
            env=env,
            cwd=home,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._answer() == "ready"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/fever/"

    def command(self, **command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        assert self._answer() == "ok"

    def _answer(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


class FeverUser:
    """A user of the shared coldsweat server, behind a forwarder of its own."""

    def __init__(self, server: Coldsweat, home: Path) -> None:
        self.server, self.home = server, home
        self.email = f"{uuid.uuid4().hex[:12]}@example.org"
        self.password = uuid.uuid4().hex
        self.key = hashlib.md5(f"{self.email}:{self.password}".encode()).hexdigest()
        self.proxy = Proxy(server.url)
        self.http = httpx.Client(timeout=60)
        server.command(op="user", email=self.email, password=self.password)

    def subscribe(self, feeds: dict[str, str]) -> None:
        """Import feeds (url -> group) as OPML and fetch them (titled as their file: /A.xml
        is "A"; coldsweat keeps the OPML's title)."""
        outlines = "".join(
            f"<outline text={quoteattr(g)}><outline type='rss' text={quoteattr(_stem(u))} "
            f"xmlUrl={quoteattr(u)}/></outline>"
            for u, g in feeds.items()
        )
        opml = self.home / f"{uuid.uuid4().hex}.opml"
        opml.write_text(f"<opml version='2.0'><head/><body>{outlines}</body></opml>")
        self.server.command(op="import", email=self.email, opml=str(opml))

    def fetch(self) -> None:
        self.server.command(op="fetch", email=self.email)

    def call(self, *query: str, **form: Any) -> dict[str, Any]:
        """A Fever API call as another client of the same user makes it."""
        reply = self.http.post(
            self.server.url, params="api&" + "&".join(query), data={"api_key": self.key, **form}
        )
        reply.raise_for_status()
        data: dict[str, Any] = reply.json()
        return data

    def items(self) -> dict[str, dict[str, Any]]:
        """title -> item, every item: asked for by id, 50 at a time, until all are found
        (coldsweat answers `since_id` in no particular order, so paging by it skips some),
        then on to the first page past them (a count read once was seen short, in CI)."""
        found: dict[int, dict[str, Any]] = {}
        total, start, page = int(self.call("items").get("total_items", 0)), 1, [{}]
        while len(found) < total or page:
            wanted = ",".join(map(str, range(start, start + 50)))
            page = self.call("items", f"with_ids={wanted}")["items"]
            found.update({i["id"]: i for i in page})
            start += 50
        return {i["title"]: i for i in found.values()}

    def mark(self, titles: list[str], state: str) -> None:
        """Mark items (by title) read, unread, saved or unsaved."""
        items = self.items()
        for title in titles:
            self.call("mark", mark="item", id=items[title]["id"], **{"as": state})


def _stem(url: str) -> str:
    return Path(urlsplit(url).path).stem


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
