"""The `newswatch` command's shared parts: the Typer app, common options, output and exits."""
from __future__ import annotations

import json
import os
import re
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
from rich.console import Console, Group
from rich.measure import Measurement
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

# Click's own help layout: flags read `--progress / --no-progress` and `-v, --verbose` (typer's
# rich layout prints `<bool>` beside every flag, as if it took a value).
app = typer.Typer(help="Conflict and diplomacy news monitoring: feeds in, facts in DuckDB.",
                  no_args_is_help=True, add_completion=False, rich_markup_mode=None)


out = Console()


err = Console(stderr=True, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        out.print(f"newswatch {version('newswatch')}", highlight=False)
        raise typer.Exit()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Print the version and exit.")] = False) -> None:
    """Conflict and diplomacy news monitoring: feeds in, facts in DuckDB."""


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table, csv or json (one object per line).")]


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


def date_option(value: str | None, flag: str) -> date | None:
    """A YYYY-MM-DD option's date; a malformed one exits 2 naming the flag."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{flag} takes a date as YYYY-MM-DD, not {value!r}", 2)


def show(printable) -> None:
    """Print to stdout: at the terminal's width on a terminal; piped or redirected, as wide as
    the content, so that no value is cut or wrapped (a pipe is no 80-column screen)."""
    if out.is_terminal:
        out.print(printable)
        return
    if isinstance(printable, str):
        out.print(printable, soft_wrap=True)
        return
    width = Measurement.get(out, out.options.update(max_width=1_000_000), printable).maximum
    wide = Console(file=sys.stdout, width=max(width, 20), highlight=False)  # print() cannot exceed its console's width
    wide.print(printable)


def table_of(names: list[str], rows: list[tuple], title: str | None = None, caption: str | None = None,
             width: int | None = None) -> Table | Group:
    """A rich table that never cuts a value: on a narrow screen the columns of prose wrap at
    words, while those of single tokens (dates, times, numbers, ids, URLs) keep their whole width.
    With the `width` of a terminal too narrow for those whole values side by side, one block of
    "name  value" lines a row instead, so that no column is dropped."""
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    widths = _whole_widths(names, cells)
    if width is not None and _needed_width(names, cells, widths) > width:
        return _records(names, cells, title, caption)
    table = Table(title=title, caption=caption, caption_justify="left")
    for name, whole in zip(names, widths):
        if whole:  # kept whole at its values' width; a longer header folds over lines
            table.add_column(name, overflow="fold", min_width=whole)
        else:
            table.add_column(name, overflow="fold")
    for row in cells:
        table.add_row(*row)
    return table


TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:[+-]\d\d(?::?\d\d)?)?$")


def _whole_widths(names: list[str], cells: list[list[str]]) -> list[int | None]:
    """The width of each column kept whole (single tokens), None for a column of prose."""
    out: list[int | None] = []
    for k, name in enumerate(names):
        values = [row[k] for row in cells]
        whole = name == "url" or name.endswith(("_id", "_key"))
        single = all((" " not in v or TIMESTAMP.match(v)) and (whole or len(v) <= 24) for v in values)
        out.append(max([min(len(name), 6), *map(len, values)]) if single else None)
    return out


def _needed_width(names: list[str], cells: list[list[str]], widths: list[int | None]) -> int:
    """The narrowest table: whole columns at their width, prose folded down to its longest word."""
    needed = 1
    for k, (name, whole) in enumerate(zip(names, widths)):
        words = [len(w) for row in cells for w in row[k].split()]
        needed += 3 + (whole or max([min(len(name), 8), *words]))
    return needed


def _records(names: list[str], cells: list[list[str]], title: str | None, caption: str | None) -> Group:
    """Rows as blocks of "name  value" lines: every column shown, long values folded, none cut."""
    parts: list = [Text(title, style="bold")] if title else []
    for n, row in enumerate(cells, 1):
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column(overflow="fold")
        for name, value in zip(names, row):
            grid.add_row(name, value)
        parts += [Rule(f"{n}", align="left", style="dim"), grid]
    if caption:
        parts.append(Text(caption, style="dim"))
    return Group(*parts)


def print_rows(names: list[str], rows: list[tuple], fmt: str, limit: int | None = None,
               title: str | None = None, caption: str | None = None) -> None:
    """Rows as a table (at most `limit`), CSV with a header, or JSON lines (one object per row)."""
    if fmt == "json":
        for row in rows:
            sys.stdout.write(json.dumps(dict(zip(names, row)), default=str, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
    elif not rows:
        show(f"no {title or 'rows'}")
    else:
        shown = rows if limit is None else rows[:limit]
        show(table_of(names, shown, title, caption, width=out.width if out.is_terminal else None))
        if len(rows) > len(shown):
            show(f"({len(rows) - len(shown)} more rows; use --limit or --format csv)")


LISTING_CAPTIONS = {"events": "launched, intercepted, killed, injured: conservative–highest figure across the reports"}


def listing_command(name: str, doc: str):
    """A command that prints one of the named listings of `storage.queries` (alerts, events, talks)."""
    def command(config: ConfigOpt = None, database: DatabaseOpt = None,
                limit: Annotated[int, typer.Option(help="Rows shown.")] = 20,
                fmt: FormatOpt = Format.table) -> None:
        settings = settings_or_exit(config, database=database)
        from storage import queries

        names, rows = read_only(settings, lambda con: queries.listing(con, name, limit))
        print_rows(names, rows, fmt.value, title=name, caption=LISTING_CAPTIONS.get(name))

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
