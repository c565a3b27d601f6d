"""The `newswatch` command: a thin shell over the flows and the library functions."""
from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
from rich.console import Console
from rich.table import Table

from flows import clock

app = typer.Typer(help="Conflict and diplomacy news monitoring: feeds in, facts in DuckDB.",
                  no_args_is_help=True, add_completion=False)
out = Console()
err = Console(stderr=True, soft_wrap=True)

ConfigOpt = Annotated[Optional[Path], typer.Option("--config", "-c", help="TOML config file (default: ./newswatch.toml if present).")]
DatabaseOpt = Annotated[Optional[Path], typer.Option("--database", "-d", help="DuckDB file (setting `database`).")]


def _fail(problem: object, code: int) -> NoReturn:
    """Say what went wrong in one red line on stderr and exit with `code`."""
    err.print(f"[red]{problem}[/red]", highlight=False)
    raise typer.Exit(code)


def _settings(config: Path | None, **overrides):
    from flows.settings import ConfigError, load_settings

    try:
        return load_settings(config, **overrides)
    except ConfigError as exc:
        _fail(exc, 2)


def _prefect_defaults(verbose: bool = False) -> None:
    """Offline-friendly Prefect defaults; explicit environment settings win."""
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    # Failures are reported in the summary and the errors table; Prefect's own tracebacks for
    # expected failures (an unreachable feed) would only bury them. --verbose shows them.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "CRITICAL")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")


@app.command()
def run(
    config: ConfigOpt = None,
    database: DatabaseOpt = None,
    seeds_dir: Annotated[Optional[Path], typer.Option(help="Seed corpus folder (setting `seeds_dir`).")] = None,
    feeds_file: Annotated[Optional[Path], typer.Option(help="Feed list TOML (setting `feeds_file`).")] = None,
    no_progress: Annotated[bool, typer.Option("--no-progress", help="No progress bar.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's logs.")] = False,
) -> None:
    """Run one ingestion cycle (feeds and seeds -> clean -> extract -> DuckDB) and print a summary."""
    settings = _settings(config, database=database, seeds_dir=seeds_dir, feeds_file=feeds_file)
    _prefect_defaults(verbose)
    from flows import progress
    from flows.ingest import ingest
    from storage.db import DatabaseBusy

    try:
        with progress.reporter(enabled=not no_progress and sys.stderr.isatty(), console=err):
            summary = ingest(settings)
    except DatabaseBusy as exc:
        _fail(exc, 3)
    _print_summary(summary)


def _print_summary(summary) -> None:
    table = Table(title=f"newswatch run {summary.run_id}", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    for label, value in summary.rows():
        table.add_row(label, str(value))
    out.print(table)
    for e in summary.error_lines[:20]:
        out.print(f"error {e}", highlight=False, markup=False, style="yellow")
    if len(summary.error_lines) > 20:
        out.print(f"... {len(summary.error_lines) - 20} more in the errors table")


@app.command()
def clean(
    files: Annotated[list[Path], typer.Argument(help="HTML files to clean.")],
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON line per file (path, text, metadata).")] = True,
) -> None:
    """Clean HTML files with trafilatura and print their main text and metadata."""
    from extractors.clean import CleaningFailed, clean_html

    for path in files:
        record = {"path": str(path), "text": None, "error": None}
        try:
            doc = clean_html(path.read_bytes())
            record.update(text=doc.text, title=doc.title, date=doc.date, author=doc.author,
                          sitename=doc.sitename, language=doc.language)
        except (CleaningFailed, OSError) as exc:
            record["error"] = str(exc)
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


@app.command()
def extract(
    source: Annotated[str, typer.Argument(help="JSON-lines file of {id, text, title, published}; - for stdin.")] = "-",
    jsonl: Annotated[bool, typer.Option("--jsonl", help="JSON lines in and out (the only format).")] = True,
    config: ConfigOpt = None,
) -> None:
    """Extract attack and diplomacy facts from JSON lines; prints one JSON line of facts per input."""
    settings = _settings(config)
    from extractors.extract import Extractor

    stream = sys.stdin if source == "-" else open(source, encoding="utf-8")
    docs, bad = [], []
    for n, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            docs.append(_document(json.loads(line), n))
        except (ValueError, TypeError) as exc:
            bad.append(f"line {n}: {exc}")
    for message in bad:
        err.print(f"[yellow]skipped {message}[/yellow]")
    extractor = Extractor(settings.spacy_model)
    for facts in extractor.extract(docs):
        sys.stdout.write(json.dumps(facts.to_contract(), ensure_ascii=False, default=str) + "\n")


def _document(obj: dict, n: int):
    from extractors.types import Document

    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise ValueError("expected an object with a string `text`")
    published = None
    if obj.get("published"):
        published = datetime.fromisoformat(str(obj["published"]))
    return Document(id=str(obj.get("id", n)), text=obj["text"], title=obj.get("title"),
                    published=published, source_url=obj.get("source_url"))


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="SQL to run against the database, read-only.")],
    config: ConfigOpt = None,
    database: DatabaseOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
    limit: Annotated[int, typer.Option(help="Rows printed at most in table format.")] = 200,
) -> None:
    """Run a query on the database opened read-only and print the result."""
    settings = _settings(config, database=database)
    import duckdb

    from storage.db import DatabaseBusy, DatabaseMissing, connect

    if fmt not in ("table", "csv", "json"):
        err.print("--format must be table, csv or json")
        raise typer.Exit(2)
    try:
        con = connect(settings.database, read_only=True, lock_timeout=min(settings.lock_timeout, 10))
    except (DatabaseBusy, DatabaseMissing) as exc:
        _fail(exc, 3)
    try:
        cur = con.execute(query)
        names = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchall() if names else []
    except duckdb.Error as exc:
        _fail(f"query failed: {str(exc).splitlines()[0]}", 1)
    finally:
        con.close()
    _print_rows(names, rows, fmt, limit)


def _print_rows(names: list[str], rows: list[tuple], fmt: str, limit: int) -> None:
    if fmt == "json":
        for row in rows:
            sys.stdout.write(json.dumps(dict(zip(names, row)), default=str, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(names)
        writer.writerows(rows)
    else:
        table = Table(*names, show_lines=False)
        for row in rows[:limit]:
            table.add_row(*("" if v is None else str(v) for v in row))
        out.print(table)
        if len(rows) > limit:
            out.print(f"({len(rows) - limit} more rows; use --limit or --format csv)")


@app.command()
def reextract(
    config: ConfigOpt = None,
    database: DatabaseOpt = None,
    everything: Annotated[bool, typer.Option("--all", help="Re-extract every article, not only older extractor versions.")] = False,
) -> None:
    """Run the current extractor over stored articles whose facts an older version produced.

    Facts are replaced article by article (texts are not fetched again), then events are
    re-clustered; alerts already raised are kept and are not raised again.
    """
    settings = _settings(config, database=database)
    from extractors.extract import extractor_name
    from extractors.types import Article
    from flows import steps
    from flows.alerting import evaluate
    from storage import search, store
    from storage.db import DatabaseBusy, opened

    name = extractor_name(settings.spacy_model)
    try:
        with opened(settings.database, lock_timeout=settings.lock_timeout) as con:
            rows = store.articles_to_reextract(con, name, everything)
        written = 0
        for i in range(0, len(rows), settings.batch_size):
            batch = [Article(id=r["article_id"], source=r["source_id"], url=r["url"], title=r["title"], text=r["text"],
                             content_hash=r["content_hash"], origin=r["origin"], published=r["published"])
                     for r in rows[i:i + settings.batch_size]]
            # in the worker processes: both cores, and the per-document time and memory budget
            facts = [p.facts for p in steps.process_jobs(batch, settings)]
            with opened(settings.database, lock_timeout=settings.lock_timeout) as con:
                written += store.replace_facts(con, list(zip(batch, facts)), clock.now())
        with opened(settings.database, lock_timeout=settings.lock_timeout) as con:
            store.drop_orphan_events(con)
            search.rebuild_index(con, clock.now())
        summary = evaluate(settings)
    except DatabaseBusy as exc:
        _fail(exc, 3)
    finally:
        steps.close_pools()
    out.print(f"re-extracted {len(rows)} articles ({written} fact rows) with {name}; "
              f"events re-clustered: {summary.events_touched}, new alerts: {len(summary.alerts_raised)}")


@app.command()
def serve(
    config: ConfigOpt = None,
    interval: Annotated[Optional[float], typer.Option(help="Minutes between ingest runs (setting `schedule_interval_minutes`).")] = None,
    cron: Annotated[Optional[str], typer.Option(help="Cron schedule instead of an interval (setting `schedule_cron`).")] = None,
    timezone: Annotated[Optional[str], typer.Option(help="Time zone of the schedule (setting `schedule_timezone`).")] = None,
) -> None:
    """Run ingestion (and alert evaluation) on a schedule with Prefect until stopped (Ctrl-C).

    Without PREFECT_API_URL a local Prefect server is started (SQLite in `prefect_home`, UI on
    127.0.0.1:`prefect_port`) and stopped on exit. Other settings come from the config file and
    NEWSWATCH_* variables, read by each run.
    """
    settings = _settings(config, schedule_interval_minutes=interval, schedule_cron=cron, schedule_timezone=timezone)
    for key, value in (("NEWSWATCH_SCHEDULE_INTERVAL_MINUTES", interval), ("NEWSWATCH_SCHEDULE_CRON", cron),
                       ("NEWSWATCH_SCHEDULE_TIMEZONE", timezone)):
        if value is not None:
            os.environ[key] = str(value)
    _prefect_defaults(verbose=True)
    from flows.serve import ServerFailed
    from flows.serve import serve as serve_flows

    try:
        serve_flows(settings, config, announce=lambda m: err.print(m, highlight=False))
    except ServerFailed as exc:
        _fail(exc, 4)
    except KeyboardInterrupt:
        err.print("stopped; the schedules stay active for the next `newswatch serve`")


@app.command()
def status(config: ConfigOpt = None, database: DatabaseOpt = None,
           runs: Annotated[int, typer.Option(help="Runs shown.")] = 5) -> None:
    """Last runs, feed health, database size and row counts, and the next scheduled run."""
    settings = _settings(config, database=database)
    from storage import store

    def query(con):
        return {
            "runs": _rows_of(con.execute(
                "SELECT strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started, "
                "round(epoch(finished_at - started_at), 1) AS seconds, status, feeds_ok, "
                "feeds_failed, articles_new, articles_updated, facts, errors FROM runs "
                "ORDER BY started_at DESC LIMIT ?", [runs])),
            "feeds": _rows_of(con.execute(
                "SELECT source_id, last_status, consecutive_errors AS failures, "
                "strftime(last_success, '%Y-%m-%d %H:%M') AS last_success, strftime(next_poll, '%Y-%m-%d %H:%M') AS next_poll, "
                "left(last_error, 40) AS last_error FROM sources ORDER BY source_id")),
            "counts": store.table_counts(con),
        }

    data = _read_rows(settings, query)
    _table(data["runs"], "last runs")
    _table(data["feeds"], "feed health")
    size = settings.database.stat().st_size / 1e6
    out.print(f"database {settings.database} ({size:.1f} MB): " +
              ", ".join(f"{k} {v}" for k, v in data["counts"].items()))
    out.print(_next_scheduled_run())


def _rows_of(cur) -> list[dict]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _next_scheduled_run() -> str:
    """Asks the Prefect server named by PREFECT_API_URL; says so when there is none."""
    if not os.environ.get("PREFECT_API_URL"):
        return "next scheduled run: no Prefect server configured (PREFECT_API_URL); `newswatch serve` starts one"
    try:
        from prefect.client.orchestration import get_client
        from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterState, FlowRunFilterStateType
        from prefect.client.schemas.objects import StateType
        from prefect.client.schemas.sorting import FlowRunSort

        with get_client(sync_client=True) as client:
            scheduled = client.read_flow_runs(
                flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))),
                sort=FlowRunSort.EXPECTED_START_TIME_ASC, limit=1)
    except Exception as exc:  # noqa: BLE001 - status must answer even when the server does not
        return f"next scheduled run: the Prefect server did not answer ({type(exc).__name__})"
    if not scheduled:
        return "next scheduled run: none scheduled"
    return f"next scheduled run: {scheduled[0].expected_start_time} ({scheduled[0].name})"


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

    settings = _settings(config, database=database)
    if by not in ("day", "week"):
        err.print("--by must be day or week")
        raise typer.Exit(2)
    try:
        start = date.fromisoformat(since) if since else clock.today() - timedelta(days=84 if by == "week" else 30)
    except ValueError:
        err.print("--since takes a date as YYYY-MM-DD")
        raise typer.Exit(2) from None
    view, column = ("v_weekly_launches", "week") if by == "week" else ("v_daily_launches", "day")

    def query(con):
        sql = (f"SELECT {column}, category, launched, intercepted FROM {view} WHERE {column} >= ?"
               + (" AND category = ?" if category else "") + f" ORDER BY {column}")
        return con.execute(sql, [start, category] if category else [start]).fetchall()

    rows = _read_rows(settings, query)
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
        rate = f"{total_i / total_l:.0%}" if total_l and total_i is not None else ""
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
    settings = _settings(config, database=database)
    from flows import report as report_page

    page = _read_rows(settings, report_page.build)
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
    settings = _settings(config, database=database)
    from storage import search

    if reindex:
        from storage.db import DatabaseBusy, DatabaseMissing, opened

        if not settings.database.exists():
            _fail(DatabaseMissing(f"database {settings.database} does not exist yet; run `newswatch run` first"), 3)
        try:
            with opened(settings.database, lock_timeout=settings.lock_timeout) as con:
                search.rebuild_index(con, clock.now())
        except DatabaseBusy as exc:
            _fail(exc, 3)
    hits, method = _read_rows(settings, lambda con: search.search(con, query, limit))
    if not hits:
        out.print(f"no article matches {query!r}")
        return
    table = Table("score", "published", "title", "snippet", "url", title=f"{len(hits)} hits ({method})")
    for h in hits:
        table.add_row(f"{h.score:.2f}", str(h.published or "")[:10], h.title or "", h.snippet, h.url or "")
    out.print(table)


EXPORT_DATE_COLUMNS = {
    "articles": "published", "attacks": "attack_date", "events": "event_date", "v_attack_events": "event_date",
    "v_daily_launches": "day", "v_weekly_launches": "week", "v_talks_timeline": "reported_on",
    "v_entity_mentions": "day", "errors": "occurred_at", "runs": "started_at", "alerts": "created_at",
}


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

    settings = _settings(config, database=database)
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
        names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if relation not in names:
            err.print(f"no table or view {relation!r}; one of: {', '.join(sorted(names))}")
            raise typer.Exit(2)
        column = EXPORT_DATE_COLUMNS.get(relation)
        if any(bounds) and column is None:
            err.print(f"{relation} has no date column to filter on; drop --since/--until")
            raise typer.Exit(2)
        # the bounds are date objects (parsed above) and the relation an existing name: safe to inline
        where = [f"CAST({column} AS DATE) {op} DATE '{bound.isoformat()}'"
                 for op, bound in ((">=", bounds[0]), ("<", bounds[1])) if bound]
        sql = f'SELECT * FROM "{relation}"' + (" WHERE " + " AND ".join(where) if where else "")
        rows = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
        fmt = "PARQUET" if suffix == ".parquet" else "CSV, HEADER"
        out_file.parent.mkdir(parents=True, exist_ok=True)
        target = str(out_file.resolve()).replace("'", "''")
        con.execute(f"COPY ({sql}) TO '{target}' (FORMAT {fmt})")
        return rows

    rows = _read_rows(settings, query)
    out.print(f"{rows} rows of {relation} written to {out_file}")


alerts_app = typer.Typer(help="Alerts on large-scale attacks: list, test a channel, evaluate now.", no_args_is_help=True)
app.add_typer(alerts_app, name="alerts")


def _read_rows(settings, query):
    from storage.db import DatabaseBusy, DatabaseMissing, connect, pending_migrations

    try:
        con = connect(settings.database, read_only=True, lock_timeout=min(settings.lock_timeout, 10))
    except (DatabaseBusy, DatabaseMissing) as exc:
        _fail(exc, 3)
    try:
        missing = pending_migrations(con)
        if missing:
            _fail(f"database {settings.database} predates this newswatch (missing {', '.join(missing)}); "
                  "the next `newswatch run` migrates it", 3)
        return query(con)
    finally:
        con.close()


def _table(rows: list[dict], title: str) -> None:
    if not rows:
        out.print(f"no {title}")
        return
    table = Table(*rows[0].keys(), title=title)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row.values()))
    out.print(table)


@alerts_app.command("list")
def alerts_list(
    config: ConfigOpt = None,
    database: DatabaseOpt = None,
    limit: Annotated[int, typer.Option(help="Alerts shown.")] = 20,
) -> None:
    """Recent alerts with their delivery status per channel (channels shown by scheme and hash)."""
    settings = _settings(config, database=database)
    from storage import events as event_store

    _table(_read_rows(settings, lambda con: event_store.recent_alerts(con, limit)), "alerts")


@alerts_app.command("test")
def alerts_test(url: Annotated[str, typer.Argument(help="Apprise URL to send a sample alert to.")],
                config: ConfigOpt = None) -> None:
    """Send a sample alert to one channel and say whether it was accepted."""
    settings = _settings(config)
    from flows import notify

    channel = notify.Channel(url)
    problem = notify.check(url)
    if problem:
        _fail(f"{channel.display}: {problem}", 2)
    body = "**newswatch test alert**\n\n- This is a sample; no attack is reported.\n- Channel: " + channel.display
    result = notify.send(channel, "newswatch test alert", body, "info", settings.alert_timeout)
    if not result.ok:
        _fail(f"{channel.display}: {result.error}", 1)
    out.print(f"sent to {channel.display}")


@alerts_app.command("run")
def alerts_run(config: ConfigOpt = None, database: DatabaseOpt = None) -> None:
    """Run the `alerts` flow now: cluster new reports into events, raise and deliver alerts."""
    settings = _settings(config, database=database)
    _prefect_defaults()
    from flows.alerting import alerts
    from flows.settings import ConfigError

    try:
        summary = alerts(settings)
    except ConfigError as exc:
        _fail(exc, 2)
    out.print(f"reports clustered: {summary.reports}, events touched: {summary.events_touched}, "
              f"alerts raised: {len(summary.alerts_raised)}, delivered: {summary.delivered}, failed: {summary.failed}")


@app.command()
def events(
    config: ConfigOpt = None,
    database: DatabaseOpt = None,
    limit: Annotated[int, typer.Option(help="Events shown.")] = 20,
) -> None:
    """Recent attack events: reports of one strike from several articles and outlets, clustered."""
    settings = _settings(config, database=database)
    from storage import events as event_store

    _table(_read_rows(settings, lambda con: event_store.recent_events(con, limit)), "events")


if __name__ == "__main__":
    app()
