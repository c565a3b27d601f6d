"""Alert messages: a title and a Markdown body, readable in Slack and in e-mail."""
from __future__ import annotations

from datetime import datetime

from flows.alerts.clustering import Event
from flows.alerts.rules import AlertRule
from flows.records import Report


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
