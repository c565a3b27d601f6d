"""The one clock of newswatch: every "now" a run, an alert or a command reads comes from here.

Tests (and replays of a past day) fix it with `fixed(...)`; nothing else reads the wall clock.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone

_fixed: datetime | None = None


def now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return _fixed if _fixed is not None else datetime.now(timezone.utc)


def today() -> date:
    return now().date()


@contextmanager
def fixed(at: datetime) -> Iterator[datetime]:
    """Within the block, `now()` is `at` (which must carry a time zone)."""
    global _fixed
    if at.tzinfo is None:
        raise ValueError("a fixed clock needs a timezone-aware datetime")
    earlier, _fixed = _fixed, at.astimezone(timezone.utc)
    try:
        yield _fixed
    finally:
        _fixed = earlier
