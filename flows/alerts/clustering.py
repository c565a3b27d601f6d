"""Attack events from attack reports: which reports describe one strike. Pure logic.

Clustering rule (documented in the README): a report joins an event when
  - attacker and target agree (a side missing in either counts as agreeing),
  - the strike days are at most `window_days` apart (days resolved against publication), and
  - their places overlap, or a weapon category both report has launch counts within a factor
    of COMPATIBLE_RATIO of each other, or one of the two names no place and no counts conflict.
Otherwise it opens a new event. Counts conflict when a shared category's launch counts differ
by more than that factor.
"""
from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flows.records import Report

COMPATIBLE_RATIO = 0.6


CATEGORY_COARSE = {"cruise_missile": "missile", "ballistic_missile": "missile"}


def report_of(row: dict[str, Any]) -> Report:
    """A Report from a row of `storage.events.unclustered_reports` / `event_members`."""
    launched: dict[str, int] = {}
    intercepted: dict[str, int] = {}
    models: dict[str, set[str]] = {}
    for w in row.get("weapons") or []:
        cat = CATEGORY_COARSE.get(w["category"], w["category"])
        if w.get("launched") is not None:
            launched[cat] = launched.get(cat, 0) + w["launched"]
        if w.get("intercepted") is not None:
            intercepted[cat] = intercepted.get(cat, 0) + w["intercepted"]
        models.setdefault(cat, set())
        if w.get("model"):
            models[cat].add(w["model"])
    return Report(
        attack_id=row["attack_id"], article_id=row["article_id"], source_id=row["source_id"], url=row["url"],
        title=row["title"], published=row["published"], first_seen=row["first_seen"], attacker=row["attacker"],
        target=row["target_country"], day=row["day"], killed=row["killed"], injured=row["injured"],
        children=row["children"], regions=row["regions_count"], services=tuple(row["services_disrupted"] or ()),
        places=frozenset(row["places"] or ()), launched=launched, intercepted=intercepted,
        models={k: tuple(sorted(v)) for k, v in models.items()}, evidence=row["evidence"] or "",
        origin=row["origin"],
    )


@dataclass
class Event:
    event_id: str
    reports: list[Report]

    def add(self, report: Report) -> None:
        self.reports.append(report)
        for name in ("attacker", "target", "day", "places"):
            self.__dict__.pop(name, None)  # recomputed from the reports on next use

    @functools.cached_property
    def attacker(self) -> str | None:
        return _most_common(r.attacker for r in self.reports)

    @functools.cached_property
    def target(self) -> str | None:
        return _most_common(r.target for r in self.reports)

    @functools.cached_property
    def day(self) -> date:
        return min(r.day for r in self.reports)

    @functools.cached_property
    def places(self) -> set[str]:
        return set().union(*(r.places for r in self.reports))

    @property
    def first_seen(self) -> datetime:
        return min(r.first_seen for r in self.reports)

    @property
    def first_published(self) -> datetime | None:
        times = [r.published for r in self.reports if r.published]
        return min(times) if times else None

    @property
    def sources(self) -> list[str]:
        return sorted({r.source_id for r in self.reports})

    def figures(self) -> dict[str, dict[str, int | None]]:
        """Per category: the most conservative and the highest launched/intercepted counts, and
        the pair of one report giving both (the one with the fewest launches), from which alone
        an interception rate may be computed: figures of two reports are never paired."""
        out: dict[str, dict[str, int | None]] = {}
        for cat in sorted({c for r in self.reports for c in (*r.launched, *r.intercepted, *r.models)}):
            launched = [r.launched[cat] for r in self.reports if cat in r.launched]
            intercepted = [r.intercepted[cat] for r in self.reports if cat in r.intercepted]
            pairs = [(r.launched[cat], r.intercepted[cat]) for r in self.reports
                     if cat in r.launched and cat in r.intercepted]
            paired = min(pairs, key=lambda p: p[0], default=(None, None))
            out[cat] = {
                "launched_min": min(launched, default=None), "launched_max": max(launched, default=None),
                "intercepted_min": min(intercepted, default=None), "intercepted_max": max(intercepted, default=None),
                "launched_paired": paired[0], "intercepted_paired": paired[1],
            }
        return out

    def models(self) -> dict[str, list[str]]:
        return {cat: sorted({m for r in self.reports for m in r.models.get(cat, ())})
                for cat in self.figures()}

    def casualties(self, kind: str) -> tuple[int | None, int | None]:
        values = [getattr(r, kind) for r in self.reports if getattr(r, kind) is not None]
        return (min(values), max(values)) if values else (None, None)


def _most_common(values) -> str | None:
    counts: dict[str, int] = {}
    for v in values:
        if v:
            counts[v] = counts.get(v, 0) + 1
    return max(counts, key=counts.get) if counts else None


def event_id_for(report: Report) -> str:
    return "ev-" + hashlib.sha256(report.attack_id.encode()).hexdigest()[:12]


def _sides_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _counts_relation(a: dict[str, int], b: dict[str, int]) -> str:
    """compatible | conflicting | unknown, from the launch counts both report."""
    shared = [c for c in a if c in b and a[c] and b[c]]
    if not shared:
        return "unknown"
    ratios = [min(a[c], b[c]) / max(a[c], b[c]) for c in shared]
    return "compatible" if all(r >= COMPATIBLE_RATIO for r in ratios) else "conflicting"


def same_strike(event: Event, report: Report, window_days: int) -> bool:
    """Whether `report` describes the strike of `event` (the clustering rule above)."""
    if abs((report.day - event.day).days) > window_days:
        return False
    if not (_sides_agree(event.attacker, report.attacker) and _sides_agree(event.target, report.target)):
        return False
    relations = {_counts_relation(r.launched, report.launched) for r in event.reports}
    if "conflicting" in relations:
        return False
    if event.places & report.places or "compatible" in relations:
        return True
    return not event.places or not report.places


def cluster(reports: list[Report], events: list[Event], window_days: int) -> set[str]:
    """Add each report to a matching event or a new one; returns the ids of touched events."""
    touched: set[str] = set()
    by_day: dict[date, list[int]] = {}  # strike day -> positions in `events`: only nearby days are compared
    for n, event in enumerate(events):
        by_day.setdefault(event.day, []).append(n)
    for report in sorted(reports, key=lambda r: (r.published or r.first_seen, r.attack_id)):
        near = sorted({n for k in range(-window_days, window_days + 1)
                       for n in by_day.get(report.day + timedelta(days=k), ())})
        match = next((events[n] for n in near if same_strike(events[n], report, window_days)), None)
        if match is None:
            match = Event(event_id_for(report), [])
            events.append(match)
            by_day.setdefault(report.day, []).append(len(events) - 1)
        elif report.day < match.day:  # the event's day moves earlier: index it there too
            by_day.setdefault(report.day, []).append(events.index(match))
        match.add(report)
        touched.add(match.event_id)
    return touched
