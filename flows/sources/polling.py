"""Polling feeds and fetching their pages: conditional GETs, the poll schedule and back-off.

    poll_feed      feed URL -> FeedPoll (conditional GET, feedparser)
    fetch_pages    FeedItems -> FetchedPages (bounded concurrency, per host too)
    poll_state     the source row after a poll: validators, failures, when to poll next
"""
from __future__ import annotations

import hashlib
import random
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flows.errors import PipelineError, TerminalError
from flows.records import FeedItem, FeedPoll, FetchedPage
from flows.settings import FeedSpec, Settings
from flows.sources import http
from flows.sources.feeds import parse_feed
from storage.records import SourceState


def poll_feed(spec: FeedSpec, state: SourceState | None, settings: Settings) -> FeedPoll:
    """Conditional GET of a feed and its entries. Raises PipelineError when it cannot be read."""
    etag = state.etag if state else None
    last_modified = state.last_modified if state else None
    with http.make_client(settings) as client:
        result = http.get(client, str(spec.url), max_bytes=settings.http_max_bytes,
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
            res = http.get(client, item.url, max_bytes=settings.http_max_bytes, total_timeout=settings.http_total_timeout)
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
    with http.make_client(settings) as client, ThreadPoolExecutor(settings.page_concurrency) as pool:
        return list(pool.map(lambda it: polite(client, it), items))


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


def in_shard(name: str, shard: int, shards: int) -> bool:
    """Whether a feed belongs to `shard` of `shards`: its name hashed, the same on every machine."""
    return shards <= 1 or int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % shards == shard


def is_due(state: SourceState | None, when: datetime) -> bool:
    return state is None or state.next_poll is None or state.next_poll <= when
