"""The `newswatch` command's shared parts: the Typer app, common options, output and exits."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Conflict and diplomacy news monitoring: feeds in, facts in DuckDB.",
                  no_args_is_help=True, add_completion=False)


out = Console()


err = Console(stderr=True, soft_wrap=True)


ConfigOpt = Annotated[Optional[Path], typer.Option("--config", "-c", help="TOML config file (default: ./newswatch.toml if present).")]


DatabaseOpt = Annotated[Optional[Path], typer.Option("--database", "-d", help="DuckDB file (setting `database`).")]


def fail(problem: object, code: int) -> NoReturn:
    """Say what went wrong in one red line on stderr and exit with `code`."""
    err.print(f"[red]{problem}[/red]", highlight=False)
    raise typer.Exit(code)


def settings_or_exit(config: Path | None, **overrides):
    from flows.settings import ConfigError, load_settings

    try:
        return load_settings(config, **overrides)
    except ConfigError as exc:
        fail(exc, 2)


def checked_or_exit(settings, *, feeds: bool = True, alerts: bool = True) -> None:
    """Every file and setting the command depends on, checked before the database or the
    network is touched; a mistake exits 2 naming the file, the entry or key, and the reason."""
    from flows import preflight
    from flows.settings import ConfigError

    try:
        preflight.check(settings, feeds=feeds, alerts=alerts)
    except ConfigError as exc:
        fail(exc, 2)


def prefect_defaults(verbose: bool = False) -> None:
    """Offline-friendly Prefect defaults; explicit environment settings win."""
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    # Failures are reported in the summary and the errors table; Prefect's own tracebacks for
    # expected failures (an unreachable feed) would only bury them. --verbose shows them.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "CRITICAL")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
    # The local API server logs to our stderr too; its shutdown may complain of events it could
    # not flush any more, which concerns nobody.
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING" if verbose else "CRITICAL")


def read_only(settings, query):
    """`query` on the store opened read-only; exit 3 when it is missing, busy or too old."""
    from storage.db import DatabaseBusy, DatabaseMissing, pending_migrations, read

    def checked(con):
        missing = pending_migrations(con)
        if missing:
            fail(f"database {settings.store} predates this newswatch (missing {', '.join(missing)}); "
                 "the next `newswatch run` migrates it", 3)
        return query(con)

    try:
        return read(settings.store, checked, lock_timeout=min(settings.lock_timeout, 10))
    except (DatabaseBusy, DatabaseMissing) as exc:
        fail(exc, 3)


def print_rows(names: list[str], rows: list[tuple], fmt: str, limit: int) -> None:
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


def print_table(rows: list[dict], title: str) -> None:
    if not rows:
        out.print(f"no {title}")
        return
    table = Table(*rows[0].keys(), title=title)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row.values()))
    out.print(table)


def listing_command(name: str, doc: str):
    """A command that prints one of the named listings of `storage.queries` (alerts, events)."""
    def command(config: ConfigOpt = None, database: DatabaseOpt = None,
                limit: Annotated[int, typer.Option(help="Rows shown.")] = 20) -> None:
        settings = settings_or_exit(config, database=database)
        from storage import queries

        print_table(read_only(settings, lambda con: queries.listing_dicts(con, name, limit)), name)

    command.__doc__ = doc
    return command


def in_own_process_group(work) -> None:
    """Run a long command's work so that nothing it starts outlives it (`flows.cli.supervisor`);
    its exit status becomes the command's."""
    import click

    from flows.cli.supervisor import supervised

    def body() -> int:
        try:
            work()
        except (typer.Exit, click.exceptions.Exit) as exc:
            return exc.exit_code
        return 0

    code = supervised(body)
    if code:
        raise typer.Exit(code)
