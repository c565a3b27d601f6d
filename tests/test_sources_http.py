"""Hostile and broken servers, over real HTTP on loopback: every fault is a clear, classified
error, bounded in time and memory; links into private networks are refused before connecting."""
from __future__ import annotations

import gzip
import time

import pytest

from conftest import Route, query, rss
from flows.sources import http as fetch
from flows.errors import PipelineError, TerminalError, TransientError


@pytest.fixture
def get(settings_factory):
    settings = settings_factory(http_read_timeout=1, http_total_timeout=3, http_max_bytes=1_000_000,
                                http_max_redirects=3)

    def _get(url: str, allowed=("127.0.0.1",)):
        s = settings.model_copy(update={"allowed_private_hosts": list(allowed)})
        with fetch.make_client(s) as client:
            return fetch.get(client, url, max_bytes=s.http_max_bytes, total_timeout=s.http_total_timeout)

    return _get


def _raises(get, url, kind, match, **kw) -> PipelineError:
    start = time.monotonic()
    with pytest.raises(kind, match=match) as info:
        get(url, **kw)
    assert time.monotonic() - start < 8  # bounded, never a hang
    return info.value


def test_hanging_server_times_out(server, get):
    server.routes["/hang"] = Route(body=b"late", delay=5)
    _raises(get, server.url("/hang"), TransientError, "timeout")


def test_trickling_body_hits_the_total_deadline(server, get):
    server.routes["/trickle"] = Route(stream=lambda: (b"x" * 10 for _ in range(100)), chunk_delay=0.5)
    _raises(get, server.url("/trickle"), TransientError, "total limit")


def test_endless_body_is_cut_at_the_cap(server, get):
    server.routes["/endless"] = Route(stream=lambda: (b"y" * 65536 for _ in range(10_000)))
    _raises(get, server.url("/endless"), TerminalError, "too large")


def test_declared_huge_body_is_refused_before_download(server, get):
    server.routes["/huge"] = Route(stream=lambda: iter([b"z"]), headers={"Content-Length": "999999999"})
    _raises(get, server.url("/huge"), TerminalError, "too large")


def test_gzip_bomb_stops_at_the_cap(server, get):
    bomb = gzip.compress(b"\0" * 50_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    server.routes["/bomb"] = Route(body=bomb, headers={"Content-Encoding": "gzip"})
    _raises(get, server.url("/bomb"), TerminalError, "too large")


def test_redirect_loop_is_terminal(server, get):
    server.routes["/loop"] = Route(status=302, headers={"Location": "/loop"})
    _raises(get, server.url("/loop"), TerminalError, "redirect")


def test_429_honours_retry_after(server, get):
    server.routes["/busy"] = Route(status=429, body=b"slow down", headers={"Retry-After": "120"})
    error = _raises(get, server.url("/busy"), TransientError, "429")
    assert error.retry_after == 120


def test_garbage_content_types_are_refused(server, get):
    for ctype in ("image/png", "application/pdf", "application/zip"):
        server.routes["/blob"] = Route(body=b"\x89PNG....", content_type=ctype)
        _raises(get, server.url("/blob"), TerminalError, "content type")


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/x", "http://10.1.2.3/x", "http://169.254.169.254/latest/meta-data/",
                                 "http://[::1]:9/x", "http://224.0.0.1/x", "ftp://example.org/x", "file:///etc/passwd",
                                 # IPv4 carried in IPv6: mapped, compatible, NAT64 (both prefixes), 6to4, Teredo
                                 "http://[::ffff:127.0.0.1]:9/x", "http://[::127.0.0.1]:9/x",
                                 "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/", "http://[64:ff9b:1:a9fe:a9:fe00::]/x",
                                 "http://[2002:7f00:1::]:9/x", "http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/x",
                                 "http://[fec0::1]/x"])
def test_private_and_odd_urls_are_refused_without_connecting(get, url):
    _raises(get, url, TerminalError, "refused", allowed=())


def test_redirect_into_a_private_network_is_refused(server, get):
    server.routes["/to-metadata"] = Route(status=302, headers={"Location": "http://169.254.169.254/latest/"})
    server.routes["/to-lan"] = Route(status=301, headers={"Location": "http://10.0.0.7/admin"})
    for path in ("/to-metadata", "/to-lan"):
        _raises(get, server.url(path), TerminalError, "non-public address")


def test_allow_list_opens_a_network(server, get):
    server.routes["/ok"] = Route(body=b"hello")
    assert get(server.url("/ok"), allowed=("127.0.0.0/8",)).body == b"hello"


@pytest.mark.usefixtures("prefect_harness")
def test_feed_links_into_private_networks_are_recorded_and_the_run_goes_on(server, settings_factory):
    from flows.ingest import ingest

    items = [{"title": "Metadata", "link": "http://169.254.169.254/latest/meta-data/", "description": "x" * 50},
             {"title": "Fine", "link": server.url("/fine.html"), "description": "A fine summary."}]
    server.routes["/fine.html"] = Route(body=b"<html><body><article><p>" + b"Plain words. " * 30 + b"</p></article></body></html>")
    server.routes["/f.xml"] = Route(body=rss(items), content_type="application/rss+xml")
    settings = settings_factory([("f", server.url("/f.xml"))])
    ingest(settings)
    reasons = [r[0] for r in query(settings.database, "SELECT reason FROM errors WHERE stage = 'page'")]
    origins = dict(query(settings.database, "SELECT title, origin FROM articles"))
    assert any("non-public address" in r for r in reasons)
    assert origins == {"Metadata": "feed", "Fine": "page"}


def test_a_host_is_resolved_once_and_the_checked_address_is_the_one_connected(server, get, monkeypatch):
    """DNS rebinding: a name that answers with an allowed address first and a refused one after
    must not reach the refused one. The guard's lookup is the only lookup, and the connection
    goes to the address it checked (the name below exists only in this fake resolver)."""
    import socket

    real = socket.getaddrinfo
    answers = []

    def rebinding(host, port, *args, **kwargs):
        if host != "news.rebind.test":
            return real(host, port, *args, **kwargs)
        address = "127.0.0.1" if not answers else "10.0.0.1"  # first answer allowed, later ones not
        answers.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    server.routes["/story"] = Route(body=b"<html><body>story</body></html>")
    url = server.url("/story").replace("127.0.0.1", "news.rebind.test")
    assert get(url, allowed=("127.0.0.1/32",)).body.startswith(b"<html>")
    assert answers == ["127.0.0.1"]
    answers.clear()
    answers.append("used")  # the name now answers only with 10.0.0.1: refused before any connection
    _raises(get, url, TerminalError, r"non-public address \(10\.0\.0\.1\)", allowed=("127.0.0.1/32",))


def test_public_addresses_in_ipv6_forms_stay_allowed():
    import ipaddress

    from flows.sources.http import is_public

    for address in ("2606:4700:4700::1111", "64:ff9b::808:808", "2002:808:808::1", "8.8.8.8"):
        assert is_public(ipaddress.ip_address(address)), address


def test_a_proxy_carries_fetches_and_the_guard_still_checks_their_targets(server, settings_factory):
    """With `http_proxy` set (HTTP_PROXY), fetches go through it; a target in a private network
    is refused before the proxy is asked; `no_proxy` hosts are fetched directly."""
    proxy = server  # a loopback server that answers absolute-form requests, as a forward proxy does
    target = "http://93.184.216.34/feed.xml"  # a public address: the guard lets it through to the proxy
    proxy.routes[target] = Route(body=b"via the proxy")
    proxy.routes["/direct"] = Route(body=b"direct")
    settings = settings_factory(http_proxy=proxy.base, no_proxy=["127.0.0.1"])
    with fetch.make_client(settings) as client:
        assert fetch.get(client, target, max_bytes=10_000, total_timeout=5).body == b"via the proxy"
        with pytest.raises(TerminalError, match="non-public address"):
            fetch.get(client, "http://10.1.2.3/secret", max_bytes=10_000, total_timeout=5)
        assert fetch.get(client, proxy.url("/direct"), max_bytes=10_000, total_timeout=5).body == b"direct"
    assert [r[0] for r in proxy.requests] == [target, "/direct"]  # the private target never reached it


def test_proxy_settings_come_from_the_usual_variables(monkeypatch):
    from flows.settings import Settings

    monkeypatch.setenv("HTTPS_PROXY", "proxy.corp.example:3128")
    monkeypatch.setenv("NO_PROXY", "localhost, .corp.example")
    settings = Settings()
    assert settings.https_proxy == "http://proxy.corp.example:3128" and settings.http_proxy is None
    assert settings.no_proxy == ["localhost", ".corp.example"]
    assert fetch.bypasses("wiki.corp.example", settings.no_proxy) and not fetch.bypasses("corp.example.org", settings.no_proxy)
