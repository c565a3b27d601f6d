"""The day a strike happened, read from relative words against the publication time.

Relative days ("overnight", "on Monday", "yesterday") are read on the calendar of the source
where its timestamp carries a UTC offset of its own, else on the calendar of the place reported
(Kyiv time for a strike on Ukraine): a report stamped 23:48 UTC on Sunday is already Monday
morning in Kyiv. A night is dated by the morning it ends, so "overnight", "last night" and
"overnight into Monday" said on Monday morning all give Monday.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Where a strike on this country happened, for reading its relative days.
COUNTRY_ZONES = {
    "Ukraine": "Europe/Kyiv", "Russia": "Europe/Moscow", "Belarus": "Europe/Minsk", "Moldova": "Europe/Chisinau",
    "Poland": "Europe/Warsaw", "Romania": "Europe/Bucharest", "Israel": "Asia/Jerusalem", "Palestine": "Asia/Gaza",
    "Lebanon": "Asia/Beirut", "Syria": "Asia/Damascus", "Iran": "Asia/Tehran", "Iraq": "Asia/Baghdad",
    "Yemen": "Asia/Aden", "Saudi Arabia": "Asia/Riyadh", "Jordan": "Asia/Amman", "Sudan": "Africa/Khartoum",
}
NAMED_DAY = re.compile(r"\b(?:on|last|overnight (?:on|into|to))\s+(" + "|".join(WEEKDAYS) + r")\b")
NIGHT = re.compile(r"\b(?:overnight|last night|early (?:this|today)|this morning)\b")
YESTERDAY = re.compile(r"\byesterday\b")


def calendar_of(published: datetime, country: str | None) -> tzinfo:
    """The source's own offset when it gave one (not UTC), else the zone of the country reported."""
    offset = published.utcoffset()
    if offset:
        return published.tzinfo  # type: ignore[return-value]
    return ZoneInfo(COUNTRY_ZONES[country]) if country in COUNTRY_ZONES else timezone.utc


def strike_day(text: str, published: datetime | None, country: str | None = None) -> date | None:
    """The strike's day: "on Monday" the latest Monday up to publication, "yesterday" the day
    before, anything else (overnight, last night, no cue) the publication day itself.

    A weekday one day after the publication day is that next day: the source's clock is behind
    the place's ("overnight into Monday", stamped Sunday evening in New York).
    """
    if published is None:
        return None
    if published.tzinfo is None:
        published = published.replace(tzinfo=timezone.utc)
    day = published.astimezone(calendar_of(published, country)).date()
    low = text[:2000].lower()
    named = NAMED_DAY.search(low)
    if named:
        back = (day.weekday() - WEEKDAYS.index(named.group(1))) % 7
        return day + timedelta(days=1) if back == 6 else day - timedelta(days=back)
    if YESTERDAY.search(low) and not NIGHT.search(low):
        return day - timedelta(days=1)
    return day
