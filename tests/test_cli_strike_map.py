"""The strike map (flows/cli/strike_map.py) on its own: the frame holds every located strike,
places drawn on top of each other share a marker, labels never overlap, unlocated places stay
out of the picture (the report lists them)."""
from __future__ import annotations

from datetime import date

import matplotlib.pyplot as plt

from flows.cli import strike_map

TODAY = date(2026, 11, 25)
PLACES = [  # name, admin_level, country, lat, lon, precision, {event: launched}, last strike
    ("Kharkiv", "city", "Ukraine", 49.98, 36.25, "exact", {"e1": 210, "e2": 494}, date(2026, 11, 20)),
    ("Kharkiv region", "region", "Ukraine", 49.98, 36.25, "region", {"e2": 494}, date(2026, 11, 20)),
    ("Poltava region", "region", "Ukraine", 49.589, 34.553, "region", {"e3": 261}, date(2026, 11, 20)),
    ("Shevchenkivskyi district", "city", "Ukraine", 49.564, 34.538, "exact", {"e4": 15}, date(2026, 11, 15)),
    ("Kyiv", "city", "Ukraine", 50.45, 30.52, "exact", {"e5": 63}, date(2026, 11, 22)),
    ("Lviv", "city", "Ukraine", 49.84, 24.02, "exact", {"e6": 540}, date(2026, 11, 24)),
    ("Ternopil", "city", "Ukraine", 49.55, 25.59, "exact", {"e6": 540}, date(2026, 11, 24)),
    ("Safed", "city", "Israel", 32.96, 35.50, "exact", {"e7": 120}, date(2026, 11, 15)),
    ("Hodeidah", "unknown", None, None, None, "unknown", {"e8": None}, date(2026, 11, 22)),
]


def _places() -> list[strike_map.Place]:
    rows = [{"place": n, "admin_level": a, "country": c, "latitude": la, "longitude": lo, "precision": p,
             "event_id": e, "event_date": last, "launched": v}
            for n, a, c, la, lo, p, events, last in PLACES for e, v in events.items()]
    return strike_map.places(rows)


def test_the_frame_holds_every_located_strike_and_labels_keep_apart():
    fig, facts = strike_map.draw(_places(), TODAY)
    try:
        x0, y0, x1, y1 = facts.frame
        assert all(x0 < x < x1 and y0 < y < y1 for x, y in facts.centres)
        # Kharkiv and its region share one marker, so do Poltava region and the district 3 km
        # from its centre; Hodeidah has no coordinates
        assert len(facts.centres) == 6
        boxes = facts.labels
        assert len(boxes) >= 5
        for i, a in enumerate(boxes):
            assert x0 <= a[0] and a[2] <= x1 and y0 <= a[1] and a[3] <= y1
            for b in boxes[i + 1:]:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
        assert facts.border_segments > 10 and facts.coastline_segments > 0
    finally:
        plt.close(fig)


def test_a_marker_counts_each_strike_once():
    places = _places()
    assert [p.name for p in places if not p.located] == ["Hodeidah"]
    kharkiv = strike_map.Marker([p for p in places if p.name.startswith("Kharkiv")])
    assert kharkiv.total == 210 + 494 and kharkiv.last == date(2026, 11, 20)


def test_no_located_place_no_map():
    assert strike_map.draw([p for p in _places() if not p.located], TODAY) == (None, None)
