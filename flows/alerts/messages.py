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


PLURAL = {"glide_bomb": "glide bombs", "artillery": "artillery shells"}


# The weapon categories whose figures each rule metric reads (see rules.metrics).
METRIC_CATEGORIES = {"drones": ("drone",), "missiles": ("missile",),
                     "combined": ("drone", "missile", "rocket", "glide_bomb")}


def _weapons(cat: str) -> str:
    return PLURAL.get(cat, cat.replace("_", " ") + "s")


def _figure(cat: str, f: dict) -> str | None:
    """"150–155 drones", or "121 drones shot down" when no report says how many were launched."""
    if f["launched_max"]:
        return f"{_range(f['launched_min'], f['launched_max'])} {_weapons(cat)}"
    if f["intercepted_max"]:
        return f"{_range(f['intercepted_min'], f['intercepted_max'])} {_weapons(cat)} shot down"
    return None


def event_headline(event: Event, rule: AlertRule) -> str:
    """The events table's headline: "Russia → Ukraine: 150 drones", or the figures alone when
    neither side is known."""
    side = _side(event.attacker, event.target).strip()
    return f"{side}: {headline(event, rule)}" if side else headline(event, rule)


def _side(attacker: str | None, target: str | None) -> str:
    """"Russia → Ukraine", "by Russia", "on Ukraine", or nothing: an unknown side is left out."""
    if attacker and target:
        return f" {attacker} → {target}"
    if attacker or target:
        return f" by {attacker}" if attacker else f" on {target}"
    return ""


def headline(event: Event, rule: AlertRule) -> str:
    """The figures of the headline, the one that fired the rule first: "11 killed; 40 drones"."""
    figures = event.figures()
    lead_cats = METRIC_CATEGORIES.get(rule.metric, ())
    if rule.metric in ("killed", "injured"):
        lo, hi = event.casualties(rule.metric)
        lead = [f"{_range(lo, hi)} {rule.metric}"] if hi is not None else []
    elif rule.metric == "regions":
        regions = max((r.regions for r in event.reports if r.regions), default=None)
        lead = [f"{regions} regions targeted"] if regions else []
    else:
        lead = [x for cat in lead_cats if cat in figures and (x := _figure(cat, figures[cat]))]
    rest = [x for cat, f in figures.items() if cat not in lead_cats and (x := _figure(cat, f))]
    if rule.metric in ("killed", "injured", "regions"):
        return "; ".join(filter(None, (", ".join(lead), ", ".join(rest)))) or "no counts reported"
    return ", ".join(lead + rest) or "no counts reported"


def render(event: Event, rule: AlertRule, kind: str) -> tuple[str, str]:
    """Title and Markdown body, readable in Slack and in e-mail."""
    figures = event.figures()
    prefix = "ESCALATION: " if kind == "escalation" else ""
    title = f"{prefix}Large-scale attack{_side(event.attacker, event.target) or ' reported'}: {headline(event, rule)}"
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
