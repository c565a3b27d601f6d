"""The ingest flow end to end against a loopback HTTP server serving feeds and real pages."""
from __future__ import annotations

import json

import pytest

from conftest import Route, query, rss, shared_path

pytestmark = pytest.mark.usefixtures("prefect_harness")


def _pages(n: int):
    """The first n real pages that have expected snippets: (file name, bytes, expected)."""
    folder = shared_path("realdata", "pages")
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    out = []
    for spec in sorted(expected.values(), key=lambda v: v["file"]):
        if spec.get("with"):
            out.append((spec["file"], (folder / spec["file"]).read_bytes(), spec))
        if len(out) == n:
            break
    return out


def _serve_feed(server, path: str, pages, *, etag: str | None = '"v1"'):
    items = []
    for name, body, _ in pages:
        server.routes[f"/pages/{name}"] = Route(body=body)
        items.append({"title": f"Article {name}", "link": server.url(f"/pages/{name}"),
                      "description": f"Summary of {name}"})
    server.routes[path] = Route(body=rss(items), content_type="application/rss+xml", etag=etag,
                                last_modified="Wed, 25 Nov 2026 10:00:00 GMT")
    return items


def _the_file_alone_holds_everything(database, tmp_path, articles: int) -> None:
    """After a run the database file is complete on its own: a copy of it without the
    write-ahead log (a plain backup) has every article."""
    import shutil

    copy = tmp_path / "copied-alone.duckdb"
    shutil.copyfile(database, copy)
    assert query(copy, "SELECT count(*) FROM articles") == [(articles,)]


def test_articles_land_cleaned_and_rerun_adds_nothing(server, settings_factory, tmp_path):
    from flows.ingest import ingest

    pages = _pages(6)
    _serve_feed(server, "/a.xml", pages[:3])
    _serve_feed(server, "/b.xml", pages[3:])
    settings = settings_factory([("a", server.url("/a.xml")), ("b", server.url("/b.xml"))], seeds=True)

    first = ingest(settings)
    assert (first.feeds_ok, first.feeds_failed, first.articles_new) == (2, 0, 7)
    rows = dict(query(settings.database, "SELECT url, text FROM articles WHERE origin = 'page'"))
    assert len(rows) == 6
    for name, _, spec in pages:
        text = " ".join(rows[server.url(f"/pages/{name}")].split())
        assert any(" ".join(s.split()) in text for s in spec["with"]), name
    facts_before = query(settings.database, "SELECT count(*) FROM weapons")[0][0]
    assert facts_before > 0  # the seed article's weapons
    _the_file_alone_holds_everything(settings.database, tmp_path, articles=7)

    page_hits = len([r for r in server.requests if r[0].startswith("/pages/")])
    second = ingest(settings)
    assert (second.articles_new, second.articles_updated, second.feeds_not_modified) == (0, 0, 2)
    assert len([r for r in server.requests if r[0].startswith("/pages/")]) == page_hits
    conditional = server.hits("/a.xml")[-1]
    assert conditional[1].get("if-none-match") == '"v1"' and conditional[2] == 304
    assert query(settings.database, "SELECT count(*) FROM articles")[0][0] == 7
    assert query(settings.database, "SELECT count(*) FROM weapons")[0][0] == facts_before
    assert query(settings.database, "SELECT count(*) FROM runs WHERE status = 'completed'")[0][0] == 2


def test_changed_feed_adds_only_new_entries(server, settings_factory):
    from flows.ingest import ingest

    pages = _pages(4)
    _serve_feed(server, "/feed.xml", pages[:2])
    settings = settings_factory([("f", server.url("/feed.xml"))])
    assert ingest(settings).articles_new == 2
    _serve_feed(server, "/feed.xml", pages, etag='"v2"')
    before = {r[0] for r in server.requests}
    result = ingest(settings)
    assert (result.articles_new, result.articles_unchanged) == (2, 2)
    fetched = [r[0] for r in server.requests if r[0].startswith("/pages/")]
    assert sorted(p for p in fetched if p not in before or fetched.count(p) > 1) == sorted(
        f"/pages/{name}" for name, _, _ in pages[2:])


def test_failures_become_stored_errors_while_others_complete(server, settings_factory):
    from flows.ingest import ingest

    good = _pages(2)
    _serve_feed(server, "/good.xml", good)
    server.routes["/broken.xml"] = Route(body=b"<rss><channel><title>x</title><item><title>unclosed",
                                         content_type="application/rss+xml")
    server.routes["/garbage.xml"] = Route(body=b"\x00\x01 this is not a feed at all", content_type="text/plain")
    server.routes["/500.xml"] = Route(status=500, body=b"oops")
    server.routes["/slow.xml"] = Route(body=rss([]), delay=4)
    items = [{"title": "Gone", "link": server.url("/pages/missing"), "description": "A summary that survives."},
             {"title": "Boom", "link": server.url("/pages/error"), "description": "Another summary."}]
    server.routes["/mixed.xml"] = Route(body=rss(items), content_type="application/rss+xml")
    server.routes["/pages/error"] = Route(status=500, body=b"err")
    settings = settings_factory(
        [("good", server.url("/good.xml")), ("broken", server.url("/broken.xml")),
         ("garbage", server.url("/garbage.xml")), ("down", server.url("/500.xml")),
         ("slow", server.url("/slow.xml")), ("mixed", server.url("/mixed.xml"))],
        http_read_timeout=1, http_total_timeout=2,
    )
    result = ingest(settings)
    assert result.feeds_ok >= 2 and result.feeds_failed >= 3
    errors = query(settings.database, "SELECT stage, source_id, error_class, reason FROM errors")
    by_source = {}
    for stage, source, klass, reason in errors:
        by_source.setdefault(source, []).append((stage, klass, reason))
    assert any("HTTP 500" in r for _, k, r in by_source["down"] if k == "transient")
    assert any("timeout" in r for _, k, r in by_source["slow"])
    assert by_source["garbage"][0][1] == "terminal"
    assert any("404" in r for stage, _, r in by_source["mixed"] if stage == "page")
    # the pages that failed were kept with the feed's own summary, the fallback recorded
    fallback = dict(query(settings.database, "SELECT title, origin FROM articles WHERE source_id = 'mixed'"))
    assert fallback == {"Gone": "feed", "Boom": "feed"}
    assert query(settings.database, "SELECT count(*) FROM articles WHERE source_id = 'good'")[0][0] == 2
    health = dict(query(settings.database, "SELECT source_id, consecutive_errors FROM sources"))
    assert health["down"] == 1 and health["good"] == 0


def test_every_realdata_feed_is_ingested_without_exception(server, settings_factory):
    from flows.ingest import ingest

    folder = shared_path("realdata", "feeds")
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    feeds = []
    for n, path in enumerate(files):
        server.routes[f"/f{n}"] = Route(body=path.read_bytes(), content_type="application/xml")
        feeds.append((f"feed{n}", server.url(f"/f{n}")))
    settings = settings_factory(feeds, fetch_pages=False)  # their links point off this machine
    result = ingest(settings)
    assert result.feeds_ok + result.feeds_failed == len(files)
    status = dict(query(settings.database, "SELECT source_id, last_status FROM sources WHERE kind = 'feed'"))
    assert len(status) == len(files) and set(status.values()) <= {"ok", "error"}
    failed = {s for s, st in status.items() if st == "error"}
    reasons = dict(query(settings.database, "SELECT source_id, reason FROM errors WHERE stage = 'feed' "
                                    "AND error_class <> 'warning'"))
    assert failed == set(reasons) and all(reasons.values())
    from flows.sources.feeds import parse_feed

    headers = {"content-type": "application/xml"}
    expected = {i.article_id for n, p in enumerate(files) for i in parse_feed(f"feed{n}", p.read_bytes(), headers).items}
    stored = {r[0] for r in query(settings.database, "SELECT article_id FROM articles")}
    textless = query(settings.database, "SELECT count(*) FROM errors WHERE stage = 'entry'")[0][0]
    assert stored <= expected and len(stored) + textless >= len(expected)  # nothing lost
    assert len(stored) >= 15
    # ill-formed documents with entries keep them and record the problem as a warning
    assert query(settings.database, "SELECT count(*) FROM errors WHERE error_class = 'warning'")[0][0] > 0


def test_feeds_are_polled_at_their_own_cadence(server, settings_factory, fixed_clock):
    from datetime import timedelta

    from flows.ingest import ingest

    pages = _pages(3)
    for path, page in (("/hourly.xml", pages[0]), ("/every.xml", pages[1]), ("/ttl.xml", pages[2])):
        _serve_feed(server, path, [page], etag=None)
    ttl_body = server.routes["/ttl.xml"].body.replace(b"<channel>", b"<channel><ttl>30</ttl>")
    server.routes["/ttl.xml"] = Route(body=ttl_body, content_type="application/rss+xml")
    server.routes["/down.xml"] = Route(status=503, body=b"maintenance")
    settings = settings_factory([("hourly", server.url("/hourly.xml"), {"interval_minutes": 60}),
                                 ("every", server.url("/every.xml")), ("ttl", server.url("/ttl.xml")),
                                 ("down", server.url("/down.xml"))])
    first = ingest(settings)
    assert first.feeds_not_due == 0
    second = ingest(settings)
    assert second.feeds_not_due == 3  # hourly, ttl and the failing feed wait; "every" is polled again
    assert [len(server.hits(p)) for p in ("/hourly.xml", "/every.xml", "/ttl.xml", "/down.xml")] == [1, 2, 1, 1]
    polls = dict(query(settings.database, "SELECT source_id, next_poll FROM sources WHERE kind = 'feed'"))
    now = fixed_clock
    assert polls["hourly"] - now == timedelta(minutes=60)
    assert polls["ttl"] - now == timedelta(minutes=30)
    assert polls["every"] is None
    assert timedelta(seconds=30) < polls["down"] - now <= timedelta(minutes=1.3)  # backs off, comes back
    forced = ingest(settings, force=True)  # "I fixed the feed, poll it now"
    assert forced.feeds_not_due == 0
    assert [len(server.hits(p)) for p in ("/hourly.xml", "/every.xml", "/ttl.xml", "/down.xml")] == [2, 3, 2, 2]


def _bare_feed(entries: list[str]) -> bytes:
    """An RSS document of raw <item> bodies (rss() always gives a title)."""
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>http://127.0.0.1/</link>'
            "<description>d</description>" + "".join(f"<item>{e}</item>" for e in entries) + "</channel></rss>").encode()


def test_the_entry_with_text_wins_and_a_textless_one_is_recorded_once(server, settings_factory):
    """Two feeds list one link; the first lists it without any text. The entry with text is
    stored. A feed's textless entry is recorded once, not on every run, until it changes."""
    from flows.ingest import ingest

    link = "https://wire.example/kyiv-strike"
    server.routes["/bare.xml"] = Route(body=_bare_feed([f"<link>{link}</link>",
                                                         "<link>https://wire.example/empty</link>"]),
                                       content_type="application/rss+xml")
    server.routes["/full.xml"] = Route(body=rss([{"title": "Kyiv strike", "link": link,
                                                  "description": "Russia launched 120 drones at Kyiv overnight."}]),
                                       content_type="application/rss+xml")
    settings = settings_factory([("bare", server.url("/bare.xml")), ("full", server.url("/full.xml"))], fetch_pages=False)
    first = ingest(settings)
    assert first.articles_new == 1
    assert query(settings.database, "SELECT source_id, text FROM articles") == \
        [("full", "Russia launched 120 drones at Kyiv overnight.")]
    assert query(settings.database, "SELECT launched FROM weapons") == [(120,)]
    no_text = "SELECT count(*) FROM errors WHERE reason = 'entry has no text'"
    assert query(settings.database, no_text) == [(1,)]  # the empty entry of the bare feed
    second = ingest(settings)
    assert (second.articles_new, second.errors) == (0, 0) and query(settings.database, no_text) == [(1,)]
    server.routes["/bare.xml"] = Route(body=_bare_feed(
        [f"<link>{link}</link>", "<link>https://wire.example/empty</link><title>Now with a title</title>"]),
        content_type="application/rss+xml")
    third = ingest(settings)
    assert third.articles_new == 1 and query(settings.database, no_text) == [(1,)]


def test_a_feed_taken_out_of_the_list_is_retired_and_comes_back(server, settings_factory, fixed_clock, tmp_path):
    from flows.ingest import ingest

    pages = _pages(2)
    _serve_feed(server, "/a.xml", [pages[0]], etag=None)
    server.routes["/b.xml"] = Route(status=503, body=b"maintenance")
    both = settings_factory([("a", server.url("/a.xml")), ("b", server.url("/b.xml"))])
    ingest(both)
    health = lambda: sorted(r[0] for r in query(both.database, "SELECT source_id FROM v_feed_health WHERE kind = 'feed'"))  # noqa: E731
    assert health() == ["a", "b"]
    listed_a = tmp_path / "only-a.toml"
    listed_a.write_text(f'[[feeds]]\nname = "a"\nurl = "{server.url("/a.xml")}"\n')
    only_a = both.model_copy(update={"feeds_file": listed_a})
    ingest(only_a)
    assert health() == ["a"]  # b is no longer watched: not "failing" forever
    assert query(both.database, "SELECT count(*) FROM sources WHERE source_id = 'b' AND retired_at IS NOT NULL")[0][0] == 1
    ingest(both, force=True)
    assert health() == ["a", "b"]
