"""Read-only queries behind the analyst commands (`status`, `trends`, `export`, `report`, `sql`).

Each takes an open connection (read-only is enough) and returns plain rows; the command line
decides how to show them.
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from storage.articles import FACT_TABLES
from storage.db import dict_rows

Table = tuple[list[str], list[tuple]]  # column names and rows

# The date column `export --since/--until` filters on, per relation.
EXPORT_DATE_COLUMNS = {
    "articles": "published", "attacks": "attack_date", "events": "event_date", "v_attack_events": "event_date",
    "v_daily_launches": "day", "v_weekly_launches": "week", "v_talks_timeline": "reported_on",
    "v_entity_mentions": "day", "errors": "occurred_at", "runs": "started_at", "alerts": "created_at",
}


class QueryProblem(ValueError):
    """The request cannot be answered as asked; the message says what would be valid."""


def run_sql(con: duckdb.DuckDBPyConnection, sql: str) -> Table:
    """A user's query: column names and every row."""
    cur = con.execute(sql)
    names = [d[0] for d in cur.description] if cur.description else []
    return names, cur.fetchall() if names else []


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = ("sources", "articles", *FACT_TABLES, "errors", "runs")
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def launches(con: duckdb.DuckDBPyConnection, by: str, start: date, category: str | None = None) -> list[tuple]:
    """(period, category, launched, intercepted, launched_paired, intercepted_paired) per day or
    week from the period that contains `start`; the paired sums are the figures an interception
    rate may be computed from (both given by one report)."""
    view, column = ("v_weekly_launches", "week") if by == "week" else ("v_daily_launches", "day")
    if by == "week":
        start = start - timedelta(days=start.weekday())  # weeks start on Monday, as date_trunc's do
    sql = (f"SELECT {column}, category, launched, intercepted, launched_paired, intercepted_paired FROM {view} "
           f"WHERE {column} >= ?" + (" AND category = ?" if category else "") + f" ORDER BY {column}")
    return con.execute(sql, [start, category] if category else [start]).fetchall()


def relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def export(con: duckdb.DuckDBPyConnection, relation: str, out_file: Path,
           since: date | None = None, until: date | None = None) -> int:
    """Write a table or view (rows on or after `since`, before `until`) to Parquet or CSV by the
    file's suffix; returns the rows written."""
    names = relations(con)
    if relation not in names:
        raise QueryProblem(f"no table or view {relation!r}; one of: {', '.join(sorted(names))}")
    column = EXPORT_DATE_COLUMNS.get(relation)
    if (since or until) and column is None:
        raise QueryProblem(f"{relation} has no date column to filter on; drop --since/--until")
    # the bounds are dates and the relation an existing name: safe to inline
    where = [f"CAST({column} AS DATE) {op} DATE '{bound.isoformat()}'"
             for op, bound in ((">=", since), ("<", until)) if bound]
    sql = f'SELECT * FROM "{relation}"' + (" WHERE " + " AND ".join(where) if where else "")
    rows = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
    fmt = "PARQUET" if out_file.suffix.lower() == ".parquet" else "CSV, HEADER"
    out_file.parent.mkdir(parents=True, exist_ok=True)
    target = str(out_file.resolve()).replace("'", "''")
    con.execute(f"COPY ({sql}) TO '{target}' (FORMAT {fmt})")
    return rows


# ---------------------------------------------------------------- the HTML report

def report_counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    """Articles, attack events and alerts stored."""
    return con.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events), "
                       "(SELECT count(*) FROM alerts)").fetchone()


def weekly_launches(con: duckdb.DuckDBPyConnection, categories: tuple[str, ...]) -> list[tuple]:
    return con.execute("SELECT week, category, launched, intercepted FROM v_weekly_launches "
                       "WHERE category IN (SELECT unnest(?)) ORDER BY week", [list(categories)]).fetchall()


def strike_places(con: duckdb.DuckDBPyConnection, since: date) -> list[dict[str, Any]]:
    """One row per place and strike (event) since `since`: the place's coordinates (None when
    unknown) and the strike's day and launches (sum of its conservative figures)."""
    return dict_rows(con.execute("""
        WITH struck AS (SELECT event_id, event_date, unnest(places) AS place FROM events WHERE event_date >= ?),
        launched AS (SELECT event_id, sum(launched_min) AS launched FROM event_weapons GROUP BY event_id),
        coords AS (SELECT name, any_value(admin_level) AS admin_level, any_value(country) AS country,
                          any_value(latitude) AS latitude, any_value(longitude) AS longitude,
                          any_value(precision) AS precision FROM locations GROUP BY name)
        SELECT s.place, c.admin_level, c.country, c.latitude, c.longitude, c.precision, s.event_id, s.event_date,
               CAST(l.launched AS INTEGER) AS launched
        FROM struck s LEFT JOIN launched l USING (event_id) LEFT JOIN coords c ON c.name = s.place
        ORDER BY s.place, s.event_date""", [since]))


# Listings: named queries the commands and the report show as tables, newest first.
LISTINGS = {
    "runs": "SELECT strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started, "
            "round(epoch(finished_at - started_at), 1) AS seconds, status, feeds_ok, feeds_failed, articles_new, "
            "articles_updated, facts, errors FROM runs ORDER BY started_at DESC",
    "feeds": "SELECT source_id, last_status, consecutive_errors AS failures, "
             "strftime(last_success, '%Y-%m-%d %H:%M') AS last_success, strftime(next_poll, '%Y-%m-%d %H:%M') AS next_poll, "
             "left(last_error, 40) AS last_error FROM sources ORDER BY source_id",
    "alerts": "SELECT a.created_at, a.severity, a.kind, a.rule, a.status, a.title, "
              "(SELECT string_agg(d.channel || ' ' || d.status || CASE WHEN d.attempts = 1 THEN '' WHEN d.status = 'delivered' "
              "THEN ' after ' || d.attempts || ' attempts' ELSE ' (' || d.attempts || ' attempts)' END, '; ') "
              "FROM alert_deliveries d "
              " WHERE d.alert_key = a.alert_key) AS channels FROM alerts a ORDER BY a.created_at DESC",
    "events": "SELECT e.event_date, e.attacker, e.target_country, e.reports, e.sources, "
              "(SELECT string_agg(w.category || ' ' || coalesce(CAST(w.launched_min AS VARCHAR), '?') || "
              "  CASE WHEN w.launched_max <> w.launched_min THEN '-' || w.launched_max ELSE '' END, ', ') "
              " FROM event_weapons w WHERE w.event_id = e.event_id) AS launched, "
              "e.killed_max AS killed, array_to_string(e.places, ', ') AS places, e.event_id "
              "FROM events e ORDER BY e.event_date DESC, e.first_seen DESC",
    "report_alerts": "SELECT strftime(created_at, '%Y-%m-%d %H:%M') AS raised, severity, kind, rule, status, title "
                     "FROM alerts ORDER BY created_at DESC",
    "report_events": "SELECT event_date, attacker, target_country, drones_launched, missiles_launched, killed, sources, "
                     "array_to_string(places, ', ') AS places, headline FROM v_attack_events ORDER BY event_date DESC",
    "report_sources": "SELECT e.event_date, ar.source_id, ar.title, ar.url FROM events e "
                      "JOIN event_articles ea USING (event_id) JOIN articles ar ON ar.article_id = ea.article_id "
                      "ORDER BY e.event_date DESC",
    "report_talks": "SELECT reported_on, kind, venue, array_to_string(parties, ', ') AS parties, "
                    "CAST(delegation_heads AS VARCHAR) AS heads, status FROM v_talks_timeline ORDER BY reported_on DESC",
}


def listing(con: duckdb.DuckDBPyConnection, name: str, limit: int | None = None) -> Table:
    """The rows of a named listing, at most `limit` of them."""
    cur = con.execute(LISTINGS[name] + (" LIMIT ?" if limit is not None else ""), [] if limit is None else [limit])
    return [d[0] for d in cur.description], cur.fetchall()


def listing_dicts(con: duckdb.DuckDBPyConnection, name: str, limit: int | None = None) -> list[dict[str, Any]]:
    return dict_rows(con.execute(LISTINGS[name] + (" LIMIT ?" if limit is not None else ""),
                                 [] if limit is None else [limit]))
