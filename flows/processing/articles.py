"""Documents into Articles: a fetched page cleaned by trafilatura (the feed's own text when the
page is unusable), a feed entry stored from its own text, a seed file."""
from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timezone

from dateutil import parser as dateparser

from extractors.clean import CleaningFailed, clean_html
from extractors.types import Article
from flows.errors import PipelineError, reason_of
from flows.records import FeedItem, FetchedPage, SeedDoc
from storage.records import ErrorClass, ErrorRecord


def content_hash(title: str | None, text: str) -> str:
    return hashlib.sha256(f"{title or ''}\x1f{text}".encode("utf-8", "surrogatepass")).hexdigest()


def page_article(page: FetchedPage, failure: BaseException | None = None) -> tuple[Article | None, ErrorRecord | None]:
    """Build the article from a fetched page; fall back to the feed's own text when the page is
    unusable (or its processing `failure`d in a worker)."""
    item = page.item
    reason = None
    if page.error is None and page.body is not None and failure is not None:
        reason, stage, klass = reason_of(failure), "clean", ErrorClass.TERMINAL
    elif page.error is None and page.body is not None:
        try:
            # The feed's title and date win; the page's date is searched only when the feed has none.
            doc = clean_html(page.body, url=page.final_url or item.url, need_date=item.published is None)
            published = item.published or _parse_date(doc.date)
            article = Article(
                id=item.article_id, source=item.source, url=item.url, title=item.title or doc.title,
                text=doc.text, content_hash=content_hash(item.title or doc.title, doc.text), origin="page",
                published=published, author=doc.author, sitename=doc.sitename, language=doc.language,
                entry_hash=item.entry_hash,
            )
            return article, None
        except (CleaningFailed, PipelineError) as exc:
            reason, stage, klass = str(exc), "clean", ErrorClass.TERMINAL
    else:
        reason, stage, klass = page.error.reason, "page", page.error.error_class
    error = ErrorRecord(stage, f"{reason}; used the feed's summary instead", klass, item.source, item.url)
    # A transient page failure leaves entry_hash empty, so the next poll fetches the page again.
    article = entry_article(item, entry_hash=item.entry_hash if klass is ErrorClass.TERMINAL else None,
                            fallback_reason=reason)
    if article is None:
        return None, replace(error, reason=f"{reason}; the feed entry has no text either")
    return article, error


def feed_article(item: FeedItem) -> tuple[Article | None, ErrorRecord | None]:
    """An entry stored from the feed's own text (when pages are not fetched)."""
    article = entry_article(item, item.entry_hash)
    if article is None:
        return None, ErrorRecord("entry", "entry has no text", ErrorClass.TERMINAL, item.source, item.url or None)
    return article, None


def entry_article(item: FeedItem, entry_hash: str | None, fallback_reason: str | None = None) -> Article | None:
    """The article made of the feed entry's own text (summary or content, else the title); None
    when the entry has no text at all."""
    text = item.summary or item.title or ""
    if not text.strip():
        return None
    return Article(id=item.article_id, source=item.source, url=item.url or None, title=item.title, text=text,
                   content_hash=content_hash(item.title, text), origin="feed", published=item.published,
                   entry_hash=entry_hash, fallback_reason=fallback_reason)


def seed_article(seed: SeedDoc) -> tuple[Article | None, ErrorRecord | None]:
    """A seed file as an Article; HTML seeds are cleaned like pages. Its date is its own (front
    matter, file name or page metadata) or none: a seed is never dated "now"."""
    if seed.kind == "html":
        try:
            doc = clean_html(seed.body)
        except CleaningFailed as exc:
            return None, ErrorRecord("clean", str(exc), ErrorClass.TERMINAL, "seeds", str(seed.path))
        title, text, date = doc.title, doc.text, _parse_date(doc.date) or seed.published
    else:
        title, text, date = seed.title, seed.body.decode("utf-8"), seed.published
        if not text.strip():
            return None, ErrorRecord("seed", "empty seed file", ErrorClass.TERMINAL, "seeds", str(seed.path))
    dated = f"{date.isoformat()}\x1f{text}" if date else text  # a date added later updates the article
    return Article(
        id=seed.article_id, source="seeds", url=None, title=title, text=text,
        content_hash=content_hash(title, dated), origin="seed", published=date,
        extra={"path": str(seed.path)},
    ), None


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = dateparser.parse(value)
    except (ValueError, OverflowError):
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
