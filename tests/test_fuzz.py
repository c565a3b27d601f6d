"""Property tests: arbitrary text into the extractor, mutated feeds into the feed parser.
No input may raise; every output must keep its contract (spans inside the text, known codes)."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from extractors.extract import Extractor
from extractors.types import QUALIFIERS, WEAPON_CATEGORIES, Document
from flows.sources.feeds import parse_feed

EXTRACTOR = Extractor()
NEWSY = st.sampled_from([
    "Russia launched ", "about ", "more than ", "25 of the 29 ", "missiles", " drones", " were shot down",
    " overnight", " in Kharkiv", " Odessa", " killing ", "three people", ". ", "\n", "Kh-101 ", "all ",
    "talks in Geneva", " led by Vladimir Medinsky", "twenty-nine", " regions", "Ukraine's air force said ",
    "(", ")", "“", "”", "-", "0", "999999999999", "of them", " no one was hurt",
])


def _check(facts, text: str) -> None:
    for attack in facts.attacks:
        for w in attack.weapons:
            assert w.category in WEAPON_CATEGORIES
            assert w.launched_qualifier in (None, *QUALIFIERS)
            assert 0 <= w.evidence.start <= w.evidence.end <= len(text)
        for p in attack.locations:
            assert p.precision in ("exact", "near", "region", "country", "unknown")
    for e in facts.persons:
        assert 0 <= e.evidence.start < e.evidence.end <= len(text)
    facts.to_contract()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_extractor_never_raises_on_arbitrary_text(text):
    facts = next(EXTRACTOR.extract([Document(id="f", text=text)]))
    _check(facts, text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(NEWSY, max_size=40).map("".join))
def test_extractor_never_raises_on_news_like_text(text):
    facts = next(EXTRACTOR.extract([Document(id="n", text=text)]))
    _check(facts, text)


FEED = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b'<item><title>Strike</title><link>https://example.org/a</link><description>Text</description>'
        b'<pubDate>Tue, 03 Mar 2026 08:00:00 GMT</pubDate></item></channel></rss>')


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_feeds_never_raise(data):
    body = bytearray(FEED)
    for _ in range(data.draw(st.integers(0, 8))):
        action = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        pos = data.draw(st.integers(0, max(0, len(body) - 1)))
        if action == "flip" and body:
            body[pos] = data.draw(st.integers(0, 255))
        elif action == "cut":
            del body[pos:pos + data.draw(st.integers(1, 20))]
        else:
            body[pos:pos] = data.draw(st.binary(max_size=12))
    headers = {"content-type": data.draw(st.sampled_from(
        ["application/rss+xml", "text/html; charset=koi8-r", "application/octet-stream", ""]))}
    parsed = parse_feed("fuzz", bytes(body), headers)
    for item in parsed.items:
        assert item.article_id and item.entry_hash
        assert item.url == "" or item.url.lower().startswith(("http://", "https://"))
    # a feed is unreadable only when nothing came out of it, and then the reason is said
    assert not (parsed.unreadable and parsed.items)
    assert parsed.problem or not parsed.unreadable
    again = parse_feed("fuzz", bytes(body), headers)  # ids are stable: a re-run stores nothing twice
    assert [(i.article_id, i.entry_hash) for i in again.items] == [(i.article_id, i.entry_hash) for i in parsed.items]


def test_an_unparseable_link_keeps_its_entry():
    """Found by the fuzzer: a "[" in a link's host made urlsplit raise and the whole feed fail."""
    items = "".join(f"<item><title>{t}</title><link>{u}</link><description>Text of {t}.</description></item>"
                    for t, u in (("Broken link", "https://[news.example/a"), ("Good link", "https://news.example/b")))
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()
    parsed = parse_feed("fuzz", body, {"content-type": "application/rss+xml"})
    assert [i.title for i in parsed.items] == ["Broken link", "Good link"]
    assert len({i.article_id for i in parsed.items}) == 2
