"""Attack events from attack reports, alert rules over events, and alert messages. Pure logic.

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
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from flows.settings import ConfigError

COMPATIBLE_RATIO = 0.6
SEVERITY = {"info": 0, "warning": 1, "critical": 2}
CATEGORY_COARSE = {"cruise_missile": "missile", "ballistic_missile": "missile"}


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
        """Per category: the most conservative and the highest launched/intercepted counts."""
        out: dict[str, dict[str, int | None]] = {}
        for cat in sorted({c for r in self.reports for c in (*r.launched, *r.intercepted, *r.models)}):
            launched = [r.launched[cat] for r in self.reports if cat in r.launched]
            intercepted = [r.intercepted[cat] for r in self.reports if cat in r.intercepted]
            out[cat] = {
                "launched_min": min(launched, default=None), "launched_max": max(launched, default=None),
                "intercepted_min": min(intercepted, default=None), "intercepted_max": max(intercepted, default=None),
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


# ---------------------------------------------------------------- rules

Metric = Literal["drones", "missiles", "combined", "killed", "injured", "regions"]


class AlertRule(BaseModel):
    """Alert when `metric` of an event reaches `min`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=60, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    severity: Literal["info", "warning", "critical"]
    metric: Metric
    min: int = Field(ge=1)


class RuleSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: list[AlertRule]

    @field_validator("rules")
    @classmethod
    def _unique(cls, rules: list[AlertRule]) -> list[AlertRule]:
        names = [r.name for r in rules]
        if len(set(names)) != len(names):
            raise ValueError("rule names must be unique")
        return rules


def load_rules(path: Path) -> list[AlertRule]:
    """Rules from a TOML file (`[[rules]]` name, severity, metric, min); ConfigError when invalid."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return RuleSet.model_validate(data).rules
    except FileNotFoundError:
        raise ConfigError(f"alert_rules_file {path}: not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"alert_rules_file {path}: not valid TOML: {exc}") from None
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise ConfigError(f"alert_rules_file {path}:\n  " + "\n  ".join(problems)) from None


def metrics(event: Event) -> dict[str, int | None]:
    """The figures rules compare with: the highest any report gives (alerting errs early)."""
    def top(cat: str) -> int | None:
        values = [r.launched[cat] for r in event.reports if cat in r.launched]
        return max(values, default=None)

    combined = [sum(r.launched.get(c, 0) for c in ("drone", "missile", "rocket", "glide_bomb")) for r in event.reports]
    regions = [r.regions for r in event.reports if r.regions]
    return {
        "drones": top("drone"), "missiles": top("missile"), "combined": max(combined, default=0) or None,
        "killed": event.casualties("killed")[1], "injured": event.casualties("injured")[1],
        "regions": max(regions, default=None),
    }


def strongest_rule(event: Event, rules: list[AlertRule]) -> AlertRule | None:
    values = metrics(event)
    hits = [r for r in rules if (values.get(r.metric) or 0) >= r.min]
    return max(hits, key=lambda r: (SEVERITY[r.severity], r.min)) if hits else None


def decide(event: Event, rules: list[AlertRule], alerted_severity: int | None, now: datetime,
           max_age: timedelta) -> tuple[AlertRule, str] | None:
    """The alert to raise for an event: (rule, "new" | "escalation"), or None.

    Only events reported by feeds and first published (or first seen) within `max_age` alert
    (seed files never do); an event already alerted
    alerts again only when a rule of higher severity now matches.
    """
    rule = strongest_rule(event, rules)
    if rule is None or all(r.origin == "seed" for r in event.reports):
        return None  # the seed corpus is background, not news: it never pages anyone
    if alerted_severity is None:
        born = event.first_published or event.first_seen
        return (rule, "new") if now - born <= max_age else None
    if SEVERITY[rule.severity] > alerted_severity:
        return rule, "escalation"
    return None


# ---------------------------------------------------------------- messages

def _range(lo: int | None, hi: int | None) -> str:
    if lo is None:
        return "?"
    return str(lo) if lo == hi else f"{lo}–{hi}"


def render(event: Event, rule: AlertRule, kind: str) -> tuple[str, str]:
    """Title and Markdown body, readable in Slack and in e-mail."""
    figures = event.figures()
    parts = [f"{_range(f['launched_min'], f['launched_max'])} {cat}s" for cat, f in figures.items()
             if f["launched_max"]]
    side = f"{event.attacker or 'unknown attacker'} → {event.target or 'unknown target'}"
    prefix = "ESCALATION: " if kind == "escalation" else ""
    title = f"{prefix}Large-scale attack {side}: " + (", ".join(parts) or "strike reported, no counts")
    lines = [f"**{title}**", "",
             f"- Rule: {rule.name} ({rule.severity})",
             f"- Strike day: {event.day.isoformat()}; first reported: {_when(event.first_published or event.first_seen)}"]
    models = event.models()
    for cat, f in figures.items():
        model = f" ({', '.join(models[cat])})" if models.get(cat) else ""
        lines.append(f"- {cat}{model}: launched {_range(f['launched_min'], f['launched_max'])}, "
                     f"intercepted {_range(f['intercepted_min'], f['intercepted_max'])}")
    regions = max((r.regions for r in event.reports if r.regions), default=None)
    if regions:
        lines.append(f"- Regions hit: {regions}")
    if event.places:
        lines.append(f"- Places: {', '.join(sorted(event.places))}")
    for kind_ in ("killed", "injured"):
        lo, hi = event.casualties(kind_)
        if hi is not None:
            lines.append(f"- {kind_.capitalize()}: {_range(lo, hi)}")
    services = sorted({s for r in event.reports for s in r.services})
    if services:
        lines.append(f"- Services disrupted: {', '.join(services)}")
    lines.append(f"- Sources ({len(event.sources)}): " + "; ".join(
        f"{r.source_id}: {r.url or r.title or r.article_id}" for r in _one_per_source(event.reports)))
    evidence = next((r.evidence for r in event.reports if r.evidence), "")
    if evidence:
        lines += ["", f"> {evidence.strip()}"]
    return title, "\n".join(lines)


def _when(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")


def _one_per_source(reports: list[Report]) -> list[Report]:
    seen, out = set(), []
    for r in reports:
        if r.source_id not in seen:
            seen.add(r.source_id)
            out.append(r)
    return out
