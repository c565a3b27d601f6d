"""The records that pass between the stages of a run, in one place.

    FeedItem (a feed entry) -> FetchedPage (its page's bytes) -> Processed (the Article and its Facts)
    SeedDoc (a seed file) -> Article
    FeedPoll (what polling one feed gave), RunSummary and AlertSummary (what a run did),
    Report (one article's account of one strike, as alert clustering reads it)

Frozen dataclasses of plain values, so they cross thread and process boundaries and compare in
tests. The extractors' records (Article, Facts, ...) live in `extractors.types`, the storage
records (ErrorRecord, SourceState, BatchCounts) in `storage.records`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from extractors.types import Article, Facts
from flows.errors import PipelineError
from flows.settings import FeedSpec
from storage.records import BatchCounts, ErrorClass, ErrorRecord


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
    """A file of the seed corpus; `published` from its front matter or file name, else None."""

    path: Path
    article_id: str
    kind: str  # text | html
    title: str | None
    body: bytes
    published: datetime | None = None


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


@dataclass(frozen=True)
class Processed:
    """One document after cleaning and extraction: the article to store (None when there is
    nothing to store), the problem met on the way, and the facts."""

    article: Article | None
    error: ErrorRecord | None = None
    facts: Facts | None = None


Job = FetchedPage | Article  # a page to clean and extract, or an article to extract


@dataclass
class RunSummary:
    run_id: str
    feeds_ok: int = 0
    feeds_not_modified: int = 0
    feeds_failed: int = 0
    feeds_not_due: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    articles_staged: int = 0
    articles_merged: int = 0
    facts: int = 0
    errors: int = 0
    alerts_raised: int = 0
    alerts_delivered: int = 0
    alerts_failed: int = 0
    error_lines: list[str] = field(default_factory=list)

    def add(self, counts: BatchCounts, merged: bool = False) -> None:
        """Count a written batch; a merged one (staged by an earlier run) counts as merged only."""
        if merged:
            self.articles_merged += counts.new + counts.updated
            self.facts += counts.facts
            return
        self.articles_new += counts.new
        self.articles_updated += counts.updated
        self.articles_unchanged += counts.unchanged
        self.facts += counts.facts

    def note(self, errors: list[ErrorRecord]) -> None:
        self.errors += len(errors)
        self.error_lines += [f"{'warning' if e.error_class == ErrorClass.WARNING else 'error'} [{e.stage}] "
                             f"{e.source_id or ''} {e.url or ''}: {e.reason}" for e in errors]

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in self.__dict__.items() if isinstance(v, int)}

    def rows(self) -> list[tuple[str, int]]:
        return [(k.replace("_", " "), v) for k, v in self.counts().items()]


@dataclass
class AlertSummary:
    reports: int = 0
    events_touched: int = 0
    alerts_raised: list[str] = field(default_factory=list)
    delivered: int = 0
    failed: int = 0


@dataclass(frozen=True)
class Report:
    """One attack as reported by one article."""

    attack_id: str
    article_id: str
    source_id: str
    url: str | None
    title: str | None
    published: datetime | None
    first_seen: datetime
    attacker: str | None
    target: str | None
    day: date
    killed: int | None = None
    injured: int | None = None
    children: bool | None = None
    regions: int | None = None
    services: tuple[str, ...] = ()
    places: frozenset[str] = frozenset()
    launched: dict[str, int] = field(default_factory=dict)      # coarse category -> count
    intercepted: dict[str, int] = field(default_factory=dict)
    models: dict[str, tuple[str, ...]] = field(default_factory=dict)
    evidence: str = ""
    origin: str = "page"  # page | feed | seed
