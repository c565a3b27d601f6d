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
    """The tables and views of the database (not the full-text index's own schema)."""
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                      "WHERE table_schema = 'main' AND table_catalog = current_database()").fetchall()}


def _csv_columns(con: duckdb.DuckDBPyConnection, relation: str) -> str:
    """The select list for CSV: lists as "a, b", maps as "key: value; key: value", both as a
    reader of the file would write them."""
    columns = []
    for name, kind in con.execute(f'SELECT column_name, column_type FROM (DESCRIBE "{relation}")').fetchall():
        quoted = '"' + name.replace('"', '""') + '"'
        if kind.startswith("MAP("):
            columns.append(f"nullif(array_to_string(list_transform(map_entries({quoted}), "
                           f"lambda h: h.key || ': ' || h.value), '; '), '') AS {quoted}")
        elif kind.endswith("[]"):
            columns.append(f"array_to_string(list_transform({quoted}, lambda v: CAST(v AS VARCHAR)), ', ') AS {quoted}")
        else:
            columns.append(quoted)
    return ", ".join(columns)


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
    parquet = out_file.suffix.lower() == ".parquet"
    columns = "*" if parquet else _csv_columns(con, relation)
    sql = f'SELECT {columns} FROM "{relation}"' + (" WHERE " + " AND ".join(where) if where else "")
    rows = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
    fmt = "PARQUET" if parquet else "CSV, HEADER"
    out_file.parent.mkdir(parents=True, exist_ok=True)
    target = str(out_file.resolve()).replace("'", "''")
    con.execute(f"COPY ({sql}) TO '{target}' (FORMAT {fmt})")
    return rows


# ---------------------------------------------------------------- the HTML report

def report_counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    """Articles, attack events and alerts stored."""
    return con.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events), "
                       "(SELECT count(*) FROM alerts)").fetchone()


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


def _range(lo: str, hi: str) -> str:
    """SQL for a figure as "conservative–highest" ("150–155"), or one number when they agree."""
    return (f"CASE WHEN {lo} IS NULL THEN NULL WHEN {hi} IS NULL OR {hi} = {lo} THEN CAST({lo} AS VARCHAR) "
            f"ELSE {lo} || '–' || {hi} END")


def _per_category(lo: str, hi: str) -> str:
    """SQL for an event's figures per weapon category: "drone 150–155, missile 12"."""
    return (f"(SELECT string_agg(w.category || ' ' || {_range('w.' + lo, 'w.' + hi)}, ', ' ORDER BY w.category) "
            f"FROM event_weapons w WHERE w.event_id = e.event_id AND w.{lo} IS NOT NULL)")


# "Ukraine: Rustem Umerov; Russia: Vladimir Medinsky" from the delegation_heads map (NULL when empty)
HEADS = ("nullif(array_to_string(list_transform(map_entries(delegation_heads), "
         "lambda h: h.key || ': ' || h.value), '; '), '')")


# Listings: named queries the commands and the report show as tables, newest first. Figures of
# events are "conservative–highest" across the reports of a strike.
LISTINGS = {
    "runs": "SELECT strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started, "
            "round(epoch(finished_at - started_at), 1) AS seconds, status, feeds_ok, feeds_failed, articles_new, "
            "articles_updated, facts, errors FROM runs ORDER BY started_at DESC",
    "feeds": "SELECT source_id, last_status, consecutive_errors AS failures, "
             "strftime(last_success, '%Y-%m-%d %H:%M') AS last_success, strftime(next_poll, '%Y-%m-%d %H:%M') AS next_poll, "
             "last_error FROM sources WHERE retired_at IS NULL ORDER BY source_id",
    "alerts": "SELECT strftime(a.created_at, '%Y-%m-%d %H:%M:%S') AS created_at, a.severity, a.kind, a.rule, a.status, "
              "a.title, "
              "(SELECT string_agg(d.channel || ' ' || d.status || CASE WHEN d.attempts = 1 THEN '' WHEN d.status = 'delivered' "
              "THEN ' after ' || d.attempts || ' attempts' ELSE ' (' || d.attempts || ' attempts)' END, '; ') "
              "FROM alert_deliveries d "
              " WHERE d.alert_key = a.alert_key) AS channels, a.alert_key FROM alerts a ORDER BY a.created_at DESC",
    "events": "SELECT e.event_date, e.attacker, e.target_country AS target, e.reports, e.sources, "
              f"{_per_category('launched_min', 'launched_max')} AS launched, "
              f"{_per_category('intercepted_min', 'intercepted_max')} AS intercepted, "
              f"{_range('e.killed_min', 'e.killed_max')} AS killed, {_range('e.injured_min', 'e.injured_max')} AS injured, "
              "array_to_string(e.places, ', ') AS places, e.event_id "
              "FROM events e ORDER BY e.event_date DESC, e.first_seen DESC",
    "talks": "SELECT reported_on, kind, venue, array_to_string(parties, ', ') AS parties, "
             f"{HEADS} AS heads, status, source_id, url FROM v_talks_timeline ORDER BY reported_on DESC, kind, venue",
    "report_alerts": "SELECT strftime(created_at, '%Y-%m-%d %H:%M') AS raised, severity, kind, rule, status, title "
                     "FROM alerts ORDER BY created_at DESC",
}


def report_events(con: duckdb.DuckDBPyConnection, since: date, limit: int) -> list[dict[str, Any]]:
    """The latest attack events since `since` with their figures per category (conservative and
    highest), casualties, places, evidence, and every article that reported them."""
    return dict_rows(con.execute("""
        SELECT e.event_id, e.event_date, e.attacker, e.target_country, e.reports, e.killed_min, e.killed_max,
               e.injured_min, e.injured_max, e.places, e.headline, e.evidence,
               (SELECT list({'category': w.category, 'launched_min': w.launched_min, 'launched_max': w.launched_max,
                             'intercepted_min': w.intercepted_min, 'intercepted_max': w.intercepted_max}
                            ORDER BY w.category)
                FROM event_weapons w WHERE w.event_id = e.event_id) AS weapons,
               (SELECT list({'source_id': a.source_id, 'title': a.title, 'url': a.url,
                             'published': coalesce(a.published, a.first_seen)}
                            ORDER BY coalesce(a.published, a.first_seen), a.source_id)
                FROM event_articles ea JOIN articles a ON a.article_id = ea.article_id
                WHERE ea.event_id = e.event_id) AS articles
        FROM events e WHERE e.event_date >= ?
        ORDER BY e.event_date DESC, e.first_seen DESC LIMIT ?""", [since, limit]))


def report_talks(con: duckdb.DuckDBPyConnection, since: date, limit: int) -> Table:
    """Talks reported since `since`, newest first, delegation heads as "Country: Name; ...", with
    the article that reported them."""
    cur = con.execute(f"SELECT reported_on, kind, venue, array_to_string(parties, ', ') AS parties, {HEADS} AS heads, "
                      "status, source_id, title, url FROM v_talks_timeline WHERE reported_on >= ? "
                      "ORDER BY reported_on DESC, kind, venue LIMIT ?", [since, limit])
    return [d[0] for d in cur.description], cur.fetchall()


def listing(con: duckdb.DuckDBPyConnection, name: str, limit: int | None = None) -> Table:
    """The rows of a named listing, at most `limit` of them."""
    cur = con.execute(LISTINGS[name] + (" LIMIT ?" if limit is not None else ""), [] if limit is None else [limit])
    return [d[0] for d in cur.description], cur.fetchall()


def listing_dicts(con: duckdb.DuckDBPyConnection, name: str, limit: int | None = None) -> list[dict[str, Any]]:
    return dict_rows(con.execute(LISTINGS[name] + (" LIMIT ?" if limit is not None else ""),
                                 [] if limit is None else [limit]))
