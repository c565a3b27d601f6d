"""The `newswatch` command line: a thin shell over the flows and the library functions.

    app.py        the Typer app, common options, output and exit codes
    ingesting.py  run, reextract, serve, status
    analysis.py   sql, trends, search, events, talks, export, report
    alerts.py     alerts list | test | run
    tools.py      clean, extract (the cleaner and extractor on files, as the scorers call them)
    report.py     the HTML report page; charts.py its launches chart (also `trends --plot`);
    strike_map.py its map;  progress.py  the progress bar the ingest flow advances
"""
# isort: skip_file - the import order is the order of the commands in `newswatch --help`
from flows.cli.app import app
from flows.cli import ingesting, analysis, alerts, tools  # noqa: F401 - each registers its commands

__all__ = ["app"]
