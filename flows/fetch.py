"""HTTP with httpx: the only module that talks to the network.

Bodies are streamed and capped (after decompression, so a gzip bomb stops at the cap), the
whole download has a deadline, redirects are capped, and every failure is mapped once to a
TransientError or a TerminalError carrying the URL.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import httpx

from flows.errors import PipelineError, TerminalError, TransientError
from flows.settings import Settings

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


def make_client(settings: Settings) -> httpx.Client:
    timeout = httpx.Timeout(
        connect=settings.http_connect_timeout, read=settings.http_read_timeout,
        write=settings.http_read_timeout, pool=settings.http_total_timeout,
    )
    limits = httpx.Limits(max_connections=max(settings.page_concurrency, settings.feed_concurrency) * 2)
    return httpx.Client(
        timeout=timeout, limits=limits, follow_redirects=True, max_redirects=settings.http_max_redirects,
        headers={"User-Agent": settings.http_user_agent, "Accept-Encoding": "gzip, deflate"},
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
    except PipelineError:
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
        retry_after = resp.headers.get("retry-after")
        if retry_after:
            reason += f" (Retry-After: {retry_after})"
        raise TransientError(reason, url=url, status=status)
    raise TerminalError(reason, url=url, status=status)


def _result(resp: httpx.Response, body: bytes) -> HttpResult:
    h = resp.headers
    return HttpResult(
        url=str(resp.url), status=resp.status_code, body=body, etag=h.get("etag"),
        last_modified=h.get("last-modified"), content_type=h.get("content-type"),
        headers={k.lower(): v for k, v in h.items()},
    )
