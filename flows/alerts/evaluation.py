"""Alert evaluation and delivery, the library behind the `alerts` flow.

    evaluate(settings)  new reports -> events -> alerts (DuckDB + JSON-lines log + a Prefect event each)
    deliver(settings)   pending alerts -> every configured channel; failures stay pending
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta

from flows import clock
from flows.alerts import channels, clustering, messages, rules
from flows.alerts.clustering import Event
from flows.records import AlertSummary
from flows.settings import Settings
from storage import events as event_store
from storage.db import opened, transaction, write


def _event_rows(event: Event, when: datetime) -> tuple[dict, list[dict]]:
    killed, injured = event.casualties("killed"), event.casualties("injured")
    row = {
        "event_id": event.event_id, "attacker": event.attacker, "target_country": event.target,
        "event_date": event.day, "first_seen": event.first_seen, "first_published": event.first_published,
        "last_updated": when, "reports": len(event.reports), "sources": len(event.sources),
        "places": sorted(event.places), "regions_max": max((r.regions for r in event.reports if r.regions), default=None),
        "killed_min": killed[0], "killed_max": killed[1], "injured_min": injured[0], "injured_max": injured[1],
        "children": True if any(r.children for r in event.reports) else None,
        "services": sorted({s for r in event.reports for s in r.services}),
        "headline": messages.event_headline(event, rules.AlertRule(name="event", severity="info", metric="drones", min=1)),
        "evidence": next((r.evidence for r in event.reports if r.evidence), None),
    }
    models = event.models()
    weapons = [{"event_id": event.event_id, "category": cat, "models": models.get(cat, []), **figures}
               for cat, figures in event.figures().items()]
    return row, weapons


def evaluate(settings: Settings, when: datetime | None = None) -> AlertSummary:
    """Cluster reports not yet in an event, then raise the alerts the rules call for."""
    when = when or clock.now()
    rule_set = rules.load_rules(settings.alert_rules_file)
    window = settings.cluster_window_days
    summary = AlertSummary()

    def step(con) -> tuple[list[dict], int, int]:
        """Everything from the reading to the alerts in one transaction: a lake commit that loses a
        race is simply done again (by `write`)."""
        rows = event_store.unclustered_reports(con)
        if not rows:
            return [], 0, 0
        reports = [clustering.report_of(r) for r in rows]
        days = [r.day for r in reports]
        span = timedelta(days=window + 1)
        members = event_store.event_members(con, min(days) - span, max(days) + span)
        events = [Event(eid, [clustering.report_of(r) for r in rs]) for eid, rs in members.items()]
        touched = clustering.cluster(reports, events, window)
        changed = [e for e in events if e.event_id in touched]
        event_rows, weapon_rows = zip(*(_event_rows(e, when) for e in changed))
        new_members = [{"attack_id": r.attack_id, "event_id": e.event_id, "article_id": r.article_id, "joined_at": when}
                       for e in changed for r in e.reports if r in reports]
        with transaction(con):
            event_store.save_events(con, list(event_rows), [w for ws in weapon_rows for w in ws], new_members)
            prior = event_store.alerted_severity(con, touched)
            alerts = _alerts(changed, rule_set, prior, when, timedelta(hours=settings.alert_max_age_hours))
            fresh = event_store.insert_alerts(con, alerts)
        return fresh, len(reports), len(touched)

    fresh, summary.reports, summary.events_touched = write(settings.store, step, lock_timeout=settings.lock_timeout)
    summary.alerts_raised = [a["alert_key"] for a in fresh]
    _log(settings, fresh)
    _announce(fresh)
    return summary


def _alerts(events: list[Event], rule_set, prior: dict[str, int], when: datetime, max_age: timedelta) -> list[dict]:
    out = []
    for event in events:
        decision = rules.decide(event, rule_set, prior.get(event.event_id), when, max_age)
        if decision is None:
            continue
        rule, kind = decision
        title, body = messages.render(event, rule, kind)
        out.append({"alert_key": f"{event.event_id}:{rule.name}", "event_id": event.event_id, "rule": rule.name,
                    "severity": rule.severity, "kind": kind, "created_at": when, "title": title, "body": body,
                    "status": "pending", "delivered_at": None})
    return out


def _log(settings: Settings, alerts: list[dict]) -> None:
    """The always-on record: one JSON line per alert raised; its status is `pending` (to be sent
    to the channels) or, with no channel configured, `recorded`, as in the alerts table."""
    if not alerts:
        return
    settings.alert_log.parent.mkdir(parents=True, exist_ok=True)
    with settings.alert_log.open("a", encoding="utf-8") as fh:
        for a in alerts:
            line = {k: v for k, v in a.items() if k != "delivered_at"}
            line["status"] = a["status"] if settings.alert_channels else "recorded"
            fh.write(json.dumps(line, default=str, ensure_ascii=False) + "\n")


def _announce(alerts: list[dict]) -> None:
    """Announce each alert to Prefect (its event `newswatch.attack.detected`), so Prefect
    Automations can route alerts where a Prefect server runs."""
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
    targets = [channels.Channel(s.get_secret_value()) for s in settings.alert_channels]
    summary = AlertSummary()
    with opened(settings.store, lock_timeout=settings.lock_timeout) as con:
        pending = event_store.pending_alerts(con)
        done = {a["alert_key"]: event_store.delivered_channels(con, a["alert_key"]) for a in pending}
    rows = []
    for alert in pending:
        for channel in targets:
            if channel.channel_id in done[alert["alert_key"]]:
                continue
            outcome = channels.send(channel, alert["title"], alert["body"], alert["severity"], settings.alert_timeout)
            at = clock.now()
            rows.append({"alert_key": alert["alert_key"], "channel_id": channel.channel_id, "channel": channel.display,
                         "status": "delivered" if outcome.ok else "failed", "attempts": 1,
                         "last_error": outcome.error, "last_attempt": at, "delivered_at": at if outcome.ok else None})
            summary.delivered += outcome.ok
            summary.failed += not outcome.ok
    write(settings.store, lambda con: event_store.record_deliveries(con, rows, [c.channel_id for c in targets],
                                                                    when or clock.now()),
          lock_timeout=settings.lock_timeout)
    return summary
