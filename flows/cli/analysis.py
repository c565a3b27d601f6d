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
    Format,
    FormatOpt,
    app,
    date_option,
    err,
    fail,
    listing_command,
    out,
    print_rows,
    read_only,
    settings_or_exit,
    show,
)
from storage import queries


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="SQL to run against the database, read-only.")],
    config: ConfigOpt = None,
    database: DatabaseOpt = None,
    fmt: FormatOpt = Format.table,
    limit: Annotated[int, typer.Option(help="Rows printed at most in table format.")] = 200,
) -> None:
    """Run a query on the database opened read-only and print the result."""
    settings = settings_or_exit(config, database=database)
    import duckdb

    from storage.db import DatabaseBusy, DatabaseMissing, connect, seal

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
    print_rows(names, rows, fmt.value, limit)


SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float | None]) -> str:
    """Unicode bars for a series; a gap is a space."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    top = max(known) or 1
    return "".join(" " if v is None else SPARKS[min(len(SPARKS) - 1, int(v / top * (len(SPARKS) - 1)))] for v in values)


def categories() -> list[str]:
    """Weapon categories of events (cruise and ballistic missiles count as missiles)."""
    from extractors.types import WEAPON_CATEGORIES
    from flows.alerts.clustering import CATEGORY_COARSE

    return sorted({CATEGORY_COARSE.get(c, c) for c in WEAPON_CATEGORIES})


TREND_COLUMNS = ["period", "category", "launched", "intercepted", "launched_paired", "intercepted_paired",
                 "interception_rate"]


@app.command()
def trends(
    config: ConfigOpt = None,
    database: DatabaseOpt = None,
    by: Annotated[str, typer.Option(help="day or week.")] = "week",
    since: Annotated[Optional[str], typer.Option(help="First strike day (YYYY-MM-DD); default 12 weeks or 30 days back.")] = None,
    category: Annotated[Optional[str], typer.Option(help="Only this weapon category (drone, missile, ...).")] = None,
    plot: Annotated[Optional[Path], typer.Option(help="Also draw launched and intercepted bars per day or week into this PNG.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Launches and interceptions over time by weapon category, with sparklines (from clustered events)."""
    from datetime import timedelta

    settings = settings_or_exit(config, database=database)
    if by not in ("day", "week"):
        fail("--by must be day or week", 2)
    if category is not None and category not in categories():
        fail(f"unknown category {category!r}; one of: {', '.join(categories())}", 2)
    start = date_option(since, "--since") or clock.today() - timedelta(days=84 if by == "week" else 30)
    rows = read_only(settings, lambda con: queries.launches(con, by, start, category))
    if fmt is not Format.table:
        print_rows(TREND_COLUMNS, [(*r, round(r[5] / r[4], 3) if r[4] and r[5] is not None else None) for r in rows],
                   fmt.value)
    elif not rows:
        show(f"no {category + ' ' if category else ''}strikes since {start}")
    else:
        show(_trend_table(rows, by, start))
    if plot and rows:
        from flows.cli import charts

        charts.write_png(charts.panels(rows, by), by, plot)
        (out if fmt is Format.table else err).print(f"chart written to {plot}")


def _trend_table(rows: list[tuple], by: str, start) -> Table:
    periods = sorted({r[0] for r in rows})
    table = Table("category", "launched", "intercepted", "rate", f"launched per {by} ({periods[0]} … {periods[-1]})",
                  title=f"launches since {start}",
                  caption="rate: share shot down, over the figures one report gives together", caption_justify="left")
    for cat in sorted({r[1] for r in rows}):
        by_period = {r[0]: r for r in rows if r[1] == cat}
        launched = [by_period[p][2] if p in by_period else None for p in periods]
        known_i = [r[3] for r in by_period.values() if r[3] is not None]
        total_i = sum(known_i) if known_i else None  # no figure is not zero shot down
        paired_l = sum(r[4] or 0 for r in by_period.values())
        paired_i = sum(r[5] or 0 for r in by_period.values())
        rate = f"{paired_i / paired_l:.0%}" if paired_l else ""  # over figures one report gives together
        table.add_row(cat, str(sum(v or 0 for v in launched)), "" if total_i is None else str(total_i), rate,
                      sparkline(launched))
    return table


@app.command()
def report(
    out_file: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path("report.html"),
    config: ConfigOpt = None,
    database: DatabaseOpt = None,
    since: Annotated[Optional[str], typer.Option(help="First strike day shown (YYYY-MM-DD); default 12 weeks back.")] = None,
) -> None:
    """Write one self-contained HTML report: trend charts, a strike map, alerts, events with sources, talks."""
    settings = settings_or_exit(config, database=database)
    from flows.cli import report as report_page

    start = date_option(since, "--since")
    page = read_only(settings, lambda con: report_page.build(con, start))
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
    fmt: FormatOpt = Format.table,
) -> None:
    """Full-text search over article titles and texts (BM25), ranked, with snippets."""
    settings = settings_or_exit(config, database=database)
    from storage import search

    if reindex:
        from storage.db import DatabaseBusy, DatabaseMissing, checkpoint, connect, opened

        try:
            connect(settings.store, read_only=True, lock_timeout=settings.lock_timeout).close()  # it exists
            with opened(settings.store, lock_timeout=settings.lock_timeout) as con:
                search.rebuild_index(con, clock.now())
                checkpoint(con)  # the file holds the index on its own, as after a run
        except (DatabaseBusy, DatabaseMissing) as exc:
            fail(exc, 3)
    hits, method = read_only(settings, lambda con: search.search(con, query, limit))
    if fmt is Format.table and not hits:
        show(f"no article matches {query!r}")
        return
    names = ["score", "published", "title", "snippet", "url", "article_id"]
    rows = [(round(h.score, 2), str(h.published or "")[:10] or None, h.title, h.snippet, h.url, h.article_id) for h in hits]
    print_rows(names, rows, fmt.value, title=f"{len(hits)} hits ({method})")


@app.command()
def export(
    relation: Annotated[str, typer.Argument(help="Table or view to export, e.g. v_daily_launches or weapons.")],
    out_file: Annotated[Path, typer.Option("--out", "-o", help="File to write; .parquet or .csv.")],
    config: ConfigOpt = None,
    database: DatabaseOpt = None,
    since: Annotated[Optional[str], typer.Option(help="Only rows on or after this date (YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option(help="Only rows before this date, exclusive (YYYY-MM-DD).")] = None,
) -> None:
    """Export a table or view to Parquet or CSV (optionally a date range) for pandas, R or a warehouse.

    In CSV, lists are written as "a, b" and maps (delegation heads) as "Ukraine: Rustem Umerov; ...".
    """
    settings = settings_or_exit(config, database=database)
    suffix = out_file.suffix.lower()
    if suffix not in (".parquet", ".csv"):
        fail("--out must end in .parquet or .csv", 2)
    bounds = [date_option(since, "--since"), date_option(until, "--until")]

    def query(con):
        try:
            return queries.export(con, relation, out_file, *bounds)
        except queries.QueryProblem as exc:
            fail(exc, 2)

    rows = read_only(settings, query)
    out.print(f"{rows} rows of {relation} written to {out_file}")


app.command("events")(listing_command(
    "events", "Recent attack events (one strike reported by several articles and outlets, clustered), with "
              "launched, intercepted, killed and injured as conservative–highest figures."))


app.command("talks")(listing_command(
    "talks", "Talks, meetings, calls and summits reported, newest first, with delegation heads and the source."))
