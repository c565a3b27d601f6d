"""What storage keeps besides articles and facts: batch counts, error records, source state,
and the two ways the database itself can be unavailable.

The error classes are the project's one vocabulary for failures: `transient` (retry later),
`terminal` (retrying will not help) and `warning` (kept, the item still stored).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class DatabaseBusy(Exception):
    """Another process holds the database file; transient, retry later."""


class DatabaseMissing(Exception):
    """A reader asked for a database file that does not exist yet."""


class StorageFailed(Exception):
    """The disk refused a write: full, read-only, no permission, or an I/O error. Terminal for
    the run; what was committed before stays committed."""


class ErrorClass(StrEnum):
    TRANSIENT = "transient"
    TERMINAL = "terminal"
    WARNING = "warning"


@dataclass(frozen=True)
class BatchCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    facts: int = 0

    def __add__(self, other: BatchCounts) -> BatchCounts:
        return BatchCounts(self.new + other.new, self.updated + other.updated,
                           self.unchanged + other.unchanged, self.facts + other.facts)


@dataclass(frozen=True)
class ErrorRecord:
    """A failure kept as data: which stage, why, and what it was about."""

    stage: str
    reason: str
    error_class: ErrorClass = ErrorClass.TERMINAL
    source_id: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class SourceState:
    """The polling state of one source (a feed, or the seed corpus)."""

    source_id: str
    kind: str
    url: str | None = None
    tags: tuple[str, ...] = ()
    etag: str | None = None
    last_modified: str | None = None
    last_status: str | None = None
    last_http_status: int | None = None
    last_error: str | None = None
    consecutive_errors: int = 0
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    entries_seen: int | None = None
    next_poll: datetime | None = None
    retired_at: datetime | None = None  # taken out of the feed list (kept, not polled)
