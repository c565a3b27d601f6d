"""The `alerts` Prefect flow: cluster new attack reports into events, raise and deliver alerts.

The work is `flows.alerts.evaluation`; the `ingest` flow runs the same two tasks at the end of
each cycle.
"""
from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task

from flows.alerts.evaluation import deliver, evaluate
from flows.records import AlertSummary
from flows.settings import Settings, load_settings
from storage.db import DatabaseBusy, checkpoint_file


@task(name="evaluate-alerts")
def evaluate_task(settings: Settings) -> AlertSummary:
    return evaluate(settings)


@task(name="deliver-alerts")
def deliver_task(settings: Settings) -> AlertSummary:
    return deliver(settings)


@flow(name="alerts")
def alerts(settings: Settings | None = None, config_file: str | None = None) -> AlertSummary:
    """Cluster new attack reports, raise alerts and deliver pending ones."""
    settings = settings or load_settings(Path(config_file) if config_file else None)
    try:
        summary = evaluate_task(settings)
        sent = deliver_task(settings)
        checkpoint_file(settings.store, lock_timeout=settings.lock_timeout)  # the file complete on its own
    except DatabaseBusy as exc:
        get_run_logger().warning("%s; alerts are evaluated on the next run", exc)
        return AlertSummary()
    summary.delivered, summary.failed = sent.delivered, sent.failed
    return summary
