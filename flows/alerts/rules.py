"""Alert rules over events: which figure of an event makes it an alert, and of what severity."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from flows.alerts.clustering import Event
from flows.settings import load_toml_list

SEVERITY = {"info": 0, "warning": 1, "critical": 2}


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
    return load_toml_list(path, RuleSet, "alert_rules_file").rules


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
