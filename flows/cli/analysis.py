"""Commands for analysts, all read-only: `sql`, `trends`, `search`, `events`, `export`, `report`."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from flows import clock
from flows.cli.app import (
    ConfigOpt,
    DatabaseOpt,
    app,
    err,
    fail,
    listing_command,
    out,
    print_rows,
    read_only,
    settings_or_exit,
)
from storage import queries


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="SQL to run against the database, read-only.")],
    config: ConfigOpt = None,
    database: DatabaseOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
    limit: Annotated[int, typer.Option(help="Rows printed at most in table format.")] = 200,
) -> None:
    """Run a query on the database opened read-only and print the result."""
    settings = settings_or_exit(config, database=database)
    import duckdb

    from storage.db import DatabaseBusy, DatabaseMissing, connect, seal

    if fmt not in ("table", "csv", "json"):
        err.print("--format must be table, csv or json")
        raise typer.Exit(2)
    try:
        con = connect(settings.store, read_only=True, lock_timeout=min(settings.lock_timeout, 10))
    except (DatabaseBusy, DatabaseMissing) as exc:
        fail(exc, 3)
    try:
        seal(con, settings.store)
        names, rows = queries.run_sql(con, query)
    except duckdb.Error as exc:
        fail(f"query failed: {str(exc).splitlines()[0]}", 1)
    finally:
        con.close()
    print_rows(names, rows, fmt, limit)


SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float | None]) -> str:
    """Unicode bars for a series; a gap is a space."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    top = max(known) or 1
    return "".join(" " if v is None else SPARKS[min(len(SPARKS) - 1, int(v / top * (len(SPARKS) - 1)))] for v in values)


@app.command()
def trends(
    config: ConfigOpt = None,
    database: DatabaseOpt = None,
    by: Annotated[str, typer.Option(help="day or week.")] = "week",
    since: Annotated[Optional[str], typer.Option(help="First strike day (YYYY-MM-DD); default 12 weeks or 30 days back.")] = None,
    category: Annotated[Optional[str], typer.Option(help="Only this weapon category (drone, missile, ...).")] = None,
    plot: Annotated[Optional[Path], typer.Option(help="Also draw launched vs intercepted over time into this PNG.")] = None,
) -> None:
    """Launches and interceptions over time by weapon category, with sparklines (from clustered events)."""
    from datetime import date, timedelta

    settings = settings_or_exit(config, database=database)
    if by not in ("day", "week"):
        err.print("--by must be day or week")
        raise typer.Exit(2)
    try:
        start = date.fromisoformat(since) if since else clock.today() - timedelta(days=84 if by == "week" else 30)
    except ValueError:
        err.print("--since takes a date as YYYY-MM-DD")
        raise typer.Exit(2) from None

    def query(con):
        return queries.launches(con, by, start, category)

    rows = read_only(settings, query)
    if not rows:
        out.print(f"no strikes since {start}")
        return
    periods = sorted({r[0] for r in rows})
    table = Table("category", "launched", "intercepted", "rate", f"launched per {by} ({periods[0]} … {periods[-1]})",
                  title=f"launches since {start}")
    series = {}
    for cat in sorted({r[1] for r in rows}):
        by_period = {r[0]: r for r in rows if r[1] == cat}
        launched = [by_period[p][2] if p in by_period else None for p in periods]
        intercepted = [by_period[p][3] if p in by_period else None for p in periods]
        total_l = sum(v or 0 for v in launched)
        known_i = [v for v in intercepted if v is not None]
        total_i = sum(known_i) if known_i else None  # no figure is not zero shot down
        series[cat] = (launched, intercepted)
        paired_l = sum(r[4] or 0 for r in by_period.values())
        paired_i = sum(r[5] or 0 for r in by_period.values())
        rate = f"{paired_i / paired_l:.0%}" if paired_l else ""  # over figures one report gives together
        table.add_row(cat, str(total_l), "" if total_i is None else str(total_i), rate, sparkline(launched))
    out.print(table)
    if plot:
        _plot(periods, series, plot, by)
        out.print(f"chart written to {plot}")


def _plot(periods, series, path: Path, by: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(series), 1, figsize=(9, 2.6 * len(series)), squeeze=False, sharex=True)
    for ax, (cat, (launched, intercepted)) in zip(axes[:, 0], series.items()):
        nan = float("nan")  # a period without a figure is a gap, not a zero
        ax.plot(periods, [nan if v is None else v for v in launched], marker="o", label="launched")
        ax.plot(periods, [nan if v is None else v for v in intercepted], marker="o", label="intercepted")
        ax.set_title(f"{cat.replace('_', ' ')}: launched and intercepted per {by}")
        ax.legend(loc="upper left")
        ax.grid(alpha=0.3)
    fig.autofmt_xdate()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


@app.command()
def report(
    out_file: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path("report.html"),
    config: ConfigOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """Write one self-contained HTML report: trend charts, a strike map, alerts, events with sources, talks."""
    settings = settings_or_exit(config, database=database)
    from flows.cli import report as report_page

    page = read_only(settings, report_page.build)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(page, encoding="utf-8")
    out.print(f"report written to {out_file} ({len(page) // 1024} KB)")


@app.command("search")
def search_articles(
    query: Annotated[str, typer.Argument(help='Words to look for, e.g. "Odesa power".')],
    config: ConfigOpt = None,
    database: DatabaseOpt = None,
    limit: Annotated[int, typer.Option(help="Hits shown.")] = 10,
    reindex: Annotated[bool, typer.Option("--reindex", help="Rebuild the full-text index first (needs write access).")] = False,
) -> None:
    """Full-text search over article titles and texts (BM25), ranked, with snippets."""
    settings = settings_or_exit(config, database=database)
    from storage import search

    if reindex:
        from storage.db import DatabaseBusy, DatabaseMissing, connect, opened

        try:
            connect(settings.store, read_only=True, lock_timeout=settings.lock_timeout).close()  # it exists
            with opened(settings.store, lock_timeout=settings.lock_timeout) as con:
                search.rebuild_index(con, clock.now())
        except (DatabaseBusy, DatabaseMissing) as exc:
            fail(exc, 3)
    hits, method = read_only(settings, lambda con: search.search(con, query, limit))
    if not hits:
        out.print(f"no article matches {query!r}")
        return
    table = Table("score", "published", "title", "snippet", "url", title=f"{len(hits)} hits ({method})")
    for h in hits:
        table.add_row(f"{h.score:.2f}", str(h.published or "")[:10], h.title or "", h.snippet, h.url or "")
    out.print(table)


@app.command()
def export(
    relation: Annotated[str, typer.Argument(help="Table or view to export, e.g. v_daily_launches or weapons.")],
    out_file: Annotated[Path, typer.Option("--out", "-o", help="File to write; .parquet or .csv.")],
    config: ConfigOpt = None,
    database: DatabaseOpt = None,
    since: Annotated[Optional[str], typer.Option(help="Only rows on or after this date (YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option(help="Only rows before this date (YYYY-MM-DD).")] = None,
) -> None:
    """Export a table or view to Parquet or CSV (optionally a date range) for pandas, R or a warehouse."""
    from datetime import date

    settings = settings_or_exit(config, database=database)
    suffix = out_file.suffix.lower()
    if suffix not in (".parquet", ".csv"):
        err.print("--out must end in .parquet or .csv")
        raise typer.Exit(2)
    try:
        bounds = [date.fromisoformat(v) if v else None for v in (since, until)]
    except ValueError:
        err.print("--since and --until take dates as YYYY-MM-DD")
        raise typer.Exit(2) from None

    def query(con):
        try:
            return queries.export(con, relation, out_file, *bounds)
        except queries.QueryProblem as exc:
            fail(exc, 2)

    rows = read_only(settings, query)
    out.print(f"{rows} rows of {relation} written to {out_file}")


app.command("events")(listing_command(
    "events", "Recent attack events: reports of one strike from several articles and outlets, clustered."))
