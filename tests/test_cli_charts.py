"""The launches chart (flows/cli/charts.py): one slot per night or week between the first and the
last with data, bars from zero, dates for ticks, rates only over paired figures."""
from __future__ import annotations

import re
from datetime import date, timedelta

from flows.cli import charts

D = date(2026, 11, 18)
ROWS = [  # period, category, launched, intercepted, launched_paired, intercepted_paired
    (D, "drone", 210, 120, 210, 120), (D + timedelta(days=2), "drone", 494, 370, 494, 370),
    (D + timedelta(days=6), "drone", 500, None, None, None), (D + timedelta(days=2), "missile", 82, 46, 82, 46),
    (D + timedelta(days=5), "drone", None, 41, None, None),
]


def test_panels_fill_the_nights_between_and_put_the_largest_first():
    drone, missile = charts.panels(ROWS, "day")
    assert (drone.category, missile.category) == ("drone", "missile")
    assert drone.periods == [D + timedelta(days=k) for k in range(7)] == missile.periods
    assert drone.launched == [210, None, 494, None, None, None, 500] and drone.intercepted[5] == 41
    assert [drone.rate(k) for k in (0, 5, 6)] == [120 / 210, None, None]  # no pair, no rate
    assert drone.total_rate() == (120 + 370) / (210 + 494)


def test_one_bar_per_night_with_a_figure_axes_from_zero_and_date_ticks(tmp_path):
    png = tmp_path / "chart.png"
    drone, missile = charts.write_png(charts.panels(ROWS, "day"), "day", png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (drone.launched_bars, drone.intercepted_bars, missile.launched_bars) == (3, 3, 1)
    assert drone.y_min == 0 == missile.y_min and 500 <= drone.y_max <= 500 * 1.25 and 82 <= missile.y_max <= 82 * 1.25
    assert drone.tick_labels == ["18 Nov", "19 Nov", "20 Nov", "21 Nov", "22 Nov", "23 Nov", "24 Nov"]


def test_ticks_are_dates_at_most_fourteen_and_years_only_when_they_change():
    days = [D + timedelta(days=k) for k in range(40)]  # within 2026
    positions, labels = charts.tick_labels(days)
    assert len(labels) <= charts.MAX_TICKS and positions[0] == 0
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}", label) for label in labels)
    weeks = [date(2025, 12, 1) + timedelta(weeks=k) for k in range(10)]
    assert charts.tick_labels(weeks)[1][0] == "1 Dec 25" and charts.tick_labels(weeks)[1][-1] == "2 Feb 26"


def test_the_svg_names_axes_and_bars_for_readers_of_the_page():
    svg, facts = charts.svg(charts.panels(ROWS, "day"), "day")
    assert svg.startswith("<svg") and 'id="axes-drone"' in svg and 'id="axes-missile"' in svg
    assert len(re.findall(r'id="bar-drone-launched-', svg)) == facts[0].launched_bars == 3
    assert 'id="bar-missile-launched-2026-11-20"' in svg
