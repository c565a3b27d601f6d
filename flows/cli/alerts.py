"""`newswatch alerts ...`: list alerts, test a channel, evaluate now."""
from __future__ import annotations

import os
from typing import Annotated

import typer

from flows.cli.app import (
    ConfigOpt,
    checked_or_exit,
    DatabaseOpt,
    app,
    err,
    fail,
    listing_command,
    out,
    prefect_defaults,
    settings_or_exit,
)

alerts_app = typer.Typer(help="Alerts on large-scale attacks: list, test a channel, evaluate now.", no_args_is_help=True,
                         rich_markup_mode=None)
app.add_typer(alerts_app, name="alerts")


alerts_app.command("list")(listing_command(
    "alerts", "Recent alerts with their delivery status per channel (channels shown by scheme and hash)."))


@alerts_app.command("test")
def alerts_test(url: Annotated[str, typer.Argument(help="Apprise URL to send a sample alert to.")],
                config: ConfigOpt = None) -> None:
    """Send a sample alert to one channel and say whether it was accepted."""
    settings = settings_or_exit(config)
    from flows.alerts import channels as notify

    channel = notify.Channel(url)
    problem = notify.check(url)
    if problem:
        fail(f"{channel.display}: {problem}", 2)
    body = "**newswatch test alert**\n\n- This is a sample; no attack is reported.\n- Channel: " + channel.display
    result = notify.send(channel, "newswatch test alert", body, "info", settings.alert_timeout)
    if not result.ok:
        fail(f"{channel.display}: {result.error}", 1)
    out.print(f"sent to {channel.display}")


@alerts_app.command("run")
def alerts_run(config: ConfigOpt = None, database: DatabaseOpt = None) -> None:
    """Run the `alerts` flow now: cluster new reports into events, raise and deliver alerts.

    The run is recorded on the Prefect server of PREFECT_API_URL, or of a running `newswatch serve`.
    """
    settings = settings_or_exit(config, database=database)
    checked_or_exit(settings, feeds=False)
    prefect_defaults()
    from flows.serve import recorded_api

    served = None if os.environ.get("PREFECT_API_URL") else recorded_api(settings)
    if served:
        os.environ["PREFECT_API_URL"] = served  # before Prefect is imported: its settings read it once
        err.print(f"using the Prefect server of `newswatch serve` at {served}", highlight=False)
    from flows.alerting import alerts

    summary = alerts(settings)
    out.print(f"reports clustered: {summary.reports}, events touched: {summary.events_touched}, "
              f"alerts raised: {len(summary.alerts_raised)}, delivered: {summary.delivered}, failed: {summary.failed}")
