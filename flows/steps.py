"""The stages of one poll cycle as plain functions; `flows.ingest` wraps them in Prefect tasks.

    poll_feed      feed URL -> FeedPoll (conditional GET, feedparser)
    fetch_pages    FeedItems -> FetchedPages (bounded concurrency)
    process_jobs   FetchedPages / Articles -> Processed: cleaned (trafilatura; the feed summary as
                   fallback) and extracted (spaCy), in worker processes with a budget per document
    (storing is flows.runstore: one transaction per batch, or a staged batch when the database is busy)
"""
from __future__ import annotations

import hashlib
import random
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from dateutil import parser as dateparser

from extractors.clean import CleaningFailed, clean_html
from extractors.extract import shared_extractor
from extractors.types import Article, Facts
from flows import fetch
from flows.errors import PipelineError, TerminalError
from flows.isolation import WorkerPool, call_guarded
from flows.settings import FeedSpec, Settings
from flows.sources import FeedItem, SeedDoc, parse_feed
from storage.store import ErrorRecord, SourceState


@dataclass(frozen=True)
class FeedPoll:
    """What polling one feed gave: its entries (none on 304) and the validators to keep."""

    spec: FeedSpec
    status: str  # ok | not_modified
    items: tuple[FeedItem, ...] = ()
    etag: str | None = None
    last_modified: str | None = None
    http_status: int | None = None
    problem: str | None = None
    ttl_minutes: float | None = None  # the feed's <ttl> or the response's Cache-Control max-age


@dataclass(frozen=True)
class FetchedPage:
    item: FeedItem
    body: bytes | None
    final_url: str | None
    error: PipelineError | None = None


def content_hash(title: str | None, text: str) -> str:
    return hashlib.sha256(f"{title or ''}\x1f{text}".encode("utf-8", "surrogatepass")).hexdigest()


def poll_feed(spec: FeedSpec, state: SourceState | None, settings: Settings) -> FeedPoll:
    """Conditional GET of a feed and its entries. Raises PipelineError when it cannot be read."""
    etag = state.etag if state else None
    last_modified = state.last_modified if state else None
    with fetch.make_client(settings) as client:
        result = fetch.get(client, str(spec.url), max_bytes=settings.http_max_bytes,
                           total_timeout=settings.http_total_timeout, etag=etag, last_modified=last_modified)
    cache = _max_age_minutes(result.headers.get("cache-control"))
    if result.not_modified:
        return FeedPoll(spec, "not_modified", etag=etag, last_modified=last_modified, http_status=304, ttl_minutes=cache)
    parsed = parse_feed(spec.name, result.body, result.headers)
    if parsed.unreadable:
        raise TerminalError(f"{parsed.problem} (no entries)", url=str(spec.url), status=result.status)
    ttl = max(filter(None, (parsed.ttl_minutes, cache)), default=None)
    return FeedPoll(spec, "ok", parsed.items, result.etag, result.last_modified, result.status, parsed.problem, ttl)


def _max_age_minutes(cache_control: str | None) -> float | None:
    for part in (cache_control or "").split(","):
        name, _, value = part.strip().partition("=")
        if name.lower() == "max-age" and value.strip().isdigit():
            return int(value) / 60 or None
    return None


def fetch_pages(items: Sequence[FeedItem], settings: Settings) -> list[FetchedPage]:
    """Article pages of feed entries, `page_concurrency` at a time; failures kept with their reason."""
    def one(client, item: FeedItem) -> FetchedPage:
        if not item.url:
            return FetchedPage(item, None, None, TerminalError("entry has no link", url=None))
        try:
            res = fetch.get(client, item.url, max_bytes=settings.http_max_bytes, total_timeout=settings.http_total_timeout)
        except PipelineError as exc:
            return FetchedPage(item, None, None, exc)
        return FetchedPage(item, res.body, res.url)

    if not items:
        return []
    hosts: dict[str, threading.Semaphore] = {}

    def polite(client, item: FeedItem) -> FetchedPage:
        host = urlsplit(item.url).hostname or ""
        with hosts.setdefault(host, threading.Semaphore(settings.per_host_concurrency)):
            return one(client, item)

    for item in items:  # create the semaphores before the threads race for them
        hosts.setdefault(urlsplit(item.url).hostname or "", threading.Semaphore(settings.per_host_concurrency))
    with fetch.make_client(settings) as client, ThreadPoolExecutor(settings.page_concurrency) as pool:
        return list(pool.map(lambda it: polite(client, it), items))


@dataclass(frozen=True)
class Processed:
    """One document after cleaning and extraction: the article to store (None when there is
    nothing to store), the problem met on the way, and the facts."""

    article: Article | None
    error: ErrorRecord | None = None
    facts: Facts | None = None


Job = FetchedPage | Article  # a page to clean and extract, or an article to extract


def process_job(job: Job, model: str) -> Processed:
    """Clean (a page) and extract one document: in a worker process, or in the run's own."""
    article, error = page_article(job) if isinstance(job, FetchedPage) else (job, None)
    if article is None:
        return Processed(None, error)
    facts = next(shared_extractor(model).extract([article.as_document()]))
    return Processed(article, error, facts)


_POOLS: dict[tuple, WorkerPool] = {}


def process_jobs(jobs: Sequence[Job], settings: Settings) -> list[Processed]:
    """Clean and extract a batch, in `workers` processes (each document within its time and
    memory budget) or in this process when `workers` is 0.

    A page stopped over its budget (or whose worker died) is stored from the feed's own text,
    itself extracted under the same budget; an article whose extraction is stopped is stored
    without facts and marked so that `newswatch reextract` tries it again.
    """
    results = _run(list(jobs), settings)
    retry = {}
    for i, (job, result) in enumerate(zip(jobs, results)):
        if isinstance(result, Processed):
            continue
        if isinstance(job, FetchedPage):
            article, error = page_article(job, failure=result)
            results[i] = Processed(None, error)
            if article is not None:
                retry[i] = article
        else:
            results[i] = _unextracted(job, result, None)
    if retry:
        for (i, article), result in zip(retry.items(), _run(list(retry.values()), settings)):
            earlier = results[i].error
            results[i] = replace(result, error=earlier) if isinstance(result, Processed) else _unextracted(article, result, earlier)
    return results


def _run(jobs: list[Job], settings: Settings) -> list:
    if not jobs:
        return []
    args = [(job, settings.spacy_model) for job in jobs]
    if not settings.workers:
        return [call_guarded(process_job, arg) for arg in args]
    key = (settings.workers, settings.document_timeout, settings.document_memory_mb)
    pool = _POOLS.get(key) or _POOLS.setdefault(key, WorkerPool(
        process_job, settings.workers, settings.document_timeout, settings.document_memory_mb))
    return pool.map(args)


def _unextracted(article: Article, failure: BaseException, earlier: ErrorRecord | None) -> Processed:
    """An article kept without facts: its extraction failed or went over budget."""
    reason = f"extraction stopped: {_reason(failure)}"
    error = ErrorRecord("extract", reason, "terminal", article.source, article.url)
    if earlier is not None:
        error = replace(error, reason=f"{earlier.reason}; then {reason}")
    facts = Facts(doc_id=article.id, is_new_attack_report=False, extractor=f"none ({reason})"[:200])
    return Processed(article, error, facts)


def _reason(failure: BaseException) -> str:
    return failure.reason if isinstance(failure, PipelineError) else f"{type(failure).__name__}: {failure}"


def close_pools() -> None:
    while _POOLS:
        _POOLS.popitem()[1].close()


def page_article(page: FetchedPage, failure: BaseException | None = None) -> tuple[Article | None, ErrorRecord | None]:
    """Build the article from a fetched page; fall back to the feed's own text when the page is
    unusable (or its processing `failure`d in a worker)."""
    item = page.item
    reason = None
    if page.error is None and page.body is not None and failure is not None:
        reason, stage, klass = _reason(failure), "clean", "terminal"
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
            reason, stage, klass = str(exc), "clean", "terminal"
    else:
        reason, stage, klass = page.error.reason, "page", page.error.error_class
    error = ErrorRecord(stage, f"{reason}; used the feed's summary instead", klass, item.source, item.url)
    text = item.summary or item.title or ""
    if not text.strip():
        return None, replace(error, reason=f"{reason}; the feed entry has no text either")
    # A transient page failure leaves entry_hash empty, so the next poll fetches the page again.
    entry_hash = item.entry_hash if klass == "terminal" else None
    article = Article(
        id=item.article_id, source=item.source, url=item.url, title=item.title, text=text,
        content_hash=content_hash(item.title, text), origin="feed", published=item.published,
        entry_hash=entry_hash, fallback_reason=reason,
    )
    return article, error


def feed_article(item: FeedItem) -> tuple[Article | None, ErrorRecord | None]:
    """An entry stored from the feed's own text (when pages are not fetched)."""
    text = item.summary or item.title or ""
    if not text.strip():
        return None, ErrorRecord("entry", "entry has no text", "terminal", item.source, item.url or None)
    return Article(
        id=item.article_id, source=item.source, url=item.url or None, title=item.title, text=text,
        content_hash=content_hash(item.title, text), origin="feed", published=item.published,
        entry_hash=item.entry_hash,
    ), None


def seed_article(seed: SeedDoc) -> tuple[Article | None, ErrorRecord | None]:
    """A seed file as an Article; HTML seeds are cleaned like pages."""
    if seed.kind == "html":
        try:
            doc = clean_html(seed.body)
        except CleaningFailed as exc:
            return None, ErrorRecord("clean", str(exc), "terminal", "seeds", str(seed.path))
        title, text, date = doc.title, doc.text, _parse_date(doc.date)
    else:
        title, text, date = seed.title, seed.body.decode("utf-8"), None
        if not text.strip():
            return None, ErrorRecord("seed", "empty seed file", "terminal", "seeds", str(seed.path))
    return Article(
        id=seed.article_id, source="seeds", url=None, title=title, text=text,
        content_hash=content_hash(title, text), origin="seed", published=date,
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


MAX_CADENCE = timedelta(hours=24)  # a feed asking for less is still polled daily
MAX_BACKOFF = timedelta(hours=1)


def poll_state(spec: FeedSpec, prior: SourceState | None, poll: FeedPoll | None, error: PipelineError | None,
               when: datetime) -> SourceState:
    """The source row after a poll: validators kept on success, failures counted, next poll set.

    The next poll waits for the feed's own interval, its <ttl> or Cache-Control max-age (the
    longest, at most a day); a failing feed backs off 1, 2, 4 ... minutes up to an hour, with
    jitter, and is always tried again.
    """
    base = prior or SourceState(source_id=spec.name, kind="feed")
    base = replace(base, url=str(spec.url), tags=tuple(spec.tags), last_attempt=when)
    if poll is not None:
        cadence = max(spec.interval_minutes or 0, poll.ttl_minutes or 0)
        next_poll = when + min(timedelta(minutes=cadence), MAX_CADENCE) if cadence else None
        return replace(base, etag=poll.etag, last_modified=poll.last_modified, last_status=poll.status,
                       last_http_status=poll.http_status, last_error=poll.problem, consecutive_errors=0,
                       last_success=when, entries_seen=len(poll.items) if poll.status == "ok" else base.entries_seen,
                       next_poll=next_poll)
    errors = base.consecutive_errors + 1
    backoff = min(timedelta(minutes=2 ** (errors - 1)), MAX_BACKOFF) * random.uniform(0.8, 1.2)
    if error is not None and error.retry_after:
        backoff = max(backoff, timedelta(seconds=error.retry_after))  # the server said when
    return replace(base, last_status="error", last_http_status=error.status if error else None,
                   last_error=error.reason if error else "unknown error", consecutive_errors=errors,
                   next_poll=when + backoff)


def is_due(state: SourceState | None, when: datetime) -> bool:
    return state is None or state.next_poll is None or state.next_poll <= when
