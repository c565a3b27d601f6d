"""Commands that write: `run`, `reextract`, `serve`, and `status` of the runs."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from flows import clock
from flows.cli.app import (
    checked_or_exit,
    in_own_process_group,
    ConfigOpt,
    DatabaseOpt,
    Format,
    FormatOpt,
    app,
    err,
    fail,
    out,
    prefect_defaults,
    print_rows,
    read_only,
    settings_or_exit,
    show,
)


@app.command()
def run(
    config: ConfigOpt = None,
    database: DatabaseOpt = None,
    seeds_dir: Annotated[Optional[Path], typer.Option(help="Seed corpus folder (setting `seeds_dir`).")] = None,
    feeds_file: Annotated[Optional[Path], typer.Option(help="Feed list TOML (setting `feeds_file`).")] = None,
    progress_bar: Annotated[bool, typer.Option("--progress/--no-progress",
                                               help="A progress bar on stderr (when it is a terminal).")] = True,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's logs.")] = False,
    shard: Annotated[Optional[str], typer.Option(
        help="K/N: poll only the feeds of shard K of N (0-based), for N runs at once into one DuckLake.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Poll every enabled feed now, whatever its schedule or back-off.")] = False,
) -> None:
    """Run one ingestion cycle (feeds and seeds -> clean -> extract -> DuckDB) and print a summary."""
    settings = settings_or_exit(config, database=database, seeds_dir=seeds_dir, feeds_file=feeds_file)
    part, parts = _shard(shard)
    checked_or_exit(settings)
    prefect_defaults(verbose)
    from flows.cli import progress
    from flows.ingest import ingest
    from storage.db import DatabaseBusy, StorageFailed

    def work() -> None:
        try:
            with progress.reporter(enabled=progress_bar and sys.stderr.isatty(), console=err):
                summary = ingest(settings, shard=part, shards=parts, force=force)
        except DatabaseBusy as exc:
            fail(exc, 3)
        except StorageFailed as exc:
            fail(f"run failed: {exc}", 5)
        _print_summary(summary)

    in_own_process_group(work)


def _shard(value: str | None) -> tuple[int, int]:
    """`K/N` as (K, N); exit 2 when it is not one."""
    if value is None:
        return 0, 1
    part, _, parts = value.partition("/")
    if not (part.isdigit() and parts.isdigit() and 0 <= int(part) < int(parts)):
        fail(f"--shard {value!r}: K/N with 0 <= K < N, e.g. --shard 0/4", 2)
    return int(part), int(parts)


def _print_summary(summary) -> None:
    table = Table(title=f"newswatch run {summary.run_id}", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    for label, value in summary.rows():
        table.add_row(label, str(value))
    out.print(table)
    for line in summary.error_lines[:20]:  # "error [feed] ..." or "warning [feed] ...: 1 entries kept"
        out.print(line, highlight=False, markup=False, soft_wrap=True,
                  style="yellow" if line.startswith("warning") else "red")
    if len(summary.error_lines) > 20:
        out.print(f"... {len(summary.error_lines) - 20} more in the errors table")


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
    settings = settings_or_exit(config, database=database)
    checked_or_exit(settings, feeds=False)
    from extractors.extract import extractor_name
    from flows.alerts.evaluation import evaluate
    from flows.processing import batch
    from storage import articles, events, search
    from storage.db import DatabaseBusy, checkpoint_file, opened

    name = extractor_name(settings.spacy_model)
    try:
        with opened(settings.store, lock_timeout=settings.lock_timeout) as con:
            stored = articles.articles_to_reextract(con, name, everything)
        written = 0
        for i in range(0, len(stored), settings.batch_size):
            chunk = stored[i:i + settings.batch_size]
            # in the worker processes: both cores, and the per-document time and memory budget
            facts = [p.facts for p in batch.process_jobs(chunk, settings)]
            with opened(settings.store, lock_timeout=settings.lock_timeout) as con:
                written += articles.replace_facts(con, list(zip(chunk, facts)), clock.now())
        with opened(settings.store, lock_timeout=settings.lock_timeout) as con:
            events.drop_orphan_events(con)
            search.rebuild_index(con, clock.now())
        summary = evaluate(settings)
        checkpoint_file(settings.store, lock_timeout=settings.lock_timeout)
    except DatabaseBusy as exc:
        fail(exc, 3)
    finally:
        batch.close_pools()
    out.print(f"re-extracted {len(stored)} articles ({written} fact rows) with {name}; "
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
    settings = settings_or_exit(config, schedule_interval_minutes=interval, schedule_cron=cron, schedule_timezone=timezone)
    checked_or_exit(settings)
    prefect_defaults(verbose=True)
    from flows.serve import ServerFailed
    from flows.serve import serve as serve_flows

    def work() -> None:
        try:
            serve_flows(settings, config, announce=lambda m: err.print(m, highlight=False))
        except ServerFailed as exc:
            fail(exc, 4)
        except KeyboardInterrupt:
            err.print("stopped; the schedules stay active for the next `newswatch serve`")

    in_own_process_group(work)


@app.command()
def status(config: ConfigOpt = None, database: DatabaseOpt = None,
           runs: Annotated[int, typer.Option(help="Runs shown.")] = 5,
           fmt: FormatOpt = Format.table) -> None:
    """Last runs, feed health, database size and row counts, and the next scheduled run.

    --format json prints one object (runs, feeds, database, next_scheduled_run); csv prints the
    runs table, a blank line, then the feed health table.
    """
    settings = settings_or_exit(config, database=database)
    from storage import queries
    from storage.db import files_of

    def query(con):
        return (queries.listing(con, "runs", runs), queries.listing(con, "feeds"), queries.table_counts(con))

    run_rows, feed_rows, counts = read_only(settings, query)
    size = sum(p.stat().st_size for p in files_of(settings.store)) / 1e6  # the log holds data too
    scheduled = _next_scheduled_run(settings)
    if fmt is Format.json:
        import json

        sys.stdout.write(json.dumps({
            "runs": [dict(zip(run_rows[0], r)) for r in run_rows[1]],
            "feeds": [dict(zip(feed_rows[0], r)) for r in feed_rows[1]],
            "database": {"path": str(settings.store), "megabytes": round(size, 1), "rows": counts},
            "next_scheduled_run": scheduled}, default=str, ensure_ascii=False) + "\n")
        return
    if fmt is Format.csv:
        print_rows(*run_rows, "csv")
        sys.stdout.write("\n")
        print_rows(*feed_rows, "csv")
        return
    print_rows(*run_rows, "table", title="last runs")
    print_rows(*feed_rows, "table", title="feed health")
    show(f"database {settings.store} ({size:.1f} MB): " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    show("next scheduled run: " + scheduled)


def _next_scheduled_run(settings) -> str:
    """Asks the Prefect server named by PREFECT_API_URL, or the one a running `newswatch serve`
    recorded; says so when there is none."""
    from flows.serve import recorded_api

    url = os.environ.get("PREFECT_API_URL") or recorded_api(settings)
    if not url:
        return "no Prefect server (PREFECT_API_URL is not set and no `newswatch serve` is running)"
    try:
        from prefect.client.orchestration import get_client
        from prefect.client.schemas.filters import (
            FlowRunFilter,
            FlowRunFilterState,
            FlowRunFilterStateType,
        )
        from prefect.client.schemas.objects import StateType
        from prefect.client.schemas.sorting import FlowRunSort
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings({PREFECT_API_URL: url}), get_client(sync_client=True) as client:
            scheduled = client.read_flow_runs(
                flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))),
                sort=FlowRunSort.EXPECTED_START_TIME_ASC, limit=1)
    except Exception as exc:  # noqa: BLE001 - status must answer even when the server does not
        return f"the Prefect server at {url} did not answer ({type(exc).__name__})"
    if not scheduled:
        return f"none scheduled (Prefect server at {url})"
    return f"{scheduled[0].expected_start_time} ({scheduled[0].name}; Prefect server at {url})"


@app.command()
def backup(
    out_file: Annotated[Path, typer.Option("--out", "-o", help="File to write the copy to (a DuckDB file).")],
    config: ConfigOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """Write a consistent copy of the database to one file, safe while runs go on."""
    settings = settings_or_exit(config, database=database)
    from storage.db import DatabaseBusy, DatabaseMissing
    from storage.db import backup as copy_database

    try:
        size = copy_database(settings.store, out_file, lock_timeout=settings.lock_timeout)
    except (DatabaseBusy, DatabaseMissing) as exc:
        fail(exc, 3)
    except ValueError as exc:  # a lake: backed up with its catalog and data path
        fail(exc, 2)
    out.print(f"backup of {settings.store} written to {out_file} ({size / 1e6:.1f} MB)")


@app.command("migrate-storage")
def migrate_storage(
    source: Annotated[Path, typer.Option("--from", help="The DuckDB file to copy from.")],
    config: ConfigOpt = None,
) -> None:
    """Copy a DuckDB file into the DuckLake the configuration names (storage_backend = "ducklake")."""
    settings = settings_or_exit(config)
    if settings.storage_backend != "ducklake":
        fail('migrate-storage copies into a DuckLake: set storage_backend = "ducklake" and ducklake_catalog first', 2)
    checked_or_exit(settings, feeds=False, alerts=False)
    from storage.db import DatabaseBusy, DatabaseMissing, copy_file_into

    try:
        copied = copy_file_into(source, settings.store, lock_timeout=settings.lock_timeout)
    except (DatabaseBusy, DatabaseMissing) as exc:
        fail(exc, 3)
    except ValueError as exc:
        fail(exc, 2)
    out.print(f"copied {source} into {settings.store}: " + ", ".join(f"{t} {n}" for t, n in copied.items() if n))
