"""The `newswatch` command line: a thin shell over the flows and the library functions.

    app.py        the Typer app, common options, output and exit codes
    ingesting.py  run, reextract, serve, status
    analysis.py   sql, trends, search, events, export, report
    alerts.py     alerts list | test | run
    tools.py      clean, extract (the cleaner and extractor on files, as the scorers call them)
    report.py     the HTML report page;  progress.py  the progress bar the ingest flow advances
"""
from flows.cli import alerts, analysis, ingesting, tools  # noqa: F401 - each registers its commands
from flows.cli.app import app

__all__ = ["app"]
