"""The network the environment describes: its proxies and the certificates it trusts.

Proxies: HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY (or their lower-case names), read
as httpx reads them, each behind a `ProxyRoute` that names its proxy (never its password) when
a failure is the proxy's own: nothing listens, its host is unknown, it asks for a password
(407), it refuses the tunnel. SOCKS proxies (`socks5://`, an `ssh -D` tunnel) go through
httpx's SOCKS support (the socksio package).

Certificates: SSL_CERT_FILE or SSL_CERT_DIR, else certifi's bundle, as httpx reads them; one
that cannot be read is a `CertificateSetupError` naming the variable and the file, raised for
https requests alone, so plain-http feeds never depend on it.

`failure_reason`: a transport failure as a short reason, each said as what it is (a refused
connection, a TLS handshake a plain-HTTP port reset, the proxy's own failure).
"""

from __future__ import annotations

import errno
import os
import ssl
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

import httpx

from tui.text import clean_line, one_line
from tui.weburl import shown_address

_WHY_NOT_TRUSTED = {
    9: "not valid yet",
    10: "expired",
    18: "self-signed",
    19: "a self-signed certificate in the chain",
    2: "unknown issuer",
    20: "unknown issuer",
    21: "unknown issuer",
    23: "revoked",
    62: "issued for another host name",
    64: "issued for another address",
}
"""OpenSSL's verify codes (X509_V_ERR_*) as the reason a certificate is not trusted."""
_ISSUER_CODES = frozenset({2, 18, 19, 20, 21})
"""Codes that depend on which certificates are trusted: their message names the setting."""


class CertificateSetupError(Exception):
    """The environment's certificate setting cannot be read; `str()` names it (one line)."""


class ProxyFailure(httpx.TransportError):
    """A request through `proxy` that failed with `error` (also its cause)."""

    def __init__(self, proxy: Proxy, error: httpx.TransportError) -> None:
        super().__init__(str(error))
        self.proxy, self.error = proxy, error

    @property
    def the_proxys(self) -> bool:
        """True when the proxy itself failed (it cannot be reached or refused the request),
        not the feed's server behind it (its certificate, through the proxy's tunnel)."""
        if any(isinstance(c, ssl.SSLError) for c in causes(self.error)):
            return False
        return isinstance(self.error, httpx.ProxyError | httpx.ConnectError | httpx.ConnectTimeout)

    def blame(self, reason: str) -> str:
        """The failure's reason, naming the proxy when the failure is its own."""
        if not self.the_proxys:
            return reason
        if reason.startswith("HTTP 407"):
            reason += self.proxy.password_hint
        return f"proxy {self.proxy.shown}: {reason}"


@dataclass(frozen=True)
class Proxy:
    """A proxy named by the environment."""

    url: str
    variable: str
    """Where it was set: HTTP_PROXY, HTTPS_PROXY or ALL_PROXY (or the lower-case name)."""

    @property
    def password_hint(self) -> str:
        """What to check when the proxy asks for a password (HTTP 407)."""
        try:
            given = urlsplit(self.url).password is not None
        except ValueError:
            given = False
        if given:
            return f": the user:password in {self.variable} was refused"
        return f", and {self.variable} gives no user:password"

    @property
    def shown(self) -> str:
        """The proxy's address as a message shows it: without a user name or password."""
        try:
            return clean_line(shown_address(self.url, path=False))
        except ValueError:
            return f"{self.variable} (not a proxy address)"


def proxy_mounts(pool: httpx.Limits) -> dict[str, httpx.AsyncBaseTransport | None]:
    """The environment's proxies as an httpx client's `mounts` (NO_PROXY's hosts: None,
    straight), or none: the same routes httpx would take, each proxy behind a `ProxyRoute`."""
    from httpx._utils import get_environment_proxies  # httpx's own reading of the variables

    return {
        pattern: None if url is None else ProxyRoute(Proxy(url, _variable(pattern)), pool)
        for pattern, url in get_environment_proxies().items()
    }


def _variable(pattern: str) -> str:
    """The variable a proxy's pattern comes from ("https://" -> HTTPS_PROXY)."""
    return pattern.removesuffix("://").upper() + "_PROXY"


class ProxyRoute(httpx.AsyncBaseTransport):
    """httpx's transport through one proxy, made at its first request (a refresh that never
    uses it loads no certificates for it); its own failures raised as `ProxyFailure`."""

    def __init__(self, proxy: Proxy, pool: httpx.Limits) -> None:
        self.proxy, self._pool = proxy, pool
        self._transport: httpx.AsyncHTTPTransport | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await self._made().handle_async_request(request)
        except httpx.TransportError as exc:
            raise ProxyFailure(self.proxy, exc) from exc
        if response.status_code == 407:  # only ever a proxy's answer, here through plain http
            await response.aclose()
            asked = httpx.ProxyError("HTTP 407 Proxy Authentication Required")
            raise ProxyFailure(self.proxy, asked)
        return response

    def _made(self) -> httpx.AsyncHTTPTransport:
        if self._transport is None:
            try:
                self._transport = httpx.AsyncHTTPTransport(
                    proxy=self.proxy.url, verify=_context_or_none(), limits=self._pool
                )
            except ImportError as exc:  # an install without httpx's SOCKS extra
                missing = httpx.ProxyError("SOCKS proxies need the socksio package")
                raise ProxyFailure(self.proxy, missing) from exc
            except httpx.InvalidURL as exc:
                raise ProxyFailure(self.proxy, httpx.ProxyError("not a proxy address")) from exc
            except ValueError as exc:  # another scheme ("socks4://")
                unusable = httpx.ProxyError("not usable: http, https and socks5 proxies work")
                raise ProxyFailure(self.proxy, unusable) from exc
        return self._transport

    async def aclose(self) -> None:
        if self._transport is not None:
            await self._transport.aclose()


# -- certificates ------------------------------------------------------------------------


def tls_context() -> ssl.SSLContext:
    """The TLS context for https requests, trusting what the environment says (as httpx
    does); `CertificateSetupError` when SSL_CERT_FILE or SSL_CERT_DIR cannot be read."""
    return _context(os.environ.get("SSL_CERT_FILE") or None, os.environ.get("SSL_CERT_DIR") or None)


@cache
def _context(file: str | None, folder: str | None) -> ssl.SSLContext:
    # The variables' values are the cache's key: one changed is read again.
    if file is None and folder is not None and not os.path.isdir(folder):
        raise CertificateSetupError(f"SSL_CERT_DIR={clean_line(folder)}: not a folder")
    try:
        return httpx.create_ssl_context()
    except OSError as exc:  # ssl.SSLError is one
        raise CertificateSetupError(f"{_trust_setting() or 'certifi'}: {_unreadable(exc)}") from exc


def _context_or_none() -> ssl.SSLContext:
    """The TLS context, or one trusting nothing where it cannot be made: a proxy still
    carries plain-http requests (`fetch` refuses https ones first, with the reason)."""
    try:
        return tls_context()
    except CertificateSetupError:
        return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def _trust_setting() -> str | None:
    """The variable (and its value) that says which certificates are trusted, if one does."""
    for variable in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        if value := os.environ.get(variable):
            return f"{variable}={clean_line(value)}"
    return None


def _unreadable(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, IsADirectoryError):
        return "a folder, not a file"
    if isinstance(error, PermissionError):
        return "not readable"
    if isinstance(error, ssl.SSLError):
        return "no certificate in it"
    return one_line(error)


def untrusted_reason(error: ssl.SSLCertVerificationError) -> str:
    """Why a server's certificate was refused: "certificate not trusted: expired"."""
    reason = _WHY_NOT_TRUSTED.get(error.verify_code) or clean_line(error.verify_message)
    setting = _trust_setting() if error.verify_code in _ISSUER_CODES else None
    return f"certificate not trusted: {reason}" + (f" (trusting {setting})" if setting else "")


def causes(exc: BaseException) -> list[BaseException]:
    """The exception and those it was raised from, nearest first (at most 10)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def failure_reason(
    exc: httpx.HTTPError, connect_timeout: float, timeout: float, https: bool
) -> str:
    """A short reason for a transport failure ("connection refused", "timed out after 20 s"),
    naming the proxy when the failure is the proxy's ("proxy http://host:3128: ...")."""
    if isinstance(exc, ProxyFailure):
        return exc.blame(failure_reason(exc.error, connect_timeout, timeout, https))
    if isinstance(exc, httpx.ProxyError):  # the proxy's answer to a tunnel ("407 Proxy ...")
        answer = clean_line(str(exc)) or "refused"
        return f"HTTP {answer}" if answer[:3].isdigit() else answer
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return f"could not connect within {connect_timeout:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out after {timeout:g} s"
    chain = causes(exc)
    text = " ".join(str(c) for c in chain).lower()
    if untrusted := next((c for c in chain if isinstance(c, ssl.SSLCertVerificationError)), None):
        return "TLS error: " + untrusted_reason(untrusted)
    if any(isinstance(c, ssl.SSLError) for c in chain) or "[ssl" in text:
        return "TLS error: " + (clean_line(str(exc)) or "handshake failed")
    if any(isinstance(c, ConnectionResetError) for c in chain):
        # Reset while connecting to https: the handshake, as a plain-HTTP port answers it.
        handshake = https and isinstance(exc, httpx.ConnectError)
        return _HANDSHAKE_RESET if handshake else "the server reset the connection"
    refused = any(isinstance(c, ConnectionRefusedError) for c in chain) or "refused" in text
    if refused or f"[errno {errno.ECONNREFUSED}]" in text:  # one of several addresses
        return "connection refused"
    if "name or service not known" in text or "nodename nor servname" in text:
        return "cannot resolve host name"
    if "location header" in text:  # httpx checks Location itself, even without following
        return "redirect to an invalid URL"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "server broke the connection: " + (clean_line(str(exc)) or "protocol error")
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "only http and https URLs can be fetched"
    return one_line(exc)


_HANDSHAKE_RESET = (
    "TLS error: the server reset the connection at the handshake (not an https port?)"
)
