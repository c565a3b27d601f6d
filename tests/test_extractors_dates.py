"""Strike days from relative words, read on the calendar of the source or of the place hit.

Every test here fixes its publication times: none reads the wall clock, and the parametrised
ones run for every weekday and on both sides of midnight UTC.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from extractors.dates import WEEKDAYS, strike_day
from extractors.extract import Extractor
from extractors.types import Document

KYIV_WINTER = timezone(timedelta(hours=2))
MONDAY = date(2026, 11, 23)
# (UTC hour, minute): late evening UTC (already the next day in Kyiv) and just after midnight UTC
CLOCKS = [(23, 48), (0, 12), (6, 30), (21, 5)]
CASES = [(MONDAY + timedelta(days=d), h, m) for d in range(7) for h, m in CLOCKS]
# Mornings after a night in Kyiv, on both sides of midnight UTC (reports of one night come then)
MORNINGS = [case for case in CASES if case[1] in (23, 0, 6)]


def _case_id(case) -> str:
    day, hour, minute = case
    return f"{WEEKDAYS[day.weekday()]}-{hour:02d}{minute:02d}utc"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_relative_days_are_read_on_kyiv_time_for_every_weekday_and_hour(case):
    day, hour, minute = case
    published = datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.utc)
    local = published.astimezone(KYIV_WINTER).date()  # what a reader in Kyiv calls today
    said = WEEKDAYS[local.weekday()].capitalize()
    yesterday = WEEKDAYS[(local - timedelta(days=1)).weekday()].capitalize()
    cases = {
        f"Russia attacked Kyiv overnight, the air force said on {said}.": local,
        "Russia attacked Kyiv overnight.": local,
        "Drones struck Kyiv last night.": local,
        f"Russia launched drones at Kyiv overnight into {said}.": local,
        f"Missiles hit Kyiv on {yesterday} evening.": local - timedelta(days=1),
        "Shelling killed two people in Kharkiv yesterday.": local - timedelta(days=1),
        "Drones hit Odesa.": local,
    }
    for text, expected in cases.items():
        assert strike_day(text, published, "Ukraine") == expected, text


@pytest.mark.parametrize("case", MORNINGS, ids=_case_id)
def test_two_reports_of_one_night_get_one_day_whenever_they_are_published(case):
    """One outlet names the weekday, another only says overnight: the same strike day."""
    day, hour, minute = case
    first = datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.utc)
    later = first + timedelta(hours=3)
    said = WEEKDAYS[first.astimezone(KYIV_WINTER).weekday()].capitalize()
    docs = [Document("a", f"Russia launched 150 drones at Ukraine overnight, the air force said on {said}. "
                          "Air defences shot down 130 drones over Kharkiv.", published=first),
            Document("b", "Russia fired 155 drones at Ukraine overnight, mostly at Kharkiv.", published=later)]
    days = {a.day for facts in Extractor().extract(docs) for a in facts.attacks}
    assert len(days) == 1


def test_a_report_after_midnight_utc_is_not_dated_six_days_back():
    """23:48 UTC on Sunday is 01:48 on Monday in Kyiv: "said on Monday" is this Monday."""
    sunday_evening = datetime(2026, 11, 29, 23, 48, tzinfo=timezone.utc)
    text = "Russia launched 90 drones at Kyiv overnight, the air force said on Monday."
    assert strike_day(text, sunday_evening, "Ukraine") == date(2026, 11, 30)


def test_the_source_own_offset_wins_over_the_place():
    """A timestamp with its own offset is read on that calendar; a UTC stamp on the place's."""
    moscow_stamp = datetime(2026, 11, 25, 0, 30, tzinfo=timezone(timedelta(hours=3)))  # 23:30 on the 24th in Kyiv
    assert strike_day("Drones hit Kyiv overnight.", moscow_stamp, "Ukraine") == date(2026, 11, 25)
    assert strike_day("Drones hit Kyiv overnight.", moscow_stamp.astimezone(timezone.utc), "Ukraine") == date(2026, 11, 24)


def test_a_weekday_one_day_ahead_of_a_western_source_is_the_next_day():
    """Stamped Sunday evening in New York, "overnight into Monday" is Monday, not last week's."""
    new_york_evening = datetime(2026, 11, 29, 20, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert strike_day("Russia attacked Kyiv overnight into Monday.", new_york_evening, "Ukraine") == date(2026, 11, 30)


def test_other_theatres_use_their_own_zone_and_unknown_places_utc():
    late = datetime(2026, 11, 24, 22, 30, tzinfo=timezone.utc)  # 00:30 on the 25th in Jerusalem and Kyiv
    assert strike_day("Rockets hit Haifa overnight.", late, "Israel") == date(2026, 11, 25)
    assert strike_day("Rockets hit the town overnight.", late, None) == date(2026, 11, 24)
    assert strike_day("No date here.", None, "Ukraine") is None
