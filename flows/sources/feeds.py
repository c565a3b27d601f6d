"""Feed documents (bytes) into FeedItems with feedparser, which never raises on bad input."""
from __future__ import annotations

import html
import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import feedparser
import lxml.html

from flows.records import FeedItem, ParsedFeed
from flows.sources.ids import digest, url_id

# Encoding disagreements that feedparser recovered from: the document was still read.
BENIGN_BOZO = (feedparser.CharacterEncodingOverride, feedparser.CharacterEncodingUnknown)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (feed summaries); whitespace collapsed per paragraph."""
    if not fragment or not fragment.strip():
        return ""
    if "<" not in fragment:
        return html.unescape(fragment).strip()
    try:
        root = lxml.html.fromstring(f"<div>{fragment}</div>")
    except (ValueError, lxml.etree.ParserError):
        return re.sub(r"<[^>]+>", " ", fragment).strip()
    for br in root.iter("br", "p", "div", "li"):
        br.tail = "\n" + (br.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def parse_feed(source: str, body: bytes, headers: dict[str, str] | None = None) -> ParsedFeed:
    """Entries of a feed document; feedparser never raises, its bozo reason is kept."""
    parsed = feedparser.parse(body, response_headers=headers or {})
    problem, benign = None, True
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        problem = f"ill-formed feed: {type(exc).__name__}: {exc}" if exc else "ill-formed feed"
        benign = isinstance(exc, BENIGN_BOZO)
    items = tuple(item for entry in parsed.entries if (item := _item(source, entry)) is not None)
    feed_meta = parsed.get("feed") or {}
    ttl = feed_meta.get("ttl")
    unreadable = not items and problem is not None and not (benign and (feed_meta or parsed.get("version")))
    return ParsedFeed(items=items, problem=problem, unreadable=unreadable,
                      ttl_minutes=int(ttl) if str(ttl or "").isdigit() else None)


def _item(source: str, entry) -> FeedItem | None:
    link = (entry.get("link") or "").strip()
    if not link.lower().startswith(("http://", "https://")):
        guid = (entry.get("id") or "").strip()
        link = guid if guid.lower().startswith(("http://", "https://")) else ""
    title = html_to_text(entry.get("title") or "") or None
    content = entry.get("content") or []
    summary_html = content[0].get("value", "") if content else entry.get("summary", "")
    summary = html_to_text(summary_html or "")
    if not link and not (title or summary):
        return None
    published = _entry_time(entry)
    article_id = url_id(link) if link else digest(source, title, summary)
    # dict.get reads the stored keys only: FeedParserDict.get would map "updated" to "published"
    # with a deprecation warning.
    entry_hash = digest(link, title, summary, dict.get(entry, "published") or dict.get(entry, "updated"))
    return FeedItem(source=source, article_id=article_id, url=link, title=title, summary=summary,
                    published=published, entry_hash=entry_hash)


def _entry_time(entry) -> datetime | None:
    """The entry's time, on the source's own clock when its timestamp carries a UTC offset."""
    for key in ("published", "updated", "created"):
        value = dict.get(entry, key + "_parsed")
        if not value:
            continue
        try:
            utc = datetime(*value[:6], tzinfo=timezone.utc)
        except (TypeError, ValueError):
            continue
        own = _with_offset(dict.get(entry, key))
        return own if own is not None and own == utc else utc
    return None


def _with_offset(raw: str | None) -> datetime | None:
    """An RFC 822 or ISO 8601 timestamp with its own offset; None when it has none or does not parse."""
    if not raw:
        return None
    try:
        parsed = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        try:
            parsed = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return parsed if parsed.tzinfo is not None else None
