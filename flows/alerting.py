"""Alert evaluation: cluster new attack reports into events, apply the rules, deliver, record.

    evaluate(settings)  new reports -> events -> alerts (DuckDB + JSON-lines log + Prefect event)
    deliver(settings)   pending alerts -> every configured channel; failures stay pending
The `alerts` flow runs both; the `ingest` flow runs them at the end of each cycle.
"""
from __future__ import annotations

import json
from pathlib import Path
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from prefect import flow, get_run_logger, task

from flows import clock
from flows import events as ev
from flows import notify
from flows.settings import Settings, load_settings
from storage import events as store
from storage.db import DatabaseBusy, opened


@dataclass
class AlertSummary:
    reports: int = 0
    events_touched: int = 0
    alerts_raised: list[str] = field(default_factory=list)
    delivered: int = 0
    failed: int = 0


def _report(row: dict) -> ev.Report:
    launched: dict[str, int] = {}
    intercepted: dict[str, int] = {}
    models: dict[str, set[str]] = {}
    for w in row.get("weapons") or []:
        cat = ev.CATEGORY_COARSE.get(w["category"], w["category"])
        if w.get("launched") is not None:
            launched[cat] = launched.get(cat, 0) + w["launched"]
        if w.get("intercepted") is not None:
            intercepted[cat] = intercepted.get(cat, 0) + w["intercepted"]
        models.setdefault(cat, set())
        if w.get("model"):
            models[cat].add(w["model"])
    return ev.Report(
        attack_id=row["attack_id"], article_id=row["article_id"], source_id=row["source_id"], url=row["url"],
        title=row["title"], published=row["published"], first_seen=row["first_seen"], attacker=row["attacker"],
        target=row["target_country"], day=row["day"], killed=row["killed"], injured=row["injured"],
        children=row["children"], regions=row["regions_count"], services=tuple(row["services_disrupted"] or ()),
        places=frozenset(row["places"] or ()), launched=launched, intercepted=intercepted,
        models={k: tuple(sorted(v)) for k, v in models.items()}, evidence=row["evidence"] or "",
        origin=row["origin"],
    )


def _event_rows(event: ev.Event, when: datetime) -> tuple[dict, list[dict]]:
    killed, injured = event.casualties("killed"), event.casualties("injured")
    title, _ = ev.render(event, ev.AlertRule(name="event", severity="info", metric="drones", min=1), "new")
    row = {
        "event_id": event.event_id, "attacker": event.attacker, "target_country": event.target,
        "event_date": event.day, "first_seen": event.first_seen, "first_published": event.first_published,
        "last_updated": when, "reports": len(event.reports), "sources": len(event.sources),
        "places": sorted(event.places), "regions_max": max((r.regions for r in event.reports if r.regions), default=None),
        "killed_min": killed[0], "killed_max": killed[1], "injured_min": injured[0], "injured_max": injured[1],
        "children": True if any(r.children for r in event.reports) else None,
        "services": sorted({s for r in event.reports for s in r.services}),
        "headline": title.removeprefix("Large-scale attack "),
        "evidence": next((r.evidence for r in event.reports if r.evidence), None),
    }
    models = event.models()
    weapons = [{"event_id": event.event_id, "category": cat, "models": models.get(cat, []), **figures}
               for cat, figures in event.figures().items()]
    return row, weapons


def evaluate(settings: Settings, when: datetime | None = None) -> AlertSummary:
    """Cluster reports not yet in an event, then raise the alerts the rules call for."""
    when = when or clock.now()
    rules = ev.load_rules(settings.alert_rules_file)
    window = settings.cluster_window_days
    summary = AlertSummary()
    with opened(settings.database, lock_timeout=settings.lock_timeout) as con:
        rows = store.unclustered_reports(con)
        if not rows:
            return summary
        reports = [_report(r) for r in rows]
        days = [r.day for r in reports]
        span = timedelta(days=window + 1)
        members = store.event_members(con, min(days) - span, max(days) + span)
        events = [ev.Event(eid, [_report(r) for r in rs]) for eid, rs in members.items()]
        touched = ev.cluster(reports, events, window)
        changed = [e for e in events if e.event_id in touched]
        event_rows, weapon_rows = zip(*(_event_rows(e, when) for e in changed))
        new_members = [{"attack_id": r.attack_id, "event_id": e.event_id, "article_id": r.article_id, "joined_at": when}
                       for e in changed for r in e.reports if r in reports]
        store.save_events(con, list(event_rows), [w for ws in weapon_rows for w in ws], new_members)
        prior = store.alerted_severity(con, touched)
        alerts = _alerts(changed, rules, prior, when, timedelta(hours=settings.alert_max_age_hours))
        existing = {r[0] for r in con.execute("SELECT alert_key FROM alerts WHERE alert_key IN (SELECT unnest(?))",
                                               [[a["alert_key"] for a in alerts]]).fetchall()} if alerts else set()
        fresh = [a for a in alerts if a["alert_key"] not in existing]
        store.insert_alerts(con, fresh)
    summary.reports, summary.events_touched = len(reports), len(touched)
    summary.alerts_raised = [a["alert_key"] for a in fresh]
    _log(settings, fresh)
    _emit(fresh)
    return summary


def _alerts(events: list[ev.Event], rules, prior: dict[str, int], when: datetime, max_age: timedelta) -> list[dict]:
    out = []
    for event in events:
        decision = ev.decide(event, rules, prior.get(event.event_id), when, max_age)
        if decision is None:
            continue
        rule, kind = decision
        title, body = ev.render(event, rule, kind)
        out.append({"alert_key": f"{event.event_id}:{rule.name}", "event_id": event.event_id, "rule": rule.name,
                    "severity": rule.severity, "kind": kind, "created_at": when, "title": title, "body": body,
                    "status": "pending", "delivered_at": None})
    return out


def _log(settings: Settings, alerts: list[dict]) -> None:
    """The always-on record: one JSON line per alert raised."""
    if not alerts:
        return
    settings.alert_log.parent.mkdir(parents=True, exist_ok=True)
    with settings.alert_log.open("a", encoding="utf-8") as fh:
        for a in alerts:
            fh.write(json.dumps({k: v for k, v in a.items() if k != "delivered_at"}, default=str, ensure_ascii=False) + "\n")


def _emit(alerts: list[dict]) -> None:
    """A Prefect event per alert, so Prefect Automations can route them where a server runs."""
    if not alerts:
        return
    try:
        from prefect.events import emit_event

        for a in alerts:
            emit_event(event="newswatch.attack.detected",
                       resource={"prefect.resource.id": f"newswatch.event.{a['event_id']}"},
                       payload={"alert_key": a["alert_key"], "severity": a["severity"], "kind": a["kind"],
                                "title": a["title"]})
    except Exception:  # noqa: BLE001 - the alert is recorded and delivered whether or not events flow
        pass


def deliver(settings: Settings, when: datetime | None = None) -> AlertSummary:
    """Send every pending alert to the channels that do not have it yet; record each attempt."""
    channels = [notify.Channel(s.get_secret_value()) for s in settings.alert_channels]
    summary = AlertSummary()
    with opened(settings.database, lock_timeout=settings.lock_timeout) as con:
        pending = store.pending_alerts(con)
        done = {a["alert_key"]: store.delivered_channels(con, a["alert_key"]) for a in pending}
    rows = []
    for alert in pending:
        for channel in channels:
            if channel.channel_id in done[alert["alert_key"]]:
                continue
            outcome = notify.send(channel, alert["title"], alert["body"], alert["severity"], settings.alert_timeout)
            at = clock.now()
            rows.append({"alert_key": alert["alert_key"], "channel_id": channel.channel_id, "channel": channel.display,
                         "status": "delivered" if outcome.ok else "failed", "attempts": 1,
                         "last_error": outcome.error, "last_attempt": at, "delivered_at": at if outcome.ok else None})
            summary.delivered += outcome.ok
            summary.failed += not outcome.ok
    with opened(settings.database, lock_timeout=settings.lock_timeout) as con:
        store.record_deliveries(con, rows, [c.channel_id for c in channels], when or clock.now())
    return summary


@task(name="evaluate-alerts")
def evaluate_task(settings: Settings) -> AlertSummary:
    return evaluate(settings)


@task(name="deliver-alerts")
def deliver_task(settings: Settings) -> AlertSummary:
    return deliver(settings)


@flow(name="alerts")
def alerts(settings: Settings | None = None, config_file: str | None = None) -> AlertSummary:
    """Cluster new attack reports, raise alerts and deliver pending ones."""
    settings = settings or load_settings(Path(config_file) if config_file else None)
    try:
        summary = evaluate_task(settings)
        sent = deliver_task(settings)
    except DatabaseBusy as exc:
        get_run_logger().warning("%s; alerts are evaluated on the next run", exc)
        return AlertSummary()
    summary.delivered, summary.failed = sent.delivered, sent.failed
    return summary

