"""HTTP with httpx: the only module that talks to the network.

Bodies are streamed and capped (after decompression, so a gzip bomb stops at the cap), the
whole download has a deadline, redirects are capped, and every failure is mapped once to a
TransientError or a TerminalError carrying the URL.
"""
from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

import httpcore
import httpx

from flows import clock
from flows.errors import PipelineError, TerminalError, TransientError
from flows.settings import Settings, is_network

TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504}


@dataclass(frozen=True)
class HttpResult:
    url: str
    status: int
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


BLOCKED_TYPES = ("image/", "audio/", "video/", "font/", "application/pdf", "application/zip",
                 "application/gzip", "application/x-", "application/vnd.", "application/msword")


class Guard:
    """SSRF guard: only http(s), and no host that resolves to a loopback, private, link-local
    (cloud metadata), multicast or reserved address unless the allow-list opens it.

    `check` runs on every request, redirects included (the scheme); `resolve` runs when a
    connection is opened, before anything is sent: the host is looked up once, every address is
    checked, and the connection goes to a checked address. No second lookup happens, so a DNS
    answer that changes between check and connect (rebinding) cannot reach a refused address.
    """

    def __init__(self, allowed: list[str]):
        self.hosts = {a.lower() for a in allowed if not is_network(a)}
        self.networks = [ipaddress.ip_network(a, strict=False) for a in allowed if is_network(a)]

    def check(self, url: httpx.URL) -> None:
        if url.scheme not in ("http", "https"):
            raise TerminalError(f"refused: only http and https URLs are fetched, not {url.scheme!r}", url=str(url))
        host = (url.host or "").lower()
        if not host:
            raise TerminalError("refused: URL without a host", url=str(url))

    def resolve(self, host: str, port: int) -> list[str]:
        """The addresses to connect to for `host`; raises TerminalError if any is refused."""
        host = host.lower()
        if host in self.hosts:
            return [host]
        try:
            literal = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            literal = None
        if literal is not None:
            self._allow(host, [literal])
            return [host.strip("[]")]
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise TransientError(f"connection failed: cannot resolve {host}: {exc}") from None
        addresses = list(dict.fromkeys(info[4][0].split("%")[0] for info in infos))
        self._allow(host, [ipaddress.ip_address(a) for a in addresses])
        return addresses

    def _allow(self, host: str, addresses: list) -> None:
        for address in addresses:
            if not is_public(address) and not any(address in net for net in self.networks):
                raise TerminalError(f"refused: {host} resolves to a non-public address ({address}); "
                                    "add it to allowed_private_hosts to fetch it")


NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries: mapped, compatible, NAT64 (both prefixes),
    6to4 and Teredo (server and client). A connection to the IPv6 form can reach the IPv4 one."""
    found = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
    packed = address.packed
    if address in IPV4_COMPATIBLE and int(address) > 1:
        found.append(ipaddress.IPv4Address(packed[12:]))
    if address in NAT64:
        found.append(ipaddress.IPv4Address(packed[12:]))
    if address in NAT64_LOCAL:  # RFC 6052 /48 layout: bits 48-63 and 72-87, around the u-octet
        found.append(ipaddress.IPv4Address(packed[6:8] + packed[9:11]))
    return [a for a in found if a is not None]


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Global unicast, and for IPv6 neither site-local nor carrying a non-public IPv4 address."""
    if not address.is_global or address.is_multicast:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        return not address.is_site_local and all(is_public(v4) for v4 in embedded_ipv4(address))
    return True


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to addresses the Guard resolved and checked."""

    def __init__(self, guard: Guard):
        self.guard = guard

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        failure = None
        for address in self.guard.resolve(host, port):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc  # try the host's next address
        raise failure


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport whose connection pool uses the GuardedBackend (TLS still verifies the
    certificate against the host name: only the TCP connection goes to the checked address)."""

    def __init__(self, guard: Guard, limits: httpx.Limits):
        super().__init__(verify=_ssl_context(), limits=limits, trust_env=False)
        # httpx takes no network backend, so its pool (`_pool`, httpx 0.28 as locked) is replaced
        # by the same pool built with ours.
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(), max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections, keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(guard),
        )


class ProxyRouter(httpx.BaseTransport):
    """Sends each request through the proxy of its scheme, or directly for hosts in `no_proxy`.
    A proxied request's target host is resolved and checked by the guard first (the proxy
    itself, the operator's own, is not): the proxy resolves it again, so DNS rebinding between
    the two lookups is the one gap a proxy leaves."""

    def __init__(self, guard: Guard, direct: httpx.BaseTransport, proxies: dict[str, httpx.BaseTransport],
                 no_proxy: list[str]):
        self.guard, self.direct, self.proxies, self.no_proxy = guard, direct, proxies, no_proxy

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        proxy = self.proxies.get(request.url.scheme)
        host = (request.url.host or "").lower()
        if proxy is None or bypasses(host, self.no_proxy):
            return self.direct.handle_request(request)
        self.guard.resolve(host, request.url.port or (443 if request.url.scheme == "https" else 80))
        return proxy.handle_request(request)

    def close(self) -> None:
        for transport in (self.direct, *self.proxies.values()):
            transport.close()


def bypasses(host: str, no_proxy: list[str]) -> bool:
    """Whether `host` is fetched directly: `*`, the host itself, or a domain it belongs to."""
    return any(entry == "*" or host == entry.lstrip(".") or host.endswith("." + entry.lstrip("."))
               for entry in no_proxy)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context per process: loading the CA bundle costs ~60 ms each time."""
    return httpx.create_ssl_context()


def make_client(settings: Settings) -> httpx.Client:
    timeout = httpx.Timeout(
        connect=settings.http_connect_timeout, read=settings.http_read_timeout,
        write=settings.http_read_timeout, pool=settings.http_total_timeout,
    )
    limits = httpx.Limits(max_connections=max(settings.page_concurrency, settings.feed_concurrency) * 2)
    guard = Guard(settings.allowed_private_hosts)
    transport: httpx.BaseTransport = GuardedTransport(guard, limits)
    proxies = {scheme: httpx.HTTPTransport(proxy=url, verify=_ssl_context(), limits=limits, trust_env=False)
               for scheme, url in (("http", settings.http_proxy), ("https", settings.https_proxy)) if url}
    if proxies:
        transport = ProxyRouter(guard, transport, proxies, settings.no_proxy)
    return httpx.Client(
        timeout=timeout, follow_redirects=True, max_redirects=settings.http_max_redirects,
        headers={"User-Agent": settings.http_user_agent, "Accept-Encoding": "gzip, deflate"},
        transport=transport,
        event_hooks={"request": [lambda request: guard.check(request.url)]},  # every hop, redirects too
    )


def get(
    client: httpx.Client, url: str, *, max_bytes: int, total_timeout: float,
    etag: str | None = None, last_modified: str | None = None,
) -> HttpResult:
    """GET `url`, conditionally when validators are given. Raises PipelineError on failure."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        return _stream(client, url, headers, max_bytes, time.monotonic() + total_timeout)
    except PipelineError as exc:
        exc.url = exc.url or url
        raise
    except httpx.TimeoutException as exc:
        raise TransientError(f"timeout ({type(exc).__name__})", url=url) from None
    except httpx.TooManyRedirects:
        raise TerminalError("too many redirects (or a redirect loop)", url=url) from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise TerminalError(f"unsupported URL: {exc}", url=url) from None
    except httpx.DecodingError as exc:
        raise TerminalError(f"undecodable body: {exc}", url=url) from None
    except (httpx.TransportError, OSError) as exc:
        raise TransientError(f"connection failed: {type(exc).__name__}: {exc}", url=url) from None


def _stream(client: httpx.Client, url: str, headers: dict[str, str], max_bytes: int, deadline: float) -> HttpResult:
    with client.stream("GET", url, headers=headers) as resp:
        if resp.status_code == 304:
            return _result(resp, b"")
        _check_status(resp, url)
        ctype = resp.headers.get("content-type", "").lower()
        if ctype.startswith(BLOCKED_TYPES):
            raise TerminalError(f"unexpected content type {ctype.split(';')[0]}", url=url)
        declared = resp.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise TerminalError(f"body too large: {declared} bytes declared, cap {max_bytes}", url=url)
        chunks, size = [], 0
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise TerminalError(f"body too large: over {max_bytes} bytes", url=url)
            if time.monotonic() > deadline:
                raise TransientError("timeout: download took longer than the total limit", url=url)
            chunks.append(chunk)
        return _result(resp, b"".join(chunks))


def _check_status(resp: httpx.Response, url: str) -> None:
    status = resp.status_code
    if status < 400:
        return
    reason = f"HTTP {status} {resp.reason_phrase}".strip()
    if status in TRANSIENT_STATUS or status >= 500:
        retry_after = retry_after_seconds(resp.headers.get("retry-after"))
        if retry_after is not None:
            reason += f" (Retry-After: {retry_after:.0f} s)"
        error = TransientError(reason, url=url, status=status)
        error.retry_after = retry_after
        raise error
    raise TerminalError(reason, url=url, status=status)


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), capped at a day."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), 86400.0)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None

    return max(0.0, min((when - clock.now()).total_seconds(), 86400.0))


def _result(resp: httpx.Response, body: bytes) -> HttpResult:
    h = resp.headers
    return HttpResult(
        url=str(resp.url), status=resp.status_code, body=body, etag=h.get("etag"),
        last_modified=h.get("last-modified"), content_type=h.get("content-type"),
        headers={k.lower(): v for k, v in h.items()},
    )
