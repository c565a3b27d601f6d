"""Attack events (reports of one strike clustered together) and their alerts (see migration 002)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import duckdb

from storage.db import dict_rows, merge, registered, transaction


# A report's strike day: its own, else its publication day, else (live news only) the day it was
# first seen. An undated seed has none: it is background and never joins an event.
STRIKE_DAY = ("coalesce(a.attack_date, CAST(ar.published AS DATE), "
              "CASE WHEN ar.origin <> 'seed' THEN CAST(ar.first_seen AS DATE) END)")


def _reports_sql(picked: str, carry: str = "") -> str:
    """Attack reports (rows of articles that report a new attack) for the attacks `picked`
    selects, with their places and weapons gathered for those attacks only; `carry` names
    columns of `picked` to return as well."""
    return f"""
WITH picked AS ({picked}),
pl AS (SELECT attack_id, list(DISTINCT name) AS places FROM locations
       WHERE attack_id IN (SELECT attack_id FROM picked) GROUP BY attack_id),
pw AS (SELECT attack_id, list({{'category': category, 'model': model, 'launched': launched, 'intercepted': intercepted}})
              AS weapons FROM weapons WHERE attack_id IN (SELECT attack_id FROM picked) GROUP BY attack_id)
SELECT {carry} a.attack_id, a.article_id, ar.source_id, ar.origin, ar.url, ar.title, ar.published, ar.first_seen,
       a.attacker, a.target_country, {STRIKE_DAY} AS day,
       a.killed, a.injured, a.children, a.regions_count, a.services_disrupted, a.evidence, pl.places, pw.weapons
FROM attacks a JOIN picked USING (attack_id) JOIN articles ar ON ar.article_id = a.article_id
     LEFT JOIN pl ON pl.attack_id = a.attack_id LEFT JOIN pw ON pw.attack_id = a.attack_id
WHERE ar.is_attack_report AND {STRIKE_DAY} IS NOT NULL
"""


def unclustered_reports(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Attack reports not yet in any event.

    Only articles stored since a day before the latest clustering are looked at (every report
    older than that was clustered then), so the work does not grow with the database.
    """
    since = con.execute("SELECT max(joined_at) - INTERVAL 1 DAY FROM event_articles").fetchone()[0]
    recent = "TRUE" if since is None else "article_id IN (SELECT article_id FROM articles WHERE updated_at >= $since)"
    picked = (f"SELECT attack_id FROM attacks WHERE {recent} "
              "AND attack_id NOT IN (SELECT attack_id FROM event_articles)")
    return dict_rows(con.execute(_reports_sql(picked), {} if since is None else {"since": since}))


def event_members(con: duckdb.DuckDBPyConnection, first_day: date, last_day: date) -> dict[str, list[dict[str, Any]]]:
    """Reports of the events whose strike day falls in [first_day, last_day], by event id."""
    picked = ("SELECT ea.attack_id, ea.event_id FROM event_articles ea JOIN events e USING (event_id) "
              "WHERE e.event_date BETWEEN $first AND $last")
    rows = dict_rows(con.execute(
        _reports_sql(picked, carry="picked.event_id,"),
        {"first": first_day, "last": last_day}))
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row.pop("event_id"), []).append(row)
    return out


def save_events(con: duckdb.DuckDBPyConnection, events: Sequence[dict[str, Any]], weapons: Sequence[dict[str, Any]],
                members: Sequence[dict[str, Any]]) -> None:
    """Replace the rows of the given events and add their new members (inside the caller's transaction)."""
    if not events:
        return
    with registered(con, "touched", [{"event_id": e["event_id"]} for e in events]):
        con.execute("DELETE FROM event_weapons WHERE event_id IN (SELECT event_id FROM touched)")
        con.execute("DELETE FROM events WHERE event_id IN (SELECT event_id FROM touched)")
        for table, rows in (("events", events), ("event_weapons", weapons), ("event_articles", members)):
            if rows:
                with registered(con, "batch", rows):
                    if table == "event_articles":  # a report already in the event stays as it joined
                        merge(con, table, "batch", ["attack_id"])
                    else:
                        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM batch")


def drop_orphan_events(con: duckdb.DuckDBPyConnection) -> int:
    """Events left without member reports (after a re-extraction) are removed; alerts stay."""
    orphans = con.execute("SELECT count(*) FROM events WHERE event_id NOT IN (SELECT event_id FROM event_articles)").fetchone()[0]
    con.execute("DELETE FROM event_weapons WHERE event_id NOT IN (SELECT event_id FROM event_articles)")
    con.execute("DELETE FROM events WHERE event_id NOT IN (SELECT event_id FROM event_articles)")
    return orphans


def alerted_severity(con: duckdb.DuckDBPyConnection, event_ids: Iterable[str]) -> dict[str, str]:
    """The highest severity already alerted per event."""
    ids = list(event_ids)
    if not ids:
        return {}
    rows = con.execute(
        "SELECT event_id, max(CASE severity WHEN 'critical' THEN 2 WHEN 'warning' THEN 1 ELSE 0 END) "
        "FROM alerts WHERE event_id IN (SELECT unnest(?)) GROUP BY event_id", [ids]).fetchall()
    return {event_id: level for event_id, level in rows}


def insert_alerts(con: duckdb.DuckDBPyConnection, alerts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add alerts whose key is not stored yet (idempotent); returns the ones added."""
    if not alerts:
        return []
    keys = [a["alert_key"] for a in alerts]
    existing = {r[0] for r in con.execute("SELECT alert_key FROM alerts WHERE alert_key IN (SELECT unnest(?))",
                                          [keys]).fetchall()}
    fresh = [a for a in alerts if a["alert_key"] not in existing]
    if fresh:
        with registered(con, "alert_batch", fresh):
            merge(con, "alerts", "alert_batch", ["alert_key"])
    return fresh


def pending_alerts(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return dict_rows(con.execute("SELECT alert_key, title, body, severity FROM alerts WHERE status = 'pending' "
                             "ORDER BY created_at"))


def delivered_channels(con: duckdb.DuckDBPyConnection, alert_key: str) -> set[str]:
    rows = con.execute("SELECT channel_id FROM alert_deliveries WHERE alert_key = ? AND status = 'delivered'",
                       [alert_key]).fetchall()
    return {r[0] for r in rows}


def record_deliveries(con: duckdb.DuckDBPyConnection, rows: Sequence[dict[str, Any]], channel_ids: Sequence[str],
                      now: datetime) -> None:
    """Store delivery attempts and mark alerts delivered once every channel has them."""
    with transaction(con):  # attempts counted once, whatever is tried again
        if rows:
            with registered(con, "delivery_batch", rows):
                merge(con, "alert_deliveries", "delivery_batch", ["alert_key", "channel_id"], {
                    "status": "src.status", "attempts": "alert_deliveries.attempts + 1", "last_error": "src.last_error",
                    "last_attempt": "src.last_attempt",
                    "delivered_at": "coalesce(alert_deliveries.delivered_at, src.delivered_at)"})
        if channel_ids:
            con.execute(
                "UPDATE alerts SET status = 'delivered', delivered_at = ? WHERE status = 'pending' AND "
                "(SELECT count(DISTINCT channel_id) FROM alert_deliveries d WHERE d.alert_key = alerts.alert_key "
                " AND d.status = 'delivered' AND d.channel_id IN (SELECT unnest(?))) = ?",
                [now, list(channel_ids), len(set(channel_ids))])
        else:
            con.execute("UPDATE alerts SET status = 'recorded' WHERE status = 'pending'")
