"""`newswatch report`: one self-contained HTML page for people who would rather look than query.

Charts are drawn with matplotlib and embedded as PNG data URIs; the page loads nothing from the
network and has no script, so it opens anywhere, offline, and can be mailed as one file.
"""
from __future__ import annotations

import base64
import html
import io

import duckdb

from flows import clock
from storage import queries


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _trend_chart(con: duckdb.DuckDBPyConnection) -> str | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = queries.weekly_launches(con, ("drone", "missile"))
    if not rows:
        return None
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.2))
    for ax, cat in zip(axes, ("drone", "missile")):
        data = [r for r in rows if r[1] == cat]
        ax.plot([r[0] for r in data], [r[2] or 0 for r in data], marker="o", label="launched")
        ax.plot([r[0] for r in data], [r[3] or 0 for r in data], marker="o", label="intercepted")
        ax.set_title(f"{cat}s per week")
        ax.legend()
        ax.grid(alpha=0.3)
        ax.tick_params(axis="x", labelrotation=30)
    uri = _png(fig)
    plt.close(fig)
    return uri


def _map_chart(con: duckdb.DuckDBPyConnection) -> str | None:
    import matplotlib.pyplot as plt

    rows = queries.located_strikes(con, 60)
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(8, 5.5))
    ax.scatter([r[1] for r in rows], [r[2] for r in rows], s=[40 + 60 * r[3] for r in rows], alpha=0.55, color="#c0392b")
    for place, lon, lat, _ in rows[:25]:
        ax.annotate(place, (lon, lat), fontsize=8, xytext=(4, 3), textcoords="offset points")
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_title("Strike locations (marker size: number of strikes)")
    ax.grid(alpha=0.3)
    uri = _png(fig)
    plt.close(fig)
    return uri


def _table(table: queries.Table, link_column: str | None = None) -> str:
    names, rows = table
    if not rows:
        return "<p class='empty'>nothing yet</p>"
    head = "".join(f"<th>{html.escape(n)}</th>" for n in names)
    body = []
    for row in rows:
        cells = []
        for name, value in zip(names, row):
            text = "" if value is None else html.escape(str(value))
            if name == link_column and value:
                text = f"<a href='{html.escape(str(value), quote=True)}'>{text}</a>"
            cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


STYLE = """body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1200px}
h1{margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.85rem;width:100%}th,td{border:1px solid #ddd;padding:.3rem;vertical-align:top}
th{background:#f4f4f4;text-align:left}img{max-width:100%}.empty{color:#888}.meta{color:#666}"""


def build(con: duckdb.DuckDBPyConnection) -> str:
    """The report as one HTML string."""
    counts = queries.report_counts(con)
    trend, strike_map = _trend_chart(con), _map_chart(con)
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>newswatch report</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>newswatch report</h1>",
        f"<p class='meta'>Generated {clock.now():%Y-%m-%d %H:%M UTC} from {counts[0]} articles, "
        f"{counts[1]} attack events, {counts[2]} alerts.</p>",
        "<h2>Launches and interceptions</h2>",
        f"<img id='trend-chart' alt='drones and missiles per week' src='{trend}'>" if trend else "<p class='empty'>no strikes yet</p>",
        "<h2>Where strikes landed</h2>",
        f"<img id='strike-map' alt='strike locations' src='{strike_map}'>" if strike_map else "<p class='empty'>no located strikes yet</p>",
        "<h2>Latest alerts</h2>",
        _table(queries.listing(con, "report_alerts", 20)),
        "<h2>Latest attack events</h2>",
        _table(queries.listing(con, "report_events", 25)),
        "<h2>Sources of the latest events</h2>",
        _table(queries.listing(con, "report_sources", 40), "url"),
        "<h2>Talks timeline</h2>",
        _table(queries.listing(con, "report_talks", 40)),
        "</body></html>",
    ]
    return "\n".join(parts)
