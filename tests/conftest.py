"""Shared fixtures: a real HTTP server on loopback, settings in a temp dir, Prefect's test harness."""
from __future__ import annotations

import os

# Offline-friendly Prefect before anything imports it (tests never reach outside the machine).
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
for _proxy in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"):
    os.environ.pop(_proxy, None)  # tests fetch from loopback servers only; a machine's proxy is not theirs

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def query(database: Path, sql: str, params=()) -> list[tuple]:
    """Rows of `sql` on the database file, read-only, as an analyst would read it."""
    import duckdb

    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared evaluation material is not beside this checkout")
    return path


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    stream: object = None  # a callable giving byte chunks, sent with pauses and no Content-Length
    chunk_delay: float = 0.0


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 serving routes that tests set; records every request."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str], int]] = []
        self.posts: list[tuple[str, bytes, int]] = []
        self.post_statuses: dict[str, list[int]] = {}  # path -> statuses to answer in turn
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                route = server.routes.get(self.path)
                headers = {k.lower(): v for k, v in self.headers.items()}
                if route is None:
                    return self._send(404, b"not found", "text/plain", {}, headers)
                if route.delay:
                    time.sleep(route.delay)
                extra = dict(route.headers)
                if route.etag:
                    extra["ETag"] = route.etag
                if route.last_modified:
                    extra["Last-Modified"] = route.last_modified
                if "if-none-match" in headers:  # RFC 9110: the entity tag takes precedence
                    fresh = bool(route.etag) and headers["if-none-match"] == route.etag
                else:
                    fresh = bool(route.last_modified) and headers.get("if-modified-since") == route.last_modified
                if fresh and route.status == 200:
                    return self._send(304, b"", route.content_type, extra, headers)
                if route.stream is not None:
                    return self._stream(route, extra, headers)
                return self._send(route.status, route.body, route.content_type, extra, headers)

            def _stream(self, route, extra, req_headers):
                server.requests.append((self.path, req_headers, route.status))
                try:
                    self.send_response(route.status)
                    self.send_header("Content-Type", route.content_type)
                    for k, v in extra.items():
                        self.send_header(k, v)
                    self.end_headers()
                    for chunk in route.stream():
                        self.wfile.write(chunk)
                        self.wfile.flush()
                        if route.chunk_delay:
                            time.sleep(route.chunk_delay)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_POST(self):  # noqa: N802 - a webhook receiver: record the body, answer the next status
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                statuses = server.post_statuses.get(self.path) or [200]
                status = statuses.pop(0) if len(statuses) > 1 else statuses[0]
                server.posts.append((self.path, body, status))
                self._send(status, b"{}", "application/json", {}, {k.lower(): v for k, v in self.headers.items()})

            def _send(self, status, body, ctype, extra, req_headers):
                server.requests.append((self.path, req_headers, status))
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    for k, v in extra.items():
                        self.send_header(k, v)
                    self.end_headers()
                    if status != 304:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        ThreadingHTTPServer.request_queue_size = 128
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[tuple[str, dict[str, str], int]]:
        return [r for r in self.requests if r[0] == path]


@pytest.fixture
def server():
    srv = LoopbackServer()
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


def rss(items: list[dict], title: str = "Test feed") -> bytes:
    """An RSS 2.0 document with the given items (title, link, description, pubDate)."""
    parts = [f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
             "<link>http://127.0.0.1/</link><description>test</description>"]
    for n, item in enumerate(items):
        date = item.get("pubDate", formatdate(1_750_000_000 + n * 60, usegmt=True))
        parts.append(f"<item><title>{item['title']}</title><link>{item['link']}</link>"
                     f"<guid>{item['link']}</guid><pubDate>{date}</pubDate>"
                     f"<description><![CDATA[{item.get('description', '')}]]></description></item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


@pytest.fixture
def settings_factory(tmp_path):
    from flows.settings import Settings

    def make(feeds: list[tuple[str, str]] | None = None, seeds: bool = False, **overrides) -> Settings:
        feeds_file = tmp_path / "feeds.toml"
        lines = []
        for name, url, *extra in feeds or []:
            lines += ["[[feeds]]", f'name = "{name}"', f'url = "{url}"']
            lines += [f"{k} = {v}" for k, v in (extra[0] if extra else {}).items()] + [""]
        feeds_file.write_text("\n".join(lines), encoding="utf-8")
        seeds_dir = tmp_path / "seeds"
        seeds_dir.mkdir(exist_ok=True)
        if seeds:
            for f in (ROOT / "seeds").iterdir():
                (seeds_dir / f.name).write_bytes(f.read_bytes())
        values = dict(database=tmp_path / "db" / "test.duckdb", seeds_dir=seeds_dir, feeds_file=feeds_file,
                      http_connect_timeout=2, http_read_timeout=2, http_total_timeout=5, fetch_retries=0,
                      retry_delay=0, page_concurrency=4, lock_timeout=5, allowed_private_hosts=["127.0.0.1"])
        values.update(overrides)
        return Settings(**values)

    return make


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


# A Wednesday morning in Kyiv; tests that need "now" use this, never the wall clock.
FIXED_NOW = datetime(2026, 11, 25, 7, 30, tzinfo=timezone.utc)


@pytest.fixture
def fixed_clock():
    """newswatch's clock stopped at FIXED_NOW for the test."""
    from flows import clock

    with clock.fixed(FIXED_NOW) as now:
        yield now
