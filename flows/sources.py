"""Source readers: feed documents (bytes) into FeedItems, seed files into SeedDocs, stable ids."""
from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser
import lxml.html

# Encoding disagreements that feedparser recovered from: the document was still read.
BENIGN_BOZO = (feedparser.CharacterEncodingOverride, feedparser.CharacterEncodingUnknown)
SEED_SUFFIXES = (".txt", ".md", ".html", ".htm")
TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|at_medium|at_campaign)$", re.I)


@dataclass(frozen=True)
class FeedItem:
    """One feed entry: where its article lives and what the feed itself says about it."""

    source: str
    article_id: str
    url: str
    title: str | None
    summary: str
    published: datetime | None
    entry_hash: str


@dataclass(frozen=True)
class ParsedFeed:
    items: tuple[FeedItem, ...]
    problem: str | None  # feedparser's bozo reason, when the document was ill-formed
    ttl_minutes: int | None = None
    unreadable: bool = False  # no entries and nothing recognisable as a feed


@dataclass(frozen=True)
class SeedDoc:
    path: Path
    article_id: str
    kind: str  # text | html
    title: str | None
    body: bytes


def digest(*parts: str | None) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update((part or "").encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()[:16]


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no fragment, no tracking parameters, no default port.
    A link that does not parse (an unbalanced "[" in the host, a port out of range) is kept as
    written: it still identifies its entry, and fetching it fails with a recorded error."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return url.strip()
    if port and not ((parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)])
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", query, ""))


def url_id(url: str) -> str:
    return digest(canonical_url(url))


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


def read_seeds(folder: Path) -> list[SeedDoc]:
    """Every .txt, .md and .html file under `folder`; ids come from the content."""
    if not folder.is_dir():
        return []
    docs = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SEED_SUFFIXES):
        body = path.read_bytes()
        if path.suffix.lower() in (".html", ".htm"):
            docs.append(SeedDoc(path, "seed-" + digest(body.decode("utf-8", "replace")), "html", None, body))
        else:
            title, text = split_title(body.decode("utf-8", "replace"), markdown=path.suffix.lower() == ".md")
            docs.append(SeedDoc(path, "seed-" + digest(title, text), "text", title, text.encode("utf-8")))
    return docs


def split_title(raw: str, *, markdown: bool = False) -> tuple[str | None, str]:
    """First non-empty line is the title (without '#' for Markdown), the rest the body."""
    lines = raw.replace("\r\n", "\n").lstrip("\ufeff").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return None, ""
    title = lines[0].strip()
    if markdown:
        title = title.lstrip("#").strip()
    return title or None, "\n".join(lines[1:]).strip()
