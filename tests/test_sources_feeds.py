"""Feed documents into entries (flows/sources/feeds.py) and stable ids (flows/sources/ids.py)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flows.sources.feeds import html_to_text, parse_feed
from flows.sources.ids import canonical_url, url_id

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Wire</title><link>https://wire.example/</link><description>x</description><ttl>45</ttl>
<item><title>Drones hit &lt;b&gt;Odesa&lt;/b&gt;</title>
  <link>https://Wire.example/world/odesa?utm_source=rss&amp;id=7#top</link>
  <description>Short teaser.</description>
  <content:encoded><![CDATA[<p>Russia launched 40 drones at Odesa overnight.</p><p>Two people were injured.</p>]]></content:encoded>
  <pubDate>Mon, 30 Nov 2026 07:15:00 +0200</pubDate></item>
<item><title>Guid only</title><guid>https://wire.example/guid-only</guid><description>Text.</description></item>
<item><description>   </description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom wire</title><id>urn:x</id><updated>2026-11-30T06:00:00Z</updated>
<entry><title>Talks in Geneva</title><link href="https://atom.example/geneva"/><id>urn:1</id>
<updated>2026-11-30T05:00:00Z</updated><summary type="html">&lt;p&gt;Delegations met in Geneva.&lt;/p&gt;</summary></entry>
</feed>"""


def test_rss_entries_keep_link_text_time_and_the_source_offset():
    parsed = parse_feed("wire", RSS, {"content-type": "application/rss+xml"})
    assert parsed.problem is None and not parsed.unreadable and parsed.ttl_minutes == 45
    first, guid_only = parsed.items  # the entry with neither link nor text is dropped
    assert first.title == "Drones hit Odesa"
    assert first.summary == "Russia launched 40 drones at Odesa overnight.\nTwo people were injured."  # content wins
    assert first.published == datetime(2026, 11, 30, 7, 15, tzinfo=timezone(timedelta(hours=2)))
    assert first.published.utcoffset() == timedelta(hours=2)
    assert guid_only.url == "https://wire.example/guid-only" and guid_only.published is None


def test_atom_entries_are_read_the_same_way():
    (entry,) = parse_feed("atom", ATOM, {"content-type": "application/atom+xml"}).items
    assert (entry.url, entry.title, entry.summary) == ("https://atom.example/geneva", "Talks in Geneva",
                                                       "Delegations met in Geneva.")
    assert entry.published == datetime(2026, 11, 30, 5, tzinfo=timezone.utc)


def test_the_same_link_gets_the_same_id_whatever_the_tracking_and_case():
    assert canonical_url("https://Wire.example:443/world/odesa?utm_source=rss&id=7#top") == \
        "https://wire.example/world/odesa?id=7"
    (first, _) = parse_feed("wire", RSS).items
    assert first.article_id == url_id("https://wire.example/world/odesa?id=7&fbclid=abc")
    assert first.article_id != url_id("https://wire.example/world/odesa?id=8")


def test_a_changed_entry_changes_its_hash_and_keeps_its_id():
    before = parse_feed("wire", RSS).items[0]
    after = parse_feed("wire", RSS.replace(b"Two people were injured.", b"Three people were injured.")).items[0]
    assert after.article_id == before.article_id and after.entry_hash != before.entry_hash


def test_an_ill_formed_feed_keeps_what_it_recovers_and_says_why():
    broken = RSS.replace(b"</channel></rss>", b"<item><title>Unclosed & bare</title>")
    parsed = parse_feed("wire", broken)
    assert parsed.problem and parsed.problem.startswith("ill-formed feed")
    assert not parsed.unreadable and len(parsed.items) >= 2


def test_a_page_that_is_not_a_feed_is_unreadable():
    parsed = parse_feed("oops", b"<html><body><h1>Service unavailable</h1></body></html>", {"content-type": "text/html"})
    assert parsed.unreadable and parsed.items == () and parsed.problem


def test_summaries_become_plain_text_by_paragraph():
    assert html_to_text("<p>One &amp; two</p><p>three<br>four</p>") == "One & two\nthree\nfour"
    assert html_to_text("plain &lt;text&gt;") == "plain <text>"
    assert html_to_text("   ") == ""


def test_seed_dates_come_from_front_matter_or_the_file_name(tmp_path):
    from flows.sources.seeds import read_seeds

    (tmp_path / "talks.md").write_text("---\ndate: 2026-02-17\n---\n# Talks in Geneva\nDelegations met.\n")
    (tmp_path / "2025-12-29-strike.txt").write_text("Strike on Kyiv\nRussia launched 40 drones.\n")
    (tmp_path / "undated.txt").write_text("Background\nA history of the war.\n")
    (tmp_path / "precise.txt").write_text("---\ndate: 2026-03-01T05:30:00+02:00\n---\nTitle\nText.\n")
    seeds = {s.path.name: s for s in read_seeds(tmp_path)}
    assert seeds["talks.md"].published == datetime(2026, 2, 17, 12, tzinfo=timezone.utc)
    assert seeds["talks.md"].title == "Talks in Geneva" and b"date:" not in seeds["talks.md"].body
    assert seeds["2025-12-29-strike.txt"].published == datetime(2025, 12, 29, 12, tzinfo=timezone.utc)
    assert seeds["undated.txt"].published is None
    assert seeds["precise.txt"].published == datetime(2026, 3, 1, 5, 30, tzinfo=timezone(timedelta(hours=2)))
