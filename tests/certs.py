"""Certificates for TLS tests, made with the openssl command: a test CA and server
certificates for 127.0.0.1 that it signed (good, expired, for another host), one self-signed
and one an unknown CA signed."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from pathlib import Path

import pytest

from tests.feedserver import FeedServer

_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
_LOOPBACK = "subjectAltName=IP:127.0.0.1"
_SUBJECT = ["-subj", "/CN=127.0.0.1"]


class Certificates:
    """The files in `folder`: `ca.pem` (the test CA) and NAME.pem/NAME.key for each server."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.openssl = shutil.which("openssl") or pytest.skip("needs the openssl command")
        self._authority("ca")
        self._authority("other-ca")
        self._signed("good", "ca", _LOOPBACK, days="1")
        self._signed("expired", "ca", _LOOPBACK, days="-1")
        self._signed("wrong-host", "ca", "subjectAltName=DNS:example.com", days="1")
        self._signed("unknown-issuer", "other-ca", _LOOPBACK, days="1")
        self._run("req", "-x509", *_KEY, *self._pair("self-signed"), *_SUBJECT, "-days", "1")

    @property
    def ca(self) -> Path:
        return self.pem("ca")

    def pem(self, name: str) -> Path:
        return self.folder / f"{name}.pem"

    def serve(self, name: str) -> FeedServer:
        """A FeedServer speaking TLS with the certificate `name`."""
        server = FeedServer()
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(self.pem(name), self.folder / f"{name}.key")
        server.httpd.socket = tls.wrap_socket(server.httpd.socket, server_side=True)
        return server

    def _authority(self, name: str) -> None:
        constraints = ["-addext", "basicConstraints=critical,CA:TRUE"]
        usage = ["-addext", "keyUsage=critical,keyCertSign"]
        subject = ["-subj", f"/CN=newsdesk test {name}", "-days", "2"]
        self._run("req", "-x509", *_KEY, *self._pair(name), *subject, *constraints, *usage)

    def _signed(self, name: str, issuer: str, names: str, days: str) -> None:
        request = self.folder / f"{name}.csr"
        extensions = self.folder / f"{name}.ext"
        extensions.write_text(names + "\n")
        self._run("req", *_KEY, "-keyout", self.folder / f"{name}.key", "-out", request, *_SUBJECT)
        self._run("x509", "-req", "-in", request, "-CA", self.pem(issuer), "-CAkey",
                  self.folder / f"{issuer}.key", "-set_serial", "7", "-days", days,
                  "-extfile", extensions, "-out", self.pem(name))  # fmt: skip

    def _pair(self, name: str) -> list[str | Path]:
        return ["-keyout", self.folder / f"{name}.key", "-out", self.pem(name)]

    def _run(self, *args: str | Path) -> None:
        subprocess.run([self.openssl, *args], check=True, capture_output=True)
